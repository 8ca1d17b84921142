"""Serve a Sanic app on a free loopback port inside the test's event loop (real HTTP, one process)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sanic import Sanic


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@asynccontextmanager
async def serve(app: Sanic, port: int | None = None) -> AsyncIterator[str]:
    """Run ``app`` until the block exits; yields its base URL."""
    port = port or free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False, debug=False
    )
    assert server is not None
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        # Bounded: a stop listener that never returns must fail the run with a message, not stall it.
        for step in (server.before_stop, server.close, server.after_stop):
            try:
                await asyncio.wait_for(step(), timeout=30)
            except TimeoutError:
                print(f"serve({app.name}): {step.__name__} did not finish within 30 s")

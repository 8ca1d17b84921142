"""Degraded parts never lose work (issue 12, item 7): a Redis that is down or hangs costs the access token
at most a short timeout (a per-process token takes over), and a database outage answers 503 with
Retry-After in the error shape and one log line per request."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import httpx
from redis.asyncio import Redis

from checkup.integrations.wechat.access_token import StableAccessToken
from checkup.redis_client import create_redis
from support.sandbox import TEST_CONFIG

OA_APPID, OA_SECRET = TEST_CONFIG.wechat_oa_appid, TEST_CONFIG.wechat_oa_secret


@contextlib.asynccontextmanager
async def hung_redis():
    """A TCP server that takes connections and never answers (a Redis stuck in a fork, a dead proxy)."""
    held: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        with contextlib.suppress(Exception):
            while await reader.read(1024):
                pass

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        for writer in held:
            writer.close()
        server.close()


async def test_redis_down_falls_back_to_a_per_process_token(sandbox):
    down = Redis.from_url("redis://127.0.0.1:1/0", decode_responses=True, socket_connect_timeout=1)
    source = StableAccessToken(sandbox.wechat_url, OA_APPID, OA_SECRET, redis=down, namespace="degraded")
    started = time.monotonic()
    first = await source.token()
    again = await source.token()
    assert first and again == first  # cached in the process meanwhile
    assert time.monotonic() - started < 3
    assert await source.renew(first)  # a refused token is renewed without Redis too
    await source.aclose()
    await down.aclose()


async def test_hung_redis_costs_at_most_a_short_timeout(sandbox):
    async with hung_redis() as url:
        client = create_redis(url)  # the product's client (2 s socket timeouts)
        source = StableAccessToken(sandbox.wechat_url, OA_APPID, OA_SECRET, redis=client, namespace="degraded")
        started = time.monotonic()
        token = await source.token()
        assert token
        assert time.monotonic() - started < 2.5, time.monotonic() - started
        started = time.monotonic()
        assert await source.token() == token
        assert time.monotonic() - started < 2.5
        await source.aclose()
        await client.aclose()


async def test_database_outage_answers_503_with_retry_after_and_one_log_line(app, base_url, db, caplog, monkeypatch):
    """What the drivers raise when the database cannot be reached (the shared session connection itself is not
    broken: a closed and reopened pool left later tests waiting on it)."""
    import sqlite3

    from tortoise.exceptions import DBConnectionError, OperationalError

    from checkup.services import packages

    outages = [
        DBConnectionError("Can't connect to MySQL server: {'host': '127.0.0.1', 'port': 3306}"),
        OperationalError("(2013, 'Lost connection to MySQL server during query')"),
        sqlite3.OperationalError("unable to open database file"),
    ]
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        for outage in outages:
            async def down(*args, _outage=outage, **kwargs):
                raise _outage

            monkeypatch.setattr(packages, "list_online", down)
            with caplog.at_level(logging.INFO):
                caplog.clear()
                r = await http.get("/api/packages")
            assert r.status_code == 503, r.text
            assert r.headers.get("Retry-After") and int(r.headers["Retry-After"]) > 0
            body = r.json()
            assert body["error"]["code"] == "DATABASE_UNAVAILABLE" and body["error"]["details"].get("retry_after")
            errors = [rec for rec in caplog.records if rec.levelno >= logging.WARNING]
            assert len(errors) == 1, [rec.getMessage() for rec in errors]
            assert errors[0].exc_info is None  # one line, not a traceback
        # a query the database refused is not an outage: still the 500 with its reference
        monkeypatch.setattr(packages, "list_online", _refused)
        r = await http.get("/api/packages")
        assert r.status_code == 500 and r.json()["error"]["code"] == "INTERNAL_ERROR"


async def _refused(*args, **kwargs):
    from tortoise.exceptions import OperationalError

    raise OperationalError("(1054, \"Unknown column 'x' in 'field list'\")")

"""Exports are built in a separate process (issue 17): the API process's GIL stays free for patients."""

from __future__ import annotations

import os

import pytest

from checkup.reports.offload import BuilderDied, ExportRunner


def _crash() -> None:
    os._exit(3)  # a builder that dies (out of memory, a C library's fault) without raising


async def test_builders_run_in_another_process_and_threads_when_disabled():
    runner = ExportRunner(1)
    try:
        pid = await runner.run(os.getpid)
        assert pid != os.getpid()
        assert await runner.run(os.getpid) == pid  # the pool is kept between exports
        assert await runner.run(divmod, 17, 5) == (3, 2)  # arguments go across and the result comes back
        with pytest.raises(ZeroDivisionError):  # the builder's exception is raised here, and the builder lives on
            await runner.run(divmod, 1, 0)
        assert await runner.run(os.getpid) == pid
    finally:
        runner.close()
    assert await _in_daemonic_process(), "a builder must start from a daemonic process (Sanic's workers are)"
    in_thread = ExportRunner(0)
    assert await in_thread.run(os.getpid) == os.getpid()


async def test_an_export_cancelled_midway_does_not_poison_the_next():
    import asyncio
    import time

    runner = ExportRunner(1)
    try:
        task = asyncio.ensure_future(runner.run(time.sleep, 5))
        await asyncio.sleep(0.5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert await runner.run(divmod, 7, 2) == (3, 1)  # a new builder, not the half-answered one
    finally:
        runner.close()


async def test_a_dead_builder_fails_only_its_export():
    runner = ExportRunner(1)
    try:
        with pytest.raises(BuilderDied):
            await runner.run(_crash)
        assert await runner.run(os.getpid) != os.getpid()  # the next export gets a new pool
    finally:
        runner.close()


def _daemon_child(queue) -> None:
    import asyncio

    async def go() -> bool:
        runner = ExportRunner(1)
        try:
            return await runner.run(os.getpid) != os.getpid()
        finally:
            runner.close()

    queue.put(asyncio.run(go()))


async def _in_daemonic_process() -> bool:
    """Sanic runs each API worker as a daemonic multiprocessing child: the builder must start from there."""
    import asyncio
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_daemon_child, args=(queue,), daemon=True)
    proc.start()
    try:
        return await asyncio.to_thread(queue.get, True, 60)
    finally:
        proc.join(10)

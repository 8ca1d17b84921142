"""Exports are built in a separate process (issue 17): the API process's GIL stays free for patients."""

from __future__ import annotations

import os

import pytest

from checkup.reports.offload import ExportRunner


def _crash() -> None:
    os._exit(3)  # a builder that dies (out of memory, a C library's fault) without raising


async def test_builders_run_in_another_process_and_threads_when_disabled():
    runner = ExportRunner(1)
    try:
        pid = await runner.run(os.getpid)
        assert pid != os.getpid()
        assert await runner.run(os.getpid) == pid  # the pool is kept between exports
        assert await runner.run(divmod, 17, 5) == (3, 2)  # arguments go across and the result comes back
    finally:
        runner.close()
    in_thread = ExportRunner(0)
    assert await in_thread.run(os.getpid) == os.getpid()


async def test_a_dead_builder_fails_only_its_export():
    from concurrent.futures.process import BrokenProcessPool

    runner = ExportRunner(1)
    try:
        with pytest.raises(BrokenProcessPool):
            await runner.run(_crash)
        assert await runner.run(os.getpid) != os.getpid()  # the next export gets a new pool
    finally:
        runner.close()

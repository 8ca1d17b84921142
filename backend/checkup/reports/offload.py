"""Building an export away from the event loop's process (issue 17).

Writing 10,000 rows into an xlsx or a pdf is a second or two of pure Python: in a thread of the API process it
holds the GIL, so every patient request of that process waits behind it (a calendar p99 of 28-674 ms was
measured during two exports, against 8 ms without). Here the builders run in a small pool of separate
processes (``CHECKUP_EXPORT_PROCESSES``, default 1 per API process; 0 keeps the old thread), started with
``spawn`` (a forked copy of a process with an event loop and open sockets is unsafe) and only on the first
export, so an API process that never exports never pays for it. The rows are sent to the builder and the
file's bytes come back; a builder that crashes fails only that export (the pool is rebuilt).
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

log = logging.getLogger("checkup.reports")
T = TypeVar("T")


class ExportRunner:
    """Runs export builders in ``processes`` worker processes (0: in a thread of this process)."""

    def __init__(self, processes: int = 1) -> None:
        self.processes = max(0, processes)
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.processes,
                                             mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in a builder process; ``fn`` and its arguments must pickle."""
        call = functools.partial(fn, *args, **kwargs)
        if self.processes == 0:
            return await asyncio.to_thread(call)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), call)
        except BrokenProcessPool:
            log.error("export builder process died; the pool is rebuilt for the next export")
            self.close()
            raise

    def close(self) -> None:
        """Stop the builder processes (server shutdown); a later export starts new ones."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

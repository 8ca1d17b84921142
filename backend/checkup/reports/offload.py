"""Building an export away from the event loop's process (issue 17).

Writing 10,000 rows into an xlsx or a pdf is a second or two of pure Python: in a thread of the API process it
holds the GIL, so every patient request of that process waits behind it (a calendar p99 of 28-674 ms was
measured during two exports, against 8 ms without). Here the builders run in separate processes
(``CHECKUP_EXPORT_PROCESSES`` per API process, default 1; 0 keeps the old thread). A builder is a plain child
process (``python -m checkup.reports.builder``; Sanic's worker processes are daemonic, and a daemonic process
may not have multiprocessing children), started on the first export and kept for the next ones, so an API
process that never exports never pays for it. The call and its rows go to the builder pickled over a pipe and
the file's bytes come back; a builder that dies fails only that export and is replaced by the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import pickle
import sys
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger("checkup.reports")
T = TypeVar("T")


class BuilderDied(RuntimeError):
    """The builder process ended in the middle of an export (killed, out of memory)."""


class _Builder:
    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.broken = False

    @classmethod
    async def start(cls) -> _Builder:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "checkup.reports.builder",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        return cls(proc)

    @property
    def pid(self) -> int:
        return self.proc.pid

    async def call(self, call: Callable[[], Any]) -> Any:
        if self.proc.stdin is None or self.proc.stdout is None:  # started with both pipes: never
            raise BuilderDied("导出进程没有管道")
        data = pickle.dumps(call, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self.proc.stdin.write(len(data).to_bytes(8, "big") + data)
            await self.proc.stdin.drain()
            size = int.from_bytes(await self.proc.stdout.readexactly(8), "big")
            ok, value = pickle.loads(await self.proc.stdout.readexactly(size))  # noqa: S301 - our own child
        except (asyncio.IncompleteReadError, ConnectionError, BrokenPipeError) as exc:
            self.broken = True
            raise BuilderDied("导出进程意外退出") from exc
        except BaseException:
            # cancelled mid-frame (the browser went away): the pipe is out of step, this builder cannot be reused
            self.broken = True
            self.stop()
            raise
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()


class ExportRunner:
    """Runs export builders in up to ``processes`` child processes (0: in a thread of this process)."""

    def __init__(self, processes: int = 1) -> None:
        self.processes = max(0, processes)
        self._idle: list[_Builder] = []
        self._all: set[_Builder] = set()
        self._free: asyncio.Semaphore | None = None

    def builder_pids(self) -> list[int]:
        return [b.pid for b in self._all]

    async def run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` in a builder process; ``fn`` and its arguments must pickle."""
        call = functools.partial(fn, *args, **kwargs)
        if self.processes == 0:
            return await asyncio.to_thread(call)
        if self._free is None:
            self._free = asyncio.Semaphore(self.processes)
        async with self._free:  # at most ``processes`` exports at once; the others wait their turn
            builder = self._idle.pop() if self._idle else None
            if builder is None or builder.broken or builder.proc.returncode is not None:
                builder = await _Builder.start()
                self._all.add(builder)
            try:
                return await builder.call(call)
            except BuilderDied:
                log.error("export builder process %s died; the next export starts a new one", builder.pid)
                self._all.discard(builder)
                builder.stop()
                builder = None
                raise
            finally:
                if builder is not None and not builder.broken:  # it answered (a result or its exception): keep it
                    self._idle.append(builder)
                elif builder is not None:
                    self._all.discard(builder)

    def close(self) -> None:
        """Stop the builder processes (server shutdown); a later export starts new ones."""
        for builder in self._all:
            if builder.proc.stdin is not None:
                builder.proc.stdin.close()
            builder.stop()
        self._all.clear()
        self._idle.clear()

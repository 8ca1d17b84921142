"""Figures of the monthly 运行报告 that only a running process sees, recorded in the database.

Each process (API or worker) counts in memory, per Asia/Shanghai day:
- ``request``: requests answered per route family (patient, console, open, wechatpay, his_notify, system):
  count, 5xx answers, total and slowest time, answers slower than SLOW_MS;
- ``upstream``: HIS / PEIS calls per system and operation: count, calls without an answer (UNKNOWN:
  timeout, connection error, 5xx, circuit open), total and slowest time, slow calls;
- ``ready``: /api/ready answers (errors = not ready);
- ``up``: one heartbeat per flush, so the day's 5-minute slots with a heartbeat give availability.

Every FLUSH_SECONDS the counts are appended to ``ops_sample`` (one row per key, no upsert race
between processes) and the memory is cleared; ``checkup report rollup`` (and the worker, daily) sums
them into ``ops_daily``. A flush that fails keeps its counts for the next one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import date, datetime

from checkup.domain.clock import shanghai_today, utcnow

log = logging.getLogger("checkup.ops")

FLUSH_SECONDS = 300  # also the availability slot: a process that is up writes one heartbeat per slot
SLOW_MS = 1000  # a request or HIS/PEIS call slower than this counts as slow
KINDS = ("request", "upstream", "ready", "up")


def route_family(route: str) -> str:
    """"console_reports.booked_patients" -> "console"; "patient.x" -> "patient"; app-level routes (the H5
    and console pages, "h5_path", "console_index") -> "static"; unmatched stays."""
    if route == "unmatched":
        return route
    if "." not in route:
        return "static"
    blueprint = route.split(".", 1)[0]
    if blueprint.startswith("console"):
        return "console"
    return blueprint or "unmatched"


@dataclass
class Tally:
    count: int = 0
    errors: int = 0
    total_ms: int = 0
    max_ms: int = 0
    slow: int = 0

    def add(self, ms: int | None, error: bool) -> None:
        self.count += 1
        self.errors += int(error)
        if ms is not None:
            self.total_ms += ms
            self.max_ms = max(self.max_ms, ms)
            self.slow += int(ms > SLOW_MS)

    def merge(self, other: Tally) -> None:
        self.count += other.count
        self.errors += other.errors
        self.total_ms += other.total_ms
        self.max_ms = max(self.max_ms, other.max_ms)
        self.slow += other.slow


class OpsCounters:
    """The counts of this process since its last flush (thread-safe: Sanic may run sync code in threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tallies: dict[tuple[date, str, str], Tally] = {}
        self.process = f"{socket.gethostname()}:{os.getpid()}"[:64]

    def add(self, kind: str, key: str, *, ms: float | None = None, error: bool = False,
            now: datetime | None = None) -> None:
        day = shanghai_today(now)
        with self._lock:
            tally = self._tallies.setdefault((day, kind, key[:64]), Tally())
            tally.add(None if ms is None else int(ms), error)

    def request(self, route: str, status: int, seconds: float | None) -> None:
        self.add("request", route_family(route), ms=None if seconds is None else seconds * 1000,
                 error=status >= 500)

    def upstream(self, system: str, operation: str, seconds: float, answered: bool) -> None:
        self.add("upstream", f"{system.lower()}.{operation}", ms=seconds * 1000, error=not answered)

    def take(self) -> dict[tuple[date, str, str], Tally]:
        with self._lock:
            taken, self._tallies = self._tallies, {}
        return taken

    def give_back(self, taken: dict[tuple[date, str, str], Tally]) -> None:
        with self._lock:
            for key, tally in taken.items():
                self._tallies.setdefault(key, Tally()).merge(tally)

    async def flush(self, *, now: datetime | None = None, heartbeat: bool = True) -> int:
        """Append the counts (and a heartbeat) to ops_sample; answers the rows written."""
        from checkup.db.uow import unit_of_work

        now = now or utcnow()
        if heartbeat:
            self.add("up", self.process, now=now)
        taken = self.take()
        rows = [dict(at=now, day=day, kind=kind, key=key, count=t.count, errors=t.errors, total_ms=t.total_ms,
                     max_ms=t.max_ms, slow=t.slow) for (day, kind, key), t in taken.items()]
        if not rows:
            return 0
        try:
            await unit_of_work(write=False).ops.add_samples(rows)
        except Exception:
            self.give_back(taken)
            raise
        return len(rows)

    async def run_flusher(self, stop: asyncio.Event, *, every: float = FLUSH_SECONDS, heartbeat: bool = True) -> None:
        """Flush every ``every`` seconds until ``stop``, then once more (without a heartbeat); the API
        processes beat (availability), the worker only flushes its counts."""
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=every)
            except TimeoutError:
                pass
            try:
                await self.flush(heartbeat=heartbeat and not stop.is_set())
            except Exception as exc:  # noqa: BLE001 - kept in memory for the next flush
                log.warning("operation counters not written: %s", exc)
            from checkup.services.security_events import SECURITY_EVENTS

            await SECURITY_EVENTS.flush(final=stop.is_set())  # aggregate rows of ended windows


COUNTERS = OpsCounters()  # the process's counters (each API process and the worker have their own)

"""What the health, readiness and metrics routes ask of the database (issue 15: api/ reaches the database
only through services): does it answer, which migrations it applied, the scrape-time gauges, and whether an
error means it cannot be reached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from checkup.db.outage import is_database_outage
from checkup.db.uow import unit_of_work

__all__ = ["Gauges", "applied_migrations", "database_answers", "gauges", "is_database_outage"]


async def database_answers() -> None:
    """Raises when the database does not answer a trivial query."""
    await unit_of_work(write=False).ops.ping()


async def applied_migrations() -> set[str]:
    """The migrations the database applied (empty when it has no migrations table)."""
    return await unit_of_work(write=False).ops.applied_migrations()


@dataclass(frozen=True)
class Gauges:
    jobs: list[tuple[str, str, int, Any]]  # (kind, status, count, earliest run_after) of open and failed jobs
    writeback_pending: int
    held: int
    bookings: dict[str, int]  # ISO day -> active bookings
    capacities: dict[str, int]  # ISO day -> capacity


async def gauges(first: date, last: date) -> Gauges:
    """The figures the metrics read from the database at scrape time, days [first, last]."""
    ops = unit_of_work(write=False).ops
    return Gauges(
        jobs=await ops.open_jobs(),
        writeback_pending=await ops.count_writeback_pending(),
        held=await ops.count_held_payments(),
        bookings={str(k): v for k, v in (await ops.active_bookings_per_day(first, last)).items()},
        capacities={str(d): c for d, c in await ops.capacities(first, last)},
    )

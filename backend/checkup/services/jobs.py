"""The durable job table (transactional outbox): enqueue inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

from checkup.db.models import Job


async def enqueue(*, kind: str, payload: dict, now: datetime, conn=None, dedupe_key: str | None = None,
                  delay_seconds: float = 0, max_attempts: int = 12) -> Job:
    """Write a job row; with ``conn`` it commits or rolls back with the change that needs it."""
    return await Job.create(
        using_db=conn,
        kind=kind,
        payload=payload,
        status="pending",
        run_after=now + timedelta(seconds=delay_seconds),
        dedupe_key=dedupe_key,
        max_attempts=max_attempts,
    )

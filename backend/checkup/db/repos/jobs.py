"""The jobs repository (issue 15): the durable job table, written as the transactional outbox (``enqueue``
inside the unit of work's transaction) and claimed, leased and finished by the worker."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise import connections

from checkup.db.models import Job
from checkup.db.repos import Repository
from checkup.domain.money import JobStatus

_JOB_FIELDS = Job._meta.fields_map
_ENQUEUE = """
INSERT INTO job (kind, payload, status, attempts, max_attempts, run_after, lease_until, last_error, dedupe_key,
  created_at, updated_at)
VALUES (%s, %s, %s, 0, %s, %s, NULL, '', %s, %s, %s)"""


class JobsRepository(Repository):
    __slots__ = ()

    async def enqueue(self, *, kind: str, payload: dict, now: datetime, dedupe_key: str | None = None,
                      delay_seconds: float = 0, max_attempts: int = 12) -> int:
        """Write a job row in this unit of work's transaction: it commits or rolls back with the change that
        needs it; the job's id. A ``dedupe_key`` already queued raises UniqueViolation (db/errors.py). Raw SQL:
        every payment notification writes one."""
        stamp = _JOB_FIELDS["created_at"].to_db_value(datetime.now(UTC), Job)  # as auto_now writes it
        run_after = _JOB_FIELDS["run_after"].to_db_value(now + timedelta(seconds=delay_seconds), Job)
        return await self._insert(_ENQUEUE, [kind, _JOB_FIELDS["payload"].to_db_value(payload, Job), JobStatus.PENDING.value,
                                       max_attempts, run_after, dedupe_key, stamp, stamp])

    async def get(self, job_id: int) -> Job | None:
        return await Job.filter(id=job_id).using_db(self.conn).first()

    async def queued_keys(self, dedupe_keys: Iterable[str]) -> set[str]:
        """Which of ``dedupe_keys`` have a job (any status) already."""
        keys = list(dedupe_keys)
        if not keys:
            return set()
        found = await Job.filter(dedupe_key__in=keys).using_db(self.conn).values_list("dedupe_key", flat=True)
        return {str(key) for key in found}

    async def page(self, *, status: str, offset: int, limit: int) -> tuple[list[Job], int]:
        """Jobs of ``status``, newest first; and how many there are."""
        query = Job.filter(status=status).using_db(self.conn)
        total = await query.count()
        rows = await query.order_by("-id").offset(offset).limit(limit)
        return rows, total

    async def requeue_failed(self, job_id: int, *, now: datetime) -> int:
        """A failed job pending again with a fresh set of attempts, guarded on ``status = 'failed'``; the count."""
        return await Job.filter(id=job_id, status=JobStatus.FAILED).using_db(self.conn).update(
            status=JobStatus.PENDING, attempts=0, run_after=now, lease_until=None, updated_at=now
        )

    # ---- the worker ---------------------------------------------------------------------------------------
    async def lock_due(self, *, limit: int, due_by: datetime, now: datetime) -> list[Job]:
        """Due jobs the worker may take (pending, or running with a lease that ended), oldest first, locked in
        this transaction; on MySQL/MariaDB rows another worker holds are skipped (SKIP LOCKED)."""
        query = (
            Job.filter(status__in=(JobStatus.PENDING, JobStatus.RUNNING), run_after__lte=due_by)
            .order_by("run_after", "id")
            .limit(limit)
            .using_db(self.conn)
        )
        if connections.get("default").capabilities.dialect == "mysql":
            query = query.select_for_update(skip_locked=True)
        return [j for j in await query
                if j.status == JobStatus.PENDING or (j.lease_until and j.lease_until <= now)]

    async def save_claim(self, job: Job) -> None:
        """Write the claim (status, attempts, lease) set on ``job``."""
        await job.save(using_db=self.conn, update_fields=["status", "attempts", "lease_until", "run_after",
                                                          "updated_at"])

    async def renew_lease(self, job_id: int, *, attempts: int, until: datetime) -> int:
        """The heartbeat: extend the lease of this run (the same attempt, still running)."""
        return await Job.filter(id=job_id, status=JobStatus.RUNNING, attempts=attempts).using_db(self.conn).update(
            lease_until=until, run_after=until)

    async def finish(self, job_id: int) -> None:
        await Job.filter(id=job_id).using_db(self.conn).update(status=JobStatus.DONE, lease_until=None,
                                                               last_error="")

    async def reschedule(self, job_id: int, *, exhausted: bool, payload: Any, run_after: datetime,
                         error: str) -> None:
        """A run that failed: pending again at ``run_after``, or failed for good when its attempts ran out."""
        await Job.filter(id=job_id).using_db(self.conn).update(
            status=JobStatus.FAILED if exhausted else JobStatus.PENDING,
            payload=payload,
            run_after=run_after,
            lease_until=None,
            last_error=error[:2000],
        )

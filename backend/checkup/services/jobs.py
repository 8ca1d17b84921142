"""The durable job table (transactional outbox: a use case writes ``uow.jobs.enqueue(...)`` inside its unit of
work), and finance re-queuing a job whose retries ran out."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from checkup.domain.clock import iso
from checkup.domain.errors import JobNotRetryable, NotFound
from checkup.services.audit import AuditEntry, audited_change

if TYPE_CHECKING:
    from checkup.db.models import Job
    from checkup.db.uow import UnitOfWork
    from checkup.services.deps import Deps


class Retry(Exception):
    """Run the job again later (with backoff); ``payload`` replaces the job's payload when given."""

    def __init__(self, reason: str, *, payload: dict | None = None, delay: float | None = None) -> None:
        super().__init__(reason)
        self.payload = payload
        self.delay = delay


# Why a job that is not failed cannot be re-queued, in the words staff read.
NOT_RETRYABLE = {
    "pending": "该任务正在等待执行，无需重新执行",
    "running": "该任务正在执行中，请稍后刷新查看结果",
    "done": "该任务已完成，不能重新执行",
}


def job_json(job: Job) -> dict[str, Any]:
    return {
        "id": job.id, "kind": job.kind, "payload": job.payload, "status": job.status, "attempts": job.attempts,
        "max_attempts": job.max_attempts, "last_error": job.last_error, "run_after": iso(job.run_after),
        "created_at": iso(job.created_at), "updated_at": iso(job.updated_at),
    }


async def retry_failed_job(deps: Deps, *, job_id: int, now: datetime, entry: AuditEntry) -> dict[str, Any]:
    """Re-queue a failed job (retries exhausted) to run now with a fresh set of attempts; audited.

    Running a job again is safe because every job is idempotent: the HIS write-back carries our
    trade number (HIS applies it once and an unknown outcome is resolved by querying the trade),
    a refund carries its refund number at HIS and WeChat, and a message is sent at most once per
    dedupe key. The change is a guarded UPDATE (``WHERE id = ? AND status = 'failed'``): when two
    people press the button at once, one re-queues it and the other is told it is no longer failed.
    """
    entry.change(target=f"job:{job_id}")

    async def change(uow: UnitOfWork) -> None:
        job = await uow.jobs.get(job_id)
        if job is None:
            raise NotFound("任务不存在")
        entry.change(kind=job.kind, payload=job.payload,
                      before={"status": job.status, "attempts": job.attempts, "last_error": job.last_error})
        changed = await uow.jobs.requeue_failed(job_id, now=now)
        if changed == 0:
            current = await uow.jobs.get(job_id)
            status = current.status if current else job.status
            if status not in NOT_RETRYABLE:  # re-queued by someone else a moment ago (this snapshot is older)
                raise JobNotRetryable("该任务刚被其他人重新执行，请刷新后查看")
            raise JobNotRetryable(NOT_RETRYABLE[status], status=status)
        # last_error stays on the row (and in the audit) until the next run replaces or clears it
        entry.change(after={"status": "pending", "attempts": 0, "last_error": job.last_error})

    await audited_change(entry, change, uow=deps.uow)
    async with deps.uow(write=False) as reads:
        job = await reads.jobs.get(job_id)
    if job is None:  # pragma: no cover - the row was there a moment ago and jobs are never deleted
        raise NotFound("任务不存在")
    return job_json(job)

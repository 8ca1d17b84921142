"""The job runner: claim due jobs with a lease, run them, retry with backoff; plus periodic sweeps."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from checkup.domain.clock import SHANGHAI
from checkup.domain.money import JOB_MOVES, JobStatus, check_move
from checkup.services import his_sync, quota_template
from checkup.services.audit_anchor import anchor_daily
from checkup.services.deps import Deps
from checkup.services.messages import enqueue_reminders
from checkup.services.ops_report import rollup_yesterday
from checkup.services.payments import close_at_wechat, query_and_apply
from checkup.services.reconciliation import reconcile
from checkup.services.refunds import poll_wechat_refund
from checkup.worker.handlers import HANDLERS, Retry

if TYPE_CHECKING:
    from checkup.db.models import Job

log = logging.getLogger("checkup.worker")

BACKOFF_SECONDS = (1, 2, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600)


def backoff(attempts: int) -> float:
    return BACKOFF_SECONDS[min(attempts, len(BACKOFF_SECONDS)) - 1] if attempts > 0 else 0


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class Worker:
    """Claims one due job at a time under a short lease that a heartbeat renews while the job runs: a
    killed worker holds at most the job it was running, and only until the lease ends (seconds).
    ``concurrency`` jobs run at a time (each claimed on its own)."""

    def __init__(self, deps: Deps, *, lease_seconds: int = 10, batch: int = 20, poll_seconds: float = 1.0,
                 concurrency: int = 1) -> None:
        self.deps = deps
        self.concurrency = max(1, concurrency)
        self.lease_seconds = lease_seconds
        self.batch = batch
        self.poll_seconds = poll_seconds
        self._his_swept_at: float | None = None

    async def claim(self, limit: int = 1, *, due_by: datetime | None = None) -> list[Job]:
        """Take due jobs (pending, or running with an expired lease) under a lease; ``due_by``: only jobs
        due by then (a round does not chase the jobs its own jobs queue)."""
        now = self.deps.now()
        async with self.deps.uow() as uow:
            jobs = await uow.jobs.lock_due(limit=limit, due_by=due_by or now, now=now)
            for job in jobs:
                check_move(JOB_MOVES, job.status, JobStatus.RUNNING)
                job.status = JobStatus.RUNNING
                job.attempts += 1
                job.lease_until = now + timedelta(seconds=self.lease_seconds)
                job.run_after = job.lease_until  # a crashed run comes back when the lease ends
                await uow.jobs.save_claim(job)
        return jobs

    async def _heartbeat(self, job: Job) -> None:
        """Renew the lease of a running job every third of the lease, so a slow call keeps its job."""
        every = max(self.lease_seconds / 3, 0.2)
        while True:
            await asyncio.sleep(every)
            until = self.deps.now() + timedelta(seconds=self.lease_seconds)
            try:
                await self.deps.uow(write=False).jobs.renew_lease(job.id, attempts=job.attempts, until=until)
            except Exception as exc:  # noqa: BLE001 - a missed beat only lets another worker take it over
                log.info("lease renewal of job %s failed: %s", job.id, exc)

    async def run_job(self, job: Job) -> None:
        handler = HANDLERS.get(job.kind)
        now = self.deps.now
        beat = asyncio.create_task(self._heartbeat(job))
        try:
            if handler is None:
                raise RuntimeError(f"no handler for job kind {job.kind}")
            await handler(self.deps, dict(job.payload))
        except Exception as exc:
            await _stop(beat)
            payload = exc.payload if isinstance(exc, Retry) and exc.payload is not None else job.payload
            delay = exc.delay if isinstance(exc, Retry) and exc.delay is not None else backoff(job.attempts)
            exhausted = job.attempts >= job.max_attempts
            if not isinstance(exc, Retry):
                log.exception("job %s %s failed (attempt %d)", job.id, job.kind, job.attempts)
            else:
                log.info("job %s %s retry: %s", job.id, job.kind, exc)
            await self.deps.uow(write=False).jobs.reschedule(
                job.id, exhausted=exhausted, payload=payload, run_after=now() + timedelta(seconds=delay),
                error=f"{exc.__class__.__name__}: {exc}")
            return
        finally:
            await _stop(beat)
        await self.deps.uow(write=False).jobs.finish(job.id)

    async def run_once(self) -> int:
        """Claim and run up to ``batch`` jobs, one claim per job and ``concurrency`` at a time; answers how
        many jobs ran."""
        ran = 0
        started = self.deps.now()  # a round runs the jobs due when it starts, not those its jobs queue

        async def lane() -> None:
            nonlocal ran
            while ran < self.batch:
                jobs = await self.claim(due_by=started)
                if not jobs:
                    return
                ran += len(jobs)
                for job in jobs:
                    await self.run_job(job)  # run_job records every failure itself

        await asyncio.gather(*(lane() for _ in range(self.concurrency)))
        return ran

    async def sweep(self) -> None:
        """Close expired unpaid orders, query orders whose notification never came, finish refunds."""
        now = self.deps.now()
        reads = self.deps.uow(write=False)
        expired = await reads.payments.pending_expired(before=now - timedelta(seconds=30), limit=50)
        for payment in expired:
            await close_at_wechat(self.deps, payment)
        quiet = await reads.payments.pending_quiet(created_before=now - timedelta(seconds=60),
                                                   expires_from=now - timedelta(seconds=30), limit=50)
        for payment in quiet:
            if payment.last_queried_at is None or payment.last_queried_at < now - timedelta(seconds=60):
                await query_and_apply(self.deps, payment)
        waiting = await reads.refunds.wechat_pending(updated_before=now - timedelta(seconds=30), limit=50)
        for refund in waiting:
            await poll_wechat_refund(self.deps, refund)

    async def daily_reconciliation(self) -> None:
        """Reconcile yesterday once WeChat's bill is available (after 10:00 the next day)."""
        local = self.deps.now().astimezone(SHANGHAI)
        if local.time() < time(10, 30):
            return
        yesterday = local.date() - timedelta(days=1)
        if await self.deps.uow(write=False).payments.reconciled(yesterday):
            return
        try:
            result = await reconcile(self.deps, day=yesterday)
            log.info("reconciliation of %s: %s", yesterday, result["summary"])
        except Exception as exc:  # noqa: BLE001 - tried again at the next sweep
            log.warning("reconciliation of %s failed: %s", yesterday, exc)

    async def daily_audit_anchor(self) -> None:
        """The audit chain's head, written outside the database once a day (services/audit_anchor.py)."""
        if self.deps.audit_anchor_path is None:
            return
        try:
            await anchor_daily(self.deps.audit_anchor_path, self.deps.now())
        except Exception as exc:  # noqa: BLE001 - tried again at the next sweep
            log.warning("audit anchor failed: %s", exc)

    async def daily_rollup(self) -> None:
        """Yesterday's figures of the monthly 运行报告 into ops_daily, once (services/ops_report.py)."""
        try:
            day = await rollup_yesterday(self.deps.now())
            if day:
                log.info("operation figures of %s rolled up", day)
        except Exception as exc:  # noqa: BLE001 - tried again at the next sweep
            log.warning("operation figures rollup failed: %s", exc)

    async def daily_reminders(self) -> None:
        """After the reminder time (18:00 Asia/Shanghai by default) remind everyone booked for tomorrow;
        dedupe keys make it once per booking whatever the number of workers and rounds."""
        try:
            await enqueue_reminders(self.deps, now=self.deps.now())
        except Exception as exc:  # noqa: BLE001 - tried again at the next sweep
            log.warning("checkup reminders failed: %s", exc)

    async def his_sweep(self, *, monotonic: float) -> None:
        """Every CHECKUP_HIS_SWEEP_SECONDS, ask HIS about paid bills with future bookings."""
        if not his_sync.sweep_due(self._his_swept_at, monotonic, self.deps.his_sweep_seconds):
            return
        self._his_swept_at = monotonic
        try:
            changed = await his_sync.sweep(self.deps)
            if changed:
                log.info("HIS sweep: %d bills changed at the window, their bookings cancelled", changed)
        except Exception as exc:  # noqa: BLE001 - tried again at the next interval
            log.warning("HIS sweep failed: %s", exc)

    async def roll_quotas(self) -> None:
        """Keep quotas generated open_days_ahead days ahead from the weekly template."""
        try:
            await quota_template.roll(now=self.deps.now())
        except Exception as exc:  # noqa: BLE001 - tried again at the next sweep
            log.warning("rolling the weekly quota template failed: %s", exc)

    async def run_forever(self, stop: asyncio.Event, *, sweep_every: float = 15.0) -> None:
        log.info("worker started")
        last_sweep = 0.0
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            try:
                ran = await self.run_once()
                if loop.time() - last_sweep >= sweep_every:
                    last_sweep = loop.time()
                    await self.sweep()
                    await self.daily_reconciliation()
                    await self.daily_reminders()
                    await self.daily_audit_anchor()
                    await self.daily_rollup()
                    await self.roll_quotas()
                    await self.his_sweep(monotonic=loop.time())
            except Exception:
                log.exception("worker round failed")
                ran = 0
            if not ran:
                try:
                    await asyncio.wait_for(stop.wait(), timeout=self.poll_seconds)
                except TimeoutError:
                    pass
        log.info("worker stopped")

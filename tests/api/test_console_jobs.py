"""Finance re-queues a failed job (retries exhausted) from the console: POST /api/console/jobs/{id}/retry."""

from __future__ import annotations

import asyncio

from checkup.db.models import AuditLog, Job, Payment
from checkup.db.uow import unit_of_work
from checkup.domain.clock import utcnow
from checkup.worker.runner import Worker
from support.payments import jobs, open_order, pay_in_wechat, start_payment
from support.people import new_person
from support.staff import staffer


async def exhausted_writeback(http, sandbox, app, code: str) -> tuple[Job, str]:
    """A paid order whose HIS write-back ran out of attempts: HIS kept answering "unknown"."""
    me = await new_person(http, code)
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "unknown", "times": 1})
    await sandbox.control("his-faults", {"operation": "query_trade", "outcome": "unknown", "times": 1})
    await pay_in_wechat(sandbox, payment["payment_no"])
    job = (await jobs("his_writeback"))[0]
    await Job.filter(id=job.id).update(max_attempts=2)  # exhaust it in two runs, not twelve
    worker = Worker(app.ctx.deps)
    for _ in range(2):
        await Job.filter(id=job.id).update(run_after=utcnow())  # skip the backoff wait
        assert await worker.run_once() == 1
    await job.refresh_from_db()
    assert job.status == "failed" and job.attempts == 2 and "UNKNOWN" in job.last_error, job.last_error
    assert await worker.run_once() == 0  # nobody runs a failed job again on their own
    return job, payment["payment_no"]


async def a_job(status: str, *, last_error: str = "") -> Job:
    async with unit_of_work() as uow:
        job_id = await uow.jobs.enqueue(kind="send_message", payload={"booking_id": 1}, now=utcnow())
    await Job.filter(id=job_id).update(status=status, attempts=3, last_error=last_error)
    return await Job.get(id=job_id)


async def test_a_failed_writeback_is_requeued_and_then_settles(http, sandbox, app):
    job, payment_no = await exhausted_writeback(http, sandbox, app, "job-retry")
    finance = await staffer(http, app, "caiwu-jobs", ["finance"])
    listed = (await finance.get("/api/console/jobs", params={"status": "failed"})).json()
    assert [j["id"] for j in listed["items"]] == [job.id]
    assert listed["items"][0]["created_at"] and listed["items"][0]["max_attempts"] == 2

    r = await finance.post(f"/api/console/jobs/{job.id}/retry")
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["id"], body["status"], body["attempts"]) == (job.id, "pending", 0)
    assert body["last_error"] == job.last_error  # kept until the next run replaces or clears it
    stored = await Job.get(id=job.id)
    assert stored.lease_until is None and stored.run_after <= utcnow()

    assert await Worker(app.ctx.deps).run_once() == 1
    stored = await Job.get(id=job.id)
    assert (stored.status, stored.attempts, stored.last_error) == ("done", 1, "")
    assert (await Payment.get(payment_no=payment_no)).his_status == "settled"
    trade = await sandbox.control(f"GET his/trades/{payment_no}")
    assert trade["applied"] == 1

    row = await AuditLog.filter(action="job.retry").order_by("-id").first()
    assert (row.actor, row.outcome, row.target) == ("caiwu-jobs", "success", f"job:{job.id}")
    assert row.detail["before"] == {"status": "failed", "attempts": 2, "last_error": job.last_error}
    assert row.detail["after"] == {"status": "pending", "attempts": 0, "last_error": job.last_error}
    assert row.detail["kind"] == "his_writeback" and row.detail["payload"]["payment_no"] == payment_no


async def test_only_a_failed_job_can_be_retried_and_a_refusal_changes_nothing(http, app):
    admin = await staffer(http, app, "admin-jobs", ["admin"])
    for status, words in (("done", "已完成"), ("pending", "等待执行"), ("running", "执行中")):
        job = await a_job(status)
        r = await admin.post(f"/api/console/jobs/{job.id}/retry")
        assert r.status_code == 409, r.text
        error = r.json()["error"]
        assert error["code"] == "JOB_NOT_RETRYABLE" and words in error["message"], error
        assert error["details"] == {"status": status}
        after = await Job.get(id=job.id)
        assert (after.status, after.attempts, after.run_after, after.updated_at) == (
            job.status, job.attempts, job.run_after, job.updated_at)
    assert await AuditLog.filter(action="job.retry", outcome="failure").count() == 3
    assert await AuditLog.filter(action="job.retry", outcome="success").count() == 0


async def test_unknown_job_is_404(http, app):
    admin = await staffer(http, app, "admin-jobs-404", ["admin"])
    r = await admin.post("/api/console/jobs/987654/retry")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "NOT_FOUND" and r.json()["error"]["message"] == "任务不存在"


async def test_only_finance_and_admin_may_retry(http, app):
    job = await a_job("failed", last_error="RuntimeError: boom")
    for role in ("staff", "auditor"):
        other = await staffer(http, app, f"jobs-{role}", [role])
        r = await other.post(f"/api/console/jobs/{job.id}/retry")
        assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
        assert (await other.get("/api/console/jobs")).status_code == 403
    assert (await Job.get(id=job.id)).status == "failed"
    anonymous = await http.post(f"/api/console/jobs/{job.id}/retry")
    assert anonymous.status_code == 401
    finance = await staffer(http, app, "jobs-finance", ["finance"])
    assert (await finance.post(f"/api/console/jobs/{job.id}/retry")).status_code == 200


async def test_two_people_retrying_at_once_requeue_it_once(http, app):
    job = await a_job("failed", last_error="RuntimeError: boom")
    first = await staffer(http, app, "caiwu-a", ["finance"])
    second = await staffer(http, app, "caiwu-b", ["admin"])
    answers = await asyncio.gather(*[
        who.post(f"/api/console/jobs/{job.id}/retry") for who in (first, second, first, second)
    ])
    codes = sorted(r.status_code for r in answers)
    assert codes == [200, 409, 409, 409], [r.text for r in answers]
    for r in answers:
        if r.status_code == 409:
            assert r.json()["error"]["code"] == "JOB_NOT_RETRYABLE"
    stored = await Job.get(id=job.id)
    assert (stored.status, stored.attempts) == ("pending", 0)
    assert await AuditLog.filter(action="job.retry", outcome="success").count() == 1
    assert await AuditLog.filter(action="job.retry", outcome="failure").count() == 3

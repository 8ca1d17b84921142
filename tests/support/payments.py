"""Paying through the real API, the WeChat Pay sandbox and the worker."""

from __future__ import annotations

from checkup.db.models import Job
from checkup.worker.runner import Worker
from support.people import Person
from support.sandbox import RunningSandbox


async def drain(app, *, rounds: int = 20) -> int:
    """Run the durable jobs that are due until none is left; answers how many ran."""
    worker = Worker(app.ctx.deps)
    total = 0
    for _ in range(rounds):
        ran = await worker.run_once()
        total += ran
        if not ran:
            break
    return total


async def open_order(person: Person, package: str = "RZ001") -> dict:
    r = await person.post("/api/me/orders", {"patient_id": person.patient_id, "package_code": package})
    assert r.status_code == 201, r.text
    return r.json()["charge"]


async def start_payment(person: Person, bill_nos: list[str]) -> dict:
    r = await person.post("/api/me/payments", {"patient_id": person.patient_id, "bill_nos": bill_nos})
    assert r.status_code == 201, r.text
    return r.json()


async def pay_in_wechat(sandbox: RunningSandbox, payment_no: str, **extra) -> dict:
    """The patient completes payment; waits until WeChat's first notification delivery."""
    return await sandbox.control("pay", {"payment_no": payment_no, "wait": True, **extra})


async def jobs(kind: str | None = None) -> list[Job]:
    query = Job.all() if kind is None else Job.filter(kind=kind)
    return await query.order_by("id")


async def drain_due_later(app, *, rounds: int = 40) -> int:
    """Like drain(), but every round first makes the jobs waiting on a backoff due now (time travel for
    retries a minute or more apart); answers how many ran."""
    from checkup.domain.clock import utcnow

    worker = Worker(app.ctx.deps)
    total = 0
    for _ in range(rounds):
        await Job.filter(status="pending").update(run_after=utcnow())
        ran = await worker.run_once()
        total += ran
        if not ran:
            break
    return total


async def settle_refund(app, refund_no: str, *, rounds: int = 60):
    """Run refund jobs (and the sweep's refund queries) until the refund stops moving; answers it."""
    import asyncio

    from checkup.db.models import Refund

    refund = await Refund.get(refund_no=refund_no)
    for _ in range(rounds):
        await drain_due_later(app)
        await refund.refresh_from_db()
        if refund.status not in ("pending", "his_done", "wechat_pending"):  # not moving any more
            return refund
        await asyncio.sleep(0.05)
    return refund

"""A real `checkup worker` process killed with SIGKILL in the middle of a HIS write-back: the next
worker finishes the job after the lease runs out, and HIS has the payment exactly once."""

from __future__ import annotations

import asyncio
import signal

import pytest

from checkup.db.models import Job, Payment
from support.payments import open_order, pay_in_wechat, start_payment
from support.people import new_person
from support.workers import start_worker, worker_env

pytestmark = pytest.mark.parametrize("db_url", ["mariadb"], indirect=True)


async def wait_for(predicate, *, within: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not await predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.1)


async def test_sigkill_during_write_back_then_restart(http, sandbox, app, db_url):
    me = await new_person(http, "sigkill")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    # HIS takes the write-back but answers slowly: the worker is killed while waiting for it
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "unknown", "times": 1,
                                         "applied": True, "delay_seconds": 3})
    await pay_in_wechat(sandbox, payment["payment_no"])
    env = worker_env(app, db_url)
    first = await start_worker(env)
    try:
        async def claimed() -> bool:
            return await Job.filter(kind="his_writeback", status="running").exists()

        await wait_for(claimed)
        await asyncio.sleep(0.5)  # inside the HIS call now
        first.send_signal(signal.SIGKILL)
        assert await first.wait() == -signal.SIGKILL
    finally:
        if first.returncode is None:
            first.kill()
    assert (await Payment.get(payment_no=payment["payment_no"])).his_status == "pending"
    second = await start_worker(env)
    try:
        async def settled() -> bool:
            return (await Payment.get(payment_no=payment["payment_no"])).his_status == "settled"

        await wait_for(settled, within=30)
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), timeout=15)
    trade = await sandbox.control(f"GET his/trades/{payment['payment_no']}")
    assert trade["applied"] == 1
    job = await Job.get(kind="his_writeback")
    assert job.status == "done" and job.attempts >= 2


async def test_a_killed_workers_jobs_are_taken_over_within_seconds(http, sandbox, app, db_url):
    """Several write-backs are due; the worker (product defaults) is killed inside the first, slow one: the
    others are not stuck behind its lease, and the slow one is retaken within seconds (issue 12, item 7)."""
    payments = []
    for k in range(3):
        me = await new_person(http, f"sigkill-batch-{k}")
        charge = await open_order(me)
        payments.append(await start_payment(me, [charge["bill_no"]]))
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "unknown", "times": 1,
                                         "applied": True, "delay_seconds": 4})
    for payment in payments:
        await pay_in_wechat(sandbox, payment["payment_no"])
    env = worker_env(app, db_url)
    env.pop("CHECKUP_WORKER_LEASE_SECONDS")  # the product's default lease
    first = await start_worker(env)
    try:
        async def claimed() -> bool:
            return await Job.filter(kind="his_writeback", status="running").exists()

        await wait_for(claimed, within=90)  # a worker process starts slowly on a busy machine
        await asyncio.sleep(0.5)
        first.send_signal(signal.SIGKILL)
        await first.wait()
    finally:
        if first.returncode is None:
            first.kill()
    # the next worker (in this process, so that no start-up time counts) finds them within seconds
    from checkup.worker.runner import Worker

    loop = asyncio.get_running_loop()
    killed_at = loop.time()
    worker = Worker(app.ctx.deps)  # the product's default lease, too

    async def all_settled() -> bool:
        await worker.run_once()
        return await Payment.filter(payment_no__in=[p["payment_no"] for p in payments],
                                    his_status="settled").count() == len(payments)

    await wait_for(all_settled, within=20)
    assert loop.time() - killed_at < 20
    for payment in payments:
        assert (await sandbox.control(f"GET his/trades/{payment['payment_no']}"))["applied"] == 1


async def test_a_slow_job_keeps_its_lease_while_it_runs(http, sandbox, app, db_url):
    """A HIS call slower than the lease: the running worker's heartbeat keeps the job, so a second worker
    does not run it at the same time."""
    me = await new_person(http, "slow-lease")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "unknown", "times": 1,
                                         "applied": True, "delay_seconds": 5})
    await pay_in_wechat(sandbox, payment["payment_no"])
    env = worker_env(app, db_url, lease_seconds=2)
    first = await start_worker(env)
    second = None
    try:
        async def claimed() -> bool:
            return await Job.filter(kind="his_writeback", status="running").exists()

        await wait_for(claimed, within=90)  # a worker process starts slowly on a busy machine
        second = await start_worker(env)
        await asyncio.sleep(4)  # well past the 2-second lease, still inside the 5-second HIS call
        job = await Job.get(kind="his_writeback")
        assert job.attempts == 1, job.attempts
    finally:
        for proc in (first, second):
            if proc is not None and proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in (first, second):
            if proc is not None:
                await asyncio.wait_for(proc.wait(), timeout=15)

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

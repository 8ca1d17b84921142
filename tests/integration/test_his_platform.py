"""The sandbox HIS as a hospital's interface platform (latency, a concurrency cap that refuses with 503),
the `bill` lookup over the wire, and the guard keeping the product under that cap."""

from __future__ import annotations

import asyncio
import time

import pytest

from checkup.integrations.guard import Guard, GuardPolicy
from checkup.integrations.his.guard import GuardedHisClient
from checkup.integrations.his.http import HttpHisClient
from checkup.integrations.result import Outcome
from support.sandbox import RunningSandbox, make_id_number, running_sandbox

ID = make_id_number("19850612", "171")


@pytest.fixture
async def sandbox():
    async with running_sandbox() as sb:
        yield sb


@pytest.fixture
async def his(sandbox: RunningSandbox):
    client = HttpHisClient(sandbox.his_url, sandbox.config.his_app_id, sandbox.config.his_secret, 10.0)
    yield client
    await client.aclose()


async def onsite(sandbox: RunningSandbox, *, paid: bool = False) -> dict:
    return await sandbox.control("onsite-orders", {"name": "王建国", "id_number": ID, "phone": "13812345678",
                                                   "package_code": "RZ001", "paid": paid})


async def test_bill_finds_one_bill_by_number_or_answers_none(sandbox, his):
    order = await onsite(sandbox, paid=True)
    found = await his.bill(bill_no=order["bill_no"])
    assert found.ok and found.value is not None
    assert (found.value.bill_no, found.value.status, found.value.amount_fen) == (
        order["bill_no"], "paid", order["amount_fen"])
    missing = await his.bill(bill_no="SF-NO-SUCH-BILL")
    assert missing.ok and missing.value is None


async def test_the_platform_takes_its_time_and_refuses_calls_above_its_cap(sandbox, his):
    order = await onsite(sandbox)
    await sandbox.control("platform", {"system": "his", "latency_ms": 400, "max_concurrent": 2})
    started = time.monotonic()
    results = await asyncio.gather(*(his.bill(bill_no=order["bill_no"]) for _ in range(5)))
    took = time.monotonic() - started
    seen = (await sandbox.control("GET platform"))["his"]
    assert sorted(r.outcome for r in results) == [Outcome.SUCCESS] * 2 + [Outcome.UNKNOWN] * 3
    assert {r.code for r in results if not r.ok} == {"HTTP_503"}
    assert seen["refused"] == 3 and seen["calls"] == {"bill": 2} and seen["peak_in_flight"] == 2
    assert took >= 0.4
    other = (await sandbox.control("GET platform"))["peis"]
    assert other["total_calls"] == 0 and other["max_concurrent"] == 0


async def test_the_guard_keeps_the_product_under_the_platforms_cap(sandbox, his):
    order = await onsite(sandbox)
    await sandbox.control("platform", {"system": "his", "latency_ms": 150, "max_concurrent": 3})
    guarded = GuardedHisClient(his, Guard("HIS", GuardPolicy(max_concurrent=3, wait_seconds=30)))
    results = await asyncio.gather(*(guarded.pending_charges(his_patient_id=order["his_patient_id"] + suffix)
                                     for suffix in ("", "-x", "-y", "-z", "-v", "-w") * 2))
    seen = (await sandbox.control("GET platform"))["his"]
    assert seen["refused"] == 0 and seen["peak_in_flight"] <= 3
    assert seen["calls"] == {"pending_charges": 6}  # the six distinct reads; the repeats joined them
    assert results[0].ok and [c.bill_no for c in results[0].value] == [order["bill_no"]]


async def test_platform_settings_are_validated(sandbox):
    for bad in ({"system": "lis", "latency_ms": 1}, {"system": "his", "latency_ms": -1},
                {"system": "his", "max_concurrent": "many"}, {"system": "his", "extra": 1}):
        r = await sandbox.http.post("/sandbox/control/platform", json=bad)
        assert r.status_code == 400, (bad, r.text)
        assert r.json()["error"]["code"] == "INVALID_REQUEST"

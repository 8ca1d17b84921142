"""HIS protected under load, through the real app and the sandbox HIS (issue 17): a slow HIS slows
neither the calendar nor booking a paid charge; a HIS that stopped answering makes the app fail fast
(503, Retry-After, a Chinese message) without calling it; remembered bill lists never decide a payment;
one lookup of an unseen bill is one HIS call; every route that reaches HIS is rate-limited."""

from __future__ import annotations

import asyncio
import secrets
from contextlib import asynccontextmanager

import httpx
import pytest

from checkup.api.routing import ROUTES
from checkup.app import create_app
from conftest import app_settings
from support.people import (
    add_verified,
    day,
    new_person,
    next_id_number,
    next_phone,
    paid_at_window,
    set_quota,
)
from support.server import serve


@asynccontextmanager
async def own_app(sandbox, **overrides):
    """A served app of its own (its own guard, circuit and memory) on the test database."""
    app = create_app(app_settings(sandbox, **overrides), name=f"checkup_his_{secrets.token_hex(3)}",
                     manage_db=False, sync_packages_on_start=False, run_worker=False)
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        yield app, client


@asynccontextmanager
async def slow_his(sandbox, *, latency_ms: int, max_concurrent: int = 0):
    await sandbox.control("platform", {"system": "his", "latency_ms": latency_ms, "max_concurrent": max_concurrent,
                                       "reset_counts": True})
    try:
        yield
    finally:
        await sandbox.control("platform", {"system": "his", "latency_ms": 0, "max_concurrent": 0})


async def his_calls(sandbox) -> int:
    return (await sandbox.control("GET platform"))["his"]["total_calls"]


async def paid_person(http, sandbox, code: str):
    id_number = next_id_number()
    person = await new_person(http, code, id_number=id_number)
    bill_no = await paid_at_window(sandbox, person, id_number)
    return person, bill_no


async def test_a_slow_his_slows_neither_the_calendar_nor_booking_a_paid_charge(http, sandbox, app):
    person, bill_no = await paid_person(http, sandbox, "his-slow-1")
    listed = await person.get("/api/me/charges", params={"patient_id": person.patient_id, "status": "paid"})
    assert [c["bill_no"] for c in listed.json()["items"]] == [bill_no]
    await set_quota(day(3), 10)
    # As many waiting bill lists as the bulkhead holds: every HIS slot of the app is taken.
    others = [await new_person(http, f"his-slow-other-{i}") for i in range(app.ctx.settings.his_max_concurrent)]
    async with slow_his(sandbox, latency_ms=2500):
        lists = [asyncio.create_task(o.get("/api/me/charges", params={"patient_id": o.patient_id,
                                                                       "status": "unpaid"}))
                 for o in others]
        for _ in range(1000):  # until the lists are all waiting on HIS
            if app.ctx.deps.his.guard.in_flight == len(others):
                break
            await asyncio.sleep(0.02)
        else:
            pytest.fail("the bill lists never all reached HIS")
        calendar = await http.get("/api/calendar")
        booked = await person.post("/api/me/bookings", {"bill_no": bill_no, "date": day(3).isoformat()})
        still_waiting = sum(not t.done() for t in lists)
        answers = await asyncio.gather(*lists)
    assert calendar.status_code == 200 and booked.status_code == 201, booked.text
    # Both were answered while every bill list was still waiting on the slow HIS.
    assert still_waiting == len(others)
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]


async def wait_until_his_is_idle(app) -> None:
    for _ in range(500):
        if app.ctx.deps.his.guard.in_flight == 0:
            return
        await asyncio.sleep(0.02)
    pytest.fail("the check of the bill never came back from HIS")


@pytest.mark.parametrize("refunded_at_window", [False, True])
async def test_a_slow_his_with_room_does_not_hold_up_a_booking(http, sandbox, app, refunded_at_window):
    """HIS has free slots but answers in 4 s: the booking is answered while its check of the bill is still
    waiting on HIS; the check then finishes, and a bill refunded at the window ends the booking it made."""
    person, bill_no = await paid_person(http, sandbox, f"his-room-{refunded_at_window}")
    listed = await person.get("/api/me/charges", params={"patient_id": person.patient_id, "status": "paid"})
    assert [c["bill_no"] for c in listed.json()["items"]] == [bill_no]  # held as paid here
    await set_quota(day(4), 10)
    if refunded_at_window:
        await sandbox.control("his/refund-at-window", {"bill_no": bill_no})
    assert app.ctx.deps.his_booking_check_seconds < 1
    async with slow_his(sandbox, latency_ms=4000):
        booked = await person.post("/api/me/bookings", {"bill_no": bill_no, "date": day(4).isoformat()})
        waiting_on_his = app.ctx.deps.his.guard.in_flight
        await wait_until_his_is_idle(app)
    assert booked.status_code == 201, booked.text
    assert waiting_on_his == 1  # answered before HIS was
    for _ in range(100):  # the check applies what HIS said once it answers
        mine = (await person.get("/api/me/bookings")).json()["items"]
        if not refunded_at_window or mine[0]["status"] == "cancelled":
            break
        await asyncio.sleep(0.05)
    [booking] = [b for b in mine if b["id"] == booked.json()["id"]]
    assert booking["status"] == ("cancelled" if refunded_at_window else "booked"), booking


async def test_concurrent_bill_lists_never_exceed_the_bulkhead(sandbox, seeded):
    async with own_app(sandbox, his_max_concurrent=3, his_wait_seconds=20) as (app, client):
        people = [await new_person(client, f"his-cap-{i}") for i in range(12)]
        async with slow_his(sandbox, latency_ms=200):
            answers = await asyncio.gather(*(p.get("/api/me/charges", params={"patient_id": p.patient_id,
                                                                               "status": "unpaid"})
                                             for p in people))
            seen = (await sandbox.control("GET platform"))["his"]
        assert [a.status_code for a in answers] == [200] * 12
        assert seen["total_calls"] == 12 and seen["peak_in_flight"] == 3
        assert app.ctx.deps.his.guard.peak_in_flight == 3


async def test_identical_concurrent_bill_lists_make_one_his_call(sandbox, seeded):
    async with own_app(sandbox) as (_app, client):
        person = await new_person(client, "his-single-flight")
        # HIS answers slowly enough that all eight requests are in flight together even on a busy machine
        # (at 300 ms, a CI run once saw the eighth request arrive after the first call had ended).
        async with slow_his(sandbox, latency_ms=1500):
            answers = await asyncio.gather(*(person.get("/api/me/charges", params={"patient_id": person.patient_id,
                                                                                    "status": "unpaid"})
                                             for _ in range(8)))
            calls = await his_calls(sandbox)
        assert [a.status_code for a in answers] == [200] * 8
        assert calls == 1


async def test_a_his_that_stopped_answering_is_not_called_until_the_circuit_half_opens(sandbox, seeded):
    async with own_app(sandbox, his_failure_threshold=2, his_open_seconds=1.5) as (app, client):
        person = await new_person(client, "his-circuit")
        query = {"patient_id": person.patient_id, "status": "unpaid"}
        await sandbox.control("his-faults", {"operation": "pending_charges", "outcome": "unknown", "times": 2})
        for _ in range(2):
            failed = await person.get("/api/me/charges", params=query)
            assert failed.status_code == 503 and failed.json()["error"]["code"] == "UPSTREAM_UNAVAILABLE"
        before = await his_calls(sandbox)
        fast = await person.get("/api/me/charges", params=query)
        assert fast.status_code == 503
        error = fast.json()["error"]
        assert error["code"] == "UPSTREAM_SUSPENDED" and "暂停调用" in error["message"]
        assert 1 <= int(fast.headers["Retry-After"]) <= 2
        assert await his_calls(sandbox) == before  # failed fast: HIS never saw it
        await asyncio.sleep(1.6)
        assert (await person.get("/api/me/charges", params=query)).status_code == 200  # the trial closes it
        assert app.ctx.deps.his.guard.state == "closed"


async def test_remembered_bills_are_shown_but_never_decide_a_payment(sandbox, seeded):
    async with own_app(sandbox, his_cache_seconds=30) as (_app, client):
        id_number = next_id_number()
        person = await new_person(client, "his-memory", id_number=id_number)
        order = await sandbox.control("onsite-orders", {"name": person.patient["name"], "id_number": id_number,
                                                        "phone": "13900001234", "package_code": "RZ001"})
        query = {"patient_id": person.patient_id, "status": "unpaid"}
        shown = await person.get("/api/me/charges", params=query)
        assert [c["bill_no"] for c in shown.json()["items"]] == [order["bill_no"]]
        await sandbox.control("his/pay-at-window", {"bill_no": order["bill_no"]})
        before = await his_calls(sandbox)
        again = await person.get("/api/me/charges", params=query)
        assert [c["bill_no"] for c in again.json()["items"]] == [order["bill_no"]]  # shown from memory
        assert await his_calls(sandbox) == before
        refused = await person.post("/api/me/payments", {"patient_id": person.patient_id,
                                                         "bill_nos": [order["bill_no"]]})
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "CHARGE_ALREADY_PAID"
        assert await his_calls(sandbox) > before  # the decision read HIS


async def test_booking_a_bill_paid_at_the_window_looks_it_up_once_whatever_the_number_of_patients(http, sandbox):
    id_number = next_id_number()
    person = await new_person(http, "his-lookup-once", id_number=id_number)
    for who in "甲乙丙丁":  # family members: 5 就诊人 in all
        await add_verified(http, person.headers, name=f"家人{who}", id_number=next_id_number(), phone=next_phone())
    bill_no = await paid_at_window(sandbox, person, id_number)
    await set_quota(day(4), 10)
    await sandbox.control("platform", {"system": "his", "reset_counts": True})
    booked = await person.post("/api/me/bookings", {"bill_no": bill_no, "date": day(4).isoformat()})
    assert booked.status_code == 201, booked.text
    assert await his_calls(sandbox) == 1


@pytest.mark.parametrize(("method", "path"), [("GET", "/api/me/charges"), ("POST", "/api/me/refunds"),
                                              ("POST", "/api/me/payments"), ("POST", "/api/me/orders"),
                                              ("POST", "/api/me/patients"), ("POST", "/api/me/bookings"),
                                              ("GET", "/api/console/reconciliation"),
                                              ("POST", "/api/console/packages/sync")])
def test_every_patient_route_that_reaches_his_is_rate_limited(method, path):
    limits = {(r.method, r.path): r.limit for r in ROUTES}
    assert limits[(method, path)], f"{method} {path} reaches HIS and has no rate limit"


async def test_the_worker_writes_back_several_payments_at_once_within_the_bulkhead(app, http, sandbox):
    from checkup.db.models import Charge
    from checkup.worker.runner import Worker
    from support.payments import open_order, pay_in_wechat, start_payment

    bills = []
    for i in range(4):
        person = await new_person(http, f"his-worker-{i}")
        charge = await open_order(person)
        payment = await start_payment(person, [charge["bill_no"]])
        await pay_in_wechat(sandbox, payment["payment_no"])
        bills.append(charge["bill_no"])
    async with slow_his(sandbox, latency_ms=400):
        ran = await Worker(app.ctx.deps, concurrency=4).run_once()
        seen = (await sandbox.control("GET platform"))["his"]
    assert ran >= 4
    assert seen["calls"].get("confirm_payment") == 4
    assert 2 <= seen["peak_in_flight"] <= app.ctx.settings.his_max_concurrent
    assert await Charge.filter(bill_no__in=bills, status="paid").count() == 4

"""A paid bill changed at the HIS window reaches its booking (issue 13): re-priced after payment (found by
the pre-checks and by the sweep), and the sandbox HIS pushing its window changes to our signed
POST /api/his/notify (found without the sweep or a pre-check)."""

from __future__ import annotations

import pytest

from checkup.db.models import Booking, Charge, DayQuota, Job
from checkup.domain.messages import KINDS, MessageConfig
from checkup.services import his_sync
from support.payments import drain, open_order, pay_in_wechat, start_payment
from support.people import day, new_person, next_id_number, paid_at_window, set_quota
from support.staff import staffer

REPRICED = his_sync.CAUSE_TEXT["repriced"]


@pytest.fixture
def messaging(app):
    """Every subscription message on (the patient is told through a queued message job)."""
    deps = app.ctx.deps
    saved = deps.messages
    deps.messages = MessageConfig(templates={kind: f"sandbox-tmpl-{kind}" for kind in KINDS},
                                  miniprogram_state="developer")
    yield deps.messages
    deps.messages = saved


@pytest.fixture
async def his_push(sandbox, base_url):
    """The sandbox HIS pushes its window changes to the served app; off again afterwards."""
    url = f"{base_url}/api/his/notify"
    answer = await sandbox.control("his/push", {"url": url})
    assert answer["url"] == url
    yield url
    assert (await sandbox.control("his/push", {"url": None}))["url"] is None


def code(r) -> str:
    return r.json()["error"]["code"]


async def booked_at_window(http, sandbox, tag: str, on):
    id_number = next_id_number()
    me = await new_person(http, tag, id_number=id_number)
    bill = await paid_at_window(sandbox, me, id_number)
    await set_quota(on, 5)
    r = await me.post("/api/me/bookings", {"bill_no": bill, "date": on.isoformat()})
    assert r.status_code == 201, r.text
    return me, bill, r.json()


async def cancel_messages(booking_id: int) -> list[Job]:
    return await Job.filter(kind="send_message", dedupe_key=f"msg:cancel:{booking_id}")


async def assert_ended_for(booking_id: int, text: str, on, clerk) -> None:
    """Cancelled by HIS with the reason, the place released, the patient told, staff see why."""
    booking = await Booking.get(id=booking_id)
    assert booking.status == "cancelled" and booking.active is None and booking.cancelled_by == "his"
    assert text in booking.cancel_reason
    assert (await DayQuota.get(day=on)).booked == 0
    assert len(await cancel_messages(booking_id)) == 1
    seen = await clerk.get("/api/console/bookings", params={"status": "cancelled", "from": on.isoformat(),
                                                            "to": on.isoformat()})
    assert seen.status_code == 200, seen.text
    [row] = [b for b in seen.json()["items"] if b["booking_id"] == booking_id]
    assert row["cancelled_by"] == "his" and text in row["cancel_reason"]


# ---- a paid bill re-priced at the window -------------------------------------------------------------
async def test_reprice_paid_control(http, sandbox):
    id_number = next_id_number()
    me = await new_person(http, "reprice-control", id_number=id_number)
    unpaid = await sandbox.control("onsite-orders", {"name": me.patient["name"], "id_number": id_number,
                                                     "phone": "13900001234", "package_code": "RZ001"})
    refused = await sandbox.control("his/reprice-paid", {"bill_no": unpaid["bill_no"], "amount_fen": 100}, expect=409)
    assert refused["error"]["code"] == "BILL_NOT_PAID"
    await sandbox.control("his/pay-at-window", {"bill_no": unpaid["bill_no"]})
    bill = await sandbox.control("his/reprice-paid", {"bill_no": unpaid["bill_no"],
                                                      "amount_fen": unpaid["amount_fen"] + 2000})
    assert bill["status"] == "paid" and bill["amount_fen"] == unpaid["amount_fen"] + 2000
    assert sum(line["amount_fen"] for line in bill["lines"]) == bill["amount_fen"]
    assert bill["lines"][-1]["item_name"] == "费用调整"
    assert (await sandbox.control("his/reprice-paid", {"bill_no": "SF-NOPE", "amount_fen": 1}, expect=404))[
        "error"]["code"] == "BILL_NOT_FOUND"
    await sandbox.control("his/reprice-paid", {"bill_no": unpaid["bill_no"], "amount_fen": 0}, expect=400)
    await sandbox.control("his/refund-at-window", {"bill_no": unpaid["bill_no"]})
    gone = await sandbox.control("his/reprice-paid", {"bill_no": unpaid["bill_no"], "amount_fen": 100}, expect=409)
    assert gone["error"]["code"] == "BILL_ALREADY_REFUNDED"


async def test_repriced_paid_bill_found_before_booking(http, sandbox, app, messaging):
    clerk = await staffer(http, app, "reprice-pre", ["staff"])
    me, bill, booked = await booked_at_window(http, sandbox, "reprice-pre-book", day(3))
    charge = await Charge.get(bill_no=bill)
    await sandbox.control("his/reprice-paid", {"bill_no": bill, "amount_fen": charge.amount_fen + 5000})
    r = await me.post("/api/me/bookings", {"bill_no": bill, "date": day(4).isoformat()})
    assert r.status_code == 409 and code(r) == "CHARGE_CHANGED_IN_HIS", r.text
    assert "金额" in r.json()["error"]["message"]
    assert (await Charge.get(bill_no=bill)).status == "cancelled"
    await assert_ended_for(booked["id"], REPRICED, day(3), clerk)
    assert await his_sync.sweep(app.ctx.deps) == 0  # already applied: nothing left to do


async def test_repriced_paid_bill_found_before_a_reschedule(http, sandbox, app, messaging):
    clerk = await staffer(http, app, "reprice-move", ["staff"])
    me, bill, booked = await booked_at_window(http, sandbox, "reprice-pre-move", day(3))
    await set_quota(day(5), 5)
    charge = await Charge.get(bill_no=bill)
    await sandbox.control("his/reprice-paid", {"bill_no": bill, "amount_fen": charge.amount_fen - 1000})
    r = await me.post(f"/api/me/bookings/{booked['id']}/reschedule", {"date": day(5).isoformat()})
    assert r.status_code == 409 and code(r) == "CHARGE_CHANGED_IN_HIS", r.text
    assert (await DayQuota.get(day=day(5))).booked == 0
    await assert_ended_for(booked["id"], REPRICED, day(3), clerk)


async def test_repriced_paid_bill_found_by_the_sweep(http, sandbox, app, messaging):
    clerk = await staffer(http, app, "reprice-sweep", ["staff"])
    me, bill, booked = await booked_at_window(http, sandbox, "reprice-sweep", day(6))
    assert await his_sync.sweep(app.ctx.deps) == 0
    charge = await Charge.get(bill_no=bill)
    await sandbox.control("his/reprice-paid", {"bill_no": bill, "amount_fen": charge.amount_fen + 100})
    assert await his_sync.sweep(app.ctx.deps) == 1
    assert await his_sync.sweep(app.ctx.deps) == 0
    assert (await Charge.get(bill_no=bill)).status == "cancelled"
    await assert_ended_for(booked["id"], REPRICED, day(6), clerk)
    mine = (await me.get("/api/me/bookings")).json()["items"][0]
    assert mine["status"] == "cancelled"


async def test_repriced_paid_bill_is_not_refunded_online(http, sandbox, app):
    me = await new_person(http, "reprice-refund")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"])
    await drain(app)
    bill = charge["bill_no"]
    assert (await Charge.get(bill_no=bill)).status == "paid"
    await sandbox.control("his/reprice-paid", {"bill_no": bill, "amount_fen": charge["amount_fen"] + 100})
    r = await me.post("/api/me/refunds", {"bill_no": bill})
    assert r.status_code == 409 and code(r) == "REFUND_NOT_ALLOWED", r.text
    assert "金额" in r.json()["error"]["message"]
    assert (await Charge.get(bill_no=bill)).status == "cancelled"


# ---- the sandbox HIS pushes window changes to us ----------------------------------------------------------
async def test_push_is_off_by_default(sandbox):
    assert (await sandbox.control("GET his/push"))["url"] is None


async def test_window_refund_pushed_cancels_the_booking_without_sweep_or_pre_check(http, sandbox, app, messaging,
                                                                                    his_push):
    clerk = await staffer(http, app, "push-clerk", ["staff"])
    _me, bill, booked = await booked_at_window(http, sandbox, "push-refund", day(3))
    await sandbox.control("his/refund-at-window", {"bill_no": bill})
    # no sweep and no pre-check ran: HIS's signed notification did it
    assert (await Charge.get(bill_no=bill)).status == "refunded"
    await assert_ended_for(booked["id"], his_sync.CAUSE_TEXT["refunded"], day(3), clerk)
    deliveries = (await sandbox.control("GET his/push"))["deliveries"]
    last = deliveries[-1]
    assert last["event"] == "bill_refunded" and last["bill_no"] == bill
    assert last["status"] == 200 and last["delivered"] is True and last["applied"] is True


async def test_window_reprice_and_cancel_are_pushed(http, sandbox, app, messaging, his_push):
    clerk = await staffer(http, app, "push-reprice", ["staff"])
    _me, bill, booked = await booked_at_window(http, sandbox, "push-reprice", day(4))
    charge = await Charge.get(bill_no=bill)
    await sandbox.control("his/reprice-paid", {"bill_no": bill, "amount_fen": charge.amount_fen + 300})
    await assert_ended_for(booked["id"], REPRICED, day(4), clerk)
    assert (await sandbox.control("GET his/push"))["deliveries"][-1]["event"] == "bill_repriced"
    # an unpaid bill cancelled at the window is pushed too; nothing of ours depended on it
    id_number = next_id_number()
    other = await new_person(http, "push-cancel", id_number=id_number)
    unpaid = await sandbox.control("onsite-orders", {"name": other.patient["name"], "id_number": id_number,
                                                     "phone": "13900001234", "package_code": "RZ001"})
    await sandbox.control("his/cancel-bill", {"bill_no": unpaid["bill_no"]})
    last = (await sandbox.control("GET his/push"))["deliveries"][-1]
    assert last["event"] == "bill_cancelled" and last["bill_no"] == unpaid["bill_no"]
    assert last["status"] == 200 and last["applied"] is False


async def test_push_to_an_unreachable_app_is_recorded_not_raised(http, sandbox):
    from support.server import free_port

    url = f"http://127.0.0.1:{free_port()}/api/his/notify"
    await sandbox.control("his/push", {"url": url})
    try:
        id_number = next_id_number()
        me = await new_person(http, "push-nowhere", id_number=id_number)
        bill = await paid_at_window(sandbox, me, id_number)
        refund = await sandbox.control("his/refund-at-window", {"bill_no": bill})
        assert refund["amount_fen"] > 0
        last = (await sandbox.control("GET his/push"))["deliveries"][-1]
        assert last["bill_no"] == bill and last["delivered"] is False and last["status"] is None
    finally:
        await sandbox.control("his/push", {"url": None})
    bad = await sandbox.control("his/push", {"url": "ftp://example"}, expect=400)
    assert bad["error"]["code"] == "INVALID_REQUEST"

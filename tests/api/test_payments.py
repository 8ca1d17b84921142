"""The money path through the real clients and the sandbox: pay, notify, write back, refund."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from checkup.db.models import Charge, Job, Payment, PaymentBill, Refund
from checkup.domain.clock import utcnow
from checkup.worker.runner import Worker
from support.payments import drain, jobs, open_order, pay_in_wechat, start_payment
from support.people import day, new_person, next_id_number, paid_at_window, set_quota


async def paid_flow1(http, sandbox, app, code: str):
    me = await new_person(http, code)
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    delivered = await pay_in_wechat(sandbox, payment["payment_no"])
    assert delivered["delivered"] is True, delivered
    return me, charge, payment


async def test_flow1_pay_write_back_then_book(http, sandbox, app):
    me = await new_person(http, "pay-flow1")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    assert payment["status"] == "pending" and payment["amount_fen"] == charge["amount_fen"]
    params = payment["pay_params"]
    assert params["package"].startswith("prepay_id=") and params["signType"] == "RSA" and params["paySign"]
    assert 6 <= len(payment["payment_no"]) <= 32
    delivered = await pay_in_wechat(sandbox, payment["payment_no"])
    assert delivered["delivered"] is True
    # money taken, not yet written back: the patient sees "paying", never "paid"
    seen = (await me.get(f"/api/me/payments/{payment['payment_no']}")).json()
    assert seen["status"] == "paying"
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "paying"
    assert [j.kind for j in await jobs()] == ["his_writeback"]
    assert await drain(app) == 1
    seen = (await me.get(f"/api/me/payments/{payment['payment_no']}")).json()
    assert seen["status"] == "paid" and seen["paid_at"] and seen["bill_nos"] == [charge["bill_no"]]
    trade = await sandbox.control(f"GET his/trades/{payment['payment_no']}")
    assert trade["applied"] == 1
    paid = (await me.get("/api/me/charges", params={"patient_id": me.patient_id, "status": "paid"})).json()
    assert [(c["bill_no"], c["status"]) for c in paid["items"]] == [(charge["bill_no"], "paid")]
    await set_quota(day(2), 5)
    booked = await me.post("/api/me/bookings", {"bill_no": charge["bill_no"], "date": day(2).isoformat()})
    assert booked.status_code == 201, booked.text


async def test_flow2_onsite_order_paid_online(http, sandbox, app):
    number = next_id_number()
    me = await new_person(http, "pay-flow2", id_number=number)
    order = await sandbox.control("onsite-orders", {"name": "王小明", "id_number": number, "phone": "13900001234",
                                                    "package_code": "ZLN001"})
    unpaid = (await me.get("/api/me/charges", params={"patient_id": me.patient_id, "status": "unpaid"})).json()
    assert [c["bill_no"] for c in unpaid["items"]] == [order["bill_no"]]
    assert unpaid["items"][0]["source"] == "onsite"
    payment = await start_payment(me, [order["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"])
    await drain(app)
    assert (await me.get(f"/api/me/payments/{payment['payment_no']}")).json()["status"] == "paid"
    await set_quota(day(3), 5)
    r = await me.post("/api/me/bookings", {"bill_no": order["bill_no"], "date": day(3).isoformat()})
    assert r.status_code == 201


async def test_five_concurrent_duplicate_notifications_apply_once(http, sandbox, app):
    _me, _charge, payment = await paid_flow1(http, sandbox, app, "dup-notify")
    answers = await asyncio.gather(*[
        sandbox.control("renotify", {"payment_no": payment["payment_no"], "wait": True}) for _ in range(5)
    ])
    assert all(a["delivered"] for a in answers), answers
    assert len(await jobs("his_writeback")) == 1
    await drain(app)
    await asyncio.gather(*[sandbox.control("renotify", {"payment_no": payment["payment_no"], "wait": True})
                           for _ in range(3)])  # late repeats after the write-back are harmless too
    await drain(app)
    assert (await sandbox.control(f"GET his/trades/{payment['payment_no']}"))["applied"] == 1
    assert (await Payment.get(payment_no=payment["payment_no"])).his_status == "settled"


async def test_forged_notifications_refused_and_change_nothing(http, sandbox, app):
    me = await new_person(http, "forged")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    for defect in ("signature", "altered", "stale", "wrong_serial", "signtest", "bad_ciphertext"):
        result = await sandbox.control("wechatpay/notify-forged", {"payment_no": payment["payment_no"],
                                                                   "defect": defect})
        assert result["status"] == 401, (defect, result)
    stored = await Payment.get(payment_no=payment["payment_no"])
    assert stored.status == "pending" and stored.transaction_id is None
    assert await Job.all().count() == 0
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "unpaid"
    raw = await http.post("/api/wechatpay/notify/payment", content=b'{"id":"x"}')
    assert raw.status_code == 401 and raw.json()["error"]["code"] == "SIGNATURE_INVALID"


async def test_notification_with_a_different_amount_is_held(http, sandbox, app):
    me = await new_person(http, "held")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"], amount_fen=1)
    stored = await Payment.get(payment_no=payment["payment_no"])
    assert stored.status == "held" and "不一致" in stored.held_reason
    assert await Job.all().count() == 0  # nothing written back to HIS
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "unpaid"
    seen = (await me.get(f"/api/me/payments/{payment['payment_no']}")).json()
    assert seen["status"] == "paying"  # the patient is not told "paid", nor told nothing happened


async def test_his_failed_leads_to_automatic_refund(http, sandbox, app):
    me = await new_person(http, "his-failed")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "failed", "times": 1})
    await pay_in_wechat(sandbox, payment["payment_no"])
    await drain(app)
    stored = await Payment.get(payment_no=payment["payment_no"])
    assert stored.his_status == "failed"
    refund = await Refund.get(payment_id=stored.id)
    assert refund.source == "his_failed" and refund.bill_key == "ALL" and refund.amount_fen == stored.amount_fen
    for _ in range(50):  # the refund notification arrives from the sandbox
        await refund.refresh_from_db()
        if refund.status == "succeeded":
            break
        await asyncio.sleep(0.05)
    assert refund.status == "succeeded"
    order = await sandbox.control(f"GET wechatpay/orders/{payment['payment_no']}")
    assert [r["status"] for r in order["refunds"]] == ["SUCCESS"]
    assert (await me.get(f"/api/me/payments/{payment['payment_no']}")).json()["status"] == "refunded"
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "unpaid"
    assert (await sandbox.control(f"GET his/trades/{payment['payment_no']}", expect=404)) is not None


async def test_his_unknown_then_success_ends_paid_once(http, sandbox, app):
    me = await new_person(http, "his-unknown")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "unknown", "times": 1,
                                         "applied": True})
    await pay_in_wechat(sandbox, payment["payment_no"])
    worker = Worker(app.ctx.deps)
    assert await worker.run_once() == 1
    job = (await jobs("his_writeback"))[0]
    assert job.status == "pending" and job.payload.get("query_first") is True
    assert (await Payment.get(payment_no=payment["payment_no"])).his_status == "pending"
    await Job.filter(id=job.id).update(run_after=utcnow())  # skip the backoff wait
    assert await worker.run_once() == 1
    stored = await Payment.get(payment_no=payment["payment_no"])
    assert stored.his_status == "settled" and stored.his_settle_no
    trade = await sandbox.control(f"GET his/trades/{payment['payment_no']}")
    assert trade["applied"] == 1 and trade["confirm_calls"] == 1  # resolved by the query, not a 2nd confirm
    assert await Refund.all().count() == 0


async def test_his_refusing_a_trade_it_has_settled_is_settled_not_refunded(http, sandbox, app):
    """An answer lost (timeout after HIS applied it), the note "query first" lost with it (the worker was
    killed), then HIS refuses the repeat ("already paid"): the trade is settled in HIS, so no refund."""
    me = await new_person(http, "his-refuses-settled")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "unknown", "times": 1,
                                         "applied": True})
    await pay_in_wechat(sandbox, payment["payment_no"])
    worker = Worker(app.ctx.deps)
    assert await worker.run_once() == 1
    job = (await jobs("his_writeback"))[0]
    await Job.filter(id=job.id).update(run_after=utcnow(), payload={"payment_no": payment["payment_no"]})
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "failed", "times": 1})
    assert await worker.run_once() == 1
    stored = await Payment.get(payment_no=payment["payment_no"])
    assert stored.his_status == "settled" and stored.his_settle_no
    assert await Refund.all().count() == 0
    trade = await sandbox.control(f"GET his/trades/{payment['payment_no']}")
    assert trade["applied"] == 1 and trade["refunds"] == []
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "paid"


async def test_his_refusal_stands_when_the_check_of_the_trade_is_unknown_at_first(http, sandbox, app):
    """Refused, then the trade query times out: the next run asks again and, HIS not having the trade,
    refunds; it does not send the refused write-back again."""
    me = await new_person(http, "his-refused-query-unknown")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "failed", "times": 1})
    await sandbox.control("his-faults", {"operation": "query_trade", "outcome": "unknown", "times": 1,
                                         "applied": False})
    await pay_in_wechat(sandbox, payment["payment_no"])
    worker = Worker(app.ctx.deps)
    assert await worker.run_once() == 1
    job = (await jobs("his_writeback"))[0]
    assert job.status == "pending" and job.payload["query_first"] is True
    assert job.payload["refused"]["code"] == "SANDBOX_FAULT"
    assert (await Payment.get(payment_no=payment["payment_no"])).his_status == "pending"
    await Job.filter(id=job.id).update(run_after=utcnow())
    assert await worker.run_once() == 1
    stored = await Payment.get(payment_no=payment["payment_no"])
    assert stored.his_status == "failed" and "SANDBOX_FAULT" in stored.his_error
    refund = await Refund.get(payment_id=stored.id)
    assert refund.source == "his_failed" and refund.amount_fen == stored.amount_fen
    await sandbox.control(f"GET his/trades/{payment['payment_no']}", expect=404)  # never confirmed again


async def test_a_crashed_worker_leaves_the_job_to_the_next_one(http, sandbox, app):
    _me, _charge, payment = await paid_flow1(http, sandbox, app, "crash")
    crashed = Worker(app.ctx.deps, lease_seconds=60)
    claimed = await crashed.claim()  # claimed, then the process dies before running it
    assert [j.kind for j in claimed] == ["his_writeback"]
    assert await Worker(app.ctx.deps).run_once() == 0  # the lease protects it meanwhile
    await Job.filter(id=claimed[0].id).update(run_after=utcnow() - timedelta(seconds=1),
                                              lease_until=utcnow() - timedelta(seconds=1))  # lease ran out
    assert await drain(app) == 1
    assert (await Payment.get(payment_no=payment["payment_no"])).his_status == "settled"
    assert (await Job.get(id=claimed[0].id)).status == "done"


async def test_expired_unpaid_order_is_closed_and_bill_released(http, sandbox, app):
    me = await new_person(http, "expire")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await Payment.filter(payment_no=payment["payment_no"]).update(expires_at=utcnow() - timedelta(minutes=1))
    await Worker(app.ctx.deps).sweep()
    stored = await Payment.get(payment_no=payment["payment_no"])
    assert stored.status == "closed"
    order = await sandbox.control(f"GET wechatpay/orders/{payment['payment_no']}")
    assert order["order"]["trade_state"] == "CLOSED"
    assert await PaymentBill.filter(bill_no=charge["bill_no"], open=1).count() == 0
    again = await start_payment(me, [charge["bill_no"]])
    assert again["payment_no"] != payment["payment_no"]


async def test_pending_payment_is_reused_then_queried(http, sandbox, app):
    me = await new_person(http, "reuse")
    charge = await open_order(me)
    first = await start_payment(me, [charge["bill_no"]])
    second = await start_payment(me, [charge["bill_no"]])
    assert second["payment_no"] == first["payment_no"]  # the patient cancelled and taps 支付 again
    # the notification never reaches us: the status call asks WeChat itself
    await sandbox.control("wechatpay/notify-forged", {"payment_no": first["payment_no"], "defect": "signature"})
    app.ctx.deps.payment_query_after_seconds = 0
    try:
        # the patient pays; the notification is delivered (wait: no later delivery can race the test), then
        # undone (the row back to pending, the jobs it wrote removed), as if it had never reached us
        before = await Job.all().order_by("-id").first()
        await sandbox.http.post("/sandbox/control/pay", json={"payment_no": first["payment_no"], "wait": True})
        await Payment.filter(payment_no=first["payment_no"]).update(transaction_id=None, status="pending")
        await Job.filter(id__gt=before.id if before else 0).delete()
        seen = (await me.get(f"/api/me/payments/{first['payment_no']}")).json()
    finally:
        app.ctx.deps.payment_query_after_seconds = 5
    assert seen["status"] == "paying"
    assert len(await jobs("his_writeback")) == 1


async def test_pay_refuses_paid_changed_and_foreign_bills(http, sandbox, app):
    number = next_id_number()
    me = await new_person(http, "pay-refusals", id_number=number)
    paid_bill = await paid_at_window(sandbox, me, number)
    r = await me.post("/api/me/payments", {"patient_id": me.patient_id, "bill_nos": [paid_bill]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "CHARGE_ALREADY_PAID"
    charge = await open_order(me, "XNXG001")
    await sandbox.control("his/change-amount", {"bill_no": charge["bill_no"], "amount_fen": charge["amount_fen"] + 100})
    r = await me.post("/api/me/payments", {"patient_id": me.patient_id, "bill_nos": [charge["bill_no"]]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "CHARGE_AMOUNT_CHANGED"
    other = await new_person(http, "pay-intruder")
    r = await other.post("/api/me/payments", {"patient_id": me.patient_id, "bill_nos": [charge["bill_no"]]})
    assert r.status_code == 404
    r = await other.post("/api/me/payments", {"patient_id": other.patient_id, "bill_nos": [charge["bill_no"]]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "CHARGE_UNAVAILABLE"
    for body in ({"patient_id": me.patient_id, "bill_nos": []}, {"patient_id": me.patient_id},
                 {"patient_id": me.patient_id, "bill_nos": "x"}):
        r = await me.post("/api/me/payments", body)
        assert r.status_code == 422
    assert await Payment.all().count() == 0
    r = await other.get("/api/me/payments/TJ000000000000000000")
    assert r.status_code == 404


async def test_patient_refund_of_unbooked_paid_charge(http, sandbox, app):
    me, charge, _payment = await paid_flow1(http, sandbox, app, "refund")
    await drain(app)
    await set_quota(day(2), 5)
    booking = (await me.post("/api/me/bookings", {"bill_no": charge["bill_no"], "date": day(2).isoformat()})).json()
    refused = await me.post("/api/me/refunds", {"bill_no": charge["bill_no"], "reason": "时间冲突"})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "REFUND_NOT_ALLOWED"
    await me.post(f"/api/me/bookings/{booking['id']}/cancel")
    r = await me.post("/api/me/refunds", {"bill_no": charge["bill_no"], "reason": "时间冲突"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["refund_no"] and body["status"] == "pending"
    again = await me.post("/api/me/refunds", {"bill_no": charge["bill_no"]})
    assert again.status_code == 409
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "refunding"
    await drain(app)
    refund = await Refund.get(refund_no=body["refund_no"])
    for _ in range(50):
        await refund.refresh_from_db()
        if refund.status == "succeeded":
            break
        await asyncio.sleep(0.05)
    assert refund.status == "succeeded" and refund.his_refund_no
    assert sandbox.wechatpay_state.refunds[refund.refund_no].reason == "时间冲突"  # WeChat got the reason
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "refunded"
    paid = (await me.get("/api/me/charges", params={"patient_id": me.patient_id, "status": "paid"})).json()
    assert [c["status"] for c in paid["items"]] == ["refunded"]
    rebook = await me.post("/api/me/bookings", {"bill_no": charge["bill_no"], "date": day(2).isoformat()})
    assert rebook.status_code == 409
    window_number = next_id_number()
    other = await new_person(http, "refund-window", id_number=window_number)
    window_bill = await paid_at_window(sandbox, other, window_number)
    r = await other.post("/api/me/refunds", {"bill_no": window_bill})
    assert r.status_code == 409 and r.json()["error"]["code"] == "REFUND_NOT_ALLOWED"


async def test_finance_refunds_a_held_payment_once_and_it_is_audited(http, sandbox, app):
    from checkup.db.models import AuditLog
    from support.staff import staffer

    me = await new_person(http, "held-refund")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"], amount_fen=1)
    finance = await staffer(http, app, "caiwu-held", ["finance"])
    clerk = await staffer(http, app, "qiantai-held", ["staff"])
    assert (await clerk.post(f"/api/console/payments/{payment['payment_no']}/refund", {})).status_code == 403
    r = await finance.post(f"/api/console/payments/{payment['payment_no']}/refund", {"reason": "金额异常"})
    assert r.status_code == 201, r.text
    again = await finance.post(f"/api/console/payments/{payment['payment_no']}/refund", {})
    assert again.status_code == 409
    await drain(app)
    refund = await Refund.get(refund_no=r.json()["refund_no"])
    for _ in range(50):
        await refund.refresh_from_db()
        if refund.status == "succeeded":
            break
        await asyncio.sleep(0.05)
    assert refund.status == "succeeded" and refund.source == "staff", refund.error
    assert refund.amount_fen == charge["amount_fen"]  # what WeChat really took, not the odd notification
    assert (await AuditLog.filter(action="payment.refund", outcome="success").count()) == 1
    assert (await AuditLog.filter(action="payment.refund", outcome="failure").count()) == 2  # 403 and 409
    settled = await paid_flow1(http, sandbox, app, "not-held")
    r = await finance.post(f"/api/console/payments/{settled[2]['payment_no']}/refund", {})
    assert r.status_code == 409 and r.json()["error"]["code"] == "REFUND_NOT_ALLOWED"

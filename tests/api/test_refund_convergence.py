"""Every refund converges: refunded on both sides (HIS and WeChat) or on neither, never one-sided
(issue 12, item 1). Each test starts from a defect the issue lists."""

from __future__ import annotations

import logging
from datetime import timedelta

from checkup.db.models import Charge, Job, Payment, Refund
from checkup.domain.clock import utcnow
from checkup.worker.runner import Worker
from support.payments import drain, drain_due_later, open_order, pay_in_wechat, settle_refund, start_payment
from support.people import new_person


async def paid_and_settled(http, sandbox, app, code: str):
    me = await new_person(http, code)
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"])
    await drain(app)
    assert (await Payment.get(payment_no=payment["payment_no"])).his_status == "settled"
    return me, charge, payment


async def apply_refund(me, bill_no: str, reason: str = "时间冲突") -> dict:
    r = await me.post("/api/me/refunds", {"bill_no": bill_no, "reason": reason})
    assert r.status_code == 201, r.text
    return r.json()


async def wechat_refunds(sandbox, payment_no: str) -> list[dict]:
    return (await sandbox.control(f"GET wechatpay/orders/{payment_no}"))["refunds"]


async def his_refunds(sandbox, payment_no: str) -> list[dict]:
    return (await sandbox.control(f"GET his/trades/{payment_no}"))["refunds"]


async def test_his_refund_unknown_then_failed_still_refunds_both_sides(http, sandbox, app):
    """HIS applied the refund but answered UNKNOWN, then FAILED on the retry: the refund stands in HIS,
    so WeChat must refund too."""
    me, charge, payment = await paid_and_settled(http, sandbox, app, "conv-unknown-failed")
    await sandbox.control("his-faults", {"operation": "refund", "outcome": "unknown", "times": 1, "applied": True})
    await sandbox.control("his-faults", {"operation": "refund", "outcome": "failed", "times": 1})
    body = await apply_refund(me, charge["bill_no"])
    refund = await settle_refund(app, body["refund_no"])
    assert refund.status == "succeeded", (refund.status, refund.error)
    assert len(await his_refunds(sandbox, payment["payment_no"])) == 1
    assert [r["status"] for r in await wechat_refunds(sandbox, payment["payment_no"])] == ["SUCCESS"]
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "refunded"
    seen = (await me.get(f"/api/me/payments/{payment['payment_no']}")).json()
    assert seen["status"] == "refunded" and seen["status_text"] == "已退款"


async def test_his_refund_refused_for_good_is_refunded_on_neither_side_and_can_be_applied_again(http, sandbox, app):
    me, charge, payment = await paid_and_settled(http, sandbox, app, "conv-his-refused")
    await sandbox.control("his-faults", {"operation": "refund", "outcome": "failed", "times": 1})
    body = await apply_refund(me, charge["bill_no"])
    refund = await settle_refund(app, body["refund_no"])
    assert refund.status == "failed" and "医院系统拒绝退费" in refund.error
    assert await his_refunds(sandbox, payment["payment_no"]) == []
    assert await wechat_refunds(sandbox, payment["payment_no"]) == []
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "paid"  # neither side refunded
    # the way out for the patient: apply again (not 409 REFUND_EXISTS)
    again = await apply_refund(me, charge["bill_no"], reason="再次申请")
    assert again["status"] == "pending"
    refund = await settle_refund(app, again["refund_no"])
    assert refund.status == "succeeded", refund.error
    assert len(await his_refunds(sandbox, payment["payment_no"])) == 1
    assert [r["status"] for r in await wechat_refunds(sandbox, payment["payment_no"])] == ["SUCCESS"]


async def test_finance_reruns_a_failed_refund_from_the_console(http, sandbox, app):
    from support.staff import staffer

    me, charge, payment = await paid_and_settled(http, sandbox, app, "conv-rerun")
    await sandbox.control("his-faults", {"operation": "refund", "outcome": "failed", "times": 1})
    body = await apply_refund(me, charge["bill_no"])
    assert (await settle_refund(app, body["refund_no"])).status == "failed"
    finance = await staffer(http, app, "caiwu-rerun", ["finance"])
    clerk = await staffer(http, app, "qiantai-rerun", ["staff"])
    tasks = (await finance.get("/api/console/refunds", params={"status": "failed"})).json()
    row = next(t for t in tasks["items"] if t["refund_no"] == body["refund_no"])
    assert "医院系统拒绝退费" in row["reason_text"] and row["payment_no"] == payment["payment_no"]
    assert (await clerk.post(f"/api/console/refunds/{body['refund_no']}/retry", {})).status_code == 403
    r = await finance.post(f"/api/console/refunds/{body['refund_no']}/retry", {})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "pending"
    again = await finance.post(f"/api/console/refunds/{body['refund_no']}/retry", {})
    assert again.status_code == 409 and again.json()["error"]["code"] == "REFUND_NOT_ALLOWED"
    missing = await finance.post("/api/console/refunds/RF-NOPE/retry", {})
    assert missing.status_code == 404
    refund = await settle_refund(app, body["refund_no"])
    assert refund.status == "succeeded", refund.error


async def test_his_refused_writeback_and_wechat_closed_refund_is_sent_again(http, sandbox, app):
    """HIS refuses the write-back, and WeChat CLOSES the automatic refund: a new refund goes out; the
    patient ends refunded and may pay again."""
    me = await new_person(http, "conv-closed")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "failed", "times": 1})
    await sandbox.control("wechatpay/refund-faults", {"status": "CLOSED", "times": 1})
    await pay_in_wechat(sandbox, payment["payment_no"])
    await drain(app)
    stored = await Payment.get(payment_no=payment["payment_no"])
    refund = await Refund.get(payment_id=stored.id)
    refund = await settle_refund(app, refund.refund_no)
    assert refund.status == "succeeded", (refund.status, refund.error)
    assert [r["status"] for r in await wechat_refunds(sandbox, payment["payment_no"])] == ["CLOSED", "SUCCESS"]
    seen = (await me.get(f"/api/me/payments/{payment['payment_no']}")).json()
    assert seen["status"] == "refunded"
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "unpaid"
    # the bill is free again: the patient can pay it (no PAYMENT_IN_PROGRESS)
    again = await me.post("/api/me/payments", {"patient_id": me.patient_id, "bill_nos": [charge["bill_no"]]})
    assert again.status_code == 201, again.text


async def test_wechat_closing_every_try_becomes_a_staff_task(http, sandbox, app):
    me, charge, payment = await paid_and_settled(http, sandbox, app, "conv-closed-thrice")
    await sandbox.control("wechatpay/refund-faults", {"status": "CLOSED", "times": 3})
    body = await apply_refund(me, charge["bill_no"])
    refund = await settle_refund(app, body["refund_no"])
    assert refund.status == "abnormal" and "多次关闭" in refund.error
    assert [r["status"] for r in await wechat_refunds(sandbox, payment["payment_no"])] == ["CLOSED"] * 3
    seen = (await me.get(f"/api/me/payments/{payment['payment_no']}")).json()
    assert seen["status"] == "refunding"  # not a silent end: the patient is told it is being handled
    from support.staff import staffer

    finance = await staffer(http, app, "caiwu-closed", ["finance"])
    tasks = (await finance.get("/api/console/refunds", params={"status": "abnormal"})).json()
    assert [t["refund_no"] for t in tasks["items"]] == [body["refund_no"]]
    assert (await finance.post(f"/api/console/refunds/{body['refund_no']}/retry", {})).status_code == 200
    refund = await settle_refund(app, body["refund_no"])
    assert refund.status == "succeeded", refund.error
    assert [r["status"] for r in await wechat_refunds(sandbox, payment["payment_no"])][-1] == "SUCCESS"


async def test_wechat_429_and_not_enough_wait_a_minute_and_alert_finance(http, sandbox, app, caplog):
    """WeChat answers 429 FREQUENCY_LIMITED, then 403 NOT_ENOUGH (balance swept out): HIS has refunded
    already, so the refund waits (>= 60 s each time) and never ends failed."""
    me, charge, payment = await paid_and_settled(http, sandbox, app, "conv-429")
    await sandbox.control("wechatpay/refund-faults", {"status": "FREQUENCY_LIMITED", "times": 1})
    await sandbox.control("wechatpay/refund-faults", {"status": "NOT_ENOUGH", "times": 1})
    body = await apply_refund(me, charge["bill_no"])
    worker = Worker(app.ctx.deps)
    assert await worker.run_once() == 1
    refund = await Refund.get(refund_no=body["refund_no"])
    assert refund.status == "his_done" and "频率" in refund.error
    job = await Job.get(kind="refund")
    assert job.status == "pending" and job.run_after >= utcnow() + timedelta(seconds=55)
    assert await worker.run_once() == 0  # not due yet
    await Job.filter(id=job.id).update(run_after=utcnow())
    with caplog.at_level(logging.ERROR, logger="checkup.alerts"):
        assert await worker.run_once() == 1
    assert any("ALERT finance" in r.getMessage() for r in caplog.records)
    await refund.refresh_from_db()
    assert refund.status == "his_done" and "余额不足" in refund.error
    await job.refresh_from_db()
    assert job.status == "pending" and job.run_after >= utcnow() + timedelta(seconds=55)
    refund = await settle_refund(app, body["refund_no"])
    assert refund.status == "succeeded", refund.error
    assert len(await his_refunds(sandbox, payment["payment_no"])) == 1
    assert [r["status"] for r in await wechat_refunds(sandbox, payment["payment_no"])] == ["SUCCESS"]


async def test_not_enough_alerts_finance_once_per_episode_on_the_console(http, sandbox, app, caplog):
    """NOT_ENOUGH (the merchant balance swept out) is an alert finance sees on the 首页 and 任务 page, in
    Chinese: raised once however often the refunds are refused, ended when WeChat takes a refund again,
    raised anew by the next shortage."""
    from support.staff import staffer

    finance = await staffer(http, app, "caiwu-alert", ["finance"])

    async def alerts() -> list[dict]:
        r = await http.get("/api/console/alerts", headers=finance.headers)
        assert r.status_code == 200, r.text
        return r.json()["items"]

    me, charge, _payment = await paid_and_settled(http, sandbox, app, "conv-alert")
    assert await alerts() == []
    await sandbox.control("wechatpay/refund-faults", {"status": "NOT_ENOUGH", "times": 3})
    body = await apply_refund(me, charge["bill_no"])
    worker = Worker(app.ctx.deps)
    with caplog.at_level(logging.ERROR, logger="checkup.alerts"):
        for _ in range(3):  # refused three times, a minute or more apart
            await Job.filter(kind="refund", status="pending").update(run_after=utcnow())
            assert await worker.run_once() == 1
    raised = [r for r in caplog.records if "ALERT finance" in r.getMessage()]
    assert len(raised) == 1, [r.getMessage() for r in raised]
    [alert] = await alerts()
    assert alert["kind"] == "WECHAT_NOT_ENOUGH" and alert["times"] == 3
    assert "商户号余额不足，退款将自动重试" in alert["text"] and alert["refund_no"] == body["refund_no"]
    tasks = (await http.get("/api/console/refunds", headers=finance.headers,
                            params={"status": "his_done"})).json()["items"]
    assert [t["refund_no"] for t in tasks] == [body["refund_no"]] and "余额不足" in tasks[0]["reason_text"]
    clerk = await staffer(http, app, "qiantai-alert", ["staff"])  # finance's, not the front desk's
    assert (await http.get("/api/console/alerts", headers=clerk.headers)).status_code == 403
    # the balance is topped up: WeChat takes the refund, the alert ends
    refund = await settle_refund(app, body["refund_no"])
    assert refund.status == "succeeded", refund.error
    assert await alerts() == []
    # a later shortage is a new episode: a new alert
    me2, charge2, _ = await paid_and_settled(http, sandbox, app, "conv-alert-2")
    await sandbox.control("wechatpay/refund-faults", {"status": "NOT_ENOUGH", "times": 1})
    body2 = await apply_refund(me2, charge2["bill_no"])
    assert await worker.run_once() == 1
    [alert] = await alerts()
    assert alert["times"] == 1 and alert["refund_no"] == body2["refund_no"]
    assert (await settle_refund(app, body2["refund_no"])).status == "succeeded"
    assert await alerts() == []


async def test_bank_error_and_system_error_are_retried_and_queried_first(http, sandbox, app):
    me, charge, payment = await paid_and_settled(http, sandbox, app, "conv-bank")
    await sandbox.control("wechatpay/refund-faults", {"status": "BANK_ERROR", "times": 1})
    await sandbox.control("wechatpay/refund-faults", {"status": "SYSTEM_ERROR", "times": 1})
    body = await apply_refund(me, charge["bill_no"])
    worker = Worker(app.ctx.deps)
    assert await worker.run_once() == 1
    job = await Job.get(kind="refund")
    assert job.run_after >= utcnow() + timedelta(seconds=55)
    refund = await settle_refund(app, body["refund_no"])
    assert refund.status == "succeeded", refund.error
    assert [r["status"] for r in await wechat_refunds(sandbox, payment["payment_no"])] == ["SUCCESS"]


async def test_refunds_of_one_order_run_one_at_a_time(http, sandbox, app):
    from support.payments import jobs

    me = await new_person(http, "conv-one-at-a-time")
    first, second = await open_order(me), await open_order(me, "ZLN001")
    payment = await start_payment(me, [first["bill_no"], second["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"])
    await drain(app)
    a = await apply_refund(me, first["bill_no"])
    b = await apply_refund(me, second["bill_no"])
    await sandbox.control("wechatpay/refund-faults", {"status": "NOT_ENOUGH", "times": 1})
    worker = Worker(app.ctx.deps)
    await worker.run_once()  # the first waits for the balance; the second waits for the first
    ra, rb = await Refund.get(refund_no=a["refund_no"]), await Refund.get(refund_no=b["refund_no"])
    assert ra.status == "his_done" and rb.status == "pending"
    assert len(await his_refunds(sandbox, payment["payment_no"])) == 1
    assert all(j.status == "pending" for j in await jobs("refund"))
    for no in (a["refund_no"], b["refund_no"]):
        assert (await settle_refund(app, no)).status == "succeeded"
    assert [r["status"] for r in await wechat_refunds(sandbox, payment["payment_no"])] == ["SUCCESS", "SUCCESS"]
    seen = (await me.get(f"/api/me/payments/{payment['payment_no']}")).json()
    assert seen["status"] == "refunded"


async def test_bad_refund_rerun_requests_change_nothing(http, sandbox, app):
    from support.staff import staffer

    finance = await staffer(http, app, "caiwu-bad", ["finance"])
    bad = await finance.get("/api/console/refunds", params={"status": "nonsense"})
    assert bad.status_code == 422 and bad.json()["error"]["code"]
    me, charge, _payment = await paid_and_settled(http, sandbox, app, "conv-bad")
    body = await apply_refund(me, charge["bill_no"])
    r = await finance.post(f"/api/console/refunds/{body['refund_no']}/retry", {})  # pending, not stopped
    assert r.status_code == 409 and r.json()["error"]["code"] == "REFUND_NOT_ALLOWED"
    assert (await Refund.get(refund_no=body["refund_no"])).status == "pending"
    await drain_due_later(app)

"""Reconciliation as hospitals really have it: a merchant number shared with other systems, HIS refunds
made outside this system, converged refunds, and days that have not ended (Asia/Shanghai)."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from checkup.db.models import Payment, Reconciliation, Refund
from checkup.domain.clock import shanghai_today, utcnow
from checkup.services import reconciliation
from support.payments import drain, open_order, pay_in_wechat, start_payment
from support.people import new_person
from support.reconciliation import today_reconcilable
from support.staff import staffer


@pytest.fixture
def today_has_ended():
    """Payments can only be made today; let today count as ended so that it can be reconciled."""
    with today_reconcilable():
        yield


async def empty_day(sandbox) -> None:
    assert (await sandbox.control("reset")) is not None
    assert (await sandbox.control("wechatpay/reset"))["reset"] is True


async def pay_one(http, sandbox, code: str, **extra) -> tuple[str, dict]:
    me = await new_person(http, code)
    charge = await open_order(me, "RZ001")
    payment = await start_payment(me, [charge["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"], **extra)
    return payment["payment_no"], charge


async def reconcile_today(finance) -> dict:
    r = await finance.get("/api/console/reconciliation", params={"date": shanghai_today().isoformat()})
    assert r.status_code == 200, r.text
    return r.json()


async def refund_settles(refund_no: str) -> Refund:
    refund = await Refund.get(refund_no=refund_no)
    for _ in range(100):
        await refund.refresh_from_db()
        if refund.status == "succeeded":
            return refund
        await asyncio.sleep(0.05)
    raise AssertionError(f"refund {refund_no} stayed {refund.status}: {refund.error}")


async def test_foreign_rows_of_a_shared_merchant_number_are_not_differences(http, sandbox, app, today_has_ended):
    finance = await staffer(http, app, "caiwu-shared", ["finance"])
    await empty_day(sandbox)
    ours, _ = await pay_one(http, sandbox, "shared-1")
    await drain(app)
    appid = app.ctx.settings.wechat_appid
    # Outpatient (its own official account), inpatient (the same mini-program, its own numbers), a vendor.
    foreign = [
        {"appid": "wx1111111111outpat", "out_trade_no": "MZ2026120300000001", "amount_fen": 1500},
        {"appid": appid, "out_trade_no": "ZY2026120300000002", "amount_fen": 2000,
         "out_refund_no": "ZYTK0000000002", "refund_fen": 500},
        {"appid": "wx2222222222vendor", "out_trade_no": "TJ-VENDOR-000003", "amount_fen": 800,
         "out_refund_no": "RF-VENDOR-000003", "refund_fen": 800},
    ]
    for trade in foreign:
        await sandbox.control("wechatpay/foreign-trade", trade)
    body = await reconcile_today(finance)
    assert body["differences"] == [], json.dumps(body, ensure_ascii=False)
    assert body["matched"] == 1 and body["summary"] == "无差异"
    assert body["sources"]["wechat_rows"] == 1 and body["sources"]["foreign_rows"] == 5
    assert (await Payment.get(payment_no=ours)).status == "paid"


async def test_foreign_trade_control_refuses_bad_input(sandbox):
    for bad in ({}, {"appid": "wx1", "out_trade_no": "x", "amount_fen": 1},
                {"appid": "wx1", "out_trade_no": "MZ000001", "amount_fen": 0},
                {"appid": "wx1", "out_trade_no": "MZ000002", "amount_fen": 5, "out_refund_no": "R1", "refund_fen": 6}):
        r = await sandbox.http.post("/sandbox/control/wechatpay/foreign-trade", json=bad)
        assert r.status_code == 400 and r.json()["error"]["code"] == "VALIDATION_ERROR", (bad, r.text)


async def test_a_day_that_has_not_ended_cannot_be_reconciled(http, app):
    finance = await staffer(http, app, "caiwu-today", ["finance"])
    today = shanghai_today()
    for day in (today, today + timedelta(days=1)):
        r = await finance.get("/api/console/reconciliation", params={"date": day.isoformat()})
        assert r.status_code == 409, r.text
        error = r.json()["error"]
        assert error["code"] == "DAY_NOT_ENDED" and "北京时间" in error["message"]
        assert not await Reconciliation.exists(day=day)
    assert reconciliation.day_has_ended(today - timedelta(days=1), utcnow())
    assert not reconciliation.day_has_ended(today, utcnow())


async def test_his_refund_made_outside_this_system_is_a_difference(http, sandbox, app, today_has_ended):
    finance = await staffer(http, app, "caiwu-hisrf", ["finance"])
    await empty_day(sandbox)
    no, _ = await pay_one(http, sandbox, "his-window-refund")
    await drain(app)
    assert (await Payment.get(payment_no=no)).his_status == "settled"
    # A cashier refunds the trade at the HIS window: HIS has a refund row this system never asked for.
    result = await app.ctx.deps.his.refund(trade_no=no, refund_no="WIN-RF-0001", amount_fen=100, refunded_at=utcnow())
    assert result.ok, result
    body = await reconcile_today(finance)
    kinds = [(d["kind"], d.get("payment_no"), d.get("amount_fen")) for d in body["differences"]]
    assert kinds == [("his_refund_not_ours", no, 100)], json.dumps(body, ensure_ascii=False)
    difference = body["differences"][0]
    assert "医院系统" in difference["cause"] and difference["action"]


async def test_refunds_matched_on_both_sides_are_not_differences(http, sandbox, app, today_has_ended):
    finance = await staffer(http, app, "caiwu-rf-ok", ["finance"])
    await empty_day(sandbox)
    _no, _charge = await pay_one(http, sandbox, "refund-both")
    await drain(app)
    held_no, _ = await pay_one(http, sandbox, "held-converged", amount_fen=1)
    assert (await Payment.get(payment_no=held_no)).status == "held"
    before = await reconcile_today(finance)
    assert [(d["kind"], d["payment_no"]) for d in before["differences"]] == [("held", held_no)]
    assert "退款" in before["differences"][0]["action"]
    r = await finance.post(f"/api/console/payments/{held_no}/refund", {"reason": "金额异常"})
    assert r.status_code == 201, r.text
    await drain(app)
    await refund_settles(r.json()["refund_no"])
    after = await reconcile_today(finance)
    assert after["differences"] == [], json.dumps(after, ensure_ascii=False)
    assert after["matched"] == 1 and after["sources"]["converged"] == 1


async def test_auto_refund_after_his_refusal_converges_and_is_no_difference(http, sandbox, app, today_has_ended):
    finance = await staffer(http, app, "caiwu-auto", ["finance"])
    await empty_day(sandbox)
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "failed", "times": 1})
    no, _ = await pay_one(http, sandbox, "auto-refund")
    for _ in range(10):
        await drain(app)
        refund = await Refund.filter(payment__payment_no=no).first()
        if refund is not None:
            break
        await asyncio.sleep(0.05)
    assert refund is not None and refund.source == "his_failed"
    await drain(app)
    await refund_settles(refund.refund_no)
    body = await reconcile_today(finance)
    assert body["differences"] == [], json.dumps(body, ensure_ascii=False)
    assert body["sources"]["converged"] == 1


async def test_auto_refund_not_yet_through_is_an_explained_difference(http, sandbox, app, today_has_ended):
    finance = await staffer(http, app, "caiwu-auto2", ["finance"])
    await empty_day(sandbox)
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "failed", "times": 1})
    await sandbox.control("wechatpay/refund-faults", {"status": "ABNORMAL", "times": 1})
    no, _ = await pay_one(http, sandbox, "auto-refund-stuck")
    await drain(app)
    await asyncio.sleep(0.3)  # the refund's end (ABNORMAL) is notified
    body = await reconcile_today(finance)
    payment_diffs = [d for d in body["differences"] if d.get("payment_no") == no and d["kind"] == "wechat_not_his"]
    assert len(payment_diffs) == 1, json.dumps(body, ensure_ascii=False)
    assert "拒绝" in payment_diffs[0]["cause"] and "自动" in payment_diffs[0]["action"]
    assert body["sources"]["converged"] == 0

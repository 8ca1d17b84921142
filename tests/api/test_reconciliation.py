"""Daily reconciliation and the finance console over real HTTP, through the sandbox's WeChat bill and
HIS settlements."""

from __future__ import annotations

import asyncio
import json

import pytest

from checkup.db.models import Payment, Reconciliation, Refund
from checkup.domain.clock import shanghai_today
from support.payments import drain, open_order, pay_in_wechat, start_payment
from support.people import new_person, next_id_number, paid_at_window
from support.reconciliation import today_reconcilable
from support.staff import staffer


async def empty_day(sandbox) -> None:
    """Payments of earlier tests (same sandbox, same day) would count: start both sandboxes empty."""
    assert (await sandbox.control("reset")) is not None
    assert (await sandbox.control("wechatpay/reset"))["reset"] is True


async def pay_one(http, sandbox, app, code: str, package: str = "RZ001") -> str:
    me = await new_person(http, code)
    charge = await open_order(me, package)
    payment = await start_payment(me, [charge["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"])
    return payment["payment_no"]


@pytest.fixture(autouse=True)
def today_has_ended():
    """These tests reconcile today's payments: let today count as ended (see test_reconciliation_shared)."""
    with today_reconcilable():
        yield


async def test_clean_day_then_one_broken_record(http, sandbox, app):
    finance = await staffer(http, app, "caiwu", ["finance"])
    await empty_day(sandbox)
    nos = [await pay_one(http, sandbox, app, f"recon-{i}") for i in range(3)]
    await drain(app)
    # a window payment in HIS is not ours and is not a difference
    number = next_id_number()
    window = await new_person(http, "recon-window", id_number=number)
    await paid_at_window(sandbox, window, number)
    today = shanghai_today().isoformat()
    r = await finance.get("/api/console/reconciliation", params={"date": today})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["differences"] == [] and body["summary"] == "无差异", json.dumps(body, ensure_ascii=False)
    assert body["matched"] == 3
    # deliberately break one record of our ledger
    await Payment.filter(payment_no=nos[1]).update(amount_fen=1)
    body = (await finance.get("/api/console/reconciliation", params={"date": today})).json()
    assert body["matched"] == 2
    assert [(d["kind"], d["payment_no"]) for d in body["differences"]] == [("amount_mismatch", nos[1])]
    assert (await Reconciliation.get(day=shanghai_today())).differences == body["differences"]


async def test_his_failure_shows_as_explained_difference_and_payments_list(http, sandbox, app):
    finance = await staffer(http, app, "caiwu2", ["finance"])
    await empty_day(sandbox)
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "failed", "times": 1})
    no = await pay_one(http, sandbox, app, "recon-fail")
    await drain(app)
    for _ in range(50):
        if (await Payment.get(payment_no=no)).his_status == "failed":
            break
        await asyncio.sleep(0.05)
    for _ in range(100):
        refund = await Refund.filter(payment__payment_no=no).first()
        if refund is not None and refund.status == "succeeded":
            break
        await drain(app)
        await asyncio.sleep(0.05)
    assert refund is not None and refund.status == "succeeded" and refund.source == "his_failed"
    # HIS refused, the automatic refund went through: converged, so no difference (while it has not,
    # the difference is explained: test_reconciliation_shared.py).
    body = (await finance.get("/api/console/reconciliation", params={"date": shanghai_today().isoformat()})).json()
    assert body["differences"] == [] and body["sources"]["converged"] == 1, json.dumps(body, ensure_ascii=False)
    listed = (await finance.get("/api/console/payments")).json()
    row = next(p for p in listed["items"] if p["payment_no"] == no)
    assert row["writeback_status"] == "failed" and row["refund_no"] and row["refund_status"] in (
        "succeeded", "wechat_pending", "his_done", "pending")
    assert listed["total"] >= 1
    paid = (await finance.get("/api/console/payments", params={"status": "paid"})).json()
    assert all(p["status"] == "paid" for p in paid["items"])
    for bad in ("refunded", "x" * 17, "paid' OR 1=1"):  # not a payment status: refused, never a 500
        r = await finance.get("/api/console/payments", params={"status": bad})
        assert r.status_code == 422 and r.json()["error"]["code"] == "VALIDATION_ERROR", (bad, r.text)


async def test_finance_routes_are_refused_to_other_roles(http, sandbox, app):
    clerk = await staffer(http, app, "qiantai", ["staff"])
    for path in ("/api/console/payments", "/api/console/reconciliation", "/api/console/jobs"):
        r = await clerk.get(path)
        assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN"
        anonymous = await http.get(path)
        assert anonymous.status_code == 401

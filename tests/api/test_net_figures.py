"""Money figures are net of refunds and say so; a refunded payment shows 已退款 to patient and staff
(issue 12, item 8)."""

from __future__ import annotations

from checkup.domain.clock import shanghai_today
from checkup.services.sharing_data import payment_totals
from support.payments import drain, open_order, pay_in_wechat, settle_refund, start_payment
from support.people import new_person
from support.staff import staffer


async def test_figures_are_net_of_refunds_and_refunded_shows_as_such(http, sandbox, app):
    finance = await staffer(http, app, "caiwu-net", ["finance"])
    # one payment kept, one refunded by the patient, one held (odd amount) and refunded by finance
    kept = await new_person(http, "net-kept")
    kept_charge = await open_order(kept)
    kept_payment = await start_payment(kept, [kept_charge["bill_no"]])
    await pay_in_wechat(sandbox, kept_payment["payment_no"])
    back = await new_person(http, "net-back")
    back_charge = await open_order(back)
    back_payment = await start_payment(back, [back_charge["bill_no"]])
    await pay_in_wechat(sandbox, back_payment["payment_no"])
    await drain(app)
    r = await back.post("/api/me/refunds", {"bill_no": back_charge["bill_no"], "reason": "不需要了"})
    assert r.status_code == 201, r.text
    assert (await settle_refund(app, r.json()["refund_no"])).status == "succeeded"
    held = await new_person(http, "net-held")
    held_charge = await open_order(held)
    held_payment = await start_payment(held, [held_charge["bill_no"]])
    await pay_in_wechat(sandbox, held_payment["payment_no"], amount_fen=held_charge["amount_fen"] - 1)
    r = await finance.post(f"/api/console/payments/{held_payment['payment_no']}/refund", {"reason": "金额异常"})
    assert r.status_code == 201, r.text
    assert (await settle_refund(app, r.json()["refund_no"])).status == "succeeded"

    today = shanghai_today().isoformat()
    page = (await finance.get("/api/console/payments", params={"from": today, "to": today})).json()
    summary = page["summary"]
    # a held payment never went through (its money waited for finance, then went back): in neither figure
    gross = kept_charge["amount_fen"] + back_charge["amount_fen"]
    refunded = back_charge["amount_fen"]
    assert summary["gross_fen"] == gross and summary["refunded_fen"] == refunded
    assert summary["amount_fen"] == gross - refunded == kept_charge["amount_fen"]  # net of refunds
    assert summary["count"] == 2
    states = {row["payment_no"]: row["state"] for row in page["items"]}
    assert states[back_payment["payment_no"]] == "refunded"
    assert states[held_payment["payment_no"]] == "refunded"
    assert states[kept_payment["payment_no"]] == "paid"
    seen = (await back.get(f"/api/me/payments/{back_payment['payment_no']}")).json()
    assert seen["status"] == "refunded" and seen["status_text"] == "已退款"
    totals = await payment_totals(start=shanghai_today(), end=shanghai_today())
    assert totals["summary"]["paid_fen"] == gross
    assert totals["summary"]["refund_fen"] == refunded
    assert totals["summary"]["net_fen"] == kept_charge["amount_fen"]

"""Close-order as WeChat really answers it, and notification fields checked against the order
(issue 12, items 4 and 5)."""

from __future__ import annotations

import pytest

from checkup.db.models import Charge, Job, Payment, PaymentBill
from checkup.services.payments import close_at_wechat
from support.payments import open_order, pay_in_wechat, start_payment
from support.people import new_person


async def test_close_of_a_paid_order_answers_204_and_the_order_is_applied_not_closed(http, sandbox, app):
    me = await new_person(http, "close-paid")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"])
    # WeChat's close answers 204 for a paid order too (no ORDER_PAID): the client raises nothing
    assert await app.ctx.deps.wechatpay.close(payment["payment_no"]) is None
    order = await sandbox.control(f"GET wechatpay/orders/{payment['payment_no']}")
    assert order["order"]["trade_state"] == "SUCCESS"  # and the order stays paid
    # As if the notification had never arrived: our row is still pending when the order is closed.
    stored = await Payment.get(payment_no=payment["payment_no"])
    await Payment.filter(id=stored.id).update(status="pending", transaction_id=None, paid_at=None,
                                              paid_amount_fen=None, his_status="none")
    await Job.all().delete()
    await Charge.filter(bill_no=charge["bill_no"]).update(status="unpaid")
    stored = await Payment.get(id=stored.id)
    assert await close_at_wechat(app.ctx.deps, stored) is False
    stored = await Payment.get(id=stored.id)
    assert stored.status == "paid" and stored.transaction_id and stored.closed_at is None
    assert [j.kind for j in await Job.all()] == ["his_writeback"]
    assert await PaymentBill.filter(payment_id=stored.id, open=1).count() == 1


async def test_close_of_an_unpaid_order_closes_it_here_once_wechat_says_closed(http, sandbox, app):
    me = await new_person(http, "close-unpaid")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    stored = await Payment.get(payment_no=payment["payment_no"])
    assert await close_at_wechat(app.ctx.deps, stored) is True
    stored = await Payment.get(id=stored.id)
    assert stored.status == "closed" and stored.closed_at is not None
    order = await sandbox.control(f"GET wechatpay/orders/{payment['payment_no']}")
    assert order["order"]["trade_state"] == "CLOSED"
    assert await PaymentBill.filter(payment_id=stored.id, open=1).count() == 0


@pytest.mark.parametrize(("override", "words"), [
    ({"appid": "wx9999999999otherapp"}, "appid"),
    ({"mchid": "1900009999"}, "商户号"),
    ({"currency": "USD"}, "币种"),
    ({"openid": "o-someone-else"}, "付款人"),
])
async def test_notification_disagreeing_with_the_order_is_held_for_finance(http, sandbox, app, override, words):
    me = await new_person(http, f"notify-{next(iter(override))}")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    delivered = await pay_in_wechat(sandbox, payment["payment_no"], notify=override)
    assert delivered["delivered"] is True  # acknowledged: WeChat must not retry it for ever
    stored = await Payment.get(payment_no=payment["payment_no"])
    assert stored.status == "held" and words in stored.held_reason, stored.held_reason
    assert await Job.filter(kind="his_writeback").count() == 0  # nothing written back to HIS
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "unpaid"
    seen = (await me.get(f"/api/me/payments/{payment['payment_no']}")).json()
    assert seen["status"] == "paying"

"""Applying WeChat's word that an order was paid (services/payments.apply_paid) against the in-memory unit of
work: no database, no network. The statements themselves run on both databases in
tests/api/test_paid_notification_sql.py."""

from __future__ import annotations

import pytest

from checkup.domain.messages import MessageConfig
from checkup.integrations.wechat.pay.models import Transaction
from checkup.services.deps import Deps
from checkup.services.payments import apply_paid
from fakes.money import T0, FakeWechatPay, IdentityRow, PaymentRow, add_paid_payment, charges_of, jobs
from fakes.uow import FakeDatabase, fake_uow_factory


def deps_for(db: FakeDatabase) -> Deps:
    return Deps(his=None, peis=None, wechat_login=None, pii=None, tokens=None,  # type: ignore[arg-type]
                wechatpay=FakeWechatPay(), now=lambda: T0, uow=fake_uow_factory(db),  # type: ignore[arg-type]
                messages=MessageConfig.disabled())


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


def pending(db: FakeDatabase, *, bills: list[tuple[str, int]], openid: str = "o-payer") -> PaymentRow:
    payment = add_paid_payment(db, bills=bills, charge_status="unpaid", his_status="none", status="pending",
                               transaction_id=None, paid_at=None, paid_amount_fen=None)
    db.table("wechat_user")[payment.user_id] = IdentityRow(id=payment.user_id, appid="wx-test", openid=openid)
    return payment


def paid(payment: PaymentRow, **changes) -> Transaction:
    values = dict(out_trade_no=payment.payment_no, trade_state="SUCCESS", transaction_id="4200000000009",
                  total_fen=payment.amount_fen, success_time=T0, payer_openid="o-payer", appid="wx-test")
    return Transaction(**{**values, **changes})


async def test_a_paid_order_moves_its_charges_and_queues_the_write_back_once(db: FakeDatabase) -> None:
    payment = pending(db, bills=[("B1", 20000), ("B2", 10000)])
    assert await apply_paid(deps_for(db), paid(payment), source="notify") == "applied"
    assert (payment.status, payment.his_status, payment.transaction_id) == ("paid", "pending", "4200000000009")
    assert [c.status for c in charges_of(db, payment)] == ["paying", "paying"]
    [job] = jobs(db, "his_writeback")
    assert job.payload == {"payment_no": payment.payment_no}
    # WeChat sends it again: nothing changes
    assert await apply_paid(deps_for(db), paid(payment), source="notify") == "duplicate"
    assert len(jobs(db, "his_writeback")) == 1


@pytest.mark.parametrize(("change", "words"), [
    ({"total_fen": 1}, "金额"),
    ({"payer_openid": "o-someone-else"}, "付款人"),
    ({"appid": "wx-other"}, "appid"),
])
async def test_a_notification_disagreeing_with_the_order_holds_it(db: FakeDatabase, change, words) -> None:
    payment = pending(db, bills=[("B1", 20000)])
    assert await apply_paid(deps_for(db), paid(payment, **change), source="notify") == "held"
    assert payment.status == "held" and words in payment.held_reason and payment.his_status == "none"
    assert [c.status for c in charges_of(db, payment)] == ["unpaid"]
    assert jobs(db, "his_writeback") == []


async def test_a_linked_identity_pays_and_an_account_without_one_there_is_not_compared(db: FakeDatabase) -> None:
    payment = pending(db, bills=[("B1", 20000)])
    db.table("wechat_user")[99] = IdentityRow(id=99, appid="wx-test", openid="o-linked", account_id=payment.user_id)
    assert await apply_paid(deps_for(db), paid(payment, payer_openid="o-linked"), source="notify") == "applied"

    other = pending(db, bills=[("B2", 20000)])
    other.appid = "wx-oa"  # ordered on the official account, where this account has no identity
    tx = paid(other, appid="wx-oa", payer_openid="o-anyone", transaction_id="4200000000010")
    assert await apply_paid(deps_for(db), tx, source="notify") == "applied"


async def test_unknown_orders_and_unpaid_states_change_nothing(db: FakeDatabase) -> None:
    payment = pending(db, bills=[("B1", 20000)])
    assert await apply_paid(deps_for(db), paid(payment, out_trade_no="TJ-NOPE"), source="notify") == "unknown_order"
    assert await apply_paid(deps_for(db), paid(payment, trade_state="NOTPAY"), source="query") == "not_paid"
    assert payment.status == "pending" and payment.transaction_id is None and jobs(db, "his_writeback") == []

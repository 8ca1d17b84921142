"""The HIS write-back use case (services/writeback.py) against the in-memory unit of work and a fake HIS: no
database, no network (issue 15). Each test is one branch of the decision tree."""

from __future__ import annotations

import pytest

from checkup.domain.messages import MessageConfig
from checkup.domain.money import WHOLE_PAYMENT
from checkup.integrations.result import CallResult
from checkup.services.deps import Deps
from checkup.services.jobs import Retry
from checkup.services.writeback import his_writeback
from fakes.money import (
    T0,
    FakeChargesRepository,
    FakeHis,
    FakeWechatPay,
    add_paid_payment,
    add_patient,
    charges_of,
    jobs,
)
from fakes.uow import FakeDatabase, fake_uow_factory


def deps_for(db: FakeDatabase, his: FakeHis, messages: MessageConfig | None = None) -> Deps:
    return Deps(his=his, peis=None, wechat_login=None, pii=None, tokens=None,  # type: ignore[arg-type]
                wechatpay=FakeWechatPay(), now=lambda: T0, uow=fake_uow_factory(db),  # type: ignore[arg-type]
                messages=messages or MessageConfig.disabled())


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


async def test_write_back_applied_settles_the_payment_and_its_charges(db: FakeDatabase) -> None:
    payment = add_paid_payment(db, bills=[("B1", 20000), ("B2", 10000)])
    his = FakeHis()
    await his_writeback(deps_for(db, his), {"payment_no": payment.payment_no})
    assert payment.his_status == "settled" and payment.his_settle_no == "S0001"
    assert [(c.status, c.his_settle_no, c.paid_channel) for c in charges_of(db, payment)] == [
        ("paid", "S0001", "WECHAT"), ("paid", "S0001", "WECHAT")]
    assert his.calls == [f"confirm_payment {payment.payment_no}"]
    assert db.table("refund") == {} and db.commits == 1


async def test_the_payment_message_is_written_with_the_write_back(db: FakeDatabase) -> None:
    """缴费成功 goes into the outbox in the write-back's transaction, the patient's name masked."""
    patient = add_patient(db, name="张三丰")
    payment = add_paid_payment(db, bills=[("B1", 20000)], patient_id=patient.id)
    deps = deps_for(db, FakeHis(), MessageConfig(templates={"payment": "tpl-payment"}))
    await his_writeback(deps, {"payment_no": payment.payment_no})
    [job] = jobs(db, "send_message")
    assert job.dedupe_key == f"msg:payment:{payment.payment_no}"
    assert job.payload["kind"] == "payment" and job.payload["data"]["patient_name"] == "张*丰"
    assert job.payload["data"]["item_name"] == "入职体检"


async def test_a_payment_written_back_already_is_not_sent_again(db: FakeDatabase) -> None:
    payment = add_paid_payment(db, bills=[("B1", 20000)], his_status="settled")
    his = FakeHis()
    await his_writeback(deps_for(db, his), {"payment_no": payment.payment_no})
    assert his.calls == [] and db.commits == 0


async def test_unknown_outcome_is_resolved_by_querying_the_trade(db: FakeDatabase) -> None:
    """HIS applied it but the answer was lost: the retry asks about the trade and does not send it again."""
    payment = add_paid_payment(db, bills=[("B1", 20000)])
    his = FakeHis(confirm_answers=[CallResult.unknown("TIMEOUT")])
    deps = deps_for(db, his)
    with pytest.raises(Retry) as retry:
        await his_writeback(deps, {"payment_no": payment.payment_no})
    assert retry.value.payload == {"payment_no": payment.payment_no, "query_first": True}
    assert payment.his_status == "pending"
    his.settle(payment.payment_no, payment.amount_fen, ["B1"])  # HIS had applied it
    await his_writeback(deps, retry.value.payload)
    assert payment.his_status == "settled"
    assert [c.status for c in charges_of(db, payment)] == ["paid"]
    assert his.calls == [f"confirm_payment {payment.payment_no}", f"query_trade {payment.payment_no}"]


async def test_unknown_then_absent_at_his_sends_the_write_back(db: FakeDatabase) -> None:
    payment = add_paid_payment(db, bills=[("B1", 20000)])
    his = FakeHis()
    await his_writeback(deps_for(db, his), {"payment_no": payment.payment_no, "query_first": True})
    assert his.calls == [f"query_trade {payment.payment_no}", f"confirm_payment {payment.payment_no}"]
    assert payment.his_status == "settled"


async def test_refusal_with_no_trade_at_his_refunds_everything_in_the_same_transaction(db: FakeDatabase) -> None:
    payment = add_paid_payment(db, bills=[("B1", 20000), ("B2", 10000)])
    his = FakeHis(confirm_answers=[CallResult.failed("BILL_CANCELLED", "收费单已作废")])
    await his_writeback(deps_for(db, his), {"payment_no": payment.payment_no})
    assert payment.his_status == "failed" and payment.his_error == "BILL_CANCELLED: 收费单已作废"
    [refund] = db.table("refund").values()
    assert (refund.bill_key, refund.amount_fen, refund.source, refund.needs_his_refund) == (
        WHOLE_PAYMENT, 30000, "his_failed", False)
    assert [(j.kind, j.payload, j.dedupe_key) for j in jobs(db)] == [
        ("refund", {"refund_no": refund.refund_no}, f"refund:{refund.refund_no}")]
    assert [c.status for c in charges_of(db, payment)] == ["refunding", "refunding"]
    assert db.commits == 1


async def test_refusal_of_a_trade_his_has_settled_is_settled_not_refunded(db: FakeDatabase) -> None:
    payment = add_paid_payment(db, bills=[("B1", 20000)])
    his = FakeHis(confirm_answers=[CallResult.failed("BILL_ALREADY_PAID")])
    his.settle(payment.payment_no, 20000, ["B1"])
    await his_writeback(deps_for(db, his), {"payment_no": payment.payment_no})
    assert payment.his_status == "settled"
    assert db.table("refund") == {} and jobs(db) == []


async def test_refusal_whose_trade_query_is_unknown_retries_carrying_the_refusal(db: FakeDatabase) -> None:
    payment = add_paid_payment(db, bills=[("B1", 20000)])
    his = FakeHis(confirm_answers=[CallResult.failed("BILL_CANCELLED", "作废")],
                  query_answers=[CallResult.unknown("TIMEOUT")])
    with pytest.raises(Retry) as retry:
        await his_writeback(deps_for(db, his), {"payment_no": payment.payment_no})
    assert retry.value.payload == {"payment_no": payment.payment_no, "query_first": True,
                                   "refused": {"code": "BILL_CANCELLED", "message": "作废"}}
    assert payment.his_status == "pending" and db.table("refund") == {}


async def test_rollback_leaves_no_outbox_row(db: FakeDatabase, monkeypatch: pytest.MonkeyPatch) -> None:
    """The refusal's transaction fails after the refund and its job were written: neither is left."""
    payment = add_paid_payment(db, bills=[("B1", 20000)])
    his = FakeHis(confirm_answers=[CallResult.failed("BILL_CANCELLED")])

    async def broken(self: FakeChargesRepository, *args: object, **kwargs: object) -> int:
        raise RuntimeError("connection lost")

    monkeypatch.setattr(FakeChargesRepository, "move_payment_charges", broken)
    with pytest.raises(RuntimeError):
        await his_writeback(deps_for(db, his), {"payment_no": payment.payment_no})
    assert db.rollbacks == 1 and db.commits == 0
    assert jobs(db) == [] and db.table("refund") == {}
    stored = db.table("payment")[payment.id]
    assert stored.his_status == "pending"

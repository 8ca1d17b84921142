"""Refund execution (services/refunds.py: the ``refund`` job) against the in-memory unit of work and fake HIS
and WeChat Pay clients: no database, no network (issue 15). Each test is one branch of the refund's way to
converge (refunded on both sides, or on neither)."""

from __future__ import annotations

import pytest

from checkup.domain.money import WECHAT_REFUND_MIN_DELAY
from checkup.integrations.result import CallResult
from checkup.services.alerts import WECHAT_NOT_ENOUGH
from checkup.services.deps import Deps
from checkup.services.jobs import Retry
from checkup.services.refunds import run_refund
from fakes.money import (
    T0,
    FakeChargesRepository,
    FakeHis,
    FakeWechatPay,
    add_paid_payment,
    add_refund,
    charges_of,
    not_enough,
    rate_limited,
)
from fakes.uow import FakeDatabase, fake_uow_factory


def deps_for(db: FakeDatabase, his: FakeHis, wechatpay: FakeWechatPay) -> Deps:
    return Deps(his=his, peis=None, wechat_login=None, pii=None, tokens=None,  # type: ignore[arg-type]
                wechatpay=wechatpay, now=lambda: T0, uow=fake_uow_factory(db))  # type: ignore[arg-type]


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


def settled_payment(db: FakeDatabase, his: FakeHis, bills: list[tuple[str, int]]):
    """A payment written back to HIS whose first bill the patient asked to refund (charge refunding)."""
    payment = add_paid_payment(db, bills=bills, his_status="settled", charge_status="paid")
    his.settle(payment.payment_no, payment.amount_fen, [b for b, _ in bills])
    charges_of(db, payment)[0].status = "refunding"
    return payment


async def test_refund_goes_to_his_then_to_wechat_and_succeeds_on_both_sides(db: FakeDatabase) -> None:
    his, wechat = FakeHis(), FakeWechatPay()
    payment = settled_payment(db, his, [("B1", 20000), ("B2", 10000)])
    refund = add_refund(db, payment, bill_key="B1")
    await run_refund(deps_for(db, his, wechat), {"refund_no": refund.refund_no})
    assert his.calls == [f"refund {refund.refund_no}"] and wechat.calls == [f"refund {refund.refund_no}"]
    assert refund.status == "succeeded" and refund.his_refund_no == "HR1" and refund.error == ""
    assert [c.status for c in charges_of(db, payment)] == ["refunded", "paid"]
    assert [b.open for b in db.table("payment_bill").values()] == [None, 1]  # only B1 may be paid again


async def test_his_refused_and_no_refund_at_his_is_refunded_on_neither_side(db: FakeDatabase) -> None:
    his, wechat = FakeHis(), FakeWechatPay()
    payment = settled_payment(db, his, [("B1", 20000)])
    his.refund_answers.append(CallResult.failed("AMOUNT_EXCEEDS", "金额超限"))
    refund = add_refund(db, payment, bill_key="B1")
    await run_refund(deps_for(db, his, wechat), {"refund_no": refund.refund_no})
    stored = db.table("refund")[refund.id]
    assert stored.status == "failed" and "AMOUNT_EXCEEDS" in stored.error
    assert wechat.calls == []  # no money goes back at WeChat for a refund HIS does not hold
    assert [c.status for c in charges_of(db, payment)] == ["paid"]


async def test_his_unknown_is_sent_again_and_then_wechat_refunds(db: FakeDatabase) -> None:
    his, wechat = FakeHis(), FakeWechatPay()
    payment = settled_payment(db, his, [("B1", 20000)])
    his.refund_answers.append(CallResult.unknown("TIMEOUT"))
    refund = add_refund(db, payment, bill_key="B1")
    deps = deps_for(db, his, wechat)
    with pytest.raises(Retry):
        await run_refund(deps, {"refund_no": refund.refund_no})
    assert refund.status == "pending" and wechat.calls == []
    await run_refund(deps, {"refund_no": refund.refund_no})
    assert refund.status == "succeeded"


async def test_wechat_429_waits_at_least_a_minute_and_the_retry_refunds(db: FakeDatabase) -> None:
    his, wechat = FakeHis(), FakeWechatPay(refund_errors=[rate_limited()])
    payment = settled_payment(db, his, [("B1", 20000)])
    refund = add_refund(db, payment, bill_key="B1")
    deps = deps_for(db, his, wechat)
    with pytest.raises(Retry) as retry:
        await run_refund(deps, {"refund_no": refund.refund_no})
    assert retry.value.delay is not None and retry.value.delay >= WECHAT_REFUND_MIN_DELAY
    assert retry.value.payload == {"refund_no": refund.refund_no, "wechat_waits": 1}
    assert refund.status == "his_done" and db.table("refund")[refund.id].error != ""
    await run_refund(deps, retry.value.payload)
    assert refund.status == "succeeded"
    assert his.calls == [f"refund {refund.refund_no}"]  # the HIS side is not done twice
    assert wechat.calls == [f"refund {refund.refund_no}"] * 2  # the same out_refund_no, never a new one


async def test_wechat_not_enough_raises_one_alert_per_episode_until_a_refund_goes_through(db: FakeDatabase) -> None:
    his, wechat = FakeHis(), FakeWechatPay(refund_errors=[not_enough(), not_enough()])
    payment = settled_payment(db, his, [("B1", 20000)])
    refund = add_refund(db, payment, bill_key="B1")
    deps = deps_for(db, his, wechat)
    payload = {"refund_no": refund.refund_no}
    for _ in range(2):
        with pytest.raises(Retry) as retry:
            await run_refund(deps, payload)
        payload = retry.value.payload
    [alert] = db.table("finance_alert").values()
    assert (alert.kind, alert.open, alert.times, alert.refund_no) == (WECHAT_NOT_ENOUGH, 1, 2, refund.refund_no)
    await run_refund(deps, payload)
    assert refund.status == "succeeded" and alert.open is None


async def test_wechat_processing_waits_for_the_notification(db: FakeDatabase) -> None:
    his, wechat = FakeHis(), FakeWechatPay(answer_status="PROCESSING")
    payment = settled_payment(db, his, [("B1", 20000)])
    refund = add_refund(db, payment, bill_key="B1")
    await run_refund(deps_for(db, his, wechat), {"refund_no": refund.refund_no})
    assert refund.status == "wechat_pending" and refund.wechat_refund_id == "5000000001"


async def test_a_refund_waits_for_an_older_one_of_the_same_payment(db: FakeDatabase) -> None:
    his, wechat = FakeHis(), FakeWechatPay()
    payment = settled_payment(db, his, [("B1", 20000), ("B2", 10000)])
    add_refund(db, payment, bill_key="B1")
    later = add_refund(db, payment, bill_key="B2")
    with pytest.raises(Retry):
        await run_refund(deps_for(db, his, wechat), {"refund_no": later.refund_no})
    assert his.calls == [] and wechat.calls == []


async def test_rollback_of_the_success_leaves_the_refund_as_it_was(db: FakeDatabase,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    his, wechat = FakeHis(), FakeWechatPay()
    payment = settled_payment(db, his, [("B1", 20000)])
    refund = add_refund(db, payment, bill_key="B1", status="his_done", his_refund_no="HR9")

    async def broken(self: FakeChargesRepository, *args: object, **kwargs: object) -> int:
        raise RuntimeError("connection lost")

    monkeypatch.setattr(FakeChargesRepository, "move_payment_charges", broken)
    with pytest.raises(RuntimeError):
        await run_refund(deps_for(db, his, wechat), {"refund_no": refund.refund_no})
    assert db.rollbacks == 1
    assert db.table("refund")[refund.id].status == "his_done"
    assert [b.open for b in db.table("payment_bill").values()] == [1]

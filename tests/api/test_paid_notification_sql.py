"""The payment notification's statements (issue 17: raw SQL, four statements in one transaction), on both
databases: what the locking read answers, the guarded write, the charges and the outbox row, and the plan
MariaDB runs it with."""

from __future__ import annotations

import pytest
from tortoise import connections

from checkup.db.errors import UniqueViolation
from checkup.db.models import Charge, Job, Payment, WechatUser
from checkup.db.repos.payments import _LOCK_FOR_PAID
from checkup.db.uow import unit_of_work
from checkup.domain.clock import utcnow
from support.payments import open_order, start_payment
from support.people import new_person


async def a_two_bill_order(http, code: str) -> tuple[dict, list[dict], WechatUser]:
    me = await new_person(http, code)
    charges = [await open_order(me), await open_order(me, "ZLN001")]
    payment = await start_payment(me, [c["bill_no"] for c in charges])
    stored = await Payment.get(payment_no=payment["payment_no"])
    return payment, charges, await WechatUser.get(id=stored.user_id)


async def test_the_locking_read_answers_the_order_its_charges_and_the_payer(http, app):
    payment, charges, payer = await a_two_bill_order(http, "sql-lock")
    appid = app.ctx.deps.wechatpay.appid
    async with unit_of_work() as uow:
        order = await uow.payments.lock_for_paid(payment["payment_no"], payer_openid=payer.openid,
                                                 default_appid=appid)
        assert order is not None
        stored = await Payment.get(payment_no=payment["payment_no"])
        assert (order.id, order.status, order.amount_fen, order.transaction_id) == (
            stored.id, "pending", stored.amount_fen, None)
        charge_ids = sorted([(await Charge.get(bill_no=c["bill_no"])).id for c in charges])
        assert list(order.charge_ids) == charge_ids
        assert order.payer_checked and order.payer_known

        other = await uow.payments.lock_for_paid(payment["payment_no"], payer_openid="o-someone-else",
                                                 default_appid=appid)
        assert other is not None and other.payer_checked and not other.payer_known
        nobody = await uow.payments.lock_for_paid(payment["payment_no"], payer_openid=None, default_appid=appid)
        assert nobody is not None and not nobody.payer_known
        assert await uow.payments.lock_for_paid("NO-SUCH-ORDER", payer_openid=payer.openid,
                                                default_appid=appid) is None


async def test_an_account_without_an_identity_under_the_orders_appid_is_not_compared(http, app):
    payment, _charges, payer = await a_two_bill_order(http, "sql-noid")
    await Payment.filter(payment_no=payment["payment_no"]).update(appid="wx-appid-nobody-logged-in-with")
    async with unit_of_work() as uow:
        order = await uow.payments.lock_for_paid(payment["payment_no"], payer_openid=payer.openid,
                                                 default_appid=app.ctx.deps.wechatpay.appid)
    assert order is not None and not order.payer_checked and not order.payer_known


async def test_a_linked_identity_under_the_orders_appid_is_the_payer(http, app):
    payment, _charges, payer = await a_two_bill_order(http, "sql-linked")
    await Payment.filter(payment_no=payment["payment_no"]).update(appid="wx-the-official-account")
    linked = await WechatUser.create(appid="wx-the-official-account", openid="o-linked-oa", account_id=payer.id)
    async with unit_of_work() as uow:
        order = await uow.payments.lock_for_paid(payment["payment_no"], payer_openid=linked.openid,
                                                 default_appid=app.ctx.deps.wechatpay.appid)
        assert order is not None and order.payer_checked and order.payer_known
        # the mini-program identity did not order under that appid
        order = await uow.payments.lock_for_paid(payment["payment_no"], payer_openid=payer.openid,
                                                 default_appid=app.ctx.deps.wechatpay.appid)
        assert order is not None and order.payer_checked and not order.payer_known


async def test_the_write_is_guarded_and_the_charges_and_job_follow_it(http, app):
    payment, charges, _payer = await a_two_bill_order(http, "sql-write")
    stored = await Payment.get(payment_no=payment["payment_no"])
    ids = sorted([(await Charge.get(bill_no=c["bill_no"])).id for c in charges])
    paid_at = utcnow()
    async with unit_of_work() as uow:
        assert await uow.payments.mark_paid(stored.id, transaction_id="4200000000001", paid_at=paid_at,
                                            paid_amount_fen=stored.amount_fen, status="paid", his_status="pending",
                                            charge_ids=ids, charge_status="paying")
        # a second transaction id changes neither the order nor its charges
        assert not await uow.payments.mark_paid(stored.id, transaction_id="4200000000002", paid_at=paid_at,
                                                paid_amount_fen=1, status="held", held_reason="x",
                                                charge_ids=ids, charge_status="refunding")
        job_id = await uow.jobs.enqueue(kind="his_writeback", payload={"payment_no": stored.payment_no},
                                        now=paid_at, dedupe_key=f"his_writeback:{stored.payment_no}")
    after = await Payment.get(id=stored.id)
    assert (after.status, after.his_status, after.transaction_id, after.paid_amount_fen, after.held_reason) == (
        "paid", "pending", "4200000000001", stored.amount_fen, "")
    assert abs((after.paid_at - paid_at).total_seconds()) < 1  # stored as UTC, read back as the same instant
    assert after.updated_at >= stored.updated_at
    assert [c.status for c in await Charge.filter(id__in=ids).order_by("id")] == ["paying", "paying"]
    job = await Job.get(id=job_id)
    assert (job.kind, job.payload, job.status, job.attempts, job.last_error) == (
        "his_writeback", {"payment_no": stored.payment_no}, "pending", 0, "")
    assert abs((job.run_after - paid_at).total_seconds()) < 1
    with pytest.raises(UniqueViolation):  # the write-back is queued once
        async with unit_of_work() as uow:
            await uow.jobs.enqueue(kind="his_writeback", payload={}, now=paid_at,
                                   dedupe_key=f"his_writeback:{stored.payment_no}")


async def test_the_order_and_the_identities_are_read_through_indexes(http, app):
    conn = connections.get("default")
    payment, _charges, payer = await a_two_bill_order(http, "sql-plan")
    for n in range(30):  # enough rows that a scan would show as one
        await WechatUser.create(appid=app.ctx.deps.wechatpay.appid, openid=f"o-plan-filler-{n}")
    appid = app.ctx.deps.wechatpay.appid
    values = [appid, appid, payer.openid, appid, payment["payment_no"]]
    if conn.capabilities.dialect == "sqlite":
        _, plan = await conn.execute_query("EXPLAIN QUERY PLAN " + _LOCK_FOR_PAID.replace("%s", "?"), values)
        steps = [row["detail"] for row in plan]
        assert steps and not [s for s in steps if s.startswith("SCAN")], steps
    else:
        _, plan = await conn.execute_query("EXPLAIN " + _LOCK_FOR_PAID, values)
        assert plan and not [row for row in plan if row["type"] == "ALL"], plan


async def test_a_held_order_keeps_its_charges_and_its_write_back_state(http, app):
    payment, charges, _payer = await a_two_bill_order(http, "sql-held")
    stored = await Payment.get(payment_no=payment["payment_no"])
    async with unit_of_work() as uow:
        assert await uow.payments.mark_paid(stored.id, transaction_id="4200000000003", paid_at=utcnow(),
                                            paid_amount_fen=1, status="held", held_reason="金额不一致")
    after = await Payment.get(id=stored.id)
    assert (after.status, after.his_status, after.held_reason) == ("held", stored.his_status, "金额不一致")
    assert {(await Charge.get(bill_no=c["bill_no"])).status for c in charges} == {"unpaid"}


def agreeing(app, stored: Payment, payer: WechatUser, **changes) -> dict:
    appid = app.ctx.deps.wechatpay.appid
    values = dict(transaction_id="4200000000100", paid_at=utcnow(), paid_amount_fen=stored.amount_fen,
                  payer_openid=payer.openid, appid=appid, default_appid=appid, from_status="pending", status="paid",
                  his_status="pending", charge_status="paying")
    return {**values, **changes}


async def test_mariadb_applies_an_agreeing_notification_in_one_statement(http, app):
    payment, charges, payer = await a_two_bill_order(http, "sql-agree")
    stored = await Payment.get(payment_no=payment["payment_no"])
    async with unit_of_work() as uow:
        applied = await uow.payments.apply_if_agreeing(stored.payment_no, **agreeing(app, stored, payer))
    if connections.get("default").capabilities.dialect == "sqlite":
        assert applied is None  # no multi-table UPDATE: the general path applies it
        assert (await Payment.get(id=stored.id)).status == "pending"
        return
    assert applied is True
    after = await Payment.get(id=stored.id)
    assert (after.status, after.his_status, after.transaction_id, after.paid_amount_fen) == (
        "paid", "pending", "4200000000100", stored.amount_fen)
    assert {(await Charge.get(bill_no=c["bill_no"])).status for c in charges} == {"paying"}
    async with unit_of_work() as uow:  # applied already: nothing matches
        assert await uow.payments.apply_if_agreeing(
            stored.payment_no, **agreeing(app, stored, payer, transaction_id="4200000000101")) is False
    assert (await Payment.get(id=stored.id)).transaction_id == "4200000000100"


@pytest.mark.parametrize("change", ["amount", "appid", "payer", "status", "order"])
async def test_mariadb_changes_nothing_when_the_notification_differs(http, app, change):
    payment, charges, payer = await a_two_bill_order(http, f"sql-differ-{change}")
    stored = await Payment.get(payment_no=payment["payment_no"])
    payment_no = stored.payment_no
    changes = {"amount": {"paid_amount_fen": stored.amount_fen + 1}, "appid": {"appid": "wx-another-app"},
               "payer": {"payer_openid": "o-someone-else"}, "status": {"from_status": "closed"}, "order": {}}[change]
    if change == "order":
        payment_no = "TJ-NO-SUCH-ORDER"
    async with unit_of_work() as uow:
        applied = await uow.payments.apply_if_agreeing(payment_no, **agreeing(app, stored, payer, **changes))
    expected = None if connections.get("default").capabilities.dialect == "sqlite" else False
    assert applied is expected
    after = await Payment.get(id=stored.id)
    assert (after.status, after.transaction_id, after.his_status) == ("pending", None, stored.his_status)
    assert {(await Charge.get(bill_no=c["bill_no"])).status for c in charges} == {"unpaid"}

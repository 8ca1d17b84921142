"""Refunds: a patient's request for a paid, unbooked charge, and automatic ones when HIS refuses a
write-back. Each bill (or the whole payment) is refunded once: unique (payment, bill_key)."""

from __future__ import annotations

import logging
import secrets

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from checkup.db.models import Booking, Charge, Payment, PaymentBill, Refund
from checkup.domain.booking import ChargeStatus
from checkup.domain.clock import SHANGHAI
from checkup.domain.errors import RefundExists, RefundNotAllowed
from checkup.services.charges import find_own_charge
from checkup.services.deps import Deps
from checkup.services.jobs import enqueue

log = logging.getLogger("checkup.refunds")

ALL = "ALL"
REFUND_STATUS_TEXT = {
    "pending": "退款处理中",
    "his_done": "退款处理中",
    "wechat_pending": "退款处理中",
    "succeeded": "已退款",
    "failed": "退款失败，请联系体检中心",
    "abnormal": "退款异常，请联系体检中心",
}


def new_refund_no(now) -> str:
    return "RF" + now.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S") + secrets.token_hex(4).upper()


def refund_json(refund: Refund) -> dict:
    return {
        "refund_no": refund.refund_no,
        "status": refund.status,
        "status_text": REFUND_STATUS_TEXT.get(refund.status, refund.status),
        "amount_fen": refund.amount_fen,
    }


async def request_refund(deps: Deps, *, user_id: int, bill_no: str, reason: str) -> dict:
    """Refund a charge paid through the app that has no active booking."""
    charge, _patient = await find_own_charge(deps, user_id=user_id, bill_no=bill_no)
    holder = await PaymentBill.filter(charge_id=charge.id, open=1).prefetch_related("payment").first()
    if charge.paid_channel == "WINDOW" or holder is None:
        raise RefundNotAllowed("在医院窗口缴费的项目，请到收费窗口办理退费")
    payment = holder.payment
    now = deps.now()
    try:
        async with in_transaction() as conn:
            locked = await Charge.filter(id=charge.id).select_for_update().using_db(conn).first()
            if locked is None or locked.status != ChargeStatus.PAID or payment.his_status != "settled":
                raise RefundNotAllowed("该项目当前状态不能退费")
            if await Booking.filter(charge_id=charge.id, active=1).using_db(conn).exists():
                raise RefundNotAllowed("该项目已预约，请先取消预约再申请退费")
            if await Refund.filter(payment_id=payment.id, bill_key=ALL).using_db(conn).exists():
                raise RefundExists()
            refund = await Refund.create(
                using_db=conn,
                refund_no=new_refund_no(now),
                payment_id=payment.id,
                bill_key=charge.bill_no,
                amount_fen=holder.amount_fen,
                reason=(reason or "患者申请退费")[:80],
                source="patient",
                requested_by=f"user:{user_id}",
                needs_his_refund=True,
            )
            await Charge.filter(id=charge.id).using_db(conn).update(status=ChargeStatus.REFUNDING)
            await enqueue(kind="refund", payload={"refund_no": refund.refund_no}, now=now, conn=conn,
                          dedupe_key=f"refund:{refund.refund_no}")
    except IntegrityError:
        raise RefundExists() from None
    return refund_json(refund)


async def refund_after_his_failure(deps: Deps, *, payment: Payment, reason: str, conn) -> Refund:
    """HIS definitively refused the write-back of money WeChat took: give it all back."""
    refund, created = await Refund.get_or_create(
        payment_id=payment.id,
        bill_key=ALL,
        defaults={
            "refund_no": new_refund_no(deps.now()),
            "amount_fen": payment.paid_amount_fen or payment.amount_fen,
            "reason": reason[:80],
            "source": "his_failed",
            "requested_by": "system",
            "needs_his_refund": False,
        },
        using_db=conn,
    )
    if created:
        await enqueue(kind="refund", payload={"refund_no": refund.refund_no}, now=deps.now(), conn=conn,
                      dedupe_key=f"refund:{refund.refund_no}")
    return refund


async def finish_refund(deps: Deps, *, refund_no: str, status: str, refund_id: str | None = None) -> bool:
    """Record WeChat's final word on a refund (idempotent). True when this call changed it."""
    async with in_transaction() as conn:
        refund = await Refund.filter(refund_no=refund_no).select_for_update().using_db(conn).first()
        if refund is None:
            log.error("refund notification for an unknown refund %s", refund_no)
            return False
        if refund.status in ("succeeded", "failed", "abnormal") and refund.status == status:
            return False
        if refund.status == "succeeded":
            return False
        refund.status = status
        refund.wechat_refund_id = refund_id or refund.wechat_refund_id
        if status == "succeeded":
            refund.succeeded_at = deps.now()
        await refund.save(using_db=conn)
        if status == "succeeded":
            bills = await PaymentBill.filter(payment_id=refund.payment_id).using_db(conn)
            ids = [b.charge_id for b in bills if refund.bill_key in (ALL, b.bill_no)]
            # Never settled in HIS: the bill is unpaid there again; settled then refunded: refunded.
            await Charge.filter(id__in=ids).using_db(conn).update(
                status=ChargeStatus.REFUNDED if refund.needs_his_refund else ChargeStatus.UNPAID
            )
            if refund.bill_key == ALL or len(bills) == 1:
                await PaymentBill.filter(payment_id=refund.payment_id).using_db(conn).update(open=None)
            else:
                await PaymentBill.filter(payment_id=refund.payment_id, bill_no=refund.bill_key).using_db(
                    conn
                ).update(open=None)
    return True


async def staff_refund(deps: Deps, *, payment_no: str, reason: str, staff: str, entry) -> dict:
    """Finance refunds a held payment (WeChat's amount differed from ours) in full; audited."""
    from checkup.domain.errors import NotFound, PaymentUnavailable
    from checkup.integrations.wechat.pay_errors import WechatPayError
    from checkup.services.audit import audited_change

    entry.change(target=f"payment:{payment_no}")
    if not await Payment.exists(payment_no=payment_no):
        raise NotFound("支付记录不存在")
    try:  # WeChat's own record says how much was really taken; the held notification did not agree
        paid = (await deps.wechatpay.query_by_out_trade_no(payment_no)).payer_total_fen
    except WechatPayError:
        raise PaymentUnavailable("暂时无法向微信支付核实该笔订单，请稍后再试") from None

    async def change(conn) -> Refund:
        payment = await Payment.filter(payment_no=payment_no).select_for_update().using_db(conn).first()
        if payment is None:
            raise NotFound("支付记录不存在")
        if payment.status != "held":
            raise RefundNotAllowed("只有金额异常挂起的支付可由财务人员直接退款；其他退款请由患者申请或自动处理")
        if await Refund.filter(payment_id=payment.id, bill_key=ALL).using_db(conn).exists():
            raise RefundExists()
        refund = await Refund.create(
            using_db=conn,
            refund_no=new_refund_no(deps.now()),
            payment_id=payment.id,
            bill_key=ALL,
            amount_fen=paid or payment.amount_fen,
            reason=(reason or "支付金额异常，全额退回")[:80],
            source="staff",
            requested_by=staff,
            needs_his_refund=False,  # a held payment was never written back to HIS
        )
        await enqueue(kind="refund", payload={"refund_no": refund.refund_no}, now=deps.now(), conn=conn,
                      dedupe_key=f"refund:{refund.refund_no}")
        entry.change(before={"status": payment.status}, after={"refund_no": refund.refund_no,
                                                               "amount_fen": refund.amount_fen})
        return refund

    refund = await audited_change(entry, change)
    return refund_json(refund)

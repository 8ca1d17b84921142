"""Paying HIS charges with WeChat Pay, and applying WeChat's word that a payment succeeded.

A payment is applied once: the payment row is locked, the WeChat transaction id is unique, the
amount must equal ours (else the payment is held for staff), and the HIS write-back job is written
in the same transaction. The front end's success callback proves nothing.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from checkup.db.errors import UniqueViolation
from checkup.db.uow import UnitOfWork
from checkup.domain.booking import ChargeStatus
from checkup.domain.clock import SHANGHAI, iso
from checkup.domain.errors import (
    ChargeAlreadyPaid,
    ChargeAmountChanged,
    ChargeUnavailable,
    NotFound,
    PaymentInProgress,
    PaymentUnavailable,
    ValidationFailed,
)
from checkup.domain.money import (
    ACTIVE_REFUND,
    DONE_REFUND,
    PAYMENT_MOVES,
    PAYMENT_PATIENT_STATUS_TEXT,
    STAFF_REFUND,
    WHOLE_PAYMENT,
    HisStatus,
    PaymentStatus,
    check_move,
)
from checkup.integrations.wechat.pay.errors import WechatPayError
from checkup.integrations.wechat.pay.models import Transaction
from checkup.services.charges import checkup_only, refresh_paid, upsert_from_his
from checkup.services.deps import Deps
from checkup.services.upstream import unwrap

if TYPE_CHECKING:
    from checkup.db.models import Charge, Payment

log = logging.getLogger("checkup.payments")

MAX_BILLS = 10
# What WeChat's order query must say after our close before the order is closed here too.
CLOSABLE_TRADE_STATES = frozenset({"CLOSED", "NOTPAY"})
PATIENT_STATUS_TEXT = PAYMENT_PATIENT_STATUS_TEXT  # domain/money: the words the patient reads


def new_payment_no(now: datetime) -> str:
    """24 characters of [A-Z0-9]: within WeChat's 6-32 [A-Za-z0-9_-]."""
    return "TJ" + now.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S") + secrets.token_hex(4).upper()


def _reads(deps: Deps | None) -> UnitOfWork:
    """Repositories outside any transaction (each statement on a pooled connection)."""
    return deps.uow(write=False) if deps is not None else UnitOfWork(write=False)


async def patient_status(payment: Payment, deps: Deps | None = None) -> str:
    """What the patient sees: never 'paid' before HIS confirmed the write-back; 'refunded' once every
    bill's money is back on both sides."""
    if payment.status in (PaymentStatus.PENDING, PaymentStatus.CLOSED):
        return payment.status
    uow = _reads(deps)
    refunds = await uow.refunds.of_payment(payment.id)
    refunded = {r.bill_key for r in refunds if r.status in DONE_REFUND}
    bill_nos = {b.bill_no for b in await uow.payments.bills(payment.id)}
    if WHOLE_PAYMENT in refunded or (bill_nos and bill_nos <= refunded):
        return "refunded"
    if payment.his_status == HisStatus.FAILED or any(
        r.status in ACTIVE_REFUND or r.status in STAFF_REFUND for r in refunds
    ):
        return "refunding" if payment.his_status in (HisStatus.FAILED, HisStatus.SETTLED) else "paying"
    if payment.status == PaymentStatus.HELD:
        return "paying"
    return "paid" if payment.his_status == HisStatus.SETTLED else "paying"


async def payment_json(payment: Payment, deps: Deps | None = None) -> dict:
    bills = await _reads(deps).payments.bills(payment.id)
    status = await patient_status(payment, deps)
    return {
        "payment_no": payment.payment_no,
        "status": status,
        "status_text": PATIENT_STATUS_TEXT[status],
        "amount_fen": payment.amount_fen,
        "bill_nos": [b.bill_no for b in bills],
        "paid_at": iso(payment.paid_at),
        "expires_at": iso(payment.expires_at),
    }


async def _own_payment(deps: Deps, user_id: int, payment_no: str) -> Payment:
    payment = await _reads(deps).payments.own(payment_no, user_id=user_id)
    if payment is None:
        raise NotFound("支付记录不存在")
    return payment


async def create_payment(deps: Deps, *, user_id: int, patient: Any, bill_nos: list[str],
                         identity_id: int | None = None) -> dict:
    """Re-read the bills from HIS, then open (or reuse) one WeChat order for them."""
    wanted = list(dict.fromkeys(b.strip() for b in bill_nos))
    if not wanted or len(wanted) > MAX_BILLS or any(not b for b in wanted):
        raise ValidationFailed(f"请选择1到{MAX_BILLS}个待缴费项目", fields={"bill_nos": "数量不正确"})
    pending = unwrap(await deps.his.pending_charges(his_patient_id=patient.his_patient_id), system="HIS")
    by_no = {hc.bill_no: hc for hc in checkup_only(deps, pending)}  # only the checkup centre's bills
    missing = [b for b in wanted if b not in by_no]
    if missing:
        paid = {c.bill_no for c in await refresh_paid(deps, patient)}
        if any(b in paid for b in missing):
            raise ChargeAlreadyPaid(bill_nos=[b for b in missing if b in paid])
        raise ChargeUnavailable(bill_nos=missing)
    changed = []
    charges: list[Charge] = []
    for bill_no in wanted:
        before = await _reads(deps).charges.by_bill_no(bill_no)
        if before is not None and before.his_patient_id != patient.his_patient_id:
            raise ChargeUnavailable(bill_nos=[bill_no])
        if before is not None and before.amount_fen != by_no[bill_no].amount_fen:
            changed.append(bill_no)
        charges.append(await upsert_from_his(patient, by_no[bill_no], deps=deps))
    if changed:
        raise ChargeAmountChanged(bill_nos=changed)
    if any(c.status == ChargeStatus.PAYING for c in charges):
        raise PaymentInProgress()
    now = deps.now()
    # The payer is the identity that asked: its openid under the appid of its front end (mini-program or
    # official account); the order is the account's.
    payer = await _reads(deps).payments.identity(identity_id or user_id)
    appid = payer.appid or deps.wechatpay.appid
    reused = await _reusable_payment(deps, wanted, now, appid=appid, user_id=user_id)
    if reused is not None:
        return await _with_pay_params(deps, reused)
    total = sum(c.amount_fen for c in charges)
    names = "、".join(dict.fromkeys(c.item_name for c in charges))
    payment_no = new_payment_no(now)
    try:
        async with deps.uow() as uow:
            payment = await uow.payments.add(
                payment_no=payment_no,
                user_id=user_id,
                patient_id=patient.id,
                his_patient_id=patient.his_patient_id,
                amount_fen=total,
                description=names.encode("utf-8")[:120].decode("utf-8", "ignore") or "体检费",
                status="pending",
                appid=appid,
                expires_at=now + timedelta(minutes=deps.payment_expire_minutes),
            )
            for c in charges:
                await uow.payments.add_bill(payment_id=payment.id, charge_id=c.id, bill_no=c.bill_no,
                                            amount_fen=c.amount_fen)
    except UniqueViolation:  # another open payment holds one of these bills
        raise PaymentInProgress() from None
    try:
        prepay_id = await deps.wechatpay.prepay_jsapi(
            out_trade_no=payment.payment_no,
            description=payment.description,
            amount_fen=payment.amount_fen,
            openid=payer.openid,
            time_expire=payment.expires_at,
            attach=f"patient:{patient.id}",
            appid=appid,
        )
    except (WechatPayError, ValueError) as exc:
        log.warning("prepay failed for %s: %s", payment.payment_no, exc)
        await _close_locally(deps, payment.id, now)
        raise PaymentUnavailable() from None
    payment.prepay_id = prepay_id
    await _reads(deps).payments.set_prepay_id(payment.id, prepay_id)
    return await _with_pay_params(deps, payment)


async def _reusable_payment(deps: Deps, bill_nos: list[str], now: datetime, *, appid: str,
                            user_id: int) -> Payment | None:
    """A still-valid pending order of this account for exactly these bills from the same front end (appid)
    is reused; its other pending ones are closed. Another account's pending order is neither reused nor
    closed until it expires."""
    holders = await _reads(deps).payments.open_holders(bill_nos)
    for holder in {h.payment_id: h.payment for h in holders}.values():
        if holder.status != "pending":
            raise PaymentInProgress()
        if holder.user_id != user_id and holder.expires_at > now:
            raise PaymentInProgress("该项目正在由其他微信账号支付，请稍后再试")
        same = sorted(b.bill_no for b in await _reads(deps).payments.bills(holder.id)) == sorted(bill_nos)
        same_front_end = (holder.appid or deps.wechatpay.appid) == appid
        if same and same_front_end and holder.prepay_id and holder.expires_at > now + timedelta(minutes=2):
            return holder
        if not await close_at_wechat(deps, holder):
            raise PaymentInProgress()
    return None


async def _with_pay_params(deps: Deps, payment: Payment) -> dict:
    prepay_id = payment.prepay_id
    if not prepay_id:  # pragma: no cover - both callers pass a payment WeChat has given a prepay id
        raise RuntimeError(f"payment {payment.payment_no} has no prepay id to pay with")
    body = await payment_json(payment, deps)
    appid = payment.appid or deps.wechatpay.appid
    # appId: what the official account's getBrandWCPayRequest needs (wx.requestPayment ignores it).
    body["pay_params"] = {"appId": appid, **deps.wechatpay.pay_params(prepay_id, appid=appid)}
    return body


async def _close_locally(deps: Deps, payment_id: int, now: datetime) -> bool:
    async with deps.uow() as uow:
        payment = await uow.payments.lock(payment_id)
        if payment is None or payment.status != "pending":
            return False
        payment.status = "closed"
        payment.closed_at = now
        await uow.payments.save(payment, ["status", "closed_at"])
        await uow.payments.release_bills(payment_id)
    return True


async def close_at_wechat(deps: Deps, payment: Payment) -> bool:
    """Close an unpaid order at WeChat, then ask WeChat where it stands: closed here only when WeChat
    says CLOSED or NOTPAY (its close answers 204 even for a paid order); a paid one is applied instead.
    True when closed."""
    try:
        await deps.wechatpay.close(payment.payment_no)
    except WechatPayError as exc:
        if not exc.not_found and not exc.order_paid:
            log.warning("close of %s not confirmed: %s", payment.payment_no, exc)
            return False
    state = await query_and_apply(deps, payment)
    if state not in CLOSABLE_TRADE_STATES:
        log.info("order %s not closed here: WeChat says %s", payment.payment_no, state)
        return False
    return await _close_locally(deps, payment.id, deps.now())


def notification_mismatches(deps: Deps, tx: Transaction, payment: Any, *, payer_known: bool | None) -> list[str]:
    """What in WeChat's word on a payment disagrees with our order (each in Chinese); empty when all agree.

    Amount, currency CNY, our appid and mchid, and the payer who opened the order: anything else is a
    notification we cannot apply blindly (another account's order, a misrouted notification), so
    the payment is held for finance. ``payment`` has the order's ``amount_fen`` and ``appid``;
    ``payer_known`` says whether the payer is one of the account's identities under that appid (None: the
    account has none there, so the payer is not compared).
    """
    found = []
    if tx.total_fen != payment.amount_fen:
        found.append(f"微信通知金额 {tx.total_fen} 分与订单金额 {payment.amount_fen} 分不一致")
    found += _currency_mismatch(tx)
    expected_appid = payment.appid or getattr(deps.wechatpay, "appid", None)  # the front end the order came from
    if expected_appid and tx.appid != expected_appid:
        found.append(f"微信通知的 appid {tx.appid} 不是下单的本院小程序或公众号")
    found += _merchant_mismatches(deps, tx)
    if payer_known is False:
        found.append("微信通知的付款人与下单人不一致")
    return found


def _currency_mismatch(tx: Transaction) -> list[str]:
    return [] if (tx.currency or "CNY") == "CNY" else [f"微信通知币种 {tx.currency} 不是人民币（CNY）"]


def _merchant_mismatches(deps: Deps, tx: Transaction) -> list[str]:
    """Our merchant number and, in partner mode, our sub-merchant (the checks that need no order)."""
    found = []
    expected_mchid = getattr(deps.wechatpay, "mchid", None)
    if expected_mchid and tx.mchid != expected_mchid:
        found.append(f"微信通知的商户号 {tx.mchid} 不是本院商户号")
    expected_sub = getattr(deps.wechatpay, "sub_mchid", None)  # partner mode: our sub-merchant
    if expected_sub and getattr(tx, "sub_mchid", None) != expected_sub:
        found.append(f"微信通知的子商户号 {getattr(tx, 'sub_mchid', None)} 不是本院子商户号")
    return found


async def _apply_if_agreeing(deps: Deps, tx: Transaction, now: datetime) -> bool:
    """The common case, on MariaDB, in one transaction of two statements: a notification that agrees with a
    pending order in everything notification_mismatches checks is applied (order, charges, write-back job)
    without reading the order first. False (nothing changed) when the database cannot, when a check that needs
    no order already fails, or when the order is not such an order: apply_paid then reads it and decides."""
    default_appid = getattr(deps.wechatpay, "appid", None)
    if not (tx.total_fen is not None and tx.appid and tx.payer_openid and default_appid and tx.transaction_id):
        return False
    if _currency_mismatch(tx) or _merchant_mismatches(deps, tx):
        return False  # held by the general path, which names what differs
    async with deps.uow() as uow:
        applied = await uow.payments.apply_if_agreeing(
            tx.out_trade_no, transaction_id=tx.transaction_id, paid_at=tx.success_time or now,
            paid_amount_fen=tx.total_fen, payer_openid=tx.payer_openid, appid=tx.appid, default_appid=default_appid,
            from_status=PaymentStatus.PENDING, status=PaymentStatus.PAID, his_status=HisStatus.PENDING,
            charge_status=ChargeStatus.PAYING)
        if applied:
            await uow.jobs.enqueue(kind="his_writeback", payload={"payment_no": tx.out_trade_no}, now=now,
                                   dedupe_key=f"his_writeback:{tx.out_trade_no}")
    return bool(applied)


async def query_and_apply(deps: Deps, payment: Payment) -> str:
    """Ask WeChat about an order; apply it when paid. Answers the trade state (or UNKNOWN)."""
    await _reads(deps).payments.note_queried(payment.id, deps.now())
    try:
        tx = await deps.wechatpay.query_by_out_trade_no(payment.payment_no)
    except WechatPayError as exc:
        if getattr(exc, "not_found", False):
            return "NOTPAY"
        log.info("query of %s failed: %s", payment.payment_no, exc)
        return "UNKNOWN"
    if tx.paid:
        await apply_paid(deps, tx, source="query")
    return tx.trade_state


async def get_payment(deps: Deps, *, user_id: int, payment_no: str) -> dict:
    """The payment's state; a payment still pending after a short delay is queried at WeChat."""
    payment = await _own_payment(deps, user_id, payment_no)
    now = deps.now()
    if payment.status == "pending":
        age = (now - payment.created_at).total_seconds()
        since_query = (now - payment.last_queried_at).total_seconds() if payment.last_queried_at else None
        if age >= deps.payment_query_after_seconds and (since_query is None or since_query >= 3):
            await query_and_apply(deps, payment)
            await _reads(deps).payments.refresh(payment)
    return await payment_json(payment, deps)


async def apply_paid(deps: Deps, tx: Transaction, *, source: str) -> str:
    """Apply a paid transaction once. Answers applied | duplicate | held | unknown_order | not_paid.

    Every paid notification takes this path (issue 17). On MariaDB one that agrees with a pending order is
    applied by two statements (_apply_if_agreeing). Otherwise (SQLite, or anything that differs) three: the
    order locked with its charges and the payer check, the order's and its charges' new state, the write-back
    job; and the outcome says which case it was.
    """
    if not tx.paid or not tx.transaction_id:
        return "not_paid"
    now = deps.now()
    if await _apply_if_agreeing(deps, tx, now):
        log.info("payment %s applied from %s", tx.out_trade_no, source)
        return "applied"
    async with deps.uow() as uow:
        order = await uow.payments.lock_for_paid(tx.out_trade_no, payer_openid=tx.payer_openid,
                                                 default_appid=getattr(deps.wechatpay, "appid", None))
        if order is None:
            log.error("paid notification for an order we do not know: %s (%s)", tx.out_trade_no, source)
            return "unknown_order"
        if order.transaction_id:
            if order.transaction_id != tx.transaction_id:
                log.error("order %s already applied with %s, now %s", order.payment_no,
                          order.transaction_id, tx.transaction_id)
            return "duplicate"
        # the payer is one of the account's identities (mini-program or official account) under the order's appid
        mismatches = notification_mismatches(deps, tx, order,
                                             payer_known=order.payer_known if order.payer_checked else None)
        paid_at, paid_fen = tx.success_time or now, tx.total_fen
        if mismatches:
            check_move(PAYMENT_MOVES, order.status, PaymentStatus.HELD)
            reason = "；".join(mismatches)[:200]
            await uow.payments.mark_paid(order.id, transaction_id=tx.transaction_id, paid_at=paid_at,
                                         paid_amount_fen=paid_fen, status=PaymentStatus.HELD, held_reason=reason)
            log.error("payment %s held: %s", order.payment_no, reason)
            return "held"
        check_move(PAYMENT_MOVES, order.status, PaymentStatus.PAID)
        await uow.payments.mark_paid(order.id, transaction_id=tx.transaction_id, paid_at=paid_at,
                                     paid_amount_fen=paid_fen, status=PaymentStatus.PAID,
                                     his_status=HisStatus.PENDING, charge_ids=order.charge_ids,
                                     charge_status=ChargeStatus.PAYING)
        await uow.jobs.enqueue(kind="his_writeback", payload={"payment_no": order.payment_no}, now=now,
                               dedupe_key=f"his_writeback:{order.payment_no}")
    log.info("payment %s applied from %s", order.payment_no, source)
    return "applied"

"""Refunds: a patient's request for a paid, unbooked charge, and automatic ones when HIS refuses a
write-back. Each bill (or the whole payment) has one refund row: unique (payment, bill_key).

Every refund converges (checkup.domain.money): refunded on both sides (succeeded) or on neither
(failed, from which the patient may apply again and finance may re-run it). A HIS refund that stands
is always followed by the WeChat refund; WeChat's passing refusals are retried at least a minute
apart; a refund WeChat CLOSED is sent again under a new out_refund_no, and one WeChat cannot finish
(ABNORMAL) is a staff task (abnormal) on the 任务 page until finance re-runs it.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from checkup.db.errors import DoesNotExist, UniqueViolation
from checkup.db.uow import UnitOfWork
from checkup.domain.booking import ChargeStatus
from checkup.domain.clock import SHANGHAI, utcnow
from checkup.domain.errors import NotFound, PaidByAnotherAccount, RefundExists, RefundNotAllowed
from checkup.domain.money import (
    ACTIVE_REFUND,
    REFUND_MOVES,
    REFUND_STATUS_TEXT,
    WECHAT_REFUND_MAX_TRIES,
    WECHAT_REFUND_RETRY_CODES,
    WHOLE_PAYMENT,
    RefundStatus,
    check_move,
    refund_reason_text,
    wechat_refund_delay,
)
from checkup.integrations.result import Outcome
from checkup.integrations.wechat.pay.errors import WechatPayError
from checkup.integrations.wechat.pay.models import Refund as WechatRefund
from checkup.services.alerts import WECHAT_NOT_ENOUGH, end_alert, raise_alert
from checkup.services.charges import find_own_charge
from checkup.services.deps import Deps
from checkup.services.jobs import Retry
from checkup.services.refund_checks import before_refund

if TYPE_CHECKING:
    from checkup.db.models import Payment, Refund

log = logging.getLogger("checkup.refunds")

ALL = WHOLE_PAYMENT  # refund.bill_key of a whole-payment refund


def new_refund_no(now: datetime) -> str:
    return "RF" + now.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S") + secrets.token_hex(4).upper()


def refund_json(refund: Refund) -> dict:
    return {
        "refund_no": refund.refund_no,
        "status": refund.status,
        "status_text": REFUND_STATUS_TEXT.get(refund.status, refund.status),
        "amount_fen": refund.amount_fen,
        "reason_text": refund.error,
    }


def refund_task_json(refund: Refund) -> dict:
    """A refund as the 任务 page lists it (``payment`` prefetched)."""
    from checkup.domain.clock import iso

    return {
        "refund_no": refund.refund_no,
        "payment_no": refund.payment.payment_no,
        "bill_key": refund.bill_key,
        "amount_fen": refund.amount_fen,
        "status": refund.status,
        "status_text": REFUND_STATUS_TEXT.get(refund.status, refund.status),
        "source": refund.source,
        "reason": refund.reason,
        "reason_text": refund.error or REFUND_STATUS_TEXT.get(refund.status, ""),
        "wechat_refund_no": wechat_no(refund),
        "updated_at": iso(refund.updated_at),
    }


def wechat_no(refund: Refund) -> str:
    """The out_refund_no in use at WeChat for this refund."""
    return refund.wechat_refund_no or refund.refund_no


def _autocommit(deps: Deps) -> UnitOfWork:
    """Repositories outside any transaction: each statement commits on its own (notes on a refund that a
    guarded state change or the next run reads again)."""
    return deps.uow(write=False)


async def _enqueue_run(uow: UnitOfWork, refund: Refund, *, now: datetime, tag: str = "") -> None:
    key = f"refund:{refund.refund_no}" + (f":{tag}" if tag else "")
    await uow.jobs.enqueue(kind="refund", payload={"refund_no": refund.refund_no}, now=now, dedupe_key=key,
                           max_attempts=30)


async def _move(uow: UnitOfWork, refund: Refund, new: RefundStatus, **changes: Any) -> bool:
    """Guarded state change (``WHERE status = <the status this copy saw>``); False when someone else moved it."""
    check_move(REFUND_MOVES, refund.status, new)
    changed = await uow.refunds.move(refund.id, seen=refund.status, to=new, at=utcnow(), **changes)
    if changed:
        refund.status = new
        for key, value in changes.items():
            setattr(refund, key, value)
    return bool(changed)


async def request_refund(deps: Deps, *, user_id: int, bill_no: str, reason: str) -> dict:
    """Refund a charge paid through the app that has no active booking; a refund that failed (refunded on
    neither side) may be applied for again."""
    charge, _patient = await find_own_charge(deps, user_id=user_id, bill_no=bill_no)
    async with deps.uow(write=False) as reads:
        holder = await reads.payments.holder_of_charge(charge.id)
    if charge.paid_channel == "WINDOW" or holder is None:
        raise RefundNotAllowed("在医院窗口缴费的项目，请到收费窗口办理退费")
    if holder.payment.user_id != user_id:  # the money goes back to the account that paid, asked by it
        raise PaidByAnotherAccount()
    payment = holder.payment
    await before_refund(deps, charge)  # HIS still has it paid; PEIS order cancelled (not checked in)
    now = deps.now()
    try:
        async with deps.uow() as uow:
            locked = await uow.charges.lock(charge.id)
            if locked is None or locked.status != ChargeStatus.PAID or payment.his_status != "settled":
                raise RefundNotAllowed("该项目当前状态不能退费")
            if await uow.charges.booked(charge.id):
                raise RefundNotAllowed("该项目已预约，请先取消预约再申请退费")
            if await uow.refunds.whole_exists(payment.id):
                raise RefundExists()
            earlier = await uow.refunds.lock_of_bill(payment.id, charge.bill_no)
            if earlier is not None:
                if earlier.status != RefundStatus.FAILED:
                    raise RefundExists()
                # the earlier application was refunded on neither side: the same refund runs again
                await _move(uow, earlier, RefundStatus.PENDING, reason=(reason or earlier.reason)[:80],
                            requested_by=f"user:{user_id}", error="")
                refund = earlier
                tag = f"again:{secrets.token_hex(4)}"
            else:
                refund = await uow.refunds.add(
                    refund_no=new_refund_no(now),
                    payment_id=payment.id,
                    bill_key=charge.bill_no,
                    amount_fen=holder.amount_fen,
                    reason=(reason or "患者申请退费")[:80],
                    source="patient",
                    requested_by=f"user:{user_id}",
                    needs_his_refund=True,
                )
                tag = ""
            await uow.charges.set_status(charge.id, ChargeStatus.REFUNDING)
            await _enqueue_run(uow, refund, now=now, tag=tag)
    except UniqueViolation:
        raise RefundExists() from None
    return refund_json(refund)


async def refund_after_his_failure(deps: Deps, *, payment: Payment, reason: str, uow: UnitOfWork) -> Refund:
    """HIS definitively refused the write-back of money WeChat took: give it all back (in ``uow``'s
    transaction, with the payment's failed write-back)."""
    refund, created = await uow.refunds.add_whole_once(payment.id, {
        "refund_no": new_refund_no(deps.now()),
        "amount_fen": payment.paid_amount_fen or payment.amount_fen,
        "reason": reason[:80],
        "source": "his_failed",
        "requested_by": "system",
        "needs_his_refund": False,
    })
    if created:
        await _enqueue_run(uow, refund, now=deps.now())
    return refund


async def finish_refund(deps: Deps, *, refund_no: str, status: str, refund_id: str | None = None) -> bool:
    """Record WeChat's word on a refund (SUCCESS, CLOSED, ABNORMAL, PROCESSING; from a notification, a
    query or the refund answer) for the out_refund_no ``refund_no``; idempotent. True when it changed it."""
    refund = await _autocommit(deps).refunds.by_wechat_no(refund_no)
    if refund is None:
        log.error("WeChat reported refund %s, which we do not know", refund_no)
        return False
    if wechat_no(refund) != refund_no:  # an earlier try (CLOSED at WeChat) that we replaced already
        log.info("refund %s: WeChat's %s about the replaced try %s ignored", refund.refund_no, status, refund_no)
        return False
    if status == "SUCCESS":
        return await _succeeded(deps, refund, refund_id)
    if status == "CLOSED":
        return await _send_again(deps, refund, reason="WECHAT_CLOSED")
    if status == "ABNORMAL":
        return await _to_staff(_autocommit(deps), refund, "WECHAT_ABNORMAL")
    if status == "PROCESSING" and refund.status == RefundStatus.HIS_DONE:
        return await _move(_autocommit(deps), refund, RefundStatus.WECHAT_PENDING,
                           wechat_refund_id=refund_id or refund.wechat_refund_id)
    return False


async def _succeeded(deps: Deps, refund: Refund, refund_id: str | None) -> bool:
    async with deps.uow() as uow:
        locked = await uow.refunds.lock(refund.id)
        if locked is None or locked.status in (RefundStatus.SUCCEEDED, RefundStatus.PENDING, RefundStatus.FAILED):
            return False
        await _move(uow, locked, RefundStatus.SUCCEEDED, wechat_refund_id=refund_id or locked.wechat_refund_id,
                    succeeded_at=deps.now(), error="")
        bills = await uow.payments.bills(locked.payment_id)
        # Never settled in HIS: the bill is unpaid there again; settled then refunded: refunded.
        await uow.charges.move_payment_charges(
            locked.payment_id, bill_key=locked.bill_key,
            to=ChargeStatus.REFUNDED if locked.needs_his_refund else ChargeStatus.UNPAID)
        if locked.bill_key == ALL or len(bills) == 1:
            await uow.payments.release_bills(locked.payment_id)
        else:
            await uow.payments.release_bills(locked.payment_id, bill_no=locked.bill_key)
        from checkup.services import messages

        await messages.notify_refunded(deps, locked, uow=uow)
    log.info("refund %s succeeded on both sides", refund.refund_no)
    return True


async def _send_again(deps: Deps, refund: Refund, *, reason: str) -> bool:
    """WeChat CLOSED the refund (or finance re-runs one): send it again under a new out_refund_no;
    after WECHAT_REFUND_MAX_TRIES closed tries it becomes a staff task instead."""
    async with deps.uow() as uow:
        locked = await uow.refunds.lock(refund.id)
        if locked is None or locked.status not in (RefundStatus.HIS_DONE, RefundStatus.WECHAT_PENDING,
                                                   RefundStatus.ABNORMAL):
            return False
        if locked.wechat_tries + 1 >= WECHAT_REFUND_MAX_TRIES:
            return await _to_staff(uow, locked, "WECHAT_CLOSED_TOO_OFTEN")
        tries = locked.wechat_tries + 1
        await _move(uow, locked, RefundStatus.HIS_DONE, wechat_tries=tries,
                    wechat_refund_no=f"{locked.refund_no}-{tries + 1}", error=refund_reason_text(reason))
        await _enqueue_run(uow, locked, now=deps.now(), tag=f"try{tries + 1}")
    log.warning("refund %s: %s; sent again as %s-%d", refund.refund_no, reason, refund.refund_no, tries + 1)
    return True


async def _to_staff(uow: UnitOfWork, refund: Refund, code: str, *, detail: str = "") -> bool:
    """One-sided until a person acts: the refund shows on the 任务 page with why, in Chinese."""
    if refund.status == RefundStatus.ABNORMAL:
        return False
    moved = await _move(uow, refund, RefundStatus.ABNORMAL, error=refund_reason_text(code, detail)[:200])
    if moved:
        log.error("ALERT refund %s needs finance: %s %s", refund.refund_no, code, detail)
    return moved


async def _his_refund_stands(deps: Deps, refund: Refund, payment: Payment) -> str | None:
    """Ask HIS about the trade: its refund no if our refund stands there, "" if not (None: HIS did not say)."""
    found = await deps.his.query_trade(trade_no=payment.payment_no)
    if found.outcome is not Outcome.SUCCESS:
        return None
    record = found.value.refund(refund.refund_no) if found.value is not None else None
    return record.his_refund_no if record is not None else ""


async def _his_side(deps: Deps, refund: Refund, payment: Payment, payload: dict) -> None:
    """PENDING -> HIS_DONE (the HIS refund stands) or FAILED (HIS refused and its trade shows no refund)."""
    repos = _autocommit(deps)
    if not refund.needs_his_refund:
        await _move(repos, refund, RefundStatus.HIS_DONE)
        return
    refused = payload.get("his_refused")
    if refused:  # HIS refused, and its trade could not be asked about yet: ask before anything else
        stands = await _his_refund_stands(deps, refund, payment)
        if stands is None:
            raise Retry(refund_reason_text("HIS_UNKNOWN", "查询交易"), payload=payload)
        if stands:
            await _move(repos, refund, RefundStatus.HIS_DONE, his_refund_no=stands, error="")
        else:
            await _his_refused(deps, refund, refused)
        return
    result = await deps.his.refund(trade_no=payment.payment_no, refund_no=refund.refund_no,
                                   amount_fen=refund.amount_fen, refunded_at=deps.now())
    if result.outcome is Outcome.SUCCESS:
        await _move(repos, refund, RefundStatus.HIS_DONE,
                    his_refund_no=result.value.his_refund_no if result.value else None, error="")
        return
    if result.outcome is Outcome.UNKNOWN:  # it may have been applied: sent again (idempotent on refund_no)
        await repos.refunds.note_error(refund.id, refund_reason_text("HIS_UNKNOWN"))
        raise Retry(f"HIS refund UNKNOWN {result.code}")
    # FAILED: an earlier try whose answer was lost may have refunded it; the trade says whether it stands
    refused = {"code": result.code or "FAILED", "message": (result.message or "")[:120]}
    stands = await _his_refund_stands(deps, refund, payment)
    if stands is None:
        raise Retry(refund_reason_text("HIS_UNKNOWN", "查询交易"), payload={**payload, "his_refused": refused})
    if stands:
        log.warning("HIS refused refund %s (%s) but has it: it stands", refund.refund_no, refused["code"])
        await _move(repos, refund, RefundStatus.HIS_DONE, his_refund_no=stands, error="")
        return
    await _his_refused(deps, refund, refused)


async def _his_refused(deps: Deps, refund: Refund, refused: dict) -> None:
    async with deps.uow() as uow:
        locked = await uow.refunds.lock(refund.id)
        if locked is None or locked.status != RefundStatus.PENDING:
            return
        await _move(uow, locked, RefundStatus.FAILED,
                    error=refund_reason_text("HIS_REFUSED", f"{refused['code']} {refused['message']}".strip())[:200])
        await uow.charges.move_payment_charges(locked.payment_id, bill_key=locked.bill_key,
                                               only_from=ChargeStatus.REFUNDING, to=ChargeStatus.PAID)
    refund.status = RefundStatus.FAILED
    log.warning("HIS refused refund %s (%s): refunded on neither side", refund.refund_no, refused["code"])


async def _wechat_side(deps: Deps, refund: Refund, payment: Payment, payload: dict) -> None:
    """HIS_DONE -> WeChat refund: SUCCESS / PROCESSING / CLOSED / ABNORMAL; passing refusals wait >= 60 s."""
    repos = _autocommit(deps)
    out_refund_no = wechat_no(refund)
    if payload.get("wechat_query_first") == out_refund_no:
        try:
            found = await deps.wechatpay.query_refund(out_refund_no)
        except WechatPayError as exc:
            if not exc.not_found:
                raise Retry(refund_reason_text("TIMEOUT"), payload=payload,
                            delay=wechat_refund_delay(payload.get("wechat_waits", 1))) from exc
        else:
            await finish_refund(deps, refund_no=out_refund_no, status=found.status, refund_id=found.refund_id)
            return
    try:
        answer = await deps.wechatpay.refund(
            out_refund_no=out_refund_no, out_trade_no=payment.payment_no, amount_fen=refund.amount_fen,
            # the order's total at WeChat is what we asked at prepay
            total_fen=payment.amount_fen, reason=refund.reason[:80],
        )
    except WechatPayError as exc:
        code = exc.code or ""
        if exc.kind == "rejected" and code not in WECHAT_REFUND_RETRY_CODES:
            # a definite refusal: unless WeChat has this refund already, a person must look at it
            known: WechatRefund | None
            try:
                known = await deps.wechatpay.query_refund(out_refund_no)
            except WechatPayError:
                known = None
            if known is not None:
                await finish_refund(deps, refund_no=out_refund_no, status=known.status, refund_id=known.refund_id)
            else:
                await _to_staff(repos, refund, "WECHAT_REJECTED", detail=f"{code} {exc.message}"[:80])
            return
        waits = int(payload.get("wechat_waits", 0)) + 1
        reason = code if code in WECHAT_REFUND_RETRY_CODES else "TIMEOUT"
        if code == "NOT_ENOUGH":  # finance must top the balance up: one alert per episode, not per retry
            await raise_alert(WECHAT_NOT_ENOUGH, now=deps.now(), refund_no=refund.refund_no, uow=repos)
        await repos.refunds.note_error(refund.id, refund_reason_text(reason))
        retry = {**payload, "wechat_waits": waits}
        if reason == "TIMEOUT" or exc.kind == "unknown":
            retry["wechat_query_first"] = out_refund_no
        raise Retry(refund_reason_text(reason), payload=retry, delay=wechat_refund_delay(waits)) from exc
    await repos.refunds.note_wechat_accepted(refund.id, answer.refund_id)
    await end_alert(WECHAT_NOT_ENOUGH, now=deps.now(), uow=repos)  # WeChat took a refund: the balance suffices
    if answer.status == "PROCESSING":
        await _move(repos, refund, RefundStatus.WECHAT_PENDING, wechat_refund_id=answer.refund_id)
    else:
        await finish_refund(deps, refund_no=out_refund_no, status=answer.status, refund_id=answer.refund_id)


async def run_refund(deps: Deps, payload: dict) -> None:
    """The refund job: HIS refund (when HIS had settled it), then WeChat refund; both idempotent on their
    numbers. Refunds of one payment run one at a time, oldest first."""
    async with deps.uow(write=False) as uow:
        refund = await uow.refunds.by_no(payload["refund_no"])
        if refund is None or refund.status not in ACTIVE_REFUND:
            return
        if await uow.refunds.earlier_active(refund):
            raise Retry(refund_reason_text("WAITING_OTHER_REFUND"), delay=30)
        payment = await uow.payments.by_id(refund.payment_id)
    if payment is None:
        raise DoesNotExist(f"payment {refund.payment_id} of refund {refund.refund_no}")
    if refund.status == RefundStatus.PENDING:
        await _his_side(deps, refund, payment, payload)
    if refund.status == RefundStatus.HIS_DONE:
        await _wechat_side(deps, refund, payment, payload)


async def poll_wechat_refund(deps: Deps, refund: Refund) -> None:
    """A refund WeChat is processing whose notification has not come: ask WeChat by out_refund_no."""
    try:
        answer = await deps.wechatpay.query_refund(wechat_no(refund))
    except WechatPayError as exc:
        log.info("refund query %s failed: %s", wechat_no(refund), exc)
        return
    if answer.status == "PROCESSING":
        await _autocommit(deps).refunds.touch(refund.id, utcnow())  # asked again after the next interval
    else:
        await finish_refund(deps, refund_no=wechat_no(refund), status=answer.status, refund_id=answer.refund_id)


async def rerun_refund(deps: Deps, *, refund_no: str, entry: Any) -> dict:
    """Finance re-runs a refund that stopped: one refunded on neither side (failed) starts again, one
    WeChat could not finish (abnormal) is sent to WeChat again under a new number; audited."""
    from checkup.services.audit import audited_change

    entry.change(target=f"refund:{refund_no}")

    async def change(uow: UnitOfWork) -> Refund:
        refund = await uow.refunds.lock_by_no(refund_no)
        if refund is None:
            raise NotFound("退款记录不存在")
        entry.change(before={"status": refund.status, "reason": refund.error})
        if refund.status == RefundStatus.FAILED:
            await _move(uow, refund, RefundStatus.PENDING, error="")
            await uow.charges.move_payment_charges(refund.payment_id, bill_key=refund.bill_key,
                                                   only_from=ChargeStatus.PAID, to=ChargeStatus.REFUNDING)
            await _enqueue_run(uow, refund, now=deps.now(), tag=f"rerun:{secrets.token_hex(4)}")
        elif refund.status == RefundStatus.ABNORMAL:
            tries = refund.wechat_tries + 1
            await _move(uow, refund, RefundStatus.HIS_DONE, wechat_tries=tries,
                        wechat_refund_no=f"{refund.refund_no}-{tries + 1}", error="")
            await _enqueue_run(uow, refund, now=deps.now(), tag=f"try{tries + 1}")
        else:
            raise RefundNotAllowed("只有未成功或需人工处理的退款可以重新执行")
        entry.change(after={"status": refund.status})
        return refund

    refund = await audited_change(entry, change, uow=deps.uow)
    return refund_json(refund)


async def staff_refund(deps: Deps, *, payment_no: str, reason: str, staff: str, entry: Any) -> dict:
    """Finance refunds a held payment (WeChat's amount differed from ours) in full; audited."""
    from checkup.domain.errors import PaymentUnavailable
    from checkup.services.audit import audited_change

    entry.change(target=f"payment:{payment_no}")
    if not await _autocommit(deps).payments.exists(payment_no):
        raise NotFound("支付记录不存在")
    try:  # WeChat's own record says how much was really taken; the held notification did not agree
        paid = (await deps.wechatpay.query_by_out_trade_no(payment_no)).payer_total_fen
    except WechatPayError:
        raise PaymentUnavailable("暂时无法向微信支付核实该笔订单，请稍后再试") from None

    async def change(uow: UnitOfWork) -> Refund:
        payment = await uow.payments.lock_by_no(payment_no)
        if payment is None:
            raise NotFound("支付记录不存在")
        if payment.status != "held":
            raise RefundNotAllowed("只有金额异常挂起的支付可由财务人员直接退款；其他退款请由患者申请或自动处理")
        if await uow.refunds.whole_exists(payment.id):
            raise RefundExists()
        if paid and paid != payment.paid_amount_fen:  # WeChat's own record of what it took replaces the odd one
            await uow.payments.set_paid_amount(payment.id, paid)
        refund = await uow.refunds.add(
            refund_no=new_refund_no(deps.now()),
            payment_id=payment.id,
            bill_key=ALL,
            amount_fen=paid or payment.amount_fen,
            reason=(reason or "支付金额异常，全额退回")[:80],
            source="staff",
            requested_by=staff,
            needs_his_refund=False,  # a held payment was never written back to HIS
        )
        await _enqueue_run(uow, refund, now=deps.now())
        entry.change(before={"status": payment.status}, after={"refund_no": refund.refund_no,
                                                               "amount_fen": refund.amount_fen})
        return refund

    refund = await audited_change(entry, change, uow=deps.uow)
    return refund_json(refund)

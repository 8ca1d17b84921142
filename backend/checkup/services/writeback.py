"""The HIS write-back of a payment (缴费确认), a use case the worker runs as the job ``his_writeback``.

Idempotent: the job may run again after a crash or an expired lease. HIS applies our trade number once;
an UNKNOWN answer is resolved by querying the trade, never by guessing; a refusal is checked against the
trade before any money goes back (then the automatic refund starts in the same transaction).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from checkup.db.errors import DoesNotExist
from checkup.domain.booking import ChargeStatus
from checkup.integrations.his import HisSettlement
from checkup.integrations.result import Outcome
from checkup.services import messages
from checkup.services.deps import Deps
from checkup.services.jobs import Retry
from checkup.services.refunds import refund_after_his_failure

if TYPE_CHECKING:
    from checkup.db.models import Payment

log = logging.getLogger("checkup.worker")


async def _settle(deps: Deps, payment: Payment, settlement: HisSettlement) -> None:
    async with deps.uow() as uow:
        locked = await uow.payments.lock(payment.id)
        if locked is None or locked.his_status == "settled":
            return
        locked.his_status = "settled"
        locked.his_settle_no = settlement.settle_no
        locked.his_receipt_no = settlement.receipt_no
        locked.his_settled_at = settlement.settled_at
        await uow.payments.save(locked)
        await uow.charges.move_payment_charges(locked.id, only_from=ChargeStatus.PAYING, to=ChargeStatus.PAID,
                                               paid_at=locked.paid_at, paid_channel="WECHAT",
                                               his_settle_no=settlement.settle_no)
        await messages.notify_payment_settled(deps, locked, uow=uow)  # 缴费成功 message, with the write-back
    log.info("payment %s written back to HIS as %s", payment.payment_no, settlement.settle_no)


async def _his_refused(deps: Deps, payment: Payment, code: str, message: str) -> None:
    async with deps.uow() as uow:
        locked = await uow.payments.lock(payment.id)
        if locked is None or locked.his_status in ("settled", "failed"):
            return
        locked.his_status = "failed"
        locked.his_error = f"{code}: {message}"[:200]
        await uow.payments.save(locked)
        await refund_after_his_failure(deps, payment=locked, reason=f"医院系统拒绝入账（{code}），自动退款", uow=uow)
        await uow.charges.move_payment_charges(locked.id, only_from=ChargeStatus.PAYING, to=ChargeStatus.REFUNDING)
    log.warning("HIS refused write-back of %s (%s %s): refunding", payment.payment_no, code, message)


async def _resolve_by_query(deps: Deps, payment: Payment, payload: dict, refused: dict | None) -> bool:
    """Ask HIS about our trade: settled there -> settled here; absent after a refusal -> the refusal stands
    (refund). False when HIS does not have it and nothing was refused (send the write-back). An unknown
    answer retries with the query first, carrying the refusal."""
    found = await deps.his.query_trade(trade_no=payment.payment_no)
    if found.outcome is not Outcome.SUCCESS:
        retry = {**payload, "query_first": True, **({"refused": refused} if refused else {})}
        raise Retry(f"HIS query_trade {found.outcome} {found.code}", payload=retry)
    if found.value is not None:
        if refused:
            log.warning("HIS refused %s (%s) but has settled the trade: settled, not refunded",
                        payment.payment_no, refused["code"])
        await _settle(deps, payment, found.value)
        return True
    if refused:
        await _his_refused(deps, payment, refused["code"], refused["message"])
        return True
    return False


async def his_writeback(deps: Deps, payload: dict) -> None:
    """缴费确认; UNKNOWN is resolved by querying the trade, never by guessing."""
    async with deps.uow(write=False) as uow:
        payment = await uow.payments.by_no(payload["payment_no"])
        if payment is None:
            raise DoesNotExist(f"payment {payload['payment_no']}")
    if payment.status != "paid" or payment.his_status in ("settled", "failed"):
        return
    if payload.get("query_first") and await _resolve_by_query(deps, payment, payload, payload.get("refused")):
        return
    async with deps.uow(write=False) as uow:
        bills = await uow.payments.bills(payment.id)
    result = await deps.his.confirm_payment(
        his_patient_id=payment.his_patient_id,
        bill_nos=[b.bill_no for b in bills],
        amount_fen=payment.amount_fen,
        trade_no=payment.payment_no,
        transaction_id=payment.transaction_id or "",
        paid_at=payment.paid_at or deps.now(),
    )
    if result.outcome is Outcome.SUCCESS and result.value is not None:
        await _settle(deps, payment, result.value)
    elif result.outcome is Outcome.FAILED:
        # Before giving the money back, ask HIS about the trade itself: an earlier attempt whose answer
        # was lost (a timeout, a worker killed before it could note "query first") may have settled it,
        # and a HIS that checks the bill before the trade number then says "already paid". Refunding
        # then would leave HIS with a payment the patient got back.
        refused = {"code": result.code or "FAILED", "message": (result.message or "")[:200]}
        await _resolve_by_query(deps, payment, payload, refused)
    else:
        raise Retry(f"HIS confirm_payment UNKNOWN {result.code}", payload={**payload, "query_first": True})

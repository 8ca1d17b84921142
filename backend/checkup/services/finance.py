"""The finance pages of the console: payments with their write-back and refund state, durable jobs and refund
tasks, each a page of rows as the API answers them (api/console/finance.py)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from checkup.domain.clock import iso
from checkup.domain.money import (
    HIS_STATUS_TEXT,
    PAYMENT_STAFF_STATE_TEXT,
    REFUND_STATUS_TEXT,
    STAFF_REFUND,
    HisStatus,
    PaymentStatus,
    RefundStatus,
)
from checkup.services.deps import Deps
from checkup.services.jobs import job_json
from checkup.services.payments import patient_status
from checkup.services.reconciliation import day_bounds
from checkup.services.refunds import refund_task_json

if TYPE_CHECKING:
    from checkup.db.models import Payment, Refund


async def payments_page(deps: Deps, *, start_day: date, end_day: date, status: str | None, page: int,
                        page_size: int) -> dict[str, Any]:
    """Payments opened on the days ``start_day``..``end_day`` (Asia/Shanghai), newest first, with the money
    summary of the whole filter."""
    start, _ = day_bounds(start_day)
    _, end = day_bounds(end_day)
    async with deps.uow(write=False) as uow:
        rows, total = await uow.payments.opened_page(start=start, end=end, status=status,
                                                     offset=(page - 1) * page_size, limit=page_size)
        ids = [p.id for p in rows]
        bills: dict[int, list[str]] = {}
        for b in await uow.payments.bills_of(ids):
            bills.setdefault(b.payment_id, []).append(b.bill_no)
        refunds: dict[int, list[Refund]] = {}
        for r in await uow.refunds.of_payments(ids):
            refunds.setdefault(r.payment_id, []).append(r)
        names = await uow.payments.patient_names({p.patient_id for p in rows})
        taken = await uow.payments.paid_amounts_opened(start=start, end=end, status=status)
        summary = await _money_summary(uow, taken)
    items = [await _payment_row(deps, p, bills.get(p.id, []), refunds.get(p.id, []), names.get(p.patient_id, ""))
             for p in rows]
    return {"items": items, "total": total, "summary": summary}


async def _payment_row(deps: Deps, p: Payment, bill_nos: list[str], refunds: list[Refund],
                       patient_name: str) -> dict[str, Any]:
    refunded = any(r.status == RefundStatus.SUCCEEDED for r in refunds)
    state = (PaymentStatus.HELD.value if p.status == PaymentStatus.HELD and not refunded
             else await patient_status(p, deps))
    latest = refunds[-1] if refunds else None
    return {
        "payment_no": p.payment_no,
        "patient_name": patient_name,
        "bill_nos": bill_nos,
        "amount_fen": p.amount_fen,
        "status": p.status,
        "transaction_id": p.transaction_id,
        "created_at": iso(p.created_at),
        "paid_at": iso(p.paid_at),
        "writeback_status": p.his_status,
        "writeback_text": HIS_STATUS_TEXT.get(HisStatus(p.his_status), p.his_status),
        "his_settle_no": p.his_settle_no,
        "his_error": p.his_error,
        "held_reason": p.held_reason,
        "refund_status": latest.status if latest else None,
        "refund_status_text": REFUND_STATUS_TEXT.get(RefundStatus(latest.status), latest.status) if latest else None,
        "refund_no": latest.refund_no if latest else None,
        "refunded_fen": sum(r.amount_fen for r in refunds if r.status == RefundStatus.SUCCEEDED),
        "state": state,
        "status_text": PAYMENT_STAFF_STATE_TEXT.get(state, state),
    }


async def _money_summary(uow: Any, taken: list[tuple[int, int]]) -> dict[str, int]:
    """The payments ``taken`` ((id, amount_fen) of those that went through: held ones wait for finance and go
    back in full) and what of them was refunded: amount_fen is net of refunds."""
    gross = sum(amount for _id, amount in taken)
    refunded = await uow.refunds.succeeded_amount([payment_id for payment_id, _amount in taken])
    return {"count": len(taken), "gross_fen": gross, "refunded_fen": refunded, "amount_fen": gross - refunded}


async def jobs_page(deps: Deps, *, status: str, page: int, page_size: int) -> dict[str, Any]:
    """Durable jobs of one status, newest first."""
    async with deps.uow(write=False) as uow:
        rows, total = await uow.jobs.page(status=status, offset=(page - 1) * page_size, limit=page_size)
    return {"items": [job_json(j) for j in rows], "total": total}


async def refund_tasks_page(deps: Deps, *, status: str | None, page: int, page_size: int) -> dict[str, Any]:
    """Refunds of one status, newest first; without one, those needing a person (failed, abnormal)."""
    statuses: list[str] = [status] if status else sorted(STAFF_REFUND | {RefundStatus.FAILED})
    async with deps.uow(write=False) as uow:
        rows, total = await uow.refunds.page(statuses=statuses, offset=(page - 1) * page_size, limit=page_size)
    return {"items": [refund_task_json(r) for r in rows], "total": total}

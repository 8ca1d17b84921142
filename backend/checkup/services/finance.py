"""The finance pages of the console: payments with their write-back and refund state, durable jobs and refund
tasks, each a page of rows as the API answers them (api/console/finance.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from checkup.db.models import Job, Patient, Payment, PaymentBill, Refund
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
from checkup.services.jobs import job_json
from checkup.services.payments import patient_status
from checkup.services.reconciliation import day_bounds
from checkup.services.refunds import refund_task_json


async def payments_page(*, start_day: date, end_day: date, status: str | None, page: int,
                        page_size: int) -> dict[str, Any]:
    """Payments opened on the days ``start_day``..``end_day`` (Asia/Shanghai), newest first, with the money
    summary of the whole filter."""
    start, _ = day_bounds(start_day)
    _, end = day_bounds(end_day)
    qs = Payment.filter(created_at__gte=start, created_at__lt=end)
    if status:
        qs = qs.filter(status=status)
    total = await qs.count()
    rows = await qs.order_by("-id").offset((page - 1) * page_size).limit(page_size)
    ids = [p.id for p in rows]
    bills: dict[int, list[str]] = {}
    for b in await PaymentBill.filter(payment_id__in=ids).order_by("id"):
        bills.setdefault(b.payment_id, []).append(b.bill_no)
    refunds: dict[int, list[Refund]] = {}
    for r in await Refund.filter(payment_id__in=ids).order_by("id"):
        refunds.setdefault(r.payment_id, []).append(r)
    names = {p.id: p.name for p in await Patient.filter(id__in={p.patient_id for p in rows})}
    items = [await _payment_row(p, bills.get(p.id, []), refunds.get(p.id, []), names.get(p.patient_id, ""))
             for p in rows]
    return {"items": items, "total": total, "summary": await _money_summary(qs)}


async def _payment_row(p: Payment, bill_nos: list[str], refunds: list[Refund], patient_name: str) -> dict[str, Any]:
    refunded = any(r.status == RefundStatus.SUCCEEDED for r in refunds)
    state = PaymentStatus.HELD.value if p.status == PaymentStatus.HELD and not refunded else await patient_status(p)
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


async def _money_summary(qs: Any) -> dict[str, int]:
    """Payments of ``qs`` that went through (held ones wait for finance and go back in full) and what of
    them was refunded: amount_fen is net of refunds."""
    taken = await qs.filter(status=PaymentStatus.PAID).values_list("id", "amount_fen")
    gross = sum(amount for _id, amount in taken)
    refunded = sum(await Refund.filter(payment_id__in=[t[0] for t in taken], status=RefundStatus.SUCCEEDED)
                   .values_list("amount_fen", flat=True)) if taken else 0
    return {"count": len(taken), "gross_fen": gross, "refunded_fen": refunded, "amount_fen": gross - refunded}


async def jobs_page(*, status: str, page: int, page_size: int) -> dict[str, Any]:
    """Durable jobs of one status, newest first."""
    qs = Job.filter(status=status)
    total = await qs.count()
    rows = await qs.order_by("-id").offset((page - 1) * page_size).limit(page_size)
    return {"items": [job_json(j) for j in rows], "total": total}


async def refund_tasks_page(*, status: str | None, page: int, page_size: int) -> dict[str, Any]:
    """Refunds of one status, newest first; without one, those needing a person (failed, abnormal)."""
    statuses = [status] if status else sorted(STAFF_REFUND | {RefundStatus.FAILED})
    qs = Refund.filter(status__in=statuses)
    total = await qs.count()
    rows = await qs.order_by("-id").offset((page - 1) * page_size).limit(page_size).prefetch_related("payment")
    return {"items": [refund_task_json(r) for r in rows], "total": total}

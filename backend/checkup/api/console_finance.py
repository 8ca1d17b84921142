"""Finance side of the console: payments with their write-back and refund state, reconciliation, jobs."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Literal

from pydantic import Field
from sanic import Blueprint, Request

from checkup.api.audit import audit_entry
from checkup.api.routing import route
from checkup.api.schemas import In, Out, RefundOut
from checkup.db.models import Job, Patient, Payment, PaymentBill, Refund
from checkup.domain.clock import iso, shanghai_today
from checkup.domain.money import STAFF_REFUND, PaymentStatus, RefundStatus
from checkup.services.alerts import open_alerts
from checkup.services.calendar import check_range
from checkup.services.jobs import job_json, retry_failed_job
from checkup.services.payments import patient_status
from checkup.services.reconciliation import day_bounds, reconcile
from checkup.services.refunds import refund_task_json, rerun_refund, staff_refund

bp = Blueprint("console_finance", url_prefix="/api/console")
FINANCE = ("admin", "finance")


class PaymentsQuery(In):
    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None
    # The statuses payment.status can hold (ck_payment_status): anything else is a 422, not a query.
    status: Literal["pending", "paid", "closed", "held"] | None = None
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=20, ge=1, le=200)


class ReconciliationQuery(In):
    date: dt.date | None = None


class StaffRefundIn(In):
    reason: str | None = Field(default=None, max_length=80)


class StaffPaymentOut(Out):
    payment_no: str
    patient_name: str
    bill_nos: list[str]
    amount_fen: int
    status: str
    transaction_id: str | None
    created_at: str
    paid_at: str | None
    writeback_status: str
    his_settle_no: str | None
    his_error: str
    held_reason: str
    refund_status: str | None
    refund_no: str | None
    refunded_fen: int
    state: str  # as the patient sees it: pending, paying, paid, refunding, refunded, closed (held: held)


class PaymentsSummaryOut(Out):
    # Net of refunds: amount_fen = gross_fen - refunded_fen (what the hospital keeps).
    count: int
    amount_fen: int
    gross_fen: int
    refunded_fen: int


class StaffPaymentList(Out):
    items: list[StaffPaymentOut]
    total: int
    summary: PaymentsSummaryOut


class DifferenceOut(Out):
    kind: str
    kind_text: str
    cause: str
    action: str
    payment_no: str | None = None
    refund_no: str | None = None
    transaction_id: str | None = None
    amount_fen: int | None = None
    amounts: dict[str, int | None] | None = None  # amount_mismatch: each source's amount
    line_no: int | None = None  # bill_row_malformed: the line of the bill file


class ReconciliationSourcesOut(Out):
    wechat_rows: int  # our rows of the bill
    his_rows: int
    ours: int
    refunds: int
    foreign_rows: int = 0  # rows of other systems sharing the merchant number (not compared)
    bad_rows: int = 0  # rows that could not be read (each is a difference)
    converged: int = 0  # held or HIS-refused payments refunded in full: not differences


class ReconciliationOut(Out):
    date: dt.date
    matched: int
    differences: list[DifferenceOut]
    summary: str
    sources: ReconciliationSourcesOut
    created_at: str


class JobOut(Out):
    id: int
    kind: str
    payload: dict
    status: str
    attempts: int
    max_attempts: int
    last_error: str
    run_after: str
    created_at: str
    updated_at: str


class JobList(Out):
    items: list[JobOut]
    total: int


class RefundTasksQuery(In):
    # Without a status: the refunds that need a person (failed: refunded on neither side; abnormal:
    # HIS refunded, WeChat could not finish).
    status: Literal["pending", "his_done", "wechat_pending", "succeeded", "failed", "abnormal"] | None = None
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=50, ge=1, le=200)


class RefundTaskOut(Out):
    refund_no: str
    payment_no: str
    bill_key: str
    amount_fen: int
    status: str
    status_text: str
    source: str
    reason: str
    reason_text: str
    wechat_refund_no: str
    updated_at: str


class RefundTaskList(Out):
    items: list[RefundTaskOut]
    total: int


class AlertOut(Out):
    kind: str  # WECHAT_NOT_ENOUGH
    text: str  # what happened and what to do, in Chinese
    times: int  # how often it was seen since it was raised
    refund_no: str  # the latest refund it held up
    first_at: str
    last_at: str


class AlertList(Out):
    items: list[AlertOut]


class JobsQuery(In):
    status: str = Field(default="failed", pattern="^(pending|running|done|failed)$")
    page: int = Field(default=1, ge=1, le=100_000)
    page_size: int = Field(default=50, ge=1, le=200)


@route(bp, "GET", "/payments", auth="staff", roles=FINANCE, query=PaymentsQuery,
       response=StaffPaymentList)
async def list_payments(request: Request, query: PaymentsQuery):
    """Payments of a date range with their HIS write-back and refund state."""
    today = shanghai_today()
    start_day, end_day = query.from_ or today, query.to or today
    check_range(start_day, end_day)
    start, _ = day_bounds(start_day)
    _, end = day_bounds(end_day)
    qs = Payment.filter(created_at__gte=start, created_at__lt=end)
    if query.status:
        qs = qs.filter(status=query.status)
    total = await qs.count()
    rows = await qs.order_by("-id").offset((query.page - 1) * query.page_size).limit(query.page_size)
    ids = [p.id for p in rows]
    bills: dict[int, list[str]] = {}
    for b in await PaymentBill.filter(payment_id__in=ids).order_by("id"):
        bills.setdefault(b.payment_id, []).append(b.bill_no)
    refunds: dict[int, list[Refund]] = {}
    for r in await Refund.filter(payment_id__in=ids).order_by("id"):
        refunds.setdefault(r.payment_id, []).append(r)
    names = {p.id: p.name for p in await Patient.filter(id__in={p.patient_id for p in rows})}
    items = []
    for p in rows:
        rs = refunds.get(p.id, [])
        items.append({
            "payment_no": p.payment_no,
            "patient_name": names.get(p.patient_id, ""),
            "bill_nos": bills.get(p.id, []),
            "amount_fen": p.amount_fen,
            "status": p.status,
            "transaction_id": p.transaction_id,
            "created_at": iso(p.created_at),
            "paid_at": iso(p.paid_at),
            "writeback_status": p.his_status,
            "his_settle_no": p.his_settle_no,
            "his_error": p.his_error,
            "held_reason": p.held_reason,
            "refund_status": rs[-1].status if rs else None,
            "refund_no": rs[-1].refund_no if rs else None,
            "refunded_fen": sum(r.amount_fen for r in rs if r.status == RefundStatus.SUCCEEDED),
            "state": PaymentStatus.HELD if p.status == PaymentStatus.HELD and not any(
                r.status == RefundStatus.SUCCEEDED for r in rs) else await patient_status(p),
        })
    return {"items": items, "total": total, "summary": await money_summary(qs)}


async def money_summary(qs) -> dict:
    """Payments of ``qs`` that went through (held ones wait for finance and go back in full) and what of
    them was refunded: amount_fen is net of refunds."""
    taken = await qs.filter(status=PaymentStatus.PAID).values_list("id", "amount_fen")
    gross = sum(amount for _id, amount in taken)
    refunded = sum(await Refund.filter(payment_id__in=[t[0] for t in taken], status=RefundStatus.SUCCEEDED)
                   .values_list("amount_fen", flat=True)) if taken else 0
    return {"count": len(taken), "gross_fen": gross, "refunded_fen": refunded, "amount_fen": gross - refunded}


@route(bp, "GET", "/reconciliation", auth="staff", roles=FINANCE, query=ReconciliationQuery,
       response=ReconciliationOut, limit=("staff_upstream",))
async def get_reconciliation(request: Request, query: ReconciliationQuery):
    """The day's three-way match (WeChat bill, HIS settlements, our ledger) and its differences."""
    day = query.date or shanghai_today() - timedelta(days=1)
    return await reconcile(request.app.ctx.deps, day=day)


@route(bp, "GET", "/jobs", auth="staff", roles=FINANCE, query=JobsQuery, response=JobList)
async def list_jobs(request: Request, query: JobsQuery):
    """Durable jobs by status; failed ones (retries exhausted) need a person."""
    qs = Job.filter(status=query.status)
    total = await qs.count()
    rows = await qs.order_by("-id").offset((query.page - 1) * query.page_size).limit(query.page_size)
    return {"items": [job_json(j) for j in rows], "total": total}


@route(bp, "POST", "/jobs/{job_id:int}/retry", auth="staff", roles=FINANCE, response=JobOut, audit="job.retry")
async def retry_job(request: Request, job_id: int):
    """Re-queue a failed job (retries exhausted) to run now; any other status is a 409.

    Safe to run again: the HIS write-back and refunds are idempotent (our trade number and refund
    number are the idempotency keys at HIS and WeChat Pay), so a job that did get through before
    failing cannot be applied twice.
    """
    return await retry_failed_job(job_id=job_id, now=request.app.ctx.deps.now(), entry=audit_entry(request))


@route(bp, "GET", "/alerts", auth="staff", roles=FINANCE, response=AlertList)
async def list_alerts(request: Request):
    """Open finance alerts (e.g. the merchant balance too low for refunds), raised once per episode."""
    return {"items": await open_alerts()}


@route(bp, "GET", "/refunds", auth="staff", roles=FINANCE, query=RefundTasksQuery, response=RefundTaskList)
async def list_refund_tasks(request: Request, query: RefundTasksQuery):
    """Refunds by status, with why each waits or stopped in Chinese; by default those needing a person."""
    statuses = [query.status] if query.status else sorted(STAFF_REFUND | {RefundStatus.FAILED})
    qs = Refund.filter(status__in=statuses)
    total = await qs.count()
    rows = await qs.order_by("-id").offset((query.page - 1) * query.page_size).limit(query.page_size) \
        .prefetch_related("payment")
    return {"items": [refund_task_json(r) for r in rows], "total": total}


@route(bp, "POST", "/refunds/{refund_no}/retry", auth="staff", roles=FINANCE, response=RefundOut,
       audit="refund.retry")
async def retry_refund(request: Request, refund_no: str):
    """Re-run a refund that stopped (failed: refunded on neither side; abnormal: WeChat could not finish)."""
    return await rerun_refund(request.app.ctx.deps, refund_no=refund_no, entry=audit_entry(request))


@route(bp, "POST", "/payments/{payment_no}/refund", auth="staff", roles=FINANCE, body=StaffRefundIn, status=201,
       response=RefundOut, audit="payment.refund")
async def refund_held_payment(request: Request, payment_no: str, body: StaffRefundIn):
    """Refund in full a payment held because WeChat's amount differed from ours."""
    return await staff_refund(request.app.ctx.deps, payment_no=payment_no, reason=body.reason or "",
                              staff=request.ctx.staff.username, entry=audit_entry(request))

"""Finance side of the console: payments with their write-back and refund state, reconciliation, jobs, refund
tasks and alerts (the database only through services: services/finance.py)."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from typing import Any, Literal

from pydantic import Field
from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import FINANCIAL, blueprint
from checkup.api.routing import route
from checkup.api.schemas import In, Out, PatientPaymentStatus, RefundOut
from checkup.domain.clock import shanghai_today
from checkup.domain.money import HisStatus, JobStatus, PaymentStatus, RefundStatus
from checkup.services import finance
from checkup.services.alerts import open_alerts
from checkup.services.calendar import check_range
from checkup.services.jobs import retry_failed_job
from checkup.services.reconciliation import reconcile
from checkup.services.refunds import rerun_refund, staff_refund

bp = blueprint("finance")
FINANCE = FINANCIAL


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
    status: PaymentStatus  # the WeChat side
    transaction_id: str | None
    created_at: str
    paid_at: str | None
    writeback_status: HisStatus
    writeback_text: str  # domain.money.HIS_STATUS_TEXT ("" for none)
    his_settle_no: str | None
    his_error: str
    held_reason: str
    refund_status: RefundStatus | None  # the latest refund's
    refund_status_text: str | None  # domain.money.REFUND_STATUS_TEXT
    refund_no: str | None
    refunded_fen: int
    state: PatientPaymentStatus | Literal["held"]  # as the patient sees it (held: held, not refunded yet)
    status_text: str  # of state, domain.money.PAYMENT_STAFF_STATE_TEXT


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
    status: JobStatus
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
    status: RefundStatus
    status_text: str
    source: Literal["patient", "his_failed", "staff"]
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
async def list_payments(request: Request, query: PaymentsQuery) -> dict[str, Any]:
    """Payments of a date range with their HIS write-back and refund state."""
    today = shanghai_today()
    start_day, end_day = query.from_ or today, query.to or today
    check_range(start_day, end_day)
    return await finance.payments_page(request.app.ctx.deps, start_day=start_day, end_day=end_day,
                                       status=query.status, page=query.page, page_size=query.page_size)


@route(bp, "GET", "/reconciliation", auth="staff", roles=FINANCE, query=ReconciliationQuery,
       response=ReconciliationOut, limit=("staff_upstream",))
async def get_reconciliation(request: Request, query: ReconciliationQuery):
    """The day's three-way match (WeChat bill, HIS settlements, our ledger) and its differences."""
    day = query.date or shanghai_today() - timedelta(days=1)
    return await reconcile(request.app.ctx.deps, day=day)


@route(bp, "GET", "/jobs", auth="staff", roles=FINANCE, query=JobsQuery, response=JobList)
async def list_jobs(request: Request, query: JobsQuery) -> dict[str, Any]:
    """Durable jobs by status; failed ones (retries exhausted) need a person."""
    return await finance.jobs_page(request.app.ctx.deps, status=query.status, page=query.page,
                                   page_size=query.page_size)


@route(bp, "POST", "/jobs/{job_id:int}/retry", auth="staff", roles=FINANCE, response=JobOut, audit="job.retry")
async def retry_job(request: Request, job_id: int):
    """Re-queue a failed job (retries exhausted) to run now; any other status is a 409.

    Safe to run again: the HIS write-back and refunds are idempotent (our trade number and refund
    number are the idempotency keys at HIS and WeChat Pay), so a job that did get through before
    failing cannot be applied twice.
    """
    deps = request.app.ctx.deps
    return await retry_failed_job(deps, job_id=job_id, now=deps.now(), entry=audit_entry(request))


@route(bp, "GET", "/alerts", auth="staff", roles=FINANCE, response=AlertList)
async def list_alerts(request: Request):
    """Open finance alerts (e.g. the merchant balance too low for refunds), raised once per episode."""
    return {"items": await open_alerts()}


@route(bp, "GET", "/refunds", auth="staff", roles=FINANCE, query=RefundTasksQuery, response=RefundTaskList)
async def list_refund_tasks(request: Request, query: RefundTasksQuery):
    """Refunds by status, with why each waits or stopped in Chinese; by default those needing a person."""
    return await finance.refund_tasks_page(request.app.ctx.deps, status=query.status, page=query.page,
                                           page_size=query.page_size)


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

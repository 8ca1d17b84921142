"""In-memory fakes of the money aggregates (issue 15): payments (with their bills), charges, refunds (with the
finance alerts), jobs (the outbox), registered in FakeUnitOfWork.repositories; and tiny in-memory HIS and
WeChat Pay clients with the methods the write-back and refund use cases call (objects, not HTTP).

Rows are plain dataclasses with the attributes of the ORM models the use cases read and set.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from checkup.db.errors import UniqueViolation
from checkup.db.repos.payments import PaidOrder
from checkup.domain.money import ACTIVE_REFUND, WHOLE_PAYMENT, JobStatus
from checkup.integrations.his import HisRefund, HisSettlement
from checkup.integrations.result import CallResult
from checkup.integrations.wechat.pay.errors import WechatPayError, WechatPayRejectedError
from checkup.integrations.wechat.pay.models import Refund as WechatRefund
from fakes.uow import FakeDatabase, FakeUnitOfWork

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


# ---- rows ------------------------------------------------------------------------------------------------------
@dataclass
class PatientRow:
    id: int
    name: str = "张三丰"
    user_id: int = 1


@dataclass
class ChargeRow:
    id: int
    bill_no: str
    his_patient_id: str = "H1"
    patient_id: int = 1
    item_name: str = "入职体检"
    amount_fen: int = 30000
    source: str = "online"
    status: str = "unpaid"
    package_code: str | None = None
    peis_order_no: str | None = None
    paid_at: datetime | None = None
    paid_channel: str | None = None
    his_settle_no: str | None = None


@dataclass
class PaymentRow:
    id: int
    payment_no: str
    user_id: int = 1
    patient_id: int = 1
    his_patient_id: str = "H1"
    amount_fen: int = 30000
    description: str = "体检费"
    status: str = "pending"
    prepay_id: str | None = None
    appid: str | None = None
    expires_at: datetime = T0
    transaction_id: str | None = None
    paid_at: datetime | None = None
    paid_amount_fen: int | None = None
    held_reason: str = ""
    his_status: str = "none"
    his_settle_no: str | None = None
    his_receipt_no: str | None = None
    his_settled_at: datetime | None = None
    his_error: str = ""
    last_queried_at: datetime | None = None
    closed_at: datetime | None = None
    created_at: datetime = T0
    updated_at: datetime = T0


@dataclass
class IdentityRow:
    id: int
    appid: str
    openid: str
    account_id: int | None = None


@dataclass
class BillRow:
    id: int
    payment_id: int
    charge_id: int
    bill_no: str
    amount_fen: int
    open: int | None = 1


@dataclass
class RefundRow:
    id: int
    refund_no: str
    payment_id: int
    bill_key: str
    amount_fen: int
    reason: str = ""
    source: str = "patient"
    requested_by: str = ""
    needs_his_refund: bool = True
    status: str = "pending"
    his_refund_no: str | None = None
    wechat_refund_id: str | None = None
    wechat_refund_no: str | None = None
    wechat_tries: int = 0
    error: str = ""
    succeeded_at: datetime | None = None
    created_at: datetime = T0
    updated_at: datetime = T0


@dataclass
class JobRow:
    id: int
    kind: str
    payload: dict
    status: str = JobStatus.PENDING
    attempts: int = 0
    max_attempts: int = 12
    run_after: datetime = T0
    lease_until: datetime | None = None
    last_error: str = ""
    dedupe_key: str | None = None


@dataclass
class AlertRow:
    id: int
    kind: str
    text: str
    refund_no: str
    first_at: datetime
    last_at: datetime
    open: int | None = 1
    times: int = 1
    closed_at: datetime | None = None


def _insert(db: FakeDatabase, table: str, cls: type, **values: Any) -> Any:
    row = cls(id=db.new_id(table), **values)
    db.table(table)[row.id] = row
    return row


def _set(row: Any, **columns: Any) -> None:
    names = {f.name for f in fields(row)}
    for key, value in columns.items():
        if key not in names:
            raise AttributeError(f"{type(row).__name__} has no column {key}")
        setattr(row, key, value)


# ---- repositories ------------------------------------------------------------------------------------------------
class FakeRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db


class FakePaymentsRepository(FakeRepository):
    def _rows(self) -> list[PaymentRow]:
        return list(self.db.table("payment").values())

    async def by_no(self, payment_no: str) -> PaymentRow | None:
        return next((p for p in self._rows() if p.payment_no == payment_no), None)

    async def by_id(self, payment_id: int) -> PaymentRow | None:
        return self.db.table("payment").get(payment_id)

    async def lock(self, payment_id: int) -> PaymentRow | None:
        return await self.by_id(payment_id)

    async def lock_by_no(self, payment_no: str) -> PaymentRow | None:
        return await self.by_no(payment_no)

    async def exists(self, payment_no: str) -> bool:
        return await self.by_no(payment_no) is not None

    async def lock_for_paid(self, payment_no: str, *, payer_openid: str | None,
                            default_appid: str | None) -> PaidOrder | None:
        payment = await self.by_no(payment_no)
        if payment is None:
            return None
        appid = payment.appid or default_appid
        openids = {i.openid for i in self.db.table("wechat_user").values()
                   if payment.user_id in (i.id, i.account_id) and i.appid in (appid, "")}
        charge_ids = sorted(b.charge_id for b in self.db.table("payment_bill").values() if b.payment_id == payment.id)
        return PaidOrder(id=payment.id, payment_no=payment.payment_no, status=payment.status,
                         transaction_id=payment.transaction_id, amount_fen=payment.amount_fen, appid=payment.appid,
                         user_id=payment.user_id, charge_ids=tuple(charge_ids), payer_checked=bool(openids),
                         payer_known=payer_openid in openids)

    async def apply_if_agreeing(self, payment_no: str, **_: Any) -> bool | None:
        return None  # as SQLite: the use case takes its general path (the one-statement case is MariaDB's)

    async def mark_paid(self, payment_id: int, *, transaction_id: str, paid_at: datetime, paid_amount_fen: int | None,
                        status: str, his_status: str | None = None, held_reason: str | None = None,
                        charge_ids: Any = (), charge_status: str | None = None) -> bool:
        payment = self.db.table("payment")[payment_id]
        if payment.transaction_id is not None:
            return False
        _set(payment, transaction_id=transaction_id, paid_at=paid_at, paid_amount_fen=paid_amount_fen,
             status=str(status))
        if his_status is not None:
            payment.his_status = str(his_status)
        if held_reason is not None:
            payment.held_reason = held_reason
        if charge_status is not None:
            for charge_id in charge_ids:
                self.db.table("charge")[charge_id].status = str(charge_status)
        return True

    async def save(self, payment: PaymentRow, fields: Any = None) -> None:
        self.db.table("payment")[payment.id] = payment

    async def set_paid_amount(self, payment_id: int, paid_amount_fen: int) -> None:
        _set(self.db.table("payment")[payment_id], paid_amount_fen=paid_amount_fen)

    async def bills(self, payment_id: int) -> list[BillRow]:
        return sorted((b for b in self.db.table("payment_bill").values() if b.payment_id == payment_id),
                      key=lambda b: b.id)

    async def release_bills(self, payment_id: int, *, bill_no: str | None = None) -> None:
        for b in await self.bills(payment_id):
            if bill_no is None or b.bill_no == bill_no:
                b.open = None

    async def payers(self, charge_ids: list[int]) -> dict[int, int]:
        payments = self.db.table("payment")
        return {b.charge_id: payments[b.payment_id].user_id for b in self.db.table("payment_bill").values()
                if b.charge_id in charge_ids and b.open == 1}

    async def patient(self, patient_id: int) -> PatientRow | None:
        return self.db.table("patient").get(patient_id)


class FakeChargesRepository(FakeRepository):
    async def by_id(self, charge_id: int) -> ChargeRow | None:
        return self.db.table("charge").get(charge_id)

    async def by_bill_no(self, bill_no: str) -> ChargeRow | None:
        return next((c for c in self.db.table("charge").values() if c.bill_no == bill_no), None)

    async def lock(self, charge_id: int) -> ChargeRow | None:
        return await self.by_id(charge_id)

    async def set_status(self, charge_id: int, status: str) -> None:
        self.db.table("charge")[charge_id].status = status

    async def item_names(self, charge_ids: list[int]) -> list[str]:
        return [c.item_name for _, c in sorted(self.db.table("charge").items()) if c.id in charge_ids]

    async def of_payment(self, payment_id: int, *, bill_key: str = WHOLE_PAYMENT) -> list[int]:
        bills = sorted((b for b in self.db.table("payment_bill").values() if b.payment_id == payment_id),
                       key=lambda b: b.id)
        return [b.charge_id for b in bills if bill_key in (WHOLE_PAYMENT, b.bill_no)]

    async def move_payment_charges(self, payment_id: int, *, to: str, only_from: str | None = None,
                                   bill_key: str = WHOLE_PAYMENT, **columns: Any) -> int:
        moved = 0
        for charge_id in await self.of_payment(payment_id, bill_key=bill_key):
            charge = self.db.table("charge")[charge_id]
            if only_from is None or charge.status == only_from:
                _set(charge, status=to, **columns)
                moved += 1
        return moved

    async def booked(self, charge_id: int) -> bool:
        return charge_id in self.db.table("booked_charge")


class FakeRefundsRepository(FakeRepository):
    def _rows(self) -> list[RefundRow]:
        return list(self.db.table("refund").values())

    async def by_no(self, refund_no: str) -> RefundRow | None:
        return next((r for r in self._rows() if r.refund_no == refund_no), None)

    async def by_wechat_no(self, out_refund_no: str) -> RefundRow | None:
        return (next((r for r in self._rows() if r.wechat_refund_no == out_refund_no), None)
                or await self.by_no(out_refund_no))

    async def lock(self, refund_id: int) -> RefundRow | None:
        return self.db.table("refund").get(refund_id)

    async def lock_by_no(self, refund_no: str) -> RefundRow | None:
        return await self.by_no(refund_no)

    async def lock_of_bill(self, payment_id: int, bill_key: str) -> RefundRow | None:
        return next((r for r in self._rows() if r.payment_id == payment_id and r.bill_key == bill_key), None)

    async def whole_exists(self, payment_id: int) -> bool:
        return await self.lock_of_bill(payment_id, WHOLE_PAYMENT) is not None

    async def add(self, **values: Any) -> RefundRow:
        if await self.lock_of_bill(values["payment_id"], values["bill_key"]) is not None:
            raise UniqueViolation("refund (payment, bill_key)")
        return _insert(self.db, "refund", RefundRow, **values)

    async def add_whole_once(self, payment_id: int, defaults: dict[str, Any]) -> tuple[RefundRow, bool]:
        found = await self.lock_of_bill(payment_id, WHOLE_PAYMENT)
        if found is not None:
            return found, False
        return await self.add(payment_id=payment_id, bill_key=WHOLE_PAYMENT, **defaults), True

    async def move(self, refund_id: int, *, seen: str, to: str, at: datetime, **columns: Any) -> int:
        row = self.db.table("refund").get(refund_id)
        if row is None or row.status != seen:
            return 0
        _set(row, status=to, updated_at=at, **columns)
        return 1

    async def note_error(self, refund_id: int, error: str) -> None:
        self.db.table("refund")[refund_id].error = error

    async def note_wechat_accepted(self, refund_id: int, wechat_refund_id: str | None) -> None:
        _set(self.db.table("refund")[refund_id], wechat_refund_id=wechat_refund_id, error="")

    async def touch(self, refund_id: int, at: datetime) -> None:
        self.db.table("refund")[refund_id].updated_at = at

    async def earlier_active(self, refund: RefundRow) -> bool:
        return any(r.payment_id == refund.payment_id and r.status in ACTIVE_REFUND and r.id < refund.id
                   for r in self._rows())

    async def of_payment(self, payment_id: int) -> list[RefundRow]:
        return [r for r in self._rows() if r.payment_id == payment_id]

    # finance alerts
    def _open_alert(self, kind: str) -> AlertRow | None:
        return next((a for a in self.db.table("finance_alert").values() if a.kind == kind and a.open == 1), None)

    async def count_alert(self, kind: str, *, now: datetime, refund_no: str) -> int:
        alert = self._open_alert(kind)
        if alert is None:
            return 0
        _set(alert, times=alert.times + 1, last_at=now, refund_no=refund_no)
        return 1

    async def open_alert(self, kind: str, *, text: str, now: datetime, refund_no: str) -> AlertRow:
        if self._open_alert(kind) is not None:
            raise UniqueViolation("finance_alert (kind, open)")
        return _insert(self.db, "finance_alert", AlertRow, kind=kind, text=text, refund_no=refund_no,
                       first_at=now, last_at=now)

    async def close_alert(self, kind: str, *, now: datetime) -> int:
        alert = self._open_alert(kind)
        if alert is None:
            return 0
        _set(alert, open=None, closed_at=now)
        return 1

    async def open_alerts(self) -> list[AlertRow]:
        return sorted((a for a in self.db.table("finance_alert").values() if a.open == 1), key=lambda a: a.first_at)


class FakeJobsRepository(FakeRepository):
    async def enqueue(self, *, kind: str, payload: dict, now: datetime, dedupe_key: str | None = None,
                      delay_seconds: float = 0, max_attempts: int = 12) -> int:
        from datetime import timedelta

        if dedupe_key is not None and any(j.dedupe_key == dedupe_key for j in self.db.table("job").values()):
            raise UniqueViolation(f"job dedupe_key {dedupe_key}")
        row = _insert(self.db, "job", JobRow, kind=kind, payload=payload, dedupe_key=dedupe_key,
                      run_after=now + timedelta(seconds=delay_seconds), max_attempts=max_attempts)
        return int(row.id)

    async def get(self, job_id: int) -> JobRow | None:
        return self.db.table("job").get(job_id)

    async def queued_keys(self, dedupe_keys: Any) -> set[str]:
        keys = set(dedupe_keys)
        return {j.dedupe_key for j in self.db.table("job").values() if j.dedupe_key in keys}


FakeUnitOfWork.repositories.update(
    payments=FakePaymentsRepository,
    charges=FakeChargesRepository,
    refunds=FakeRefundsRepository,
    jobs=FakeJobsRepository,
)


# ---- what a test puts in the database ------------------------------------------------------------------------
def jobs(db: FakeDatabase, kind: str | None = None) -> list[JobRow]:
    """The committed outbox rows (of ``kind``)."""
    return [j for j in db.table("job").values() if kind is None or j.kind == kind]


def add_patient(db: FakeDatabase, **values: Any) -> PatientRow:
    return _insert(db, "patient", PatientRow, **values)


def add_paid_payment(db: FakeDatabase, *, bills: list[tuple[str, int]], charge_status: str = "paying",
                     his_status: str = "pending", **values: Any) -> PaymentRow:
    """A payment WeChat reported paid, holding ``bills`` ((bill_no, amount_fen)); its charges ``charge_status``."""
    total = sum(amount for _, amount in bills)
    payment = _insert(db, "payment", PaymentRow, **{
        "payment_no": f"TJ20260302100000{len(db.table('payment')) + 1:08d}", "amount_fen": total,
        "status": "paid", "his_status": his_status, "transaction_id": f"4200{len(db.table('payment')) + 1:08d}",
        "paid_at": T0, "paid_amount_fen": total, **values})
    for bill_no, amount in bills:
        charge = _insert(db, "charge", ChargeRow, bill_no=bill_no, amount_fen=amount, status=charge_status,
                         patient_id=payment.patient_id, his_patient_id=payment.his_patient_id)
        _insert(db, "payment_bill", BillRow, payment_id=payment.id, charge_id=charge.id, bill_no=bill_no,
                amount_fen=amount)
    return payment


def add_refund(db: FakeDatabase, payment: PaymentRow, *, bill_key: str = WHOLE_PAYMENT, **values: Any) -> RefundRow:
    amount = sum(b.amount_fen for b in db.table("payment_bill").values()
                 if b.payment_id == payment.id and bill_key in (WHOLE_PAYMENT, b.bill_no))
    return _insert(db, "refund", RefundRow, **{"refund_no": f"RF{payment.id:04d}{len(db.table('refund')) + 1:04d}",
                                               "payment_id": payment.id, "bill_key": bill_key,
                                               "amount_fen": amount, "reason": "时间冲突", **values})


def charges_of(db: FakeDatabase, payment: PaymentRow) -> list[ChargeRow]:
    ids = [b.charge_id for b in sorted(db.table("payment_bill").values(), key=lambda b: b.id)
           if b.payment_id == payment.id]
    return [db.table("charge")[i] for i in ids]


# ---- the outside systems ------------------------------------------------------------------------------------------
@dataclass
class FakeHis:
    """HIS as the write-back and the refund see it: scripted answers first, else the trades it holds."""

    trades: dict[str, HisSettlement] = field(default_factory=dict)
    confirm_answers: list[CallResult] = field(default_factory=list)  # next answers of confirm_payment
    query_answers: list[CallResult] = field(default_factory=list)  # next answers of query_trade
    refund_answers: list[CallResult] = field(default_factory=list)  # next answers of refund
    calls: list[str] = field(default_factory=list)

    def settle(self, trade_no: str, amount_fen: int, bill_nos: list[str]) -> HisSettlement:
        settlement = HisSettlement(settle_no=f"S{len(self.trades) + 1:04d}", settled_at=T0, receipt_no="R1",
                                   trade_no=trade_no, amount_fen=amount_fen, bill_nos=tuple(bill_nos))
        self.trades[trade_no] = settlement
        return settlement

    async def confirm_payment(self, *, his_patient_id: str, bill_nos: list[str], amount_fen: int, trade_no: str,
                              transaction_id: str, paid_at: datetime, channel: str = "WECHAT") -> CallResult:
        self.calls.append(f"confirm_payment {trade_no}")
        if self.confirm_answers:
            return self.confirm_answers.pop(0)
        return CallResult.success(self.trades.get(trade_no) or self.settle(trade_no, amount_fen, bill_nos))

    async def query_trade(self, *, trade_no: str) -> CallResult:
        self.calls.append(f"query_trade {trade_no}")
        if self.query_answers:
            return self.query_answers.pop(0)
        return CallResult.success(self.trades.get(trade_no))

    async def refund(self, *, trade_no: str, refund_no: str, amount_fen: int, refunded_at: datetime) -> CallResult:
        self.calls.append(f"refund {refund_no}")
        if self.refund_answers:
            return self.refund_answers.pop(0)
        trade = self.trades[trade_no]
        record = trade.refund(refund_no) or HisRefund(his_refund_no=f"HR{len(trade.refunds) + 1}",
                                                       refunded_at=refunded_at, refund_no=refund_no,
                                                       amount_fen=amount_fen)
        self.trades[trade_no] = HisSettlement(**{**{f: getattr(trade, f) for f in trade.__slots__},
                                                 "refunds": (*trade.refunds, record)})
        return CallResult.success(record)


@dataclass
class FakeWechatPay:
    """WeChat Pay's refund calls: scripted errors first, else refunds it holds by out_refund_no."""

    appid: str = "wx-test"
    refunds: dict[str, WechatRefund] = field(default_factory=dict)
    refund_errors: list[WechatPayError] = field(default_factory=list)  # raised by the next refund calls
    answer_status: str = "SUCCESS"  # what a refund WeChat takes answers
    calls: list[str] = field(default_factory=list)

    async def refund(self, *, out_refund_no: str, amount_fen: int, total_fen: int, reason: str = "",
                     out_trade_no: str | None = None, transaction_id: str | None = None) -> WechatRefund:
        self.calls.append(f"refund {out_refund_no}")
        if self.refund_errors:
            raise self.refund_errors.pop(0)
        answer = self.refunds.get(out_refund_no) or WechatRefund(
            out_refund_no=out_refund_no, status=self.answer_status, refund_id=f"50{len(self.refunds) + 1:08d}",
            out_trade_no=out_trade_no, refund_fen=amount_fen, total_fen=total_fen)
        self.refunds[out_refund_no] = answer
        return answer

    async def query_refund(self, out_refund_no: str) -> WechatRefund:
        self.calls.append(f"query_refund {out_refund_no}")
        if out_refund_no not in self.refunds:
            raise WechatPayRejectedError("退款单不存在", code="RESOURCE_NOT_EXISTS", status=404)
        return self.refunds[out_refund_no]


def rate_limited() -> WechatPayRejectedError:
    """WeChat's 429: too many requests (a passing refusal, tried again at least a minute later)."""
    return WechatPayRejectedError("频率限制", code="FREQUENCY_LIMITED", status=429)


def not_enough() -> WechatPayRejectedError:
    """The merchant balance does not cover the refund (finance must top it up)."""
    return WechatPayRejectedError("基本账户余额不足", code="NOT_ENOUGH", status=403)

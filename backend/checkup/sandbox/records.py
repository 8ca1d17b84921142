"""Records the sandbox HIS, PEIS and WeChat keep; times are ISO 8601 strings in Asia/Shanghai."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Patient:
    his_patient_id: str
    card_no: str
    name: str
    sex: str  # male | female
    birth_date: str  # YYYY-MM-DD
    id_type: str
    id_number: str
    created_at: str
    phone: str | None = None

    def wire(self) -> dict[str, Any]:
        """The protocol's patient object."""
        return {
            "his_patient_id": self.his_patient_id,
            "card_no": self.card_no,
            "name": self.name,
            "sex": self.sex,
            "birth_date": self.birth_date,
            "phone": self.phone,
        }


@dataclass(slots=True)
class BillLine:
    item_code: str
    item_name: str
    spec: str
    qty: int
    unit_price_fen: int
    amount_fen: int
    dept: str
    doctor: str


@dataclass(slots=True)
class Bill:
    """A HIS bill (收费单)."""

    bill_no: str
    his_patient_id: str
    amount_fen: int
    billed_at: str
    dept: str
    fee_category: str
    item_name: str
    status: str  # unpaid | paid | cancelled | refunded
    lines: list[BillLine] = field(default_factory=list)
    peis_order_no: str | None = None
    package_code: str | None = None
    paid_at: str | None = None
    settle_no: str | None = None
    trade_no: str | None = None
    cancelled_at: str | None = None

    def wire(self) -> dict[str, Any]:
        """The protocol's charge object."""
        data = asdict(self)
        del data["lines"], data["cancelled_at"]
        return data

    @classmethod
    def load(cls, data: dict[str, Any]) -> Bill:
        lines = [BillLine(**line) for line in data.get("lines", [])]
        return cls(**{**data, "lines": lines})


@dataclass(slots=True)
class Settlement:
    """HIS's settlement of one payment; ``trade_no`` is None when paid at the window."""

    settle_no: str
    settled_at: str
    receipt_no: str
    his_patient_id: str
    amount_fen: int
    bill_nos: list[str]
    channel: str  # WECHAT | WINDOW | ...
    trade_no: str | None = None
    transaction_id: str | None = None
    paid_at: str | None = None  # the payer's time, as sent by the caller
    refunded_fen: int = 0
    applied: int = 1  # times the payment changed HIS state (1 when idempotency holds)
    confirm_calls: int = 1  # confirm_payment requests that named this trade

    def wire(self) -> dict[str, Any]:
        """The protocol's settlement object."""
        return {
            "settle_no": self.settle_no,
            "settled_at": self.settled_at,
            "receipt_no": self.receipt_no,
            "trade_no": self.trade_no,
            "amount_fen": self.amount_fen,
            "bill_nos": list(self.bill_nos),
            "transaction_id": self.transaction_id,
        }


@dataclass(slots=True)
class Refund:
    his_refund_no: str
    refund_no: str
    trade_no: str
    settle_no: str
    amount_fen: int
    refunded_at: str  # HIS's time
    requested_at: str  # the caller's refund time
    calls: int = 1

    def wire(self) -> dict[str, Any]:
        """The protocol's refund object."""
        return {
            "his_refund_no": self.his_refund_no,
            "refunded_at": self.refunded_at,
            "refund_no": self.refund_no,
            "amount_fen": self.amount_fen,
        }


@dataclass(slots=True)
class PeisOrder:
    peis_order_no: str
    package_code: str
    bill_no: str
    amount_fen: int
    item_name: str
    his_patient_id: str
    patient: dict[str, Any]
    created_at: str
    order_no: str | None = None  # ours; None for an order opened on site
    status: str = "open"  # open | checked_in | cancelled
    booked_day: str | None = None
    day_reports: int = 0  # how many times the booked day was reported (idempotent reports overwrite)

    def wire(self) -> dict[str, Any]:
        """The protocol's order object."""
        return {
            "peis_order_no": self.peis_order_no,
            "bill_no": self.bill_no,
            "amount_fen": self.amount_fen,
            "item_name": self.item_name,
        }


@dataclass(slots=True)
class WechatUser:
    openid: str
    unionid: str
    first_login_at: str
    logins: int = 1


@dataclass(slots=True)
class AccessToken:
    token: str
    expires_at: float  # unix seconds


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected failure of the next call of an operation."""

    outcome: str  # failed | unknown | processing
    applied: bool = True
    delay_seconds: float = 0.0

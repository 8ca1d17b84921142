"""The HIS adapter interface (HIS.md). One HTTP JSON implementation ships in ``http.py``; a SOAP or
HL7 adapter for a given vendor is one more module implementing :class:`HisClient`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

from checkup.integrations.result import CallResult

ChargeStatus = Literal["unpaid", "paid", "cancelled", "refunded"]


@dataclass(frozen=True, slots=True)
class HisPatient:
    his_patient_id: str
    card_no: str
    name: str
    sex: Literal["male", "female"]
    birth_date: date
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class HisCharge:
    """One bill (收费单) as HIS holds it."""

    bill_no: str
    his_patient_id: str
    amount_fen: int
    billed_at: datetime  # timezone-aware
    dept: str
    fee_category: str
    item_name: str  # e.g. 体检中心体检费
    status: ChargeStatus
    peis_order_no: str | None = None  # set when PEIS pushed the bill
    package_code: str | None = None  # the PEIS package behind the bill, when known
    paid_at: datetime | None = None
    settle_no: str | None = None
    trade_no: str | None = None  # our out_trade_no when paid through the app; None when paid at the window


@dataclass(frozen=True, slots=True)
class HisChargeLine:
    item_code: str
    item_name: str
    spec: str
    qty: int
    unit_price_fen: int
    amount_fen: int
    dept: str
    doctor: str


@dataclass(frozen=True, slots=True)
class HisSettlement:
    """HIS's record of a payment written back (缴费确认)."""

    settle_no: str
    settled_at: datetime
    receipt_no: str
    trade_no: str
    amount_fen: int
    bill_nos: tuple[str, ...] = field(default_factory=tuple)
    transaction_id: str | None = None
    refunds: tuple[HisRefund, ...] = field(default_factory=tuple)  # 退费 of this trade (query_trade)

    def refund(self, refund_no: str) -> HisRefund | None:
        """HIS's record of our refund ``refund_no`` of this trade, if it stands."""
        return next((r for r in self.refunds if r.refund_no == refund_no), None)


@dataclass(frozen=True, slots=True)
class HisRefund:
    his_refund_no: str
    refunded_at: datetime
    refund_no: str
    amount_fen: int


@dataclass(frozen=True, slots=True)
class HisSettlementRow:
    """One line of a day's settlement list (for reconciliation); refunds have negative amounts."""

    settle_no: str
    trade_no: str | None
    amount_fen: int
    settled_at: datetime
    channel: str  # WECHAT, WINDOW, ...
    channel_transaction_id: str | None
    kind: Literal["pay", "refund"]


class HisClient(Protocol):
    """Every method returns a :class:`CallResult`; none raises on remote or transport failure."""

    async def find_patient(
        self, *, id_type: str, id_number: str, name: str, phone: str | None = None, register: bool = False,
        sex: str | None = None, birth_date: date | None = None,
    ) -> CallResult[HisPatient]:
        """Find the HIS patient by document type and number; with ``register`` create one when absent (FAILED
        NOT_FOUND otherwise). ``sex`` and ``birth_date`` are given for documents whose number lacks them."""
        ...

    async def pending_charges(self, *, his_patient_id: str) -> CallResult[list[HisCharge]]:
        """Unpaid bills (待缴费) of a patient."""
        ...

    async def paid_charges(self, *, his_patient_id: str) -> CallResult[list[HisCharge]]:
        """Bills of a patient that were paid (through any channel), including refunded ones."""
        ...

    async def bill(self, *, bill_no: str) -> CallResult[HisCharge | None]:
        """One bill by its number, whoever's it is (SUCCESS with None when HIS has no such bill)."""
        ...

    async def charge_lines(self, *, bill_no: str) -> CallResult[list[HisChargeLine]]:
        """The item lines of one bill."""
        ...

    async def confirm_payment(
        self,
        *,
        his_patient_id: str,
        bill_nos: list[str],
        amount_fen: int,
        trade_no: str,
        transaction_id: str,
        paid_at: datetime,
        channel: str = "WECHAT",
    ) -> CallResult[HisSettlement]:
        """Write a payment back (缴费确认); idempotent on ``trade_no``.

        FAILED codes: BILL_NOT_FOUND, BILL_ALREADY_PAID, BILL_CANCELLED, AMOUNT_MISMATCH.
        """
        ...

    async def query_trade(self, *, trade_no: str) -> CallResult[HisSettlement | None]:
        """SUCCESS with the settlement (and its refunds), or SUCCESS with None when HIS has no such trade."""
        ...

    async def refund(
        self, *, trade_no: str, refund_no: str, amount_fen: int, refunded_at: datetime
    ) -> CallResult[HisRefund]:
        """Refund (退费) a settled trade; idempotent on ``refund_no``. FAILED: TRADE_NOT_FOUND, AMOUNT_EXCEEDS."""
        ...

    async def settlements(self, *, day: date) -> CallResult[list[HisSettlementRow]]:
        """All settlement lines of one day (Asia/Shanghai), every page fetched."""
        ...

    async def aclose(self) -> None:
        """Release the connections (a process shuts down)."""
        ...

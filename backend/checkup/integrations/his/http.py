"""HIS over the HTTP JSON reference protocol (signed POST per operation, see ``signed_json``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import httpx

from checkup.integrations.his.base import (
    HisCharge,
    HisChargeLine,
    HisPatient,
    HisRefund,
    HisSettlement,
    HisSettlementRow,
)
from checkup.integrations.result import CallResult
from checkup.integrations.signed_json import (
    BAD_RESPONSE,
    PARSE_ERRORS,
    ResponseFormatError,
    SignedJsonClient,
    format_error,
    opt_datetime,
    opt_str,
    req_choice,
    req_date,
    req_datetime,
    req_dict,
    req_int,
    req_list,
    req_str,
    wire_datetime,
)

T = TypeVar("T")

_SEXES = ("male", "female")
_CHARGE_STATUSES = ("unpaid", "paid", "cancelled", "refunded")
_ROW_KINDS = ("pay", "refund")
MAX_SETTLEMENT_PAGES = 10_000


class HttpHisClient:
    """HisClient speaking the reference HTTP JSON protocol; one shared httpx client."""

    def __init__(
        self,
        base_url: str,
        app_id: str,
        secret: str,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
        *,
        settlements_page_size: int = 100,
    ) -> None:
        self._transport = SignedJsonClient(
            base_url=base_url, app_id=app_id, secret=secret, timeout=timeout, client=client, system="his"
        )
        self._page_size = settlements_page_size

    async def aclose(self) -> None:
        """Release the HTTP connections."""
        await self._transport.aclose()

    async def find_patient(
        self, *, id_type: str, id_number: str, name: str, phone: str | None = None, register: bool = False,
        sex: str | None = None, birth_date: date | None = None,
    ) -> CallResult[HisPatient]:
        """Find (or with ``register`` create) the HIS patient."""
        payload = {
            "id_type": id_type,
            "id_number": id_number,
            "name": name,
            "phone": phone,
            "register": register,
        }
        if sex is not None and birth_date is not None:  # documents whose number does not carry them
            payload["sex"] = sex
            payload["birth_date"] = birth_date.isoformat()
        return await self._call("find_patient", payload, lambda d: _patient(req_dict(d, "patient")))

    async def pending_charges(self, *, his_patient_id: str) -> CallResult[list[HisCharge]]:
        """Unpaid bills of a patient."""
        return await self._call("pending_charges", {"his_patient_id": his_patient_id}, _charges)

    async def paid_charges(self, *, his_patient_id: str) -> CallResult[list[HisCharge]]:
        """Paid (and refunded) bills of a patient."""
        return await self._call("paid_charges", {"his_patient_id": his_patient_id}, _charges)

    async def bill(self, *, bill_no: str) -> CallResult[HisCharge | None]:
        """One bill by its number, or None when HIS has none."""

        def parse(data: dict[str, Any]) -> HisCharge | None:
            return None if data.get("charge") is None else _charge(req_dict(data, "charge"))

        return await self._call("bill", {"bill_no": bill_no}, parse)

    async def charge_lines(self, *, bill_no: str) -> CallResult[list[HisChargeLine]]:
        """Item lines of one bill."""
        return await self._call(
            "charge_lines", {"bill_no": bill_no}, lambda d: [_line(x) for x in req_list(d, "lines")]
        )

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
        """Write a payment back (缴费确认); idempotent on ``trade_no``."""
        payload = {
            "his_patient_id": his_patient_id,
            "bill_nos": list(bill_nos),
            "amount_fen": amount_fen,
            "trade_no": trade_no,
            "transaction_id": transaction_id,
            "paid_at": wire_datetime(paid_at),
            "channel": channel,
        }
        return await self._call("confirm_payment", payload, lambda d: _settlement(req_dict(d, "settlement")))

    async def query_trade(self, *, trade_no: str) -> CallResult[HisSettlement | None]:
        """The settlement of our trade, or None when HIS has none."""

        def parse(data: dict[str, Any]) -> HisSettlement | None:
            found = data.get("settlement")
            return None if found is None else _settlement(req_dict(data, "settlement"))

        return await self._call("query_trade", {"trade_no": trade_no}, parse)

    async def refund(
        self, *, trade_no: str, refund_no: str, amount_fen: int, refunded_at: datetime
    ) -> CallResult[HisRefund]:
        """Refund (退费) a settled trade; idempotent on ``refund_no``."""
        payload = {
            "trade_no": trade_no,
            "refund_no": refund_no,
            "amount_fen": amount_fen,
            "refunded_at": wire_datetime(refunded_at),
        }
        return await self._call("refund", payload, lambda d: _refund(req_dict(d, "refund")))

    async def settlements(self, *, day: date) -> CallResult[list[HisSettlementRow]]:
        """Every settlement line of one Asia/Shanghai day, all pages."""
        rows: dict[tuple[str, str], HisSettlementRow] = {}
        for page in range(1, MAX_SETTLEMENT_PAGES + 1):
            payload = {"date": day.isoformat(), "page": page, "page_size": self._page_size}
            result = await self._call("settlements", payload, _settlement_page)
            if not result.ok:
                return CallResult(result.outcome, code=result.code, message=result.message)
            if result.value is None:
                return CallResult.unknown(BAD_RESPONSE, "settlement page without a body")
            items, total = result.value
            for row in items:
                rows[(row.kind, row.settle_no)] = row
            if not items or len(rows) >= total:
                return CallResult.success(sorted(rows.values(), key=lambda r: (r.settled_at, r.settle_no)))
        return CallResult.unknown(BAD_RESPONSE, "settlement paging did not end")

    async def _call(
        self, operation: str, payload: dict[str, Any], parse: Callable[[dict[str, Any]], T]
    ) -> CallResult[T]:
        result = await self._transport.call(operation, payload)
        if not result.ok:
            return CallResult(result.outcome, code=result.code, message=result.message)
        if result.value is None:
            return CallResult.unknown(BAD_RESPONSE, f"{operation}: a success without a body")
        try:
            return CallResult.success(parse(result.value))
        except PARSE_ERRORS as exc:
            return format_error(exc)


def _patient(d: dict[str, Any]) -> HisPatient:
    return HisPatient(
        his_patient_id=req_str(d, "his_patient_id"),
        card_no=req_str(d, "card_no"),
        name=req_str(d, "name"),
        sex=req_choice(d, "sex", _SEXES),
        birth_date=req_date(d, "birth_date"),
        phone=opt_str(d, "phone"),
    )


def _charge(d: dict[str, Any]) -> HisCharge:
    return HisCharge(
        bill_no=req_str(d, "bill_no"),
        his_patient_id=req_str(d, "his_patient_id"),
        amount_fen=req_int(d, "amount_fen"),
        billed_at=req_datetime(d, "billed_at"),
        dept=req_str(d, "dept"),
        fee_category=req_str(d, "fee_category"),
        item_name=req_str(d, "item_name"),
        status=req_choice(d, "status", _CHARGE_STATUSES),
        peis_order_no=opt_str(d, "peis_order_no"),
        package_code=opt_str(d, "package_code"),
        paid_at=opt_datetime(d, "paid_at"),
        settle_no=opt_str(d, "settle_no"),
        trade_no=opt_str(d, "trade_no"),
    )


def _charges(data: dict[str, Any]) -> list[HisCharge]:
    return [_charge(x) for x in req_list(data, "charges")]


def _line(d: dict[str, Any]) -> HisChargeLine:
    return HisChargeLine(
        item_code=req_str(d, "item_code"),
        item_name=req_str(d, "item_name"),
        spec=opt_str(d, "spec") or "",
        qty=req_int(d, "qty"),
        unit_price_fen=req_int(d, "unit_price_fen"),
        amount_fen=req_int(d, "amount_fen"),
        dept=opt_str(d, "dept") or "",
        doctor=opt_str(d, "doctor") or "",
    )


def _settlement(d: dict[str, Any]) -> HisSettlement:
    bill_nos = req_list(d, "bill_nos")
    if not all(isinstance(b, str) and b for b in bill_nos):
        raise ResponseFormatError("bill_nos must be strings")
    return HisSettlement(
        settle_no=req_str(d, "settle_no"),
        settled_at=req_datetime(d, "settled_at"),
        receipt_no=req_str(d, "receipt_no"),
        trade_no=req_str(d, "trade_no"),
        amount_fen=req_int(d, "amount_fen"),
        bill_nos=tuple(bill_nos),
        transaction_id=opt_str(d, "transaction_id"),
        refunds=tuple(_refund(r) for r in (d.get("refunds") or []) if isinstance(r, dict)),
    )


def _refund(d: dict[str, Any]) -> HisRefund:
    return HisRefund(
        his_refund_no=req_str(d, "his_refund_no"),
        refunded_at=req_datetime(d, "refunded_at"),
        refund_no=req_str(d, "refund_no"),
        amount_fen=req_int(d, "amount_fen"),
    )


def _row(d: dict[str, Any]) -> HisSettlementRow:
    return HisSettlementRow(
        settle_no=req_str(d, "settle_no"),
        trade_no=opt_str(d, "trade_no"),
        amount_fen=req_int(d, "amount_fen"),
        settled_at=req_datetime(d, "settled_at"),
        channel=req_str(d, "channel"),
        channel_transaction_id=opt_str(d, "channel_transaction_id"),
        kind=req_choice(d, "kind", _ROW_KINDS),
    )


def _settlement_page(data: dict[str, Any]) -> tuple[list[HisSettlementRow], int]:
    return [_row(x) for x in req_list(data, "items")], req_int(data, "total")

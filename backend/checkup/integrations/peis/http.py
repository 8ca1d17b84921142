"""PEIS over the HTTP JSON reference protocol (same signing and envelope as HIS)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import httpx

from checkup.integrations.peis.base import PeisOrder, PeisPackage, PeisPackageItem, PeisPatient
from checkup.integrations.result import CallResult
from checkup.integrations.signed_json import (
    PARSE_ERRORS,
    SignedJsonClient,
    format_error,
    opt_str,
    req_choice,
    req_dict,
    req_int,
    req_list,
    req_str,
)

T = TypeVar("T")

_PACKAGE_SEXES = ("any", "male", "female")
_ITEM_KINDS = ("item", "addon")


class HttpPeisClient:
    """PeisClient speaking the reference HTTP JSON protocol; one shared httpx client."""

    def __init__(
        self,
        base_url: str,
        app_id: str,
        secret: str,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._transport = SignedJsonClient(
            base_url=base_url, app_id=app_id, secret=secret, timeout=timeout, client=client, system="peis"
        )

    async def aclose(self) -> None:
        """Release the HTTP connections."""
        await self._transport.aclose()

    async def list_packages(self) -> CallResult[list[PeisPackage]]:
        """Every package PEIS offers."""
        return await self._call("list_packages", {}, lambda d: [_package(x) for x in req_list(d, "packages")])

    async def open_order(
        self, *, patient: PeisPatient, package_code: str, order_no: str
    ) -> CallResult[PeisOrder]:
        """Open an order (开单); PEIS pushes the bill to HIS. Idempotent on ``order_no``."""
        payload = {
            "patient": {
                "name": patient.name,
                "sex": patient.sex,
                "birth_date": patient.birth_date.isoformat(),
                "id_number": patient.id_number,
                "phone": patient.phone,
                "his_patient_id": patient.his_patient_id,
            },
            "package_code": package_code,
            "order_no": order_no,
        }
        return await self._call("open_order", payload, lambda d: _order(req_dict(d, "order")))

    async def cancel_order(self, *, peis_order_no: str) -> CallResult[None]:
        """Cancel an order (refused once checked in)."""
        return await self._call("cancel_order", {"peis_order_no": peis_order_no}, lambda d: None)

    async def report_booked_day(self, *, peis_order_no: str, day: date | None) -> CallResult[None]:
        """Tell PEIS the booked day (None: no day is held any more)."""
        payload = {"peis_order_no": peis_order_no, "day": day.isoformat() if day else None}
        return await self._call("report_booked_day", payload, lambda d: None)

    async def _call(
        self, operation: str, payload: dict[str, Any], parse: Callable[[dict[str, Any]], T]
    ) -> CallResult[T]:
        result = await self._transport.call(operation, payload)
        if not result.ok:
            return CallResult(result.outcome, code=result.code, message=result.message)
        if result.value is None:
            return format_error(ValueError(f"{operation}: a success without a body"))
        try:
            return CallResult(result.outcome, value=parse(result.value))
        except PARSE_ERRORS as exc:
            return format_error(exc)


def _item(d: dict[str, Any]) -> PeisPackageItem:
    return PeisPackageItem(
        code=req_str(d, "code"),
        name=req_str(d, "name"),
        kind=req_choice(d, "kind", _ITEM_KINDS),
        note=opt_str(d, "note") or "",
    )


def _package(d: dict[str, Any]) -> PeisPackage:
    return PeisPackage(
        code=req_str(d, "code"),
        name=req_str(d, "name"),
        type=req_str(d, "type"),
        sex=req_choice(d, "sex", _PACKAGE_SEXES),
        price_fen=req_int(d, "price_fen"),
        summary=opt_str(d, "summary") or "",
        items=tuple(_item(x) for x in req_list(d, "items")),
        notes=opt_str(d, "notes") or "",
    )


def _order(d: dict[str, Any]) -> PeisOrder:
    return PeisOrder(
        peis_order_no=req_str(d, "peis_order_no"),
        bill_no=req_str(d, "bill_no"),
        amount_fen=req_int(d, "amount_fen"),
        item_name=req_str(d, "item_name"),
    )

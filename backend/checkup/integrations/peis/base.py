"""The PEIS (体检系统) adapter interface (HIS.md, PEIS operations)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from checkup.integrations.result import CallResult

Sex = Literal["male", "female"]


@dataclass(frozen=True, slots=True)
class PeisPackageItem:
    code: str
    name: str
    kind: Literal["item", "addon"]  # package item (套餐项目) or optional add-on (加项)
    note: str = ""


@dataclass(frozen=True, slots=True)
class PeisPackage:
    code: str
    name: str
    type: str  # 个人体检, 入职体检, ...
    sex: Literal["any", "male", "female"]
    price_fen: int
    summary: str
    items: tuple[PeisPackageItem, ...]
    notes: str  # 体检须知


@dataclass(frozen=True, slots=True)
class PeisPatient:
    name: str
    sex: Sex
    birth_date: date
    id_number: str
    phone: str
    his_patient_id: str


@dataclass(frozen=True, slots=True)
class PeisOrder:
    peis_order_no: str
    bill_no: str  # the HIS bill PEIS pushed (体检中心体检费)
    amount_fen: int
    item_name: str


class PeisClient(Protocol):
    async def list_packages(self) -> CallResult[list[PeisPackage]]:
        """Every package PEIS offers."""
        ...

    async def open_order(
        self, *, patient: PeisPatient, package_code: str, order_no: str
    ) -> CallResult[PeisOrder]:
        """Open an order (开单); PEIS pushes the charge to HIS. Idempotent on ``order_no``.

        FAILED codes: PACKAGE_NOT_FOUND, SEX_MISMATCH.
        """
        ...

    async def cancel_order(self, *, peis_order_no: str) -> CallResult[None]:
        """Cancel an order; FAILED CHECKED_IN once the patient has checked in."""
        ...

    async def report_booked_day(self, *, peis_order_no: str, day: date | None) -> CallResult[None]:
        """Tell PEIS which day the patient booked; None when no day is held any more."""
        ...

    async def aclose(self) -> None:
        """Release the connections (a process shuts down)."""
        ...

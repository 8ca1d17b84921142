"""The PEIS client the product uses: any :class:`PeisClient` behind a :class:`Guard` (bulkhead,
single-flight of the package list, circuit breaker); see ``checkup.integrations.guard``."""

from __future__ import annotations

from datetime import date

from checkup.integrations.guard import GuardedClient
from checkup.integrations.peis.base import PeisOrder, PeisPackage, PeisPatient
from checkup.integrations.result import CallResult


class GuardedPeisClient(GuardedClient):
    shared_reads = frozenset({"list_packages"})

    async def list_packages(self) -> CallResult[list[PeisPackage]]:
        return await self._run("list_packages")

    async def open_order(self, *, patient: PeisPatient, package_code: str, order_no: str) -> CallResult[PeisOrder]:
        return await self._run("open_order", patient=patient, package_code=package_code, order_no=order_no)

    async def cancel_order(self, *, peis_order_no: str) -> CallResult[None]:
        return await self._run("cancel_order", peis_order_no=peis_order_no)

    async def report_booked_day(self, *, peis_order_no: str, day: date | None) -> CallResult[None]:
        return await self._run("report_booked_day", peis_order_no=peis_order_no, day=day)

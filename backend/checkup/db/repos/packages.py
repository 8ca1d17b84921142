"""The packages repository (issue 15): the statements of the 体检套餐 synced from PEIS, nowhere else."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from checkup.db.models import Package
from checkup.db.repos import Repository

__all__ = ["PackagesRepository"]


class PackagesRepository(Repository):
    __slots__ = ()

    async def brief(self, code: str) -> Package | None:
        """What the booking path reads of a package (id, code, name, sex limit, notes)."""
        return await Package.filter(code=code).using_db(self.conn).only("id", "code", "name", "sex", "notes").first()

    async def by_code(self, code: str) -> Package | None:
        return await Package.get_or_none(code=code, using_db=self.conn)

    async def names(self, codes: Iterable[str]) -> dict[str, str]:
        """Package names by code."""
        codes = set(codes)
        if not codes:
            return {}
        return {p["code"]: p["name"] for p in await Package.filter(code__in=codes).using_db(self.conn).values(
            "code", "name")}

    async def online(self) -> list[Package]:
        """The packages patients see, in PEIS's order."""
        return await Package.filter(online=True, in_peis=True).using_db(self.conn).order_by("sort", "id")

    async def online_one(self, code: str) -> Package | None:
        return await Package.get_or_none(code=code, online=True, in_peis=True, using_db=self.conn)

    async def every(self) -> list[Package]:
        """Every package, still listed by PEIS first."""
        return await Package.all().using_db(self.conn).order_by("-in_peis", "sort", "id")

    async def lock(self, code: str) -> Package | None:
        return await Package.filter(code=code).select_for_update().using_db(self.conn).first()

    async def set_online(self, package_id: int, online: bool) -> None:
        await Package.filter(id=package_id).using_db(self.conn).update(online=online)

    async def add(self, code: str, values: Mapping[str, Any], *, online: bool) -> None:
        await Package.create(using_db=self.conn, code=code, online=online, **values)

    async def update(self, package_id: int, values: Mapping[str, Any]) -> None:
        await Package.filter(id=package_id).using_db(self.conn).update(**values)

    async def hide_all_but(self, codes: Iterable[str]) -> int:
        """Mark every package PEIS lists no longer (not in ``codes``); how many."""
        return await Package.filter(in_peis=True).exclude(code__in=list(codes)).using_db(self.conn).update(
            in_peis=False)

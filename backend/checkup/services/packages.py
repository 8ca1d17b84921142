"""Packages synced from PEIS; patients see the online ones."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from checkup.db.uow import UnitOfWork, unit_of_work
from checkup.domain.clock import iso
from checkup.domain.errors import NotFound
from checkup.services.audit import AuditEntry, audited_change
from checkup.services.calendar import reader
from checkup.services.deps import Deps
from checkup.services.upstream import unwrap

if TYPE_CHECKING:
    from checkup.db.models import Package

log = logging.getLogger("checkup.packages")


def package_json(p: Package) -> dict:
    return {
        "code": p.code,
        "name": p.name,
        "type": p.type,
        "price_fen": p.price_fen,
        "sex": p.sex,
        "summary": p.summary,
        "items": p.items,
        "notes": p.notes,
    }


async def sync_packages(deps: Deps) -> dict:
    """Upsert every PEIS package; ones PEIS no longer lists are hidden. New ones start online."""
    packages = unwrap(await deps.peis.list_packages(), system="PEIS")
    now = deps.now()
    seen = []
    created = updated = 0
    async with deps.uow() as uow:
        for index, pkg in enumerate(packages):
            seen.append(pkg.code)
            values = {
                "name": pkg.name,
                "type": pkg.type,
                "sex": pkg.sex,
                "price_fen": pkg.price_fen,
                "summary": pkg.summary,
                "items": [{"code": i.code, "name": i.name, "kind": i.kind, "note": i.note} for i in pkg.items],
                "notes": pkg.notes,
                "in_peis": True,
                "sort": index,
                "synced_at": now,
            }
            existing = await uow.packages.by_code(pkg.code)
            if existing is None:
                await uow.packages.add(pkg.code, values, online=True)
                created += 1
            else:
                await uow.packages.update(existing.id, values)
                updated += 1
        hidden = await uow.packages.hide_all_but(seen)
    log.info("packages synced: %d new, %d updated, %d gone from PEIS", created, updated, hidden)
    return {"created": created, "updated": updated, "removed": hidden}


async def list_online(uow: UnitOfWork | None = None) -> list[dict]:
    rows = await reader(uow).packages.online()
    return [package_json(p) for p in rows]


async def get_online(code: str, uow: UnitOfWork | None = None) -> Package:
    package = await reader(uow).packages.online_one(code)
    if package is None:
        raise NotFound("体检套餐不存在或已下线")
    return package


# ---- staff console ---------------------------------------------------------------------------------
def admin_package_json(p: Package) -> dict:
    return package_json(p) | {"online": p.online, "in_peis": p.in_peis, "synced_at": iso(p.synced_at)}


async def list_all(uow: UnitOfWork | None = None) -> list[dict]:
    """Every package, online or not, still listed by PEIS first."""
    return [admin_package_json(p) for p in await reader(uow).packages.every()]


async def set_online(*, code: str, online: bool, entry: AuditEntry) -> dict:
    """Show (online) or hide a package in the mini-program; ``entry`` is the audit entry of the call."""
    entry.change(target=f"package:{code}", after={"online": online})

    async def change(uow: UnitOfWork) -> Package:
        package = await uow.packages.lock(code)
        if package is None:
            raise NotFound("体检套餐不存在")
        entry.change(before={"online": package.online})
        await uow.packages.set_online(package.id, online)
        package.online = online
        return package

    return admin_package_json(await audited_change(entry, change, uow=unit_of_work))

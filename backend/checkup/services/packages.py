"""Packages synced from PEIS; patients see the online ones."""

from __future__ import annotations

import logging

from tortoise.transactions import in_transaction

from checkup.db.models import Package
from checkup.domain.clock import iso
from checkup.domain.errors import NotFound
from checkup.services.audit import AuditEntry, audited_change
from checkup.services.deps import Deps
from checkup.services.upstream import unwrap

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
    async with in_transaction() as conn:
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
            existing = await Package.get_or_none(code=pkg.code).using_db(conn)
            if existing is None:
                await Package.create(using_db=conn, code=pkg.code, online=True, **values)
                created += 1
            else:
                await Package.filter(id=existing.id).using_db(conn).update(**values)
                updated += 1
        hidden = await Package.filter(in_peis=True).exclude(code__in=seen).using_db(conn).update(in_peis=False)
    log.info("packages synced: %d new, %d updated, %d gone from PEIS", created, updated, hidden)
    return {"created": created, "updated": updated, "removed": hidden}


async def list_online() -> list[dict]:
    rows = await Package.filter(online=True, in_peis=True).order_by("sort", "id")
    return [package_json(p) for p in rows]


async def get_online(code: str) -> Package:
    package = await Package.get_or_none(code=code, online=True, in_peis=True)
    if package is None:
        raise NotFound("体检套餐不存在或已下线")
    return package


# ---- staff console ---------------------------------------------------------------------------------
def admin_package_json(p: Package) -> dict:
    return package_json(p) | {"online": p.online, "in_peis": p.in_peis, "synced_at": iso(p.synced_at)}


async def list_all() -> list[dict]:
    """Every package, online or not, still listed by PEIS first."""
    return [admin_package_json(p) for p in await Package.all().order_by("-in_peis", "sort", "id")]


async def set_online(*, code: str, online: bool, entry: AuditEntry) -> dict:
    """Show (online) or hide a package in the mini-program; ``entry`` is the audit entry of the call."""
    entry.change(target=f"package:{code}", after={"online": online})

    async def change(conn) -> Package:
        package = await Package.filter(code=code).select_for_update().using_db(conn).first()
        if package is None:
            raise NotFound("体检套餐不存在")
        entry.change(before={"online": package.online})
        await Package.filter(id=package.id).using_db(conn).update(online=online)
        package.online = online
        return package

    return admin_package_json(await audited_change(entry, change))

"""Packages synced from PEIS: every one (online or not), the online flag, a sync now."""

from __future__ import annotations

from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import ADMINS, blueprint, deps
from checkup.api.console.schemas import ConsolePackageList, ConsolePackageOut, PackageOnlineIn, PackageSyncOut
from checkup.api.routing import route
from checkup.services import packages

bp = blueprint("packages")


@route(bp, "GET", "/packages", auth="staff", roles=ADMINS, response=ConsolePackageList)
async def list_packages(request: Request):
    """Every package, with its online flag."""
    items = await packages.list_all()
    return {"items": items, "total": len(items)}


@route(bp, "PUT", "/packages/{code}", auth="staff", roles=ADMINS, body=PackageOnlineIn,
       response=ConsolePackageOut, audit="package.update")
async def set_online(request: Request, code: str, body: PackageOnlineIn):
    """Show or hide a package in the mini-program."""
    return await packages.set_online(code=code, online=body.online, entry=audit_entry(request))


@route(bp, "POST", "/packages/sync", auth="staff", roles=ADMINS, response=PackageSyncOut, audit="package.sync",
       limit=("staff_upstream",))
async def sync(request: Request):
    """Pull the package list from PEIS now."""
    entry = audit_entry(request)
    entry.change(target="packages")
    result = await packages.sync_packages(deps(request))
    entry.change(after=result)
    return {**result, "synced": result["created"] + result["updated"]}

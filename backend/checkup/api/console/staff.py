"""Staff accounts (admin): list, create, change name / roles / active / password, unlock."""

from __future__ import annotations

from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import ADMINS, blueprint, deps, staff
from checkup.api.console.schemas import Paging, StaffAccountOut, StaffCreateIn, StaffList, StaffUpdateIn
from checkup.api.routing import route
from checkup.services import staff as accounts

bp = blueprint("staff")


@route(bp, "GET", "/staff", auth="staff", roles=ADMINS, query=Paging, response=StaffList)
async def list_staff(request: Request, query: Paging):
    """Every account (never a password hash)."""
    return await accounts.list_accounts(page=query.page, page_size=query.page_size, now=deps(request).now())


@route(bp, "POST", "/staff", auth="staff", roles=ADMINS, body=StaffCreateIn, response=StaffAccountOut, status=201,
       audit="staff.create")
async def create_staff(request: Request, body: StaffCreateIn):
    """Create an account; the password must meet the policy."""
    return await accounts.create_account(username=body.username, name=body.name, password=body.password,
                                         roles=list(body.roles), entry=audit_entry(request), now=deps(request).now())


@route(bp, "PUT", "/staff/{username}", auth="staff", roles=ADMINS, body=StaffUpdateIn, response=StaffAccountOut,
       audit="staff.update")
async def update_staff(request: Request, username: str, body: StaffUpdateIn):
    """Change an account; an admin cannot stop themself or drop their own admin role. unlock (or a new
    password) also ends the login delays of the account (services/login_throttle.py)."""
    changes = body.model_dump(exclude_none=True)
    account = await accounts.update_account(
        username=username, changes=changes, acting=staff(request),
        acting_session=request.ctx.staff_session, entry=audit_entry(request), now=deps(request).now(),
    )
    throttle = request.app.ctx.login_throttle
    if throttle is not None and (changes.get("unlock") or "password" in changes):
        await throttle.clear(username)
    return account

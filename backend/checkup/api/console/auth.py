"""Console login, logout and a staff member's own password."""

from __future__ import annotations

from sanic import Request

from checkup.api.audit import audit_entry, client_ip
from checkup.api.console.common import EVERYONE, blueprint, deps, staff
from checkup.api.console.schemas import LoginIn, LoginOut, PasswordChangeIn, StaffMeOut
from checkup.api.routing import route
from checkup.services import staff_sessions

bp = blueprint("auth")


@route(bp, "POST", "/login", auth="public", body=LoginIn, response=LoginOut, audit="login",
       limit=("login_ip", "login_account"))
async def login(request: Request, body: LoginIn):
    """Log in with username and password; repeated failures from one address delay that address (429)."""
    return await staff_sessions.login(
        deps(request), username=body.username.strip(), password=body.password, ip=client_ip(request),
        entry=audit_entry(request), throttle=request.app.ctx.login_throttle,
    )


@route(bp, "POST", "/logout", auth="staff", roles=EVERYONE, status=204, audit="logout")
async def logout(request: Request):
    """End this session."""
    await staff_sessions.logout(session_id=request.ctx.staff_session, now=deps(request).now(),
                                entry=audit_entry(request))


@route(bp, "GET", "/me", auth="staff", roles=EVERYONE, response=StaffMeOut)
async def me(request: Request):
    """The staff member of this session (must_change_password: the password must be changed first)."""
    user = staff(request)
    return {"username": user.username, "name": user.name, "roles": list(user.roles or []),
            "must_change_password": bool(user.must_change_password)}


@route(bp, "POST", "/me/password", auth="staff", roles=EVERYONE, body=PasswordChangeIn, status=204,
       audit="staff.password_change", limit=("login_account",))
async def change_password(request: Request, body: PasswordChangeIn):
    """Change one's own password; ends one's other sessions (a wrong current password counts as a failed login)."""
    await staff_sessions.change_password(
        deps(request), user=staff(request), session_id=request.ctx.staff_session,
        current_password=body.current_password, new_password=body.new_password, entry=audit_entry(request),
        ip=client_ip(request), throttle=request.app.ctx.login_throttle,
    )

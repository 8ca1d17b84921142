"""Authenticators named by the route table."""

from __future__ import annotations

from sanic import Request

from checkup.api.routing import RouteSpec, require_roles
from checkup.domain.errors import PasswordChangeRequired, TokenExpired, Unauthorized
from checkup.services import staff_sessions
from checkup.services.auth import PATIENT_TOKEN
from checkup.services.security_events import SECURITY_EVENTS

# What an account whose password was set by someone else may do before changing it (console/auth.py).
PASSWORD_CHANGE_ROUTES = {"/api/console/me", "/api/console/me/password", "/api/console/logout"}


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return token.strip()


async def authenticate_patient(request: Request, spec: RouteSpec) -> None:
    deps = request.app.ctx.deps
    token = bearer_token(request)
    try:
        claims = deps.tokens.verify(token, kind=PATIENT_TOKEN, now=deps.now())
    except TokenExpired:
        raise  # the ordinary end of a session, not a security event
    except Unauthorized as exc:  # forged, altered, or another kind of token: audited, aggregated
        ip = request.remote_addr or request.ip or ""
        await SECURITY_EVENTS.note("token_refused", subject=ip or "unknown", ip=ip, code=exc.code,
                                   target=request.path[:128], now=deps.now())
        raise
    request.ctx.user_id = int(claims.subject)  # the account: patients, payments, bookings
    # The identity that logged in (tokens from before identities were linked: the account itself).
    request.ctx.identity_id = int(claims.identity) if claims.identity else request.ctx.user_id


async def authenticate_staff(request: Request, spec: RouteSpec) -> None:
    """A live console session whose staff member holds one of the route's roles (403 otherwise)."""
    identity = await staff_sessions.authenticate(request.app.ctx.deps, bearer_token(request))
    request.ctx.staff = identity.user
    request.ctx.staff_session = identity.session_id
    if identity.user.must_change_password and spec.path not in PASSWORD_CHANGE_ROUTES:
        raise PasswordChangeRequired()
    require_roles(identity.user.roles or [], spec)


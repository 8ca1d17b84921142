"""Authenticators named by the route table."""

from __future__ import annotations

from sanic import Request

from checkup.api.routing import RouteSpec, register_authenticator
from checkup.domain.errors import Unauthorized
from checkup.services.auth import PATIENT_TOKEN


def bearer_token(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized()
    return token.strip()


async def authenticate_patient(request: Request, spec: RouteSpec) -> None:
    deps = request.app.ctx.deps
    claims = deps.tokens.verify(bearer_token(request), kind=PATIENT_TOKEN, now=deps.now())
    request.ctx.user_id = int(claims.subject)


register_authenticator("patient", authenticate_patient)

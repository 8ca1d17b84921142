"""The ``openapi`` authenticator of the route table: a request signed with an open API client's secret.

Order of the checks: the app key names an enabled client (from here on the call is audited under
that app key, refusals included) -> headers well formed, timestamp within 300 s -> signature
(constant-time) -> nonce unused (recorded) -> the client's own rate limit -> the route's scope.
A request that fails any of them reaches no handler and changes nothing but the audit trail, the
nonce table and the rate limit counter.
"""

from __future__ import annotations

from sanic import Request

from checkup.api.ratelimit import limiter_of
from checkup.api.routing import RouteSpec, register_authenticator
from checkup.domain.errors import AppKeyInvalid, ScopeDenied, SignatureInvalid
from checkup.services import open_clients
from checkup.services.open_clients import SignedRequest

RATE_RULE = "open_client"  # the counter name (checkup:rl:open_client:<app key>:<minute>)


def signed_request(request: Request) -> SignedRequest:
    h = request.headers
    return SignedRequest(
        method=request.method, path=request.path, query_string=request.query_string or "",
        body=request.body or b"", app_key=h.get("x-app-key", "").strip(), timestamp=h.get("x-timestamp", "").strip(),
        nonce=h.get("x-nonce", "").strip(), signature=h.get("x-signature", "").strip(),
    )


async def authenticate_open_client(request: Request, spec: RouteSpec) -> None:
    """A signed call of an enabled client holding the route's scope (``spec.roles``)."""
    deps = request.app.ctx.deps
    now = deps.now()
    req = signed_request(request)
    if not req.app_key:
        raise SignatureInvalid("缺少请求头 X-App-Key", header="X-App-Key")
    client = await open_clients.find_client(req.app_key)
    if client is None:
        raise AppKeyInvalid()
    entry = getattr(request.ctx, "audit", None)
    if entry is not None:  # identified: audited from here on, whatever the outcome
        entry.actor = client.app_key
        entry.detail.update(platform=client.name, query=(request.query_string or "")[:500])
    if not client.enabled:
        raise AppKeyInvalid()
    open_clients.check_form(req, now=now)
    open_clients.check_signature(deps.pii, client, req)
    await open_clients.claim_nonce(client, req.nonce, now=now)
    limiter = limiter_of(request)
    if limiter is not None:
        await limiter.check_limit(RATE_RULE, client.app_key, limit=client.rate_limit_per_minute, period=60,
                                  request=request)
    missing = [scope for scope in spec.roles if scope not in (client.scopes or [])]
    if missing:
        raise ScopeDenied(required=missing)
    request.ctx.open_client = client
    await open_clients.touch(client, now=now)


register_authenticator("openapi", authenticate_open_client)

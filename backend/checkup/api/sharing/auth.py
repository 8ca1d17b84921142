"""The ``openapi`` authenticator of the route table: a request signed with an open API client's secret.

Order of the checks: the app key names an enabled client (from here on the call is audited under
that app key, refusals included) -> headers well formed, timestamp within 300 s -> signature
(constant-time) -> nonce unused (recorded) -> the client's own rate limit -> the route's scope.
A request that fails any of them reaches no handler and changes nothing but the audit trail, the
nonce table and the rate limit counter.

Failed signatures (and malformed signing headers) are counted per app key and minute before they
are audited: the first 10 failures of a minute leave a row each, then only the 20th and the 50th
(with the minute's count so far: repeated failures aggregated); from the 50th on, the key's calls are
refused at once (429) without a check or a row until the minute ends. Someone replaying garbage under a known
app key cannot flood the audit trail.
"""

from __future__ import annotations

from sanic import Request

from checkup.api.ratelimit import limiter_of
from checkup.api.routing import RouteSpec
from checkup.domain.errors import AppError, AppKeyInvalid, RateLimited, ScopeDenied, SignatureInvalid
from checkup.services import sharing_clients
from checkup.services.sharing_clients import SignedRequest

RATE_RULE = "open_client"  # the counter name (checkup:rl:open_client:<app key>:<minute>)
FAILURE_RULE = "open_sig_fail"  # failed signatures per app key and minute
FAILURE_LIMIT = 50
AUDITED_ONE_BY_ONE = 10
AUDITED_AGGREGATES = {20, FAILURE_LIMIT}


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
    client = await sharing_clients.find_client(req.app_key)
    if client is None:
        raise AppKeyInvalid()
    entry = getattr(request.ctx, "audit", None)
    if entry is not None:  # identified: audited from here on, whatever the outcome
        entry.actor = client.app_key
        entry.detail.update(platform=client.name, query=(request.query_string or "")[:500])
    if not client.enabled:
        raise AppKeyInvalid()
    limiter = limiter_of(request)
    if limiter is not None:
        failures, left = await limiter.peek(FAILURE_RULE, client.app_key, period=60)
        if failures >= FAILURE_LIMIT:
            if entry is not None:
                entry.skip = True
            raise RateLimited("签名错误次数过多，请稍后再试", retry_after=left)
    try:
        sharing_clients.check_form(req, now=now)
        sharing_clients.check_signature(deps.pii, client, req)
    except AppError:
        if limiter is not None:
            failures = await limiter.count(FAILURE_RULE, client.app_key, period=60)
            if entry is not None:
                entry.skip = failures > AUDITED_ONE_BY_ONE and failures not in AUDITED_AGGREGATES
                entry.detail["failures_this_minute"] = failures
        raise
    await sharing_clients.claim_nonce(client, req.nonce, now=now)
    if limiter is not None:
        await limiter.check_limit(RATE_RULE, client.app_key, limit=client.rate_limit_per_minute, period=60,
                                  request=request)
    missing = [scope for scope in spec.roles if scope not in (client.scopes or [])]
    if missing:
        raise ScopeDenied(required=missing)
    request.ctx.open_client = client
    await sharing_clients.touch(client, now=now)


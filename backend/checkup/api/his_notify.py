"""Inbound HIS notifications, for hospitals whose HIS can push: a bill refunded, cancelled or re-priced
at the window. Signed like our calls to HIS (docs/interfaces/his-peis-protocol.md): the HIS app id,
a fresh timestamp, a nonce used once, HMAC-SHA256 with the shared HIS secret over
METHOD, PATH, TIMESTAMP, NONCE and BODY.

The notification is a hint, not the truth: the app asks HIS about the bill and applies what HIS says,
so a stale or repeated notification changes nothing.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field, StringConstraints
from sanic import Blueprint, Request

from checkup.api.routing import RouteSpec, route
from checkup.api.schemas import In, Out
from checkup.domain.errors import SignatureInvalid
from checkup.integrations import signing
from checkup.services import his_inbound, his_sync

log = logging.getLogger("checkup.his_notify")
bp = Blueprint("his_notify", url_prefix="/api/his")
NONCE_TTL = timedelta(seconds=2 * signing.MAX_CLOCK_SKEW_SECONDS)


class HisNotificationIn(In):
    event: Literal["bill_refunded", "bill_cancelled", "bill_repriced", "bill_changed"]
    bill_no: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    occurred_at: str | None = Field(None, max_length=40)


class HisNotificationOut(Out):
    result: str
    applied: bool


async def verify_his(request: Request, spec: RouteSpec) -> None:
    """The HIS signature over the exact request, a fresh timestamp and a nonce not seen before."""
    settings = request.app.ctx.settings
    h = request.headers
    app_id, ts, nonce, signature = (h.get(signing.HEADER_APP_ID, ""), h.get(signing.HEADER_TIMESTAMP, ""),
                                    h.get(signing.HEADER_NONCE, ""), h.get(signing.HEADER_SIGNATURE, ""))
    if not (app_id and ts and nonce and signature) or len(nonce) > 64:
        raise SignatureInvalid("缺少签名信息")
    if app_id != settings.his_app_id:
        raise SignatureInvalid("未知的 HIS 应用")
    try:
        skew = abs(time.time() - int(ts))
    except ValueError:
        raise SignatureInvalid("时间戳格式不正确") from None
    if skew > signing.MAX_CLOCK_SKEW_SECONDS:
        raise SignatureInvalid("时间戳已过期")
    message = signing.request_message(method=request.method, path=request.path, timestamp=ts, nonce=nonce,
                                      body=request.body or b"")
    if not signing.signature_matches(settings.his_secret, message, signature):
        raise SignatureInvalid("签名不正确")
    now = request.app.ctx.deps.now()
    await his_inbound.claim_nonce(nonce, now=now, ttl=NONCE_TTL)



@route(bp, "POST", "/notify", auth="his", body=HisNotificationIn, response=HisNotificationOut)
async def his_notification(request: Request, body: HisNotificationIn):
    """HIS says a bill changed: ask HIS about it and end the booking when it is no longer paid."""
    charge = await his_inbound.charge_of_bill(body.bill_no)
    if charge is None:  # not a bill the app has seen: nothing here depends on it
        return {"result": "SUCCESS", "applied": False}
    cause = await his_sync.check_paid_bill(request.app.ctx.deps, charge, source=f"his_notify:{body.event}")
    log.info("HIS notification %s for %s: %s", body.event, body.bill_no, cause or "no change")
    return {"result": "SUCCESS", "applied": cause is not None}

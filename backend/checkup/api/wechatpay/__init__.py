"""WeChat Pay notifications: verified (signature, serial, freshness) before anything is read."""

from __future__ import annotations

import logging

from sanic import Blueprint, Request
from sanic.response import json

from checkup.api.routing import RouteSpec, route
from checkup.api.schemas import WechatAckOut
from checkup.domain.errors import SignatureInvalid
from checkup.integrations.wechat.pay.errors import WechatPayError
from checkup.services import payments, refunds

log = logging.getLogger("checkup.wechatpay")
bp = Blueprint("wechatpay", url_prefix="/api/wechatpay")
ACK = {"code": "SUCCESS", "message": "成功"}


async def verify_notification(request: Request, spec: RouteSpec) -> None:
    try:
        request.ctx.notification = await request.app.ctx.deps.wechatpay.averify_and_decrypt_notification(
            request.headers, request.body or b""
        )
    except (WechatPayError, ValueError) as exc:
        log.warning("refused WeChat Pay notification: %s", exc)
        raise SignatureInvalid("通知验签失败") from None



@route(bp, "POST", "/notify/payment", auth="signature", response=WechatAckOut)
async def payment_notification(request: Request):
    """TRANSACTION.SUCCESS: apply the payment once and queue the HIS write-back."""
    note = request.ctx.notification
    if note.event_type == "TRANSACTION.SUCCESS":
        outcome = await payments.apply_paid(request.app.ctx.deps, note.transaction(), source="notify")
        # "applied" is logged once, by the service; the other outcomes name the notification here
        (log.debug if outcome == "applied" else log.info)("payment notification %s: %s", note.id, outcome)
    return json(ACK)


@route(bp, "POST", "/notify/refund", auth="signature", response=WechatAckOut)
async def refund_notification(request: Request):
    """REFUND.SUCCESS / ABNORMAL / CLOSED: record the refund's end."""
    note = request.ctx.notification
    if note.event_type in ("REFUND.SUCCESS", "REFUND.ABNORMAL", "REFUND.CLOSED"):
        refund = note.refund()
        # CLOSED sends the refund again under a new number; ABNORMAL becomes a staff task (services/refunds)
        await refunds.finish_refund(request.app.ctx.deps, refund_no=refund.out_refund_no,
                                    status=note.event_type.removeprefix("REFUND."), refund_id=refund.refund_id)
    return json(ACK)

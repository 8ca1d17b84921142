"""Sandbox WeChat Pay API v3 server (mounted as the WeChat Pay host) and its control API."""

from __future__ import annotations

import functools
import json
from collections.abc import Awaitable, Callable
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from checkup.sandbox.wechatpay_keys import SandboxKeys, ensure_sandbox_keys, generate_sandbox_keys
from checkup.sandbox.wechatpay_service import (
    RETRY_SCHEDULE_SECONDS,
    SandboxError,
    WechatPaySandbox,
    WechatPaySandboxConfig,
)
from checkup.sandbox.wechatpay_state import WechatPaySandboxState

__all__ = [
    "RETRY_SCHEDULE_SECONDS",
    "SandboxKeys",
    "WechatPaySandbox",
    "WechatPaySandboxConfig",
    "WechatPaySandboxState",
    "create_wechatpay_blueprint",
    "create_wechatpay_control_blueprint",
    "ensure_sandbox_keys",
    "generate_sandbox_keys",
]

Handler = Callable[..., Awaitable[HTTPResponse]]


def _dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json_body(request: Request) -> dict[str, Any]:
    if not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except ValueError as exc:
        raise SandboxError(400, "PARAM_ERROR", "请求体不是合法的 JSON") from exc
    if not isinstance(data, dict):
        raise SandboxError(400, "PARAM_ERROR", "请求体须为 JSON 对象")
    return data


def create_wechatpay_blueprint(
    config: WechatPaySandboxConfig,
    state: WechatPaySandboxState,
    *,
    url_prefix: str = "/sandbox/wechatpay",
    name: str = "sandbox_wechatpay",
) -> Blueprint:
    """The WeChat Pay host: the app's WeChat Pay base_url is ``{app}{url_prefix}``."""
    sandbox = WechatPaySandbox(config, state)
    prefix = url_prefix.rstrip("/")
    bp = Blueprint(name, url_prefix=prefix or None)

    def signed(status: int, payload: Any = None) -> HTTPResponse:
        body = b"" if payload is None else _dumps(payload)
        headers = sandbox.sign_headers(body)
        content_type = None if payload is None else "application/json; charset=utf-8"
        return HTTPResponse(body=body, status=status, headers=headers, content_type=content_type)

    def wechat_api(handler: Handler) -> Handler:
        """Authenticate the merchant over the raw request; answer errors as WeChat does, signed."""

        @functools.wraps(handler)
        async def wrapped(request: Request, **kwargs: Any) -> HTTPResponse:
            try:
                mchid = sandbox.authenticate(
                    method=request.method, raw_url=request.raw_url, headers=request.headers, body=request.body
                )
                return await handler(request, mchid, **kwargs)
            except SandboxError as exc:
                return signed(exc.status, {"code": exc.code, "message": exc.message})

        return wrapped

    @bp.post("/v3/pay/transactions/jsapi")
    @wechat_api
    async def jsapi_prepay(request: Request, mchid: str) -> HTTPResponse:
        return signed(200, sandbox.prepay(_json_body(request), mchid=mchid))

    @bp.get("/v3/pay/transactions/out-trade-no/<out_trade_no>")
    @wechat_api
    async def query_by_out_trade_no(request: Request, mchid: str, out_trade_no: str) -> HTTPResponse:
        return signed(200, sandbox.query(mchid=request.args.get("mchid"), out_trade_no=out_trade_no))

    @bp.get("/v3/pay/transactions/id/<transaction_id>")
    @wechat_api
    async def query_by_transaction_id(request: Request, mchid: str, transaction_id: str) -> HTTPResponse:
        return signed(200, sandbox.query(mchid=request.args.get("mchid"), transaction_id=transaction_id))

    @bp.post("/v3/pay/transactions/out-trade-no/<out_trade_no>/close")
    @wechat_api
    async def close_order(request: Request, mchid: str, out_trade_no: str) -> HTTPResponse:
        sandbox.close(out_trade_no, _json_body(request), mchid=mchid)
        return signed(204)

    @bp.post("/v3/refund/domestic/refunds")
    @wechat_api
    async def create_refund(request: Request, mchid: str) -> HTTPResponse:
        return signed(200, sandbox.refund(_json_body(request)))

    @bp.get("/v3/refund/domestic/refunds/<out_refund_no>")
    @wechat_api
    async def query_refund(request: Request, mchid: str, out_refund_no: str) -> HTTPResponse:
        return signed(200, sandbox.query_refund(out_refund_no))

    @bp.get("/v3/bill/tradebill")
    @wechat_api
    async def trade_bill(request: Request, mchid: str) -> HTTPResponse:
        answer = sandbox.trade_bill(
            bill_date=request.args.get("bill_date"),
            bill_type=request.args.get("bill_type"),
            tar_type=request.args.get("tar_type"),
            url_base=f"{request.scheme}://{request.host}{prefix}",
        )
        return signed(200, answer)

    @bp.get("/v3/billdownload/file")
    @wechat_api
    async def bill_download(request: Request, mchid: str) -> HTTPResponse:
        # Like WeChat, the file itself is not signed: the client checks it against hash_value.
        content = sandbox.bill_file(request.args.get("token"))
        return HTTPResponse(body=content, status=200, content_type="application/octet-stream")

    @bp.listener("after_server_start")
    async def resume_deliveries(app: Any) -> None:
        sandbox.resume_pending()

    @bp.listener("before_server_stop")
    async def stop_deliveries(app: Any) -> None:
        await sandbox.shutdown()

    return bp


def create_wechatpay_control_blueprint(
    config: WechatPaySandboxConfig,
    state: WechatPaySandboxState,
    *,
    url_prefix: str = "/sandbox/control",
    name: str = "sandbox_wechatpay_control",
) -> Blueprint:
    """Test controls: make the patient pay, resend notifications, forge bad ones, inspect orders."""
    sandbox = WechatPaySandbox(config, state)
    bp = Blueprint(name, url_prefix=url_prefix.rstrip("/") or None)

    def control(handler: Handler) -> Handler:
        """Answer refusals in the app's error shape: {"error": {code, message, details}}."""

        @functools.wraps(handler)
        async def wrapped(request: Request, **kwargs: Any) -> HTTPResponse:
            try:
                return await handler(request, **kwargs)
            except SandboxError as exc:
                payload = {"error": {"code": exc.code, "message": exc.message, "details": {}}}
                return HTTPResponse(_dumps(payload), status=exc.status, content_type="application/json")

        return wrapped

    def ok(payload: Any, status: int = 200) -> HTTPResponse:
        return HTTPResponse(_dumps(payload), status=status, content_type="application/json")

    def payment_no(body: dict[str, Any]) -> str:
        value = body.get("payment_no")
        if not isinstance(value, str) or not value:
            raise SandboxError(400, "VALIDATION_ERROR", "payment_no 不能为空")
        return value

    @bp.post("/pay")
    @control
    async def pay(request: Request) -> HTTPResponse:
        body = _control_body(request)
        amount = body.get("amount_fen")
        result = await sandbox.pay(payment_no(body), total_override=amount, wait=bool(body.get("wait")))
        return ok(result)

    @bp.post("/renotify")
    @control
    async def renotify(request: Request) -> HTTPResponse:
        body = _control_body(request)
        refund_no = body.get("refund_no")
        trade_no = None if refund_no else payment_no(body)
        result = await sandbox.renotify(
            out_trade_no=trade_no, out_refund_no=refund_no, wait=bool(body.get("wait"))
        )
        return ok(result)

    @bp.get("/wechatpay/orders/<out_trade_no>")
    @control
    async def order(request: Request, out_trade_no: str) -> HTTPResponse:
        return ok(sandbox.order_view(out_trade_no))

    @bp.post("/wechatpay/orders/<out_trade_no>/expire")
    @control
    async def expire(request: Request, out_trade_no: str) -> HTTPResponse:
        sandbox.expire(out_trade_no)
        return ok(sandbox.order_view(out_trade_no))

    @bp.post("/wechatpay/notify-forged")
    @control
    async def notify_forged(request: Request) -> HTTPResponse:
        body = _control_body(request)
        return ok(await sandbox.send_forged(payment_no(body), defect=str(body.get("defect") or "")))

    @bp.post("/wechatpay/reset")
    @control
    async def reset(request: Request) -> HTTPResponse:
        state.reset()
        return ok({"reset": True})

    @bp.post("/wechatpay/refund-faults")
    @control
    async def refund_faults(request: Request) -> HTTPResponse:
        body = _control_body(request)
        times = body.get("times", 1)
        if not isinstance(times, int) or isinstance(times, bool) or not 1 <= times <= 100:
            raise SandboxError(400, "VALIDATION_ERROR", "times 须为 1-100 的整数")
        sandbox.add_refund_faults(str(body.get("status") or ""), times)
        return ok({"pending_faults": list(state.refund_faults)})

    @bp.listener("before_server_stop")
    async def stop_background(app: Any) -> None:
        await sandbox.shutdown()

    return bp


def _control_body(request: Request) -> dict[str, Any]:
    try:
        return _json_body(request)
    except SandboxError as exc:
        raise SandboxError(400, "INVALID_JSON", "请求体须为 JSON 对象") from exc

"""Sandbox WeChat Pay API v3 server (mounted as the WeChat Pay host) and its control API."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Coroutine
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from checkup.sandbox.wechatpay.keys import (
    SandboxKeys,
    ensure_sandbox_keys,
    generate_platform_certificate,
    generate_sandbox_keys,
)
from checkup.sandbox.wechatpay.modes import (
    SandboxCertificate,
    check_partner_ids,
    check_refund_merchant,
    partner_prepay_to_direct,
)
from checkup.sandbox.wechatpay.service import (
    RETRY_SCHEDULE_SECONDS,
    SandboxError,
    WechatPaySandbox,
    WechatPaySandboxConfig,
)
from checkup.sandbox.wechatpay.state import WechatPaySandboxState

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

Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


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
        body = _json_body(request)
        order = (state.order_by_transaction_id(str(body["transaction_id"])) if body.get("transaction_id")
                 else state.orders.get(str(body.get("out_trade_no") or "")))
        if order is not None:
            check_refund_merchant(order.sub_mchid, body.get("sub_mchid"))
        return signed(200, sandbox.refund(body))

    @bp.get("/v3/refund/domestic/refunds/<out_refund_no>")
    @wechat_api
    async def query_refund(request: Request, mchid: str, out_refund_no: str) -> HTTPResponse:
        refund = state.refunds.get(out_refund_no)
        order = state.orders.get(refund.out_trade_no) if refund else None
        if order is not None:
            check_refund_merchant(order.sub_mchid, request.args.get("sub_mchid"))
        return signed(200, sandbox.query_refund(out_refund_no))

    @bp.get("/v3/certificates")
    @wechat_api
    async def certificates(request: Request, mchid: str) -> HTTPResponse:
        if config.signing == "public_key":
            raise SandboxError(404, "RESOURCE_NOT_EXISTS", "该商户已切换为微信支付公钥模式，无平台证书")
        return signed(200, sandbox.signer.certificates_json(config.apiv3_key))

    # ---- service provider (partner) API family ----

    def partner_ids(request: Request, mchid: str) -> None:
        check_partner_ids(sp_mchid=request.args.get("sp_mchid"), sub_mchid=request.args.get("sub_mchid"),
                          mchid=mchid, expected_sub_mchid=config.sub_mchid)

    def partner_order(out_trade_no: str | None = None, transaction_id: str | None = None) -> Any:
        order = (state.order_by_transaction_id(transaction_id) if transaction_id is not None
                 else state.orders.get(out_trade_no or ""))
        if order is None or order.sub_mchid != config.sub_mchid:
            raise SandboxError(404, "ORDER_NOT_EXIST", "订单不存在")
        return order

    @bp.post("/v3/pay/partner/transactions/jsapi")
    @wechat_api
    async def partner_prepay(request: Request, mchid: str) -> HTTPResponse:
        direct = partner_prepay_to_direct(_json_body(request), mchid=mchid, sp_appid=config.sp_appid,
                                          sub_mchid=config.sub_mchid, appid=config.appid)
        return signed(200, sandbox.prepay(direct, mchid=mchid, sub_mchid=config.sub_mchid))

    @bp.get("/v3/pay/partner/transactions/out-trade-no/<out_trade_no>")
    @wechat_api
    async def partner_query(request: Request, mchid: str, out_trade_no: str) -> HTTPResponse:
        partner_ids(request, mchid)
        return signed(200, sandbox.transaction_json(partner_order(out_trade_no=out_trade_no)))

    @bp.get("/v3/pay/partner/transactions/id/<transaction_id>")
    @wechat_api
    async def partner_query_by_id(request: Request, mchid: str, transaction_id: str) -> HTTPResponse:
        partner_ids(request, mchid)
        return signed(200, sandbox.transaction_json(partner_order(transaction_id=transaction_id)))

    @bp.post("/v3/pay/partner/transactions/out-trade-no/<out_trade_no>/close")
    @wechat_api
    async def partner_close(request: Request, mchid: str, out_trade_no: str) -> HTTPResponse:
        body = _json_body(request)
        check_partner_ids(sp_mchid=body.get("sp_mchid"), sub_mchid=body.get("sub_mchid"), mchid=mchid,
                          expected_sub_mchid=config.sub_mchid)
        partner_order(out_trade_no=out_trade_no)
        sandbox.close(out_trade_no, {"mchid": mchid}, mchid=mchid)
        return signed(204)

    @bp.get("/v3/bill/tradebill")
    @wechat_api
    async def trade_bill(request: Request, mchid: str) -> HTTPResponse:
        answer = sandbox.trade_bill(
            bill_date=request.args.get("bill_date"),
            bill_type=request.args.get("bill_type"),
            tar_type=request.args.get("tar_type"),
            url_base=f"{request.scheme}://{request.host}{prefix}",
            sub_mchid=request.args.get("sub_mchid"),
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
        overrides = body.get("notify") or {}
        if not isinstance(overrides, dict) or not all(isinstance(v, str) for v in overrides.values()):
            raise SandboxError(400, "VALIDATION_ERROR", "notify 须为字符串值的对象")
        result = await sandbox.pay(payment_no(body), total_override=amount, wait=bool(body.get("wait")),
                                   notify_overrides=overrides)
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
        return ok({"pending_faults": list(state.refund_faults),
                   "pending_request_faults": list(state.refund_request_faults)})

    @bp.post("/wechatpay/rotate-certificate")
    @control
    async def rotate_certificate(request: Request) -> HTTPResponse:
        """WeChat issues a new platform certificate (certificate and mixed modes): it signs from now on."""
        if config.signing == "public_key":
            raise SandboxError(409, "NOT_CERTIFICATE_MODE", "沙箱为公钥模式，没有平台证书")
        sandbox.signer.rotate(SandboxCertificate.load(*generate_platform_certificate()))
        return ok({"serials": [c.serial for c in sandbox.signer.certificates],
                   "current": sandbox.signer.current_certificate().serial})

    @bp.post("/wechatpay/foreign-trade")
    @control
    async def foreign_trade(request: Request) -> HTTPResponse:
        """Another system sharing the merchant number (outpatient, inpatient, a vendor) takes a payment,
        and optionally refunds it: its rows appear in the merchant's bill, never at our notify_url."""
        return ok(add_foreign_trade(state, _control_body(request), mchid=config.mchid))

    @bp.listener("before_server_stop")
    async def stop_background(app: Any) -> None:
        await sandbox.shutdown()

    return bp


def add_foreign_trade(state: WechatPaySandboxState, body: dict[str, Any], *, mchid: str) -> dict[str, Any]:
    """A paid order (and refund) of another system on the same merchant number."""
    import secrets
    from datetime import datetime

    from checkup.sandbox.wechatpay.service import CST, OUT_REFUND_NO_RE, OUT_TRADE_NO_RE, _is_amount
    from checkup.sandbox.wechatpay.state import SandboxOrder, SandboxRefund

    appid, out_trade_no, total = body.get("appid"), body.get("out_trade_no"), body.get("amount_fen")
    refund_no, refund_fen = body.get("out_refund_no"), body.get("refund_fen")
    if not isinstance(appid, str) or not appid:
        raise SandboxError(400, "VALIDATION_ERROR", "appid 不能为空")
    if not isinstance(out_trade_no, str) or not OUT_TRADE_NO_RE.match(out_trade_no):
        raise SandboxError(400, "VALIDATION_ERROR", "out_trade_no 须为 6-32 位字母、数字、_ 或 -")
    if out_trade_no in state.orders:
        raise SandboxError(409, "OUT_TRADE_NO_USED", "商户订单号已存在")
    if not _is_amount(total):
        raise SandboxError(400, "VALIDATION_ERROR", "amount_fen 须为不小于 1 的整数")
    refund: tuple[str, int] | None = None  # (out_refund_no, refund_fen)
    if refund_no is not None:
        if (not isinstance(refund_no, str) or not OUT_REFUND_NO_RE.match(refund_no)
                or not _is_amount(refund_fen) or refund_fen > total or refund_no in state.refunds):
            raise SandboxError(400, "VALIDATION_ERROR", "out_refund_no / refund_fen 无效")
        refund = (refund_no, refund_fen)
    now = datetime.now(CST).isoformat(timespec="seconds")
    transaction_id = "42000" + "".join(secrets.choice("0123456789") for _ in range(23))
    state.orders[out_trade_no] = SandboxOrder(
        out_trade_no=out_trade_no, appid=appid, mchid=mchid, description="其他系统收款", notify_url="",
        total=total, openid="o-foreign-" + secrets.token_hex(4), prepay_id="", prepay_created_at=0.0,
        created_at=now, trade_state="REFUND" if refund else "SUCCESS", transaction_id=transaction_id,
        success_time=now, payer_total=total, bank_type="OTHERS",
    )
    if refund:
        refund_no, refund_fen = refund
        state.refunds[refund_no] = SandboxRefund(
            out_refund_no=refund_no, refund_id="50300" + secrets.token_hex(10), out_trade_no=out_trade_no,
            transaction_id=transaction_id, refund=refund_fen, total=total, reason="", notify_url=None,
            create_time=now, status="SUCCESS", success_time=now,
        )
    state.save()
    return {"out_trade_no": out_trade_no, "transaction_id": transaction_id, "out_refund_no": refund_no}


def _control_body(request: Request) -> dict[str, Any]:
    try:
        return _json_body(request)
    except SandboxError as exc:
        raise SandboxError(400, "INVALID_JSON", "请求体须为 JSON 对象") from exc

"""What the WeChat Pay sandbox does: orders, payments, notifications with retries, refunds, bills."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import hashlib
import json
import logging
import re
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, TypeGuard

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from checkup.sandbox.wechatpay import crypto
from checkup.sandbox.wechatpay.bill import build_trade_bill
from checkup.sandbox.wechatpay.keys import SandboxKeys
from checkup.sandbox.wechatpay.modes import SandboxCertificate, SandboxSigner, to_partner
from checkup.sandbox.wechatpay.state import (
    SandboxNotification,
    SandboxOrder,
    SandboxRefund,
    WechatPaySandboxState,
)

log = logging.getLogger(__name__)

CST = timezone(timedelta(hours=8), "Asia/Shanghai")
# WeChat's retry schedule after a failed notification delivery (15 retries).
RETRY_SCHEDULE_SECONDS: tuple[int, ...] = (15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600)  # fmt: skip
OUT_TRADE_NO_RE = re.compile(r"^[A-Za-z0-9_-]{6,32}$")
OUT_REFUND_NO_RE = re.compile(r"^[A-Za-z0-9_*@|-]{1,64}$")
PREPAY_LIFETIME = 2 * 3600
MAX_PARTIAL_REFUNDS = 50
FORGERY_DEFECTS = ("signature", "altered", "stale", "wrong_serial", "signtest", "bad_ciphertext")
# Refusals WeChat gives a refund request that go away by themselves (or once finance tops up the balance).
REFUND_REQUEST_FAULTS: dict[str, tuple[int, str, str]] = {
    "FREQUENCY_LIMITED": (429, "FREQUENCY_LIMITED", "频率超限，请降低请求频率"),
    "NOT_ENOUGH": (403, "NOT_ENOUGH", "基本账户余额不足，请充值后重新发起"),
    "SYSTEM_ERROR": (500, "SYSTEM_ERROR", "系统超时，请使用相同参数稍后重新调用"),
    "BANK_ERROR": (500, "BANK_ERROR", "银行系统异常，请使用相同参数稍后重新调用"),
}
TRADE_STATE_DESC = {"SUCCESS": "支付成功", "NOTPAY": "未支付", "CLOSED": "已关闭", "REFUND": "转入退款"}
EVENT_SUMMARY = {
    "TRANSACTION.SUCCESS": "支付成功",
    "REFUND.SUCCESS": "退款成功",
    "REFUND.ABNORMAL": "退款异常",
    "REFUND.CLOSED": "退款关闭",
}


@dataclass(frozen=True, slots=True)
class WechatPaySandboxConfig:
    """Who the sandbox WeChat Pay serves and how fast it behaves."""

    mchid: str
    appid: str
    merchant_serial_no: str
    merchant_public_key_pem: bytes
    platform_private_key_pem: bytes
    platform_public_key_id: str
    apiv3_key: bytes
    retry_scale: float = 0.001  # 15 s of WeChat's schedule become 15 ms
    notify_timeout: float = 5.0  # a notification not acknowledged within this counts as failed
    refund_delay: float = 0.05  # seconds from PROCESSING to the refund's final status
    bill_url_ttl: float = 30.0  # download_url lifetime
    enforce_bill_schedule: bool = False  # True: only past days, ready after 10:00 the next day, 3 months back
    max_clock_skew: float = 300.0
    other_appids: tuple[str, ...] = ()  # further appids bound to the merchant (the official account)
    clock: Callable[[], datetime] | None = field(default=None, compare=False)
    # How WeChat signs answers and notifications: public_key, certificate (platform certificate,
    # served encrypted at /v3/certificates) or mixed (either, at random: WeChat's switch-over).
    signing: str = "public_key"
    certificate_private_key_pem: bytes = b""
    certificate_pem: bytes = b""
    # Service provider (partner) mode: mchid is then the provider (sp_mchid), appid the mini-program
    # (sub_appid) of the one sub-merchant served here.
    sp_appid: str | None = None
    sub_mchid: str | None = None
    # WeChat refuses a notify_url that is not https; the local sandbox allows http unless told.
    require_https_notify: bool = False

    @classmethod
    def from_keys(
        cls, keys: SandboxKeys, *, mchid: str, appid: str, **options: Any
    ) -> WechatPaySandboxConfig:
        """Config from generated sandbox keys."""
        return cls(
            mchid=mchid,
            appid=appid,
            merchant_serial_no=keys.merchant_serial_no,
            merchant_public_key_pem=keys.merchant_public_key_pem,
            platform_private_key_pem=keys.platform_private_key_pem,
            platform_public_key_id=keys.platform_public_key_id,
            apiv3_key=keys.apiv3_key,
            certificate_private_key_pem=keys.certificate_private_key_pem,
            certificate_pem=keys.certificate_pem,
            **options,
        )


class SandboxError(Exception):
    """A refusal, answered as WeChat's ``{code, message}`` (API) or the app's error shape (control)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message


def _rfc3339(value: datetime) -> str:
    return value.astimezone(CST).isoformat(timespec="seconds")


def _json(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _is_amount(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


class WechatPaySandbox:
    """The sandbox's behaviour over its state; shared by the API and control blueprints."""

    def __init__(self, config: WechatPaySandboxConfig, state: WechatPaySandboxState) -> None:
        self.config = config
        self.state = state
        self.platform_key: rsa.RSAPrivateKey = crypto.private_key_from_pem(config.platform_private_key_pem)
        self.merchant_public_key: rsa.RSAPublicKey = crypto.public_key_from_pem(
            config.merchant_public_key_pem
        )
        certificates = (
            [SandboxCertificate.load(config.certificate_private_key_pem, config.certificate_pem)]
            if config.certificate_pem else []
        )
        self.signer = SandboxSigner(
            mode=config.signing,
            public_key=self.platform_key,
            public_key_id=config.platform_public_key_id,
            certificates=certificates,
            rotated=state.rotated_certificates,
        )

    def now(self) -> datetime:
        return (self.config.clock or (lambda: datetime.now(CST)))().astimezone(CST)

    # ---- request authentication and response signing ----

    def authenticate(self, *, method: str, raw_url: bytes, headers: Mapping[str, str], body: bytes) -> str:
        """Check the merchant's Authorization over the raw request; returns the mchid or raises 401."""
        params = crypto.parse_authorization(headers.get("authorization", ""))
        if params is None:
            raise SandboxError(401, "SIGN_ERROR", "Authorization 头缺失或格式错误")
        if params["mchid"] != self.config.mchid:
            raise SandboxError(401, "SIGN_ERROR", "商户号与签名信息不匹配")
        if params["serial_no"] != self.config.merchant_serial_no:
            raise SandboxError(401, "SIGN_ERROR", "商户证书序列号有误")
        timestamp = params["timestamp"]
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > self.config.max_clock_skew:
            raise SandboxError(401, "SIGN_ERROR", "签名时间戳已过期或格式错误")
        lines = [method.upper().encode(), raw_url, timestamp.encode(), params["nonce_str"].encode(), body]
        if not crypto.verify(self.merchant_public_key, lines, params["signature"]):
            raise SandboxError(401, "SIGN_ERROR", "签名错误，请检查签名串与商户私钥")
        serial = headers.get("wechatpay-serial")
        if serial is not None and serial not in self.signer.accepted_serials():
            raise SandboxError(400, "PARAM_ERROR", "Wechatpay-Serial 与微信支付公钥 ID 或平台证书序列号不符")
        return params["mchid"]

    def sign_headers(self, body: bytes) -> dict[str, str]:
        key, serial = self.signer.signing_key()
        headers = crypto.signed_headers(key, serial, body)
        headers["Request-ID"] = uuid.uuid4().hex
        return headers

    # ---- orders ----

    def _order(self, out_trade_no: str) -> SandboxOrder:
        order = self.state.orders.get(out_trade_no)
        if order is None:
            raise SandboxError(404, "ORDER_NOT_EXIST", "订单不存在")
        return order

    def transaction_json(self, order: SandboxOrder, *, total_override: int | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "appid": order.appid,
            "mchid": order.mchid,
            "out_trade_no": order.out_trade_no,
            "trade_state": order.trade_state,
            "trade_state_desc": TRADE_STATE_DESC.get(order.trade_state, order.trade_state),
            "attach": order.attach,
        }
        total = order.total if total_override is None else total_override
        if order.transaction_id:
            data.update(
                transaction_id=order.transaction_id,
                trade_type="JSAPI",
                bank_type=order.bank_type or "OTHERS",
                success_time=order.success_time,
                payer={"openid": order.openid},
                amount={"total": total, "payer_total": total, "currency": "CNY", "payer_currency": "CNY"},
                promotion_detail=[],
            )
        else:
            data["amount"] = {"total": total, "currency": "CNY", "payer_currency": "CNY"}
        if order.sub_mchid is not None:
            return to_partner(data, sp_appid=self.config.sp_appid or "", sub_mchid=order.sub_mchid)
        return data

    def prepay(self, body: Mapping[str, Any], *, mchid: str, sub_mchid: str | None = None) -> dict[str, Any]:
        """POST /v3/pay/transactions/jsapi (and, translated, /v3/pay/partner/transactions/jsapi)."""
        if body.get("mchid") != mchid:
            raise SandboxError(400, "PARAM_ERROR", "mchid 与请求签名的商户号不一致")
        if body.get("appid") not in (self.config.appid, *self.config.other_appids):
            raise SandboxError(400, "APPID_MCHID_NOT_MATCH", "appid 和 mch_id 不匹配")
        out_trade_no = body.get("out_trade_no")
        if not isinstance(out_trade_no, str) or not OUT_TRADE_NO_RE.match(out_trade_no):
            raise SandboxError(400, "PARAM_ERROR", "out_trade_no 须为 6-32 位字母、数字、_ 或 -")
        description = body.get("description")
        if not isinstance(description, str) or not 1 <= len(description) <= 127:
            raise SandboxError(400, "PARAM_ERROR", "description 长度须在 1-127 之间")
        notify_url = body.get("notify_url")
        if not isinstance(notify_url, str) or not notify_url.startswith(("https://", "http://")):
            raise SandboxError(400, "PARAM_ERROR", "notify_url 格式错误")
        if self.config.require_https_notify and not notify_url.startswith("https://"):
            raise SandboxError(400, "PARAM_ERROR", "notify_url 须为 https 地址")
        amount = body.get("amount") or {}
        if not isinstance(amount, dict) or not _is_amount(amount.get("total")):
            raise SandboxError(400, "PARAM_ERROR", "amount.total 须为不小于 1 的整数（分）")
        if amount.get("currency", "CNY") != "CNY":
            raise SandboxError(400, "PARAM_ERROR", "仅支持 CNY")
        payer = body.get("payer") or {}
        openid = payer.get("openid") if isinstance(payer, dict) else None
        if not isinstance(openid, str) or not openid:
            raise SandboxError(400, "PARAM_ERROR", "payer.openid 不能为空")
        attach = body.get("attach") or ""
        if not isinstance(attach, str) or len(attach) > 128:
            raise SandboxError(400, "PARAM_ERROR", "attach 长度不能超过 128")
        time_expire = body.get("time_expire")
        if time_expire is not None:
            try:
                expire_at = datetime.fromisoformat(str(time_expire))
            except ValueError as exc:
                raise SandboxError(400, "PARAM_ERROR", "time_expire 须为 RFC 3339 格式") from exc
            if expire_at.tzinfo is None:
                raise SandboxError(400, "PARAM_ERROR", "time_expire 须带时区")
            if expire_at <= self.now():
                raise SandboxError(400, "PARAM_ERROR", "time_expire 已过")
        existing = self.state.orders.get(out_trade_no)
        if existing is not None:
            return {
                "prepay_id": self._repeat_prepay(existing, amount["total"], openid, description, notify_url)
            }
        now = self.now()
        order = SandboxOrder(
            out_trade_no=out_trade_no,
            appid=body["appid"],
            mchid=mchid,
            description=description,
            notify_url=notify_url,
            total=amount["total"],
            openid=openid,
            prepay_id=self._new_prepay_id(),
            prepay_created_at=time.time(),
            created_at=_rfc3339(now),
            time_expire=str(time_expire) if time_expire is not None else None,
            attach=attach,
            sub_mchid=sub_mchid,
        )
        self.state.orders[out_trade_no] = order
        self.state.save()
        return {"prepay_id": order.prepay_id}

    def _repeat_prepay(
        self, order: SandboxOrder, total: int, openid: str, description: str, notify_url: str
    ) -> str:
        if order.trade_state in ("SUCCESS", "REFUND"):
            raise SandboxError(400, "ORDER_PAID", "该订单已支付")
        if order.trade_state == "CLOSED":
            raise SandboxError(400, "ORDER_CLOSED", "该订单已关闭")
        if (order.total, order.openid, order.description) != (total, openid, description):
            raise SandboxError(400, "OUT_TRADE_NO_USED", "商户订单号重复，且参数与原订单不一致")
        order.notify_url = notify_url
        if time.time() - order.prepay_created_at >= PREPAY_LIFETIME:
            order.prepay_id = self._new_prepay_id()
            order.prepay_created_at = time.time()
        self.state.save()
        return order.prepay_id

    def _new_prepay_id(self) -> str:
        return "wx" + self.now().strftime("%Y%m%d%H%M%S") + secrets.token_hex(10)

    def query(
        self, *, mchid: str | None, out_trade_no: str | None = None, transaction_id: str | None = None
    ) -> dict[str, Any]:
        """GET /v3/pay/transactions/out-trade-no/{no} or /id/{transaction_id}."""
        if mchid != self.config.mchid:
            raise SandboxError(400, "PARAM_ERROR", "mchid 参数缺失或与商户号不一致")
        if transaction_id is not None:
            order = self.state.order_by_transaction_id(transaction_id)
            if order is None:
                raise SandboxError(404, "ORDER_NOT_EXIST", "订单不存在")
        else:
            order = self._order(out_trade_no or "")
        if order.sub_mchid is not None:  # a sub-merchant's order is queried through the partner API
            raise SandboxError(404, "ORDER_NOT_EXIST", "订单不存在")
        return self.transaction_json(order)

    def close(self, out_trade_no: str, body: Mapping[str, Any], *, mchid: str) -> None:
        """POST /v3/pay/transactions/out-trade-no/{no}/close: re-entrant, and 204 for a paid order too.

        The real service answers 204 whatever the order's state and leaves a paid order paid: only a
        query afterwards tells the caller whether the order is CLOSED, NOTPAY or SUCCESS.
        """
        if body.get("mchid") != mchid:
            raise SandboxError(400, "PARAM_ERROR", "mchid 与请求签名的商户号不一致")
        order = self._order(out_trade_no)
        if order.trade_state in ("SUCCESS", "REFUND"):
            return
        if order.trade_state != "CLOSED":
            order.trade_state = "CLOSED"
            self.state.save()

    def expire(self, out_trade_no: str) -> SandboxOrder:
        """Control: let the order's time_expire pass now."""
        order = self._order(out_trade_no)
        order.time_expire = _rfc3339(self.now() - timedelta(seconds=1))
        self.state.save()
        return order

    async def pay(
        self, out_trade_no: str, *, total_override: int | None = None, wait: bool = False,
        notify_overrides: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """Control: the patient pays; sends TRANSACTION.SUCCESS until acknowledged.

        ``notify_overrides`` (appid, mchid, currency, openid) puts other values into the signed
        notification, as when one notify URL serves several accounts or a notification is misrouted.
        """
        order = self.state.orders.get(out_trade_no)
        if order is None:
            raise SandboxError(404, "ORDER_NOT_FOUND", "沙箱中没有该支付订单")
        if order.transaction_id:
            return {"transaction_id": order.transaction_id, "already_paid": True}
        if order.trade_state == "CLOSED":
            raise SandboxError(409, "ORDER_CLOSED", "订单已关闭，无法支付")
        if order.time_expire and datetime.fromisoformat(order.time_expire) <= self.now():
            raise SandboxError(409, "ORDER_EXPIRED", "订单已过支付截止时间，无法支付")
        if total_override is not None and not _is_amount(total_override):
            raise SandboxError(400, "INVALID_AMOUNT", "amount_fen 须为不小于 1 的整数")
        now = self.now()
        order.transaction_id = "42000" + _digits(5) + now.strftime("%Y%m%d") + _digits(10)
        order.trade_state = "SUCCESS"
        order.success_time = _rfc3339(now)
        order.payer_total = order.total
        order.bank_type = "OTHERS"
        resource = self.transaction_json(order, total_override=total_override)
        for key, value in (notify_overrides or {}).items():
            if key in ("appid", "mchid"):
                resource[key] = value
            elif key == "currency":
                resource["amount"] = {**resource["amount"], "currency": value, "payer_currency": value}
            elif key == "openid":
                resource["payer"] = {"openid": value}
            else:
                raise SandboxError(400, "INVALID_OVERRIDE", "notify 只能改 appid、mchid、currency、openid")
        note = self._new_notification(
            event_type="TRANSACTION.SUCCESS",
            notify_url=order.notify_url,
            resource=resource,
            original_type="transaction",
            out_trade_no=order.out_trade_no,
        )
        order.notification_id = note.id
        self.state.save()
        result: dict[str, Any] = {"transaction_id": order.transaction_id, "notification_id": note.id}
        first = self.start_delivery(note)
        if wait:
            result.update(await first)
        return result

    # ---- refunds ----

    def refund_json(self, refund: SandboxRefund) -> dict[str, Any]:
        data: dict[str, Any] = {
            "refund_id": refund.refund_id,
            "out_refund_no": refund.out_refund_no,
            "transaction_id": refund.transaction_id,
            "out_trade_no": refund.out_trade_no,
            "channel": "ORIGINAL",
            "user_received_account": "支付用户零钱",
            "create_time": refund.create_time,
            "status": refund.status,
            "funds_account": "AVAILABLE",
            "amount": {
                "total": refund.total,
                "refund": refund.refund,
                "payer_total": refund.total,
                "payer_refund": refund.refund,
                "settlement_total": refund.total,
                "settlement_refund": refund.refund,
                "discount_refund": 0,
                "refund_fee": 0,
                "currency": "CNY",
            },
            "promotion_detail": [],
        }
        if refund.success_time:
            data["success_time"] = refund.success_time
        return data

    def refund(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """POST /v3/refund/domestic/refunds: idempotent on out_refund_no, never beyond the total."""
        out_refund_no = body.get("out_refund_no")
        if not isinstance(out_refund_no, str) or not OUT_REFUND_NO_RE.match(out_refund_no):
            raise SandboxError(400, "PARAM_ERROR", "out_refund_no 格式错误")
        if body.get("transaction_id"):
            order = self.state.order_by_transaction_id(str(body["transaction_id"]))
        elif body.get("out_trade_no"):
            order = self.state.orders.get(str(body["out_trade_no"]))
        else:
            raise SandboxError(400, "PARAM_ERROR", "transaction_id 与 out_trade_no 须二选一")
        if order is None:
            raise SandboxError(404, "RESOURCE_NOT_EXISTS", "订单不存在")
        amount = body.get("amount") or {}
        if (
            not isinstance(amount, dict)
            or not _is_amount(amount.get("refund"))
            or not _is_amount(amount.get("total"))
        ):
            raise SandboxError(400, "PARAM_ERROR", "amount.refund 与 amount.total 须为不小于 1 的整数（分）")
        if amount.get("currency", "CNY") != "CNY":
            raise SandboxError(400, "PARAM_ERROR", "仅支持 CNY")
        if self.state.refund_request_faults:  # control: WeChat refuses this request for now
            code = self.state.refund_request_faults.pop(0)
            self.state.save()
            raise SandboxError(*REFUND_REQUEST_FAULTS[code])
        existing = self.state.refunds.get(out_refund_no)
        if existing is not None:
            if existing.out_trade_no != order.out_trade_no or existing.refund != amount["refund"]:
                raise SandboxError(400, "INVALID_REQUEST", "商户退款单号已存在，且参数与原退款不一致")
            return self.refund_json(existing)
        if order.trade_state not in ("SUCCESS", "REFUND") or not order.transaction_id:
            raise SandboxError(400, "INVALID_REQUEST", "订单未支付，不能退款")
        if amount["total"] != order.total:
            raise SandboxError(400, "PARAM_ERROR", "订单金额与原订单不一致")
        if order.success_time and datetime.fromisoformat(order.success_time) < self.now() - timedelta(
            days=365
        ):
            raise SandboxError(400, "INVALID_REQUEST", "订单已超过一年退款期限")
        others = [r for r in self.state.refunds_of(order.out_trade_no) if r.status != "CLOSED"]
        if len(others) >= MAX_PARTIAL_REFUNDS:
            raise SandboxError(400, "INVALID_REQUEST", "部分退款次数已达 50 次上限")
        if sum(r.refund for r in others) + amount["refund"] > order.total:
            raise SandboxError(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额")
        now = self.now()
        refund = SandboxRefund(
            out_refund_no=out_refund_no,
            refund_id="50300" + _digits(6) + now.strftime("%Y%m%d") + _digits(10),
            out_trade_no=order.out_trade_no,
            transaction_id=order.transaction_id,
            refund=amount["refund"],
            total=order.total,
            reason=str(body.get("reason") or ""),
            notify_url=str(body["notify_url"]) if body.get("notify_url") else None,
            create_time=_rfc3339(now),
        )
        self.state.refunds[out_refund_no] = refund
        self.state.save()
        final_status = self.state.refund_faults.pop(0) if self.state.refund_faults else "SUCCESS"
        self._spawn(self._finish_refund(out_refund_no, final_status))
        return self.refund_json(refund)

    async def _finish_refund(self, out_refund_no: str, status: str) -> None:
        await asyncio.sleep(self.config.refund_delay)
        refund = self.state.refunds[out_refund_no]
        order = self.state.orders[refund.out_trade_no]
        refund.status = status
        if status == "SUCCESS":
            refund.success_time = _rfc3339(self.now())
            order.trade_state = "REFUND"
        if refund.notify_url:
            merchant = {"mchid": order.mchid} if order.sub_mchid is None else {
                "sp_mchid": order.mchid, "sub_mchid": order.sub_mchid}
            resource: dict[str, Any] = {
                **merchant,
                "out_trade_no": order.out_trade_no,
                "transaction_id": refund.transaction_id,
                "out_refund_no": refund.out_refund_no,
                "refund_id": refund.refund_id,
                "refund_status": status,
                "user_received_account": "支付用户零钱",
                "amount": {
                    "total": refund.total,
                    "refund": refund.refund,
                    "payer_total": refund.total,
                    "payer_refund": refund.refund,
                },
            }
            if refund.success_time:
                resource["success_time"] = refund.success_time
            note = self._new_notification(
                event_type=f"REFUND.{status}",
                notify_url=refund.notify_url,
                resource=resource,
                original_type="refund",
                out_trade_no=order.out_trade_no,
                out_refund_no=refund.out_refund_no,
            )
            refund.notification_id = note.id
            self.start_delivery(note)
        self.state.save()

    def query_refund(self, out_refund_no: str) -> dict[str, Any]:
        """GET /v3/refund/domestic/refunds/{out_refund_no}."""
        refund = self.state.refunds.get(out_refund_no)
        if refund is None:
            raise SandboxError(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
        return self.refund_json(refund)

    def add_refund_faults(self, status: str, times: int) -> None:
        """Control: the next ``times`` refunds end ABNORMAL or CLOSED instead of SUCCESS, or the next
        ``times`` refund requests are refused the way WeChat refuses them for a while (429
        FREQUENCY_LIMITED, 403 NOT_ENOUGH, 500 SYSTEM_ERROR / BANK_ERROR)."""
        if status in REFUND_REQUEST_FAULTS:
            self.state.refund_request_faults.extend([status] * times)
        elif status in ("ABNORMAL", "CLOSED", "SUCCESS"):
            self.state.refund_faults.extend([status] * times)
        else:
            raise SandboxError(400, "INVALID_STATUS", "status 须为 ABNORMAL、CLOSED、SUCCESS、"
                               + "、".join(REFUND_REQUEST_FAULTS))
        self.state.save()

    # ---- bills ----

    def trade_bill(
        self,
        *,
        bill_date: str | None,
        bill_type: str | None,
        tar_type: str | None,
        url_base: str,
        sub_mchid: str | None = None,
    ) -> dict[str, Any]:
        """GET /v3/bill/tradebill → hash and a short-lived download_url (``sub_mchid``: a provider
        downloads one sub-merchant's bill)."""
        if sub_mchid is not None and sub_mchid != self.config.sub_mchid:
            raise SandboxError(400, "PARAM_ERROR", "sub_mchid 不是该服务商的特约商户")
        try:
            day = date.fromisoformat(bill_date or "")
        except ValueError as exc:
            raise SandboxError(400, "PARAM_ERROR", "bill_date 须为 YYYY-MM-DD") from exc
        bill_type = bill_type or "ALL"
        if bill_type not in ("ALL", "SUCCESS", "REFUND"):
            raise SandboxError(400, "PARAM_ERROR", "bill_type 须为 ALL、SUCCESS 或 REFUND")
        if tar_type not in (None, "GZIP"):
            raise SandboxError(400, "PARAM_ERROR", "tar_type 仅支持 GZIP")
        if self.config.enforce_bill_schedule:
            now = self.now()
            if day >= now.date() or day < now.date() - timedelta(days=92):
                raise SandboxError(400, "INVALID_REQUEST", "账单日期须为三个月内的历史日期")
            if now < datetime.combine(day + timedelta(days=1), datetime.min.time(), CST).replace(hour=10):
                raise SandboxError(400, "STATEMENT_CREATING", "账单生成中，请于次日 10 点后再下载")
        text = build_trade_bill(self.state, day=day, bill_type=bill_type, sub_mchid=sub_mchid,
                                sp_appid=self.config.sp_appid)
        if text is None:
            raise SandboxError(400, "NO_STATEMENT_EXIST", "该日期没有交易，账单不存在")
        raw = text.encode("utf-8")
        token = secrets.token_urlsafe(24)
        content = gzip.compress(raw) if tar_type == "GZIP" else raw
        self.state.bill_tokens[token] = (content, time.monotonic() + self.config.bill_url_ttl)
        return {
            "hash_type": "SHA1",
            "hash_value": hashlib.sha1(raw).hexdigest(),  # noqa: S324 - as WeChat Pay states it
            "download_url": f"{url_base}/v3/billdownload/file?token={token}",
        }

    def bill_file(self, token: str | None) -> bytes:
        """GET /v3/billdownload/file?token=…"""
        entry = self.state.bill_tokens.get(token or "")
        if entry is None or entry[1] < time.monotonic():
            self.state.bill_tokens.pop(token or "", None)
            raise SandboxError(400, "INVALID_REQUEST", "下载链接无效或已过期")
        return entry[0]

    # ---- notifications ----

    def _new_notification(
        self,
        *,
        event_type: str,
        notify_url: str,
        resource: dict[str, Any],
        original_type: str,
        out_trade_no: str,
        out_refund_no: str | None = None,
    ) -> SandboxNotification:
        envelope = self._envelope(
            notification_id=str(uuid.uuid4()),
            event_type=event_type,
            resource=resource,
            original_type=original_type,
            apiv3_key=self.config.apiv3_key,
        )
        note = SandboxNotification(
            id=envelope["id"],
            event_type=event_type,
            notify_url=notify_url,
            body=_json(envelope).decode("utf-8"),
            out_trade_no=out_trade_no,
            out_refund_no=out_refund_no,
        )
        self.state.notifications[note.id] = note
        return note

    def _envelope(
        self,
        *,
        notification_id: str,
        event_type: str,
        resource: dict[str, Any],
        original_type: str,
        apiv3_key: bytes,
    ) -> dict[str, Any]:
        sealed = crypto.encrypt_resource(apiv3_key, _json(resource), associated_data=original_type)
        return {
            "id": notification_id,
            "create_time": _rfc3339(self.now()),
            "resource_type": "encrypt-resource",
            "event_type": event_type,
            "summary": EVENT_SUMMARY.get(event_type, event_type),
            "resource": {"original_type": original_type, **sealed},
        }

    def _spawn(self, coro: Any) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(coro)
        self.state.tasks.add(task)
        task.add_done_callback(self.state.tasks.discard)
        return task

    def start_delivery(self, note: SandboxNotification) -> asyncio.Future[dict[str, Any]]:
        """Deliver in the background on WeChat's retry schedule; the future resolves after the first try."""
        first: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._spawn(self._deliver(note, first))
        return first

    async def _deliver(self, note: SandboxNotification, first: asyncio.Future[dict[str, Any]]) -> None:
        self.state.delivering.add(note.id)
        try:
            for attempt, delay in enumerate((0, *RETRY_SCHEDULE_SECONDS)):
                if delay:
                    await asyncio.sleep(delay * self.config.retry_scale)
                outcome = await self._attempt(note.notify_url, note.body.encode("utf-8"))
                note.attempts.append({"at": _rfc3339(self.now()), "attempt": attempt + 1, **outcome})
                if outcome["delivered"]:
                    note.acknowledged = True
                if not first.done():
                    first.set_result(outcome)
                self.state.save()
                if note.acknowledged:
                    return
            note.given_up = True
            log.warning("sandbox WeChat Pay gave up notification %s to %s", note.id, note.notify_url)
            self.state.save()
        finally:
            self.state.delivering.discard(note.id)
            if not first.done():
                first.set_result({"delivered": False, "status": None, "error": "cancelled"})

    async def _attempt(
        self, url: str, body: bytes, *, headers: Mapping[str, str] | None = None
    ) -> dict[str, Any]:
        sent = {"Content-Type": "application/json", "User-Agent": "Mozilla/4.0", "Accept": "*/*"}
        sent.update(headers if headers is not None else self.sign_headers(body))
        try:
            async with httpx.AsyncClient(timeout=self.config.notify_timeout) as http:
                response = await http.post(url, content=body, headers=sent)
        except httpx.HTTPError as exc:
            return {"delivered": False, "status": None, "error": type(exc).__name__}
        return {
            "delivered": _acknowledged(response),
            "status": response.status_code,
            "body": response.text[:500],
        }

    async def renotify(
        self, *, out_trade_no: str | None, out_refund_no: str | None, wait: bool
    ) -> dict[str, Any]:
        """Control: send an order's (or a refund's) notification again, same id and body."""
        if out_refund_no:
            refund = self.state.refunds.get(out_refund_no)
            notification_id = refund.notification_id if refund else None
        else:
            order = self.state.orders.get(out_trade_no or "")
            notification_id = order.notification_id if order else None
        note = self.state.notifications.get(notification_id or "")
        if note is None:
            raise SandboxError(404, "NOTIFICATION_NOT_FOUND", "该订单尚无可重发的通知（未支付或未退款）")
        result: dict[str, Any] = {"notification_id": note.id}
        first = self.start_delivery(note)
        if wait:
            result.update(await first)
        return result

    async def send_forged(self, out_trade_no: str, *, defect: str) -> dict[str, Any]:
        """Control: send one TRANSACTION.SUCCESS with a deliberate defect (never recorded as WeChat's)."""
        if defect not in FORGERY_DEFECTS:
            raise SandboxError(400, "INVALID_DEFECT", f"defect 须为 {', '.join(FORGERY_DEFECTS)} 之一")
        order = self.state.orders.get(out_trade_no)
        if order is None:
            raise SandboxError(404, "ORDER_NOT_FOUND", "沙箱中没有该支付订单")
        resource = self.transaction_json(order)
        resource.update(
            trade_state="SUCCESS",
            trade_state_desc="支付成功",
            transaction_id=order.transaction_id or "4200000000" + _digits(18),
            trade_type="JSAPI",
            bank_type="OTHERS",
            success_time=order.success_time or _rfc3339(self.now()),
            payer={"openid": order.openid},
            amount={
                "total": order.total,
                "payer_total": order.total,
                "currency": "CNY",
                "payer_currency": "CNY",
            },
        )
        key = secrets.token_bytes(32) if defect == "bad_ciphertext" else self.config.apiv3_key
        envelope = self._envelope(
            notification_id=str(uuid.uuid4()),
            event_type="TRANSACTION.SUCCESS",
            resource=resource,
            original_type="transaction",
            apiv3_key=key,
        )
        body = _json(envelope)
        timestamp = int(time.time()) - 600 if defect == "stale" else None
        signer = self.platform_key
        if defect == "signature":
            signer = _throwaway_key()
        headers = crypto.signed_headers(signer, self.config.platform_public_key_id, body, timestamp=timestamp)
        if defect == "wrong_serial":
            headers["Wechatpay-Serial"] = "PUB_KEY_ID_0000000000000000000000000000"
        elif defect == "signtest":
            headers["Wechatpay-Signature"] = "WECHATPAY/SIGNTEST/" + headers["Wechatpay-Signature"]
        elif defect == "altered":
            envelope["summary"] = "支付成功（已被篡改）"
            body = _json(envelope)
        outcome = await self._attempt(order.notify_url, body, headers=headers)
        return {"defect": defect, "notification_id": envelope["id"], **outcome}

    def resume_pending(self) -> int:
        """Restart deliveries that were neither acknowledged nor given up (after a restart)."""
        resumed = 0
        for note in self.state.notifications.values():
            if not (note.acknowledged or note.given_up) and note.id not in self.state.delivering:
                self.start_delivery(note)
                resumed += 1
        return resumed

    async def shutdown(self) -> None:
        """Cancel background deliveries and refunds."""
        tasks = list(self.state.tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    def order_view(self, out_trade_no: str) -> dict[str, Any]:
        """Control: everything the sandbox knows about one order."""
        order = self.state.orders.get(out_trade_no)
        if order is None:
            raise SandboxError(404, "ORDER_NOT_FOUND", "沙箱中没有该支付订单")
        notes = [n for n in self.state.notifications.values() if n.out_trade_no == out_trade_no]
        return {
            "order": asdict(order),
            "transaction": self.transaction_json(order),
            "refunds": [self.refund_json(r) for r in self.state.refunds_of(out_trade_no)],
            "notifications": [
                {
                    "id": n.id,
                    "event_type": n.event_type,
                    "notify_url": n.notify_url,
                    "out_refund_no": n.out_refund_no,
                    "acknowledged": n.acknowledged,
                    "given_up": n.given_up,
                    "attempts": n.attempts,
                }
                for n in notes
            ],
        }


def _acknowledged(response: httpx.Response) -> bool:
    """200/204 acknowledge; a 200 whose JSON says code FAIL does not (WeChat's older rule)."""
    if response.status_code == 204:
        return True
    if response.status_code != 200:
        return False
    try:
        data = response.json()
    except ValueError:
        return True
    return not (isinstance(data, dict) and str(data.get("code", "SUCCESS")).upper() == "FAIL")


@functools.cache
def _throwaway_key() -> rsa.RSAPrivateKey:
    """A key that is not WeChat's, for forged signatures (generated once per process)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)

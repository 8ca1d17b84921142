"""WeChat Pay API v3 client (JSAPI / mini-program) over httpx.

Merchant: direct (``/v3/pay/transactions/...``) or a sub-merchant of a service provider
(``/v3/pay/partner/transactions/...`` with sp_mchid / sub_mchid). Verification: the WeChat Pay public
key, the platform certificates (downloaded from ``/v3/certificates``), or both during the switch."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import hmac
import json
import re
import secrets
import time
import zlib
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, TypeVar
from urllib.parse import quote, urlencode, urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric import rsa

from checkup.integrations.wechat.pay.certificates import VerificationKeys, decrypt_certificates
from checkup.integrations.wechat.pay.crypto import (
    APIV3_KEY_LENGTH,
    build_authorization,
    decrypt_resource,
    load_private_key,
    load_public_key,
    new_nonce,
    pay_sign_message,
    rsa_sign,
    verify_wechatpay_signature,
)
from checkup.integrations.wechat.pay.errors import (
    WechatPayError,
    WechatPayRejectedError,
    WechatPaySignatureError,
    WechatPayUnknownError,
)
from checkup.integrations.wechat.pay.models import (
    Notification,
    Refund,
    RefundStatus,
    TradeState,
    Transaction,
    format_rfc3339,
    parse_rfc3339,
)
from checkup.integrations.wechat.tradebill import TradeBill, TradeBillFormatError, parse_trade_bill

__all__ = [
    "DEFAULT_BASE_URL",
    "Notification",
    "Refund",
    "RefundStatus",
    "TradeBill",
    "TradeState",
    "Transaction",
    "WechatPayClient",
    "WechatPayError",
    "WechatPayRejectedError",
    "WechatPaySignatureError",
    "WechatPayUnknownError",
    "verify_and_decrypt_notification",
]

DEFAULT_BASE_URL = "https://api.mch.weixin.qq.com"
OUT_TRADE_NO_RE = re.compile(r"^[A-Za-z0-9_-]{6,32}$")
OUT_REFUND_NO_RE = re.compile(r"^[A-Za-z0-9_*@|-]{1,64}$")
BILL_TYPES = frozenset({"ALL", "SUCCESS", "REFUND"})
_USER_AGENT = "checkup-wechatpay/0.1 (+httpx)"
_T = TypeVar("_T")
_SIGNATURE_HEADERS = ("wechatpay-signature", "wechatpay-timestamp", "wechatpay-nonce", "wechatpay-serial")


def _json_bytes(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def verify_and_decrypt_notification(
    headers: Mapping[str, str],
    raw_body: bytes,
    *,
    wechatpay_public_key: rsa.RSAPublicKey | None = None,
    wechatpay_public_key_id: str | None = None,
    keys: Mapping[str, rsa.RSAPublicKey] | None = None,
    apiv3_key: bytes,
    now: datetime | None = None,
) -> Notification:
    """Verify a notification's signature, key id and freshness, then decrypt its resource.

    ``keys`` (serial → key) replaces the single public key when platform certificates are in use."""
    verify_wechatpay_signature(
        headers=headers,
        body=raw_body,
        public_key=wechatpay_public_key,
        public_key_id=wechatpay_public_key_id,
        keys=keys,
        now=now,
    )
    try:
        envelope = json.loads(raw_body)
        resource = envelope["resource"]
        if envelope.get("resource_type", "encrypt-resource") != "encrypt-resource":
            raise ValueError("resource_type")
        if resource.get("algorithm") != "AEAD_AES_256_GCM":
            raise ValueError("algorithm")
        plaintext = decrypt_resource(
            apiv3_key=apiv3_key,
            nonce=str(resource["nonce"]),
            associated_data=str(resource.get("associated_data") or ""),
            ciphertext=str(resource["ciphertext"]),
        )
        return Notification(
            id=str(envelope["id"]),
            create_time=parse_rfc3339(envelope.get("create_time")),
            event_type=str(envelope["event_type"]),
            resource_type=str(envelope.get("resource_type") or "encrypt-resource"),
            summary=str(envelope.get("summary") or ""),
            resource=json.loads(plaintext),
            original_type=resource.get("original_type"),
        )
    except WechatPaySignatureError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WechatPaySignatureError("通知格式错误", code="MALFORMED") from exc


class WechatPayClient:
    """Async WeChat Pay API v3 client: every request signed, every answer verified."""

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        mchid: str,
        appid: str,
        merchant_serial_no: str,
        merchant_private_key_pem: bytes,
        wechatpay_public_key_pem: bytes | None = None,
        wechatpay_public_key_id: str | None = None,
        platform_certificates: bool = False,
        apiv3_key: bytes,
        notify_url_payment: str,
        notify_url_refund: str,
        sub_mchid: str | None = None,
        sp_appid: str | None = None,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """``mchid`` is the merchant that signs (the service provider's sp_mchid in partner mode);
        ``appid`` is the mini-program's (sub_appid in partner mode). ``sub_mchid`` switches to the
        partner API family, which also needs the provider's ``sp_appid``.
        ``platform_certificates`` verifies with certificates from /v3/certificates (alone, or with the
        public key during WeChat's switch-over)."""
        if len(apiv3_key) != APIV3_KEY_LENGTH:
            raise ValueError("APIv3 key must be 32 bytes")
        if wechatpay_public_key_id is not None and not wechatpay_public_key_id.startswith("PUB_KEY_ID_"):
            raise ValueError("wechatpay_public_key_id must look like PUB_KEY_ID_...")
        if (sub_mchid is None) != (sp_appid is None):
            raise ValueError("partner mode needs both sub_mchid and sp_appid")
        self.base_url = base_url.rstrip("/")
        self.mchid = mchid
        self.appid = appid
        self.sub_mchid = sub_mchid
        self.sp_appid = sp_appid
        self.merchant_serial_no = merchant_serial_no
        self.wechatpay_public_key_id = wechatpay_public_key_id
        self.notify_url_payment = notify_url_payment
        self.notify_url_refund = notify_url_refund
        self._private_key = load_private_key(merchant_private_key_pem)
        self.verification = VerificationKeys(
            public_key=load_public_key(wechatpay_public_key_pem) if wechatpay_public_key_pem else None,
            public_key_id=wechatpay_public_key_id,
            use_certificates=platform_certificates,
        )
        self._refresh_lock = asyncio.Lock()
        self._apiv3_key = bytes(apiv3_key)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._owns_http = client is None
        self._http = client or httpx.AsyncClient(timeout=timeout)
        self._timeout = timeout

    async def aclose(self) -> None:
        """Close the HTTP client if this object created it."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> WechatPayClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def partner(self) -> bool:
        """A sub-merchant of a service provider: the /v3/pay/partner/... API family."""
        return self.sub_mchid is not None

    # ---- notifications and front-end parameters (no network) ----

    def verify_and_decrypt_notification(
        self, headers: Mapping[str, str], raw_body: bytes, now: datetime | None = None
    ) -> Notification:
        """Verify and decrypt a notification with this merchant's keys (serial → key map)."""
        now = now or self._clock()
        return verify_and_decrypt_notification(
            headers,
            raw_body,
            keys=self.verification.keys(now),
            apiv3_key=self._apiv3_key,
            now=now,
        )

    async def averify_and_decrypt_notification(
        self, headers: Mapping[str, str], raw_body: bytes
    ) -> Notification:
        """As ``verify_and_decrypt_notification``, first fetching the platform certificates when they
        are due or the notification names a serial not seen yet (WeChat rotated them)."""
        serial = {k.lower(): v for k, v in headers.items()}.get("wechatpay-serial", "")
        await self.ensure_certificates(serial=serial)
        return self.verify_and_decrypt_notification(headers, raw_body)

    async def ensure_certificates(self, *, serial: str = "") -> None:
        """Download the platform certificates when due (or for an unknown serial); no-op without them."""
        now = self._clock()
        keys = self.verification
        if not (keys.needs_refresh(now) or keys.should_fetch_for(serial, now)):
            return
        async with self._refresh_lock:
            now = self._clock()
            if keys.needs_refresh(now) or keys.should_fetch_for(serial, now):
                if serial and serial not in keys.keys(now):
                    keys.unknown_serial_tried_at = now
                await self.refresh_certificates()

    async def refresh_certificates(self) -> None:
        """GET /v3/certificates: decrypt with the APIv3 key, check the answer's signature with them."""
        response = await self._send("GET", self.base_url + "/v3/certificates", body=b"")
        if response.status_code != 200:
            self._raise_for_status(response, verify=False)
        try:
            certificates = decrypt_certificates(json.loads(response.content), self._apiv3_key)
        except (ValueError, WechatPaySignatureError) as exc:
            raise WechatPayUnknownError(f"平台证书下载失败: {exc}", code="CERTIFICATES_INVALID") from exc
        now = self._clock()
        candidate = {c.serial_no: c.public_key for c in certificates if c.valid_at(now)}
        candidate.update(self.verification.keys(now))
        try:
            verify_wechatpay_signature(headers=response.headers, body=response.content, keys=candidate, now=now)
        except WechatPaySignatureError as exc:
            raise WechatPayUnknownError(
                f"平台证书应答验签失败: {exc.message}", code="RESPONSE_UNVERIFIED", status=200
            ) from exc
        if not any(c.valid_at(now) for c in certificates):
            raise WechatPayUnknownError("没有有效的微信支付平台证书", code="CERTIFICATES_INVALID")
        self.verification.update(certificates, now)

    def pay_params(
        self, prepay_id: str, *, timestamp: str | None = None, nonce: str | None = None,
        appid: str | None = None,
    ) -> dict[str, str]:
        """The signed ``wx.requestPayment`` / ``getBrandWCPayRequest`` parameters for a prepay id, under the
        appid the order was placed with (default: the mini-program's)."""
        appid = appid or self.appid
        timestamp = timestamp or str(int(self._clock().timestamp()))
        nonce = nonce or new_nonce()
        package = f"prepay_id={prepay_id}"
        message = pay_sign_message(appid=appid, timestamp=timestamp, nonce=nonce, package=package)
        return {
            "timeStamp": timestamp,
            "nonceStr": nonce,
            "package": package,
            "signType": "RSA",
            "paySign": rsa_sign(self._private_key, message),
        }

    # ---- API calls ----

    async def prepay_jsapi(
        self,
        *,
        out_trade_no: str,
        description: str,
        amount_fen: int,
        openid: str,
        time_expire: datetime,
        attach: str = "",
        appid: str | None = None,
    ) -> str:
        """JSAPI / mini-program prepay under ``appid`` (default: the mini-program's; the official account's
        for its H5 pages); returns the prepay_id (valid 2 hours)."""
        _check_out_trade_no(out_trade_no)
        _check_amount(amount_fen, "amount_fen")
        if not description or len(description) > 127:
            raise ValueError("description must be 1–127 characters")
        if not openid:
            raise ValueError("openid is required")
        payload: dict[str, Any] = {**self._merchant_body(with_appids=True)}
        if appid:  # the front end that asked: the mini-program's or the official account's appid
            payload["sub_appid" if self.partner else "appid"] = appid
        payload.update(
            description=description,
            out_trade_no=out_trade_no,
            time_expire=format_rfc3339(time_expire),
            notify_url=self.notify_url_payment,
            amount={"total": amount_fen, "currency": "CNY"},
            # In partner mode the openid is the mini-program's (sub_appid): sub_openid.
            payer={"sub_openid": openid} if self.partner else {"openid": openid},
        )
        if attach:
            payload["attach"] = attach
        data = await self._call("POST", f"{self._transactions}/jsapi", json_body=payload)
        prepay_id = data.get("prepay_id")
        if not isinstance(prepay_id, str) or not prepay_id:
            raise WechatPayUnknownError("下单应答缺少 prepay_id", code="BAD_RESPONSE")
        return prepay_id

    async def query_by_out_trade_no(self, out_trade_no: str) -> Transaction:
        """Query an order by our out_trade_no."""
        _check_out_trade_no(out_trade_no)
        path = f"{self._transactions}/out-trade-no/{quote(out_trade_no, safe='')}"
        data = await self._call("GET", path, query=self._merchant_body())
        return _parse(Transaction.from_dict, data)

    async def query_by_transaction_id(self, transaction_id: str) -> Transaction:
        """Query an order by WeChat's transaction_id."""
        path = f"{self._transactions}/id/{quote(transaction_id, safe='')}"
        data = await self._call("GET", path, query=self._merchant_body())
        return _parse(Transaction.from_dict, data)

    async def close(self, out_trade_no: str) -> None:
        """Close an unpaid order (re-entrant); a paid order raises WechatPayRejectedError (order_paid)."""
        _check_out_trade_no(out_trade_no)
        path = f"{self._transactions}/out-trade-no/{quote(out_trade_no, safe='')}/close"
        await self._call("POST", path, json_body=self._merchant_body())

    async def refund(
        self,
        *,
        out_refund_no: str,
        amount_fen: int,
        total_fen: int,
        reason: str = "",
        out_trade_no: str | None = None,
        transaction_id: str | None = None,
    ) -> Refund:
        """Request a refund; retry with the same out_refund_no, never a new one."""
        if (out_trade_no is None) == (transaction_id is None):
            raise ValueError("give exactly one of out_trade_no and transaction_id")
        if not OUT_REFUND_NO_RE.match(out_refund_no):
            raise ValueError("out_refund_no must be 1–64 characters of [A-Za-z0-9_-|*@]")
        _check_amount(amount_fen, "amount_fen")
        _check_amount(total_fen, "total_fen")
        if amount_fen > total_fen:
            raise ValueError("refund amount exceeds the order total")
        payload: dict[str, Any] = {"sub_mchid": self.sub_mchid} if self.partner else {}
        if transaction_id is not None:
            payload["transaction_id"] = transaction_id
        else:
            if out_trade_no is None:
                raise ValueError("out_trade_no or transaction_id is required")
            _check_out_trade_no(out_trade_no)
            payload["out_trade_no"] = out_trade_no
        payload["out_refund_no"] = out_refund_no
        if reason:
            payload["reason"] = reason[:80]
        payload["notify_url"] = self.notify_url_refund
        payload["amount"] = {"refund": amount_fen, "total": total_fen, "currency": "CNY"}
        data = await self._call("POST", "/v3/refund/domestic/refunds", json_body=payload)
        return _parse(Refund.from_dict, data)

    async def query_refund(self, out_refund_no: str) -> Refund:
        """Query a refund by our out_refund_no."""
        path = f"/v3/refund/domestic/refunds/{quote(out_refund_no, safe='')}"
        data = await self._call("GET", path, query=self._sub_mchid_query())
        return _parse(Refund.from_dict, data)

    async def download_trade_bill(self, day: date, bill_type: str = "ALL") -> TradeBill:
        """Apply for, download (gzip), SHA1-check and parse the trade bill of ``day``."""
        if bill_type not in BILL_TYPES:
            raise ValueError(f"bill_type must be one of {sorted(BILL_TYPES)}")
        query = {"bill_date": day.isoformat(), **self._sub_mchid_query(), "bill_type": bill_type, "tar_type": "GZIP"}
        try:
            meta = await self._call("GET", "/v3/bill/tradebill", query=query)
        except WechatPayRejectedError as exc:
            if exc.code == "NO_STATEMENT_EXIST":
                return TradeBill.empty(day)
            raise
        hash_type = meta.get("hash_type")
        hash_value = meta.get("hash_value")
        download_url = meta.get("download_url")
        if hash_type != "SHA1" or not isinstance(hash_value, str) or not isinstance(download_url, str):
            raise WechatPayUnknownError("账单申请应答格式错误", code="BAD_RESPONSE")
        self._check_download_origin(download_url)
        response = await self._send("GET", download_url, body=b"")
        if response.status_code != 200:
            self._raise_for_status(response, verify=False)
        try:
            content = gzip.decompress(response.content)
        except (OSError, EOFError, zlib.error) as exc:
            raise WechatPayUnknownError("账单文件解压失败", code="BILL_CORRUPT") from exc
        digest = hashlib.sha1(content).hexdigest()  # noqa: S324 - the bill API states its hash as SHA1
        if not hmac.compare_digest(digest, hash_value.lower()):
            raise WechatPayUnknownError("账单文件 SHA1 校验失败", code="BILL_HASH_MISMATCH")
        try:
            return parse_trade_bill(content.decode("utf-8"), bill_date=day)
        except (UnicodeDecodeError, TradeBillFormatError) as exc:
            raise WechatPayUnknownError(f"账单文件格式错误: {exc}", code="BILL_FORMAT") from exc

    # ---- direct or partner ----

    @property
    def _transactions(self) -> str:
        return "/v3/pay/partner/transactions" if self.partner else "/v3/pay/transactions"

    def _merchant_body(self, *, with_appids: bool = False) -> dict[str, str]:
        """Who is asking: {mchid} (direct) or {sp_mchid, sub_mchid} (partner), with the appids for an order."""
        if not self.partner:
            return {"appid": self.appid, "mchid": self.mchid} if with_appids else {"mchid": self.mchid}
        if self.sub_mchid is None or self.sp_appid is None:
            raise ValueError("partner mode needs sub_mchid and sp_appid")
        ids = {"sp_mchid": self.mchid, "sub_mchid": self.sub_mchid}
        if with_appids:
            return {"sp_appid": self.sp_appid, "sp_mchid": self.mchid, "sub_appid": self.appid,
                    "sub_mchid": self.sub_mchid}
        return ids

    def _sub_mchid_query(self) -> dict[str, str]:
        return {"sub_mchid": self.sub_mchid} if self.sub_mchid is not None else {}

    # ---- transport ----

    def _check_download_origin(self, url: str) -> None:
        ours, theirs = urlsplit(self.base_url), urlsplit(url)
        same_origin = (ours.scheme, ours.netloc) == (theirs.scheme, theirs.netloc)
        wechat_host = theirs.scheme == "https" and (theirs.hostname or "").endswith(".mch.weixin.qq.com")
        if not (same_origin or wechat_host):
            raise WechatPayUnknownError("账单下载地址不可信", code="BAD_DOWNLOAD_URL")

    async def _send(self, method: str, url: str, *, body: bytes) -> httpx.Response:
        headers = {"Accept": "application/json", "User-Agent": _USER_AGENT}
        if body:
            headers["Content-Type"] = "application/json"
        serial = self.verification.request_serial(self._clock())
        if serial:
            headers["Wechatpay-Serial"] = serial
        request = self._http.build_request(method, url, content=body, headers=headers)
        request.headers["Authorization"] = build_authorization(
            mchid=self.mchid,
            serial_no=self.merchant_serial_no,
            private_key=self._private_key,
            method=method,
            url_path=request.url.raw_path,  # the exact path and query bytes that go on the wire
            body=body,
            timestamp=str(int(time.time())),
            nonce=secrets.token_hex(16).upper(),
        )
        try:
            return await self._http.send(request)
        except httpx.TimeoutException as exc:
            raise WechatPayUnknownError("微信支付请求超时", code="TIMEOUT") from exc
        except httpx.HTTPError as exc:
            raise WechatPayUnknownError(
                f"微信支付网络错误: {type(exc).__name__}", code="NETWORK_ERROR"
            ) from exc

    async def _call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        await self.ensure_certificates()
        url = self.base_url + path
        if query:
            url += "?" + urlencode(query)
        body = _json_bytes(json_body) if json_body is not None else b""
        response = await self._send(method, url, body=body)
        # A serial not seen yet: WeChat rotated its platform certificates; fetch them, then verify.
        await self.ensure_certificates(serial=response.headers.get("wechatpay-serial", ""))
        if not 200 <= response.status_code < 300:
            self._raise_for_status(response, verify=True)
        self._verify_response(response)
        if not response.content:
            return {}
        try:
            data = json.loads(response.content)
        except ValueError as exc:
            raise WechatPayUnknownError("微信支付应答不是 JSON", code="BAD_RESPONSE") from exc
        if not isinstance(data, dict):
            raise WechatPayUnknownError("微信支付应答格式错误", code="BAD_RESPONSE")
        return data

    def _verify_response(self, response: httpx.Response) -> None:
        try:
            now = self._clock()
            verify_wechatpay_signature(
                headers=response.headers, body=response.content, keys=self.verification.keys(now), now=now
            )
        except WechatPaySignatureError as exc:
            raise WechatPayUnknownError(
                f"微信支付应答验签失败: {exc.message}",
                code="RESPONSE_UNVERIFIED",
                status=response.status_code,
            ) from exc

    def _raise_for_status(self, response: httpx.Response, *, verify: bool) -> None:
        status = response.status_code
        try:
            error = json.loads(response.content) if response.content else {}
        except ValueError:
            error = {}
        if not isinstance(error, dict):
            error = {}
        code = str(error.get("code") or f"HTTP_{status}")
        message = str(error.get("message") or response.reason_phrase or "")
        detail = error.get("detail") if isinstance(error.get("detail"), dict) else None
        if status >= 500 or status < 400:
            raise WechatPayUnknownError(
                message or "微信支付系统错误", code=code, status=status, detail=detail
            )
        signed = all(name in response.headers for name in _SIGNATURE_HEADERS)
        if verify and signed:
            self._verify_response(response)
        raise WechatPayRejectedError(
            message or "微信支付拒绝了请求",
            code=code,
            status=status,
            detail=detail,
            verified=verify and signed,
        )


def _check_out_trade_no(out_trade_no: str) -> None:
    if not OUT_TRADE_NO_RE.match(out_trade_no):
        raise ValueError("out_trade_no must be 6–32 characters of [A-Za-z0-9_-]")


def _check_amount(value: int, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be an integer number of fen, at least 1")


def _parse(factory: Callable[[dict[str, Any]], _T], data: dict[str, Any]) -> _T:
    try:
        return factory(data)
    except (ValueError, TypeError, KeyError) as exc:
        raise WechatPayUnknownError(f"微信支付应答格式错误: {exc}", code="BAD_RESPONSE") from exc

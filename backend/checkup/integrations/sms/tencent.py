"""Tencent Cloud SMS (短信, API 3.0 ``SendSms``, version 2021-01-11) with TC3-HMAC-SHA256 signing.

The request is one signed POST of JSON to ``https://sms.tencentcloudapi.com/``; the answer is
``{"Response": {"SendStatusSet": [{"Code": "Ok", "SerialNo": ...}], "RequestId": ...}}`` or
``{"Response": {"Error": {"Code", "Message"}, "RequestId"}}``. The hospital applies for a signature
(签名, e.g. the hospital's name) and a verification-code template (模板) with two parameters
``{1}`` (the code) and ``{2}`` (minutes) in the Tencent Cloud console; see docs/patient-identity.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from checkup.integrations.result import CallResult
from checkup.integrations.sms.base import SmsReceipt

SERVICE = "sms"
ACTION = "SendSms"
VERSION = "2021-01-11"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
# Error codes that say the message will never go out as asked (definite); anything else is UNKNOWN.
_DEFINITE = ("AuthFailure", "InvalidParameter", "InvalidParameterValue", "FailedOperation", "LimitExceeded",
             "UnauthorizedOperation", "UnsupportedOperation", "MissingParameter")


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def tc3_authorization(*, secret_id: str, secret_key: str, host: str, payload: bytes, timestamp: int,
                      action: str = ACTION, service: str = SERVICE) -> str:
    """The ``Authorization`` header of Tencent Cloud API 3.0 (TC3-HMAC-SHA256) for a JSON POST to /."""
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    signed_headers = "content-type;host;x-tc-action"
    canonical_headers = f"content-type:{CONTENT_TYPE}\nhost:{host}\nx-tc-action:{action.lower()}\n"
    canonical_request = "\n".join(
        ["POST", "/", "", canonical_headers, signed_headers, hashlib.sha256(payload).hexdigest()]
    )
    scope = f"{day}/{service}/tc3_request"
    string_to_sign = "\n".join(
        [ALGORITHM, str(timestamp), scope, hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode("utf-8"), day), service), "tc3_request")
    signature = hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"


class TencentSmsSender:
    """SmsSender over Tencent Cloud SMS; one shared httpx client."""

    def __init__(self, *, base_url: str, secret_id: str, secret_key: str, sdk_app_id: str, sign_name: str,
                 template_id: str, region: str = "ap-guangzhou", timeout: float = 10.0,
                 client: httpx.AsyncClient | None = None, clock: Callable[[], float] = time.time) -> None:
        self._url = base_url.rstrip("/")  # the API root: https://sms.tencentcloudapi.com (POST /)
        self._host = urlsplit(self._url).netloc
        self._secret_id = secret_id
        self._secret_key = secret_key
        self._sdk_app_id = sdk_app_id
        self._sign_name = sign_name
        self._template_id = template_id
        self._region = region
        self._clock = clock
        self._client = client or httpx.AsyncClient(timeout=timeout)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send_code(self, *, phone: str, code: str, minutes: int) -> CallResult[SmsReceipt]:
        payload = json.dumps({
            "PhoneNumberSet": [f"+86{phone}"],
            "SmsSdkAppId": self._sdk_app_id,
            "SignName": self._sign_name,
            "TemplateId": self._template_id,
            "TemplateParamSet": [code, str(minutes)],
        }, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp = int(self._clock())
        headers = {
            "Authorization": tc3_authorization(secret_id=self._secret_id, secret_key=self._secret_key,
                                               host=self._host, payload=payload, timestamp=timestamp),
            "Content-Type": CONTENT_TYPE,
            "Host": self._host,
            "X-TC-Action": ACTION,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": VERSION,
            "X-TC-Region": self._region,
        }
        try:
            response = await self._client.post(self._url, content=payload, headers=headers)
        except httpx.HTTPError as exc:
            return CallResult.unknown("TRANSPORT", type(exc).__name__)
        if response.status_code >= 500:
            return CallResult.unknown(f"HTTP_{response.status_code}")
        try:
            body = response.json()["Response"]
        except (ValueError, KeyError, TypeError):
            return CallResult.unknown("BAD_RESPONSE", "not a Tencent Cloud API answer")
        error = body.get("Error") if isinstance(body, dict) else None
        if error:
            code = str(error.get("Code", "Unknown"))
            outcome = CallResult.failed if code.split(".")[0] in _DEFINITE else CallResult.unknown
            return outcome(code, str(error.get("Message", "")))
        statuses = body.get("SendStatusSet") or []
        if len(statuses) != 1 or not isinstance(statuses[0], dict):
            return CallResult.unknown("BAD_RESPONSE", "SendStatusSet")
        status = statuses[0]
        if status.get("Code") != "Ok":
            return CallResult.failed(str(status.get("Code")), str(status.get("Message", "")))
        return CallResult.success(SmsReceipt(serial_no=str(status.get("SerialNo", "")), fee=int(status.get("Fee", 1))))

"""Sandbox SMS: Tencent Cloud SMS ``SendSms`` (API 3.0, TC3-HMAC-SHA256) at /sandbox/sms, and what it
"delivered" under /sandbox/control/sms.

It checks the signature, the timestamp window, the SDK app id, the approved signature (签名) and
template as the real service does, renders the template and keeps the message, so a test (or a
developer) reads the code the patient would have received:
``GET /sandbox/control/sms/messages?phone=13812345678`` -> ``{"items": [{phone, text, code, sent_at}]}``,
newest first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from checkup.sandbox.control import _error, _json
from checkup.sandbox.state import SandboxState

SIGNATURE_WINDOW_SECONDS = 300
VERIFICATION_TEMPLATE = "您的就诊人验证码为{1}，{2}分钟内有效。请勿告诉他人；如非本人操作，请忽略本短信。"
_PHONE = re.compile(r"^\+861\d{10}$")
_AUTH = re.compile(
    r"^TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<day>\d{4}-\d{2}-\d{2})/(?P<service>[a-z]+)/tc3_request, "
    r"SignedHeaders=(?P<headers>[a-z;-]+), Signature=(?P<sig>[0-9a-f]{64})$"
)


@dataclass(frozen=True, slots=True)
class SmsSandboxConfig:
    secret_id: str
    secret_key: str
    sdk_app_id: str
    sign_name: str
    templates: dict[str, str] = field(default_factory=dict)  # approved template id -> text with {1}, {2}


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def _expected_signature(request: Request, *, secret_key: str, day: str, service: str, signed: str) -> str:
    headers = {name: request.headers.get(name, "").strip() for name in signed.split(";")}
    canonical_headers = "".join(f"{name}:{value.lower() if name != 'content-type' else value}\n"
                                for name, value in headers.items())
    canonical_request = "\n".join(
        ["POST", "/", "", canonical_headers, signed, hashlib.sha256(request.body).hexdigest()]
    )
    string_to_sign = "\n".join(["TC3-HMAC-SHA256", request.headers.get("x-tc-timestamp", ""),
                                f"{day}/{service}/tc3_request",
                                hashlib.sha256(canonical_request.encode("utf-8")).hexdigest()])
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode("utf-8"), day), service), "tc3_request")
    return hmac.new(key, string_to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def _api_error(code: str, message: str) -> HTTPResponse:
    return _json({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": secrets.token_hex(16)}})


def _authenticate(request: Request, config: SmsSandboxConfig, now: datetime) -> HTTPResponse | None:
    match = _AUTH.match(request.headers.get("authorization", ""))
    if not match or match["service"] != "sms" or "host" not in match["headers"].split(";"):
        return _api_error("AuthFailure.InvalidAuthorization", "Authorization 格式不正确")
    if match["id"] != config.secret_id:
        return _api_error("AuthFailure.SecretIdNotFound", "SecretId 不存在")
    try:
        timestamp = int(request.headers.get("x-tc-timestamp", ""))
    except ValueError:
        return _api_error("AuthFailure.InvalidAuthorization", "X-TC-Timestamp 缺失")
    if abs(now.timestamp() - timestamp) > SIGNATURE_WINDOW_SECONDS:
        return _api_error("AuthFailure.SignatureExpire", "签名过期")
    if datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d") != match["day"]:
        return _api_error("AuthFailure.SignatureFailure", "CredentialScope 日期与时间戳不符")
    expected = _expected_signature(request, secret_key=config.secret_key, day=match["day"],
                                   service=match["service"], signed=match["headers"])
    if not hmac.compare_digest(expected, match["sig"]):
        return _api_error("AuthFailure.SignatureFailure", "签名错误")
    return None


def create_sms_blueprint(*, state: SandboxState, config: SmsSandboxConfig) -> Blueprint:
    bp = Blueprint("sandbox_sms", url_prefix="/sandbox/sms")

    @bp.post("", name="api", strict_slashes=False)
    async def api(request: Request) -> HTTPResponse:
        """Tencent Cloud API 3.0 entry point (only SendSms of version 2021-01-11)."""
        refused = _authenticate(request, config, state.clock())
        if refused is not None:
            return refused
        if request.headers.get("x-tc-action") != "SendSms" or request.headers.get("x-tc-version") != "2021-01-11":
            return _api_error("InvalidAction", "接口不存在")
        try:
            body = json.loads(request.body)
            phones, params = body["PhoneNumberSet"], body.get("TemplateParamSet") or []
            app_id, sign, template_id = body["SmsSdkAppId"], body["SignName"], body["TemplateId"]
        except (ValueError, KeyError, TypeError):
            return _api_error("MissingParameter", "缺少参数")
        if app_id != config.sdk_app_id:
            return _api_error("InvalidParameterValue.SdkAppIdNotExist", "SdkAppId 不存在")
        if sign != config.sign_name:
            return _api_error("FailedOperation.SignatureIncorrectOrUnapproved", "签名未审核通过或格式错误")
        template = config.templates.get(str(template_id))
        if template is None:
            return _api_error("FailedOperation.TemplateIncorrectOrUnapproved", "模板未审核通过或不存在")
        wanted = len(re.findall(r"\{\d+\}", template))
        if not isinstance(params, list) or len(params) != wanted or not all(isinstance(p, str) for p in params):
            return _api_error("FailedOperation.TemplateParamSetNotMatchApprovedTemplate", "模板参数个数不符")
        if not isinstance(phones, list) or not 1 <= len(phones) <= 200:
            return _api_error("InvalidParameterValue.IncorrectPhoneNumber", "手机号码格式错误")
        text = template
        for i, value in enumerate(params, start=1):
            text = text.replace(f"{{{i}}}", value)
        statuses: list[dict[str, Any]] = []
        async with state.mutation():
            for phone in phones:
                if not isinstance(phone, str) or not _PHONE.match(phone):
                    statuses.append({"SerialNo": "", "PhoneNumber": str(phone), "Fee": 0, "SessionContext": "",
                                     "Code": "InvalidParameterValue.IncorrectPhoneNumber",
                                     "Message": "手机号码格式错误", "IsoCode": ""})
                    continue
                serial = f"{state.next_number('sms'):010d}:{secrets.token_hex(8)}"
                state.record_sms({"phone": phone[3:], "text": f"【{sign}】{text}", "code": params[0] if params else "",
                                  "sent_at": state.now_iso(), "serial_no": serial, "template_id": str(template_id)})
                statuses.append({"SerialNo": serial, "PhoneNumber": phone, "Fee": 1, "SessionContext": "",
                                 "Code": "Ok", "Message": "send success", "IsoCode": "CN"})
        return _json({"Response": {"SendStatusSet": statuses, "RequestId": secrets.token_hex(16)}})

    return bp


def create_sms_control_blueprint(*, state: SandboxState) -> Blueprint:
    bp = Blueprint("sandbox_sms_control", url_prefix="/sandbox/control/sms")

    @bp.get("/messages", name="messages")
    async def messages(request: Request) -> HTTPResponse:
        """Messages sent, newest first (?phone= filters by the 11-digit number)."""
        phone = request.args.get("phone")
        if phone is not None and not re.fullmatch(r"1\d{10}", phone):
            return _error(400, "INVALID_REQUEST", "phone 应为11位手机号")
        items = [{"phone": m["phone"], "text": m["text"], "code": m["code"], "sent_at": m["sent_at"]}
                 for m in reversed(state.sms_messages) if phone is None or m["phone"] == phone]
        return _json({"items": items, "total": len(items)})

    return bp

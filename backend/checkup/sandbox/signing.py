"""The sandbox's own implementation of the HIS/PEIS request authentication (independent of the clients'):
it verifies the app's requests, signs its answers, and signs what the sandbox HIS pushes to the app."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

ALLOWED_SKEW = 300  # seconds either way
_NONCE_MIN, _NONCE_MAX = 8, 64


class AuthError(Exception):
    """Why a request was refused."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


def hmac_b64(secret: str, parts: list[bytes]) -> str:
    """Base64 HMAC-SHA256 over the parts joined by newlines."""
    mac = hmac.new(secret.encode("utf-8"), b"\n".join(parts), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def request_parts(*, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> list[bytes]:
    """What a request's signature covers: METHOD, PATH (no query string), TIMESTAMP, NONCE, BODY."""
    return [method.upper().encode(), path.encode(), timestamp.encode(), nonce.encode(), body]


def request_headers(*, app_id: str, secret: str, method: str, path: str, body: bytes) -> dict[str, str]:
    """Headers that sign a request the sandbox sends (HIS pushing a notification to the app)."""
    timestamp = str(int(time.time()))
    nonce = os.urandom(16).hex()
    signature = hmac_b64(secret, request_parts(method=method, path=path, timestamp=timestamp, nonce=nonce, body=body))
    return {"X-Checkup-AppId": app_id, "X-Checkup-Timestamp": timestamp, "X-Checkup-Nonce": nonce,
            "X-Checkup-Signature": signature}


def response_headers(secret: str, body: bytes) -> dict[str, str]:
    """Headers that sign a response body."""
    timestamp = str(int(time.time()))
    nonce = os.urandom(16).hex()
    signature = hmac_b64(secret, [timestamp.encode(), nonce.encode(), body])
    return {"X-Checkup-Timestamp": timestamp, "X-Checkup-Nonce": nonce, "X-Checkup-Signature": signature}


@dataclass(slots=True)
class RequestVerifier:
    """Checks app id, timestamp window, HMAC signature and nonce reuse of incoming requests."""

    credentials: dict[str, str]  # app id -> secret
    _seen: dict[tuple[str, str], float] = field(default_factory=dict)

    def verify(self, *, method: str, path: str, headers: Mapping[str, str], body: bytes) -> str:
        """Return the caller's app id, or raise :class:`AuthError`."""
        app_id = headers.get("X-Checkup-AppId") or ""
        timestamp = headers.get("X-Checkup-Timestamp") or ""
        nonce = headers.get("X-Checkup-Nonce") or ""
        signature = headers.get("X-Checkup-Signature") or ""
        if not (app_id and timestamp and nonce and signature):
            raise AuthError("AUTH_HEADERS_MISSING", "缺少签名请求头")
        secret = self.credentials.get(app_id)
        if secret is None:
            raise AuthError("AUTH_UNKNOWN_APP", "未知的应用标识")
        if not timestamp.isdigit():
            raise AuthError("AUTH_BAD_TIMESTAMP", "时间戳格式错误")
        now = time.time()
        if abs(now - int(timestamp)) > ALLOWED_SKEW:
            raise AuthError("AUTH_STALE_TIMESTAMP", "请求时间戳超出允许范围")
        if not _NONCE_MIN <= len(nonce) <= _NONCE_MAX:
            raise AuthError("AUTH_BAD_NONCE", "随机串长度不合法")
        expected = hmac_b64(secret, request_parts(method=method, path=path, timestamp=timestamp, nonce=nonce,
                                                  body=body))
        if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
            raise AuthError("AUTH_BAD_SIGNATURE", "签名校验失败")
        self._forget_old(now)
        key = (app_id, nonce)
        if key in self._seen:
            raise AuthError("AUTH_REPLAYED_NONCE", "请求随机串已使用（疑似重放）")
        self._seen[key] = now
        return app_id

    def _forget_old(self, now: float) -> None:
        # A nonce older than twice the window can no longer pass the timestamp check.
        horizon = now - 2 * ALLOWED_SKEW
        if self._seen and next(iter(self._seen.values())) < horizon:
            self._seen = {k: t for k, t in self._seen.items() if t >= horizon}

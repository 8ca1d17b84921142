"""Request and response authentication of the HIS/PEIS HTTP JSON reference protocol.

Request:  HMAC-SHA256(secret, "METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nBODY"), base64, sent with the headers
X-Checkup-AppId, X-Checkup-Timestamp (unix seconds), X-Checkup-Nonce and X-Checkup-Signature.
Response: HMAC-SHA256(secret, "TIMESTAMP\\nNONCE\\nBODY") with the same headers minus the app id.
BODY is the exact bytes on the wire; PATH is the URL path as sent, without the query string.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Mapping

HEADER_APP_ID = "X-Checkup-AppId"
HEADER_TIMESTAMP = "X-Checkup-Timestamp"
HEADER_NONCE = "X-Checkup-Nonce"
HEADER_SIGNATURE = "X-Checkup-Signature"
MAX_CLOCK_SKEW_SECONDS = 300


def request_message(*, method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    """The string-to-sign of a request."""
    head = f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n".encode()
    return head + body


def response_message(*, timestamp: str, nonce: str, body: bytes) -> bytes:
    """The string-to-sign of a response."""
    return f"{timestamp}\n{nonce}\n".encode() + body


def sign(secret: str, message: bytes) -> str:
    """Base64 HMAC-SHA256 of ``message``."""
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signature_matches(secret: str, message: bytes, signature: str) -> bool:
    """Constant-time check of a base64 signature."""
    return hmac.compare_digest(sign(secret, message).encode("ascii"), signature.encode("utf-8", "replace"))


def new_nonce() -> str:
    """A random single-use nonce."""
    return secrets.token_hex(16)


def sign_request(
    *,
    app_id: str,
    secret: str,
    method: str,
    path: str,
    body: bytes,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """Authentication headers for one request."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or new_nonce()
    message = request_message(method=method, path=path, timestamp=ts, nonce=nonce, body=body)
    return {
        HEADER_APP_ID: app_id,
        HEADER_TIMESTAMP: ts,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: sign(secret, message),
    }


def verify_response(
    *, secret: str, headers: Mapping[str, str], body: bytes, now: float | None = None
) -> str | None:
    """Check a response's signature and freshness; ``None`` when valid, else the reason."""
    timestamp = headers.get(HEADER_TIMESTAMP)
    nonce = headers.get(HEADER_NONCE)
    signature = headers.get(HEADER_SIGNATURE)
    if not timestamp or not nonce or not signature:
        return "response signature headers missing"
    try:
        ts = int(timestamp)
    except ValueError:
        return "response timestamp is not an integer"
    current = time.time() if now is None else now
    if abs(current - ts) > MAX_CLOCK_SKEW_SECONDS:
        return "response timestamp outside the allowed clock skew"
    if not signature_matches(
        secret, response_message(timestamp=timestamp, nonce=nonce, body=body), signature
    ):
        return "response signature does not match"
    return None

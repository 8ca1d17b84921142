"""Session tokens: HMAC-SHA256 signed, with a kind, a subject and an expiry (no server state)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from checkup.domain.errors import TokenExpired, Unauthorized


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True, slots=True)
class TokenClaims:
    kind: str
    subject: str
    expires_at: int
    session: str = ""
    identity: str = ""  # patient tokens: the WeChat identity (appid, openid) row that logged in


class TokenSigner:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("checkup-token:" + secret).encode()).digest()

    def issue(self, *, kind: str, subject: str, ttl: int, now: datetime, session: str = "",
              identity: str = "") -> str:
        claims = {"k": kind, "s": subject, "e": int(now.timestamp()) + ttl, "i": session}
        if identity:
            claims["w"] = identity
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return f"{body}.{_b64(self._sign(body))}"

    def verify(self, token: str, *, kind: str, now: datetime) -> TokenClaims:
        body, _, sig = token.partition(".")
        try:
            ok = hmac.compare_digest(_unb64(sig), self._sign(body))
            claims = json.loads(_unb64(body)) if ok else None
        except (ValueError, json.JSONDecodeError):
            claims = None
        if not claims or claims.get("k") != kind:
            raise Unauthorized("登录凭证无效，请重新登录")
        if claims["e"] <= now.timestamp():
            raise TokenExpired()
        return TokenClaims(kind=kind, subject=str(claims["s"]), expires_at=claims["e"], session=claims.get("i", ""),
                           identity=str(claims.get("w", "")))

    def _sign(self, body: str) -> bytes:
        return hmac.new(self._key, body.encode("ascii"), hashlib.sha256).digest()

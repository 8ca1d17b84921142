"""Acting as a supervising platform: signing open API calls as docs/interfaces/data-sharing.md says.

Written from the document, not from the server's code (checkup.domain.open_signature), so a
mistake in one does not hide behind the same mistake in the other.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Generator
from dataclasses import dataclass
from urllib.parse import quote, unquote_plus

import httpx
import requests

UNRESERVED = "-_.~"  # with A-Z a-z 0-9: left as they are; everything else is %XX (UTF-8, upper-case hex)


def canonical_query(query: str) -> str:
    """The query string's pairs, decoded, sorted by name then value, encoded again, joined with &."""
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((unquote_plus(name), unquote_plus(value)))
    pairs.sort()
    return "&".join(f"{quote(n, safe=UNRESERVED)}={quote(v, safe=UNRESERVED)}" for n, v in pairs)


def string_to_sign(method: str, path: str, query: str, timestamp: str, nonce: str, body: bytes) -> str:
    return "\n".join([method.upper(), path, canonical_query(query), timestamp, nonce,
                      hashlib.sha256(body).hexdigest()])


def signature(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def new_nonce() -> str:
    return secrets.token_hex(16)


def signed_headers(app_key: str, secret: str, *, method: str, path: str, query: str = "", body: bytes = b"",
                   timestamp: int | None = None, nonce: str | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or new_nonce()
    return {
        "X-App-Key": app_key,
        "X-Timestamp": ts,
        "X-Nonce": nonce,
        "X-Signature": signature(secret, string_to_sign(method, path, query, ts, nonce, body)),
    }


def _split(raw_path: bytes) -> tuple[str, str]:
    path, _, query = raw_path.decode("ascii").partition("?")
    return path, query


class HttpxSigner(httpx.Auth):
    """Signs the request exactly as it is sent (httpx)."""

    def __init__(self, app_key: str, secret: str) -> None:
        self.app_key, self.secret = app_key, secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        path, query = _split(request.url.raw_path)
        request.headers.update(signed_headers(self.app_key, self.secret, method=request.method, path=path,
                                              query=query, body=request.content))
        yield request


class RequestsSigner(requests.auth.AuthBase):
    """Signs the request exactly as it is sent (requests, as schemathesis uses)."""

    def __init__(self, app_key: str, secret: str) -> None:
        self.app_key, self.secret = app_key, secret

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        path, query = _split(request.path_url.encode("ascii"))
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        for name in ("X-App-Key", "X-Timestamp", "X-Nonce", "X-Signature"):
            request.headers.pop(name, None)
        request.headers.update(signed_headers(self.app_key, self.secret, method=request.method or "GET",
                                              path=path, query=query, body=body))
        return request


@dataclass
class Platform:
    """A supervising platform with its app key and secret, calling the served app over HTTP."""

    http: httpx.AsyncClient
    app_key: str
    secret: str

    async def get(self, path: str, params: dict | None = None, **kw) -> httpx.Response:
        return await self.http.get(path, params=params, auth=HttpxSigner(self.app_key, self.secret), **kw)

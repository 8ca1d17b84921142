"""Calls to WeChat's server API that carry an access token (``?access_token=``), with errcode handling.

Every call ends in a CallResult: SUCCESS with the answer, FAILED with WeChat's errcode as text
(e.g. "43101"), or UNKNOWN (unreachable, HTTP error, -1 "system busy", a reply that is not JSON).
A refused token (40001, 40014, 42001) is renewed and the call made once more.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx

from checkup.integrations.result import CallResult
from checkup.integrations.wechat.access_token import (
    TOKEN_ERRCODES,
    AccessTokenSource,
    WechatApiError,
    errcode_of,
)

log = logging.getLogger("checkup.integrations.wechat")
# httpx logs every URL at INFO, and WeChat wants the access token in the URL: keep that log quiet.
logging.getLogger("httpx").setLevel(logging.WARNING)

ERRCODE_BUSY = -1


class WechatApi:
    """The WeChat API host (or the sandbox) for one account, whose tokens come from ``tokens``."""

    def __init__(self, base_url: str, tokens: AccessTokenSource, *, timeout: float = 5.0,
                 client: httpx.AsyncClient | None = None) -> None:
        self._base_url = base_url.rstrip("/")
        self.tokens = tokens
        self._timeout = timeout
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._owns_client = client is None

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()
        aclose = getattr(self.tokens, "aclose", None)
        if aclose is not None:
            await aclose()

    async def post(self, path: str, body: dict[str, Any]) -> CallResult[dict[str, Any]]:
        return await self._call("POST", path, body)

    async def get(self, path: str) -> CallResult[dict[str, Any]]:
        return await self._call("GET", path, None)

    async def _call(self, method: str, path: str, body: dict[str, Any] | None) -> CallResult[dict[str, Any]]:
        try:
            token = await self.tokens.token()
        except WechatApiError as exc:
            return _token_failure(exc)
        result, refused = await self._once(method, path, body, token)
        if refused:
            log.info("%s %s: access token refused (%s), renewing", method, path, result.code)
            try:
                token = await self.tokens.renew(token)
            except WechatApiError as exc:
                return _token_failure(exc)
            result, _ = await self._once(method, path, body, token)
        if not result.ok:
            log.info("%s %s: %s %s %s", method, path, result.outcome, result.code, result.message or "")
        return result

    async def _once(self, method: str, path: str, body: dict[str, Any] | None,
                    token: str) -> tuple[CallResult[dict[str, Any]], bool]:
        # WeChat shows \\u escapes literally in some places (menu names): send UTF-8 as is.
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        headers = {"Content-Type": "application/json; charset=utf-8"} if content is not None else {}
        try:
            response = await self._client.request(
                method, f"{self._base_url}{path}", params={"access_token": token}, content=content,
                headers=headers, timeout=self._timeout,
            )
        except httpx.TimeoutException as exc:
            return CallResult.unknown("TIMEOUT", type(exc).__name__), False
        except httpx.HTTPError as exc:
            return CallResult.unknown("CONNECTION_ERROR", type(exc).__name__), False
        if response.status_code != 200:
            return CallResult.unknown(f"HTTP_{response.status_code}", response.reason_phrase), False
        try:
            data = json.loads(response.content)
        except ValueError:
            return CallResult.unknown("BAD_RESPONSE", "answer is not JSON"), False
        errcode, errmsg = errcode_of(data)
        if errcode == 0:
            return CallResult.success(data), False
        if errcode in (ERRCODE_BUSY, -2):
            return CallResult.unknown(str(errcode), errmsg), False
        return CallResult.failed(str(errcode), errmsg), errcode in TOKEN_ERRCODES


def _token_failure(exc: WechatApiError) -> CallResult[dict[str, Any]]:
    if exc.errcode is None or exc.errcode in (ERRCODE_BUSY, -2):
        return CallResult.unknown("ACCESS_TOKEN_UNAVAILABLE", exc.errmsg)
    return CallResult.failed(str(exc.errcode), f"stable_token: {exc.errmsg}")

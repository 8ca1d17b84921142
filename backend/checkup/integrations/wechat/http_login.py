"""Mini-program login over WeChat's ``/sns/jscode2session`` (code → openid, session_key, unionid)."""

from __future__ import annotations

import json
import logging
from typing import Any

import httpx

from checkup.integrations.result import CallResult, Outcome
from checkup.integrations.wechat.login import WechatSession

log = logging.getLogger("checkup.integrations.wechat")

ERRCODE_BUSY = -1  # "system busy": the code may still be good, try again
ERRCODE_INVALID_CODE = 40029


class HttpWechatLoginClient:
    """WechatLoginClient calling the configured WeChat API host (or the sandbox)."""

    def __init__(
        self,
        base_url: str,
        appid: str,
        secret: str,
        timeout: float = 5.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self.appid = appid
        self._secret = secret
        self._timeout = timeout
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._owns_client = client is None

    async def aclose(self) -> None:
        """Close the HTTP client when this object created it."""
        if self._owns_client:
            await self._client.aclose()

    async def code_to_session(self, *, code: str) -> CallResult[WechatSession]:
        """Exchange a ``wx.login`` code for the user's session."""
        if not code or not code.strip():
            return CallResult.failed(str(ERRCODE_INVALID_CODE), "empty code")
        result = await self._exchange(code)
        if not result.ok:
            level = logging.WARNING if result.outcome is Outcome.UNKNOWN else logging.INFO
            log.log(level, "jscode2session %s: %s %s", result.outcome, result.code, result.message or "")
        return result

    async def _exchange(self, code: str) -> CallResult[WechatSession]:
        params = {
            "appid": self.appid,
            "secret": self._secret,
            "js_code": code,
            "grant_type": "authorization_code",
        }
        try:
            response = await self._client.get(
                f"{self._base_url}/sns/jscode2session", params=params, timeout=self._timeout
            )
        except httpx.TimeoutException as exc:
            return CallResult.unknown("TIMEOUT", type(exc).__name__)
        except httpx.HTTPError as exc:
            return CallResult.unknown("CONNECTION_ERROR", type(exc).__name__)
        if response.status_code != 200:
            return CallResult.unknown(f"HTTP_{response.status_code}", response.reason_phrase)
        try:
            data: Any = json.loads(response.content)
        except ValueError:
            return CallResult.unknown("BAD_RESPONSE", "answer is not JSON")
        if not isinstance(data, dict):
            return CallResult.unknown("BAD_RESPONSE", "answer is not a JSON object")
        return _session(data)


def _session(data: dict[str, Any]) -> CallResult[WechatSession]:
    errcode = data.get("errcode", 0)
    errmsg = data.get("errmsg")
    errmsg = errmsg if isinstance(errmsg, str) else ""
    if not isinstance(errcode, int) or isinstance(errcode, bool):
        return CallResult.unknown("BAD_RESPONSE", "errcode is not an integer")
    if errcode == ERRCODE_BUSY:
        return CallResult.unknown(str(errcode), errmsg)
    if errcode != 0:
        return CallResult.failed(str(errcode), errmsg)
    openid = data.get("openid")
    session_key = data.get("session_key")
    unionid = data.get("unionid")
    if not isinstance(openid, str) or not openid or not isinstance(session_key, str) or not session_key:
        return CallResult.unknown("BAD_RESPONSE", "openid or session_key missing")
    if unionid is not None and not isinstance(unionid, str):
        return CallResult.unknown("BAD_RESPONSE", "unionid is not a string")
    return CallResult.success(WechatSession(openid=openid, session_key=session_key, unionid=unionid or None))

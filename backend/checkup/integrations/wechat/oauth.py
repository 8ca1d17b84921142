"""Official account web authorisation (网页授权, OAuth2 ``snsapi_base``): the authorize URL the H5 page is
sent to, and ``/sns/oauth2/access_token`` (code → openid, unionid). Only the openid is used: the
web access token it returns is not kept."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlencode

import httpx

from checkup.integrations.result import CallResult, Outcome
from checkup.integrations.wechat.http_login import ERRCODE_BUSY, ERRCODE_INVALID_CODE

log = logging.getLogger("checkup.integrations.wechat")

SCOPE_BASE = "snsapi_base"


class OAuthIdentity:
    __slots__ = ("openid", "unionid")

    def __init__(self, openid: str, unionid: str | None) -> None:
        self.openid = openid
        self.unionid = unionid


class HttpWechatOAuthClient:
    """The official account's web authorisation against open.weixin.qq.com and api.weixin.qq.com (or the sandbox)."""

    def __init__(self, *, authorize_base_url: str, api_base_url: str, appid: str, secret: str,
                 timeout: float = 5.0, client: httpx.AsyncClient | None = None) -> None:
        self._authorize_base_url = authorize_base_url.rstrip("/")
        self._api_base_url = api_base_url.rstrip("/")
        self.appid = appid
        self._secret = secret
        self._timeout = timeout
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._owns_client = client is None

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    def authorize_url(self, *, redirect_uri: str, state: str) -> str:
        """Where the browser goes; WeChat comes back to redirect_uri?code=…&state=…."""
        query = urlencode({"appid": self.appid, "redirect_uri": redirect_uri, "response_type": "code",
                           "scope": SCOPE_BASE, "state": state})
        return f"{self._authorize_base_url}/connect/oauth2/authorize?{query}#wechat_redirect"

    async def exchange(self, *, code: str) -> CallResult[OAuthIdentity]:
        """The code (single use, 5 minutes) → the user's openid under the official account."""
        if not code or not code.strip():
            return CallResult.failed(str(ERRCODE_INVALID_CODE), "empty code")
        params = {"appid": self.appid, "secret": self._secret, "code": code, "grant_type": "authorization_code"}
        try:
            response = await self._client.get(f"{self._api_base_url}/sns/oauth2/access_token", params=params,
                                              timeout=self._timeout)
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
        result = _identity(data) if isinstance(data, dict) else CallResult.unknown("BAD_RESPONSE", "not an object")
        if not result.ok:
            level = logging.WARNING if result.outcome is Outcome.UNKNOWN else logging.INFO
            log.log(level, "oauth2/access_token %s: %s %s", result.outcome, result.code, result.message or "")
        return result


def _identity(data: dict[str, Any]) -> CallResult[OAuthIdentity]:
    errcode = data.get("errcode", 0)
    errmsg = data.get("errmsg")
    errmsg = errmsg if isinstance(errmsg, str) else ""
    if not isinstance(errcode, int) or isinstance(errcode, bool):
        return CallResult.unknown("BAD_RESPONSE", "errcode is not an integer")
    if errcode == ERRCODE_BUSY:
        return CallResult.unknown(str(errcode), errmsg)
    if errcode != 0:
        return CallResult.failed(str(errcode), errmsg)
    openid, unionid = data.get("openid"), data.get("unionid")
    if not isinstance(openid, str) or not openid:
        return CallResult.unknown("BAD_RESPONSE", "openid missing")
    if unionid is not None and not isinstance(unionid, str):
        return CallResult.unknown("BAD_RESPONSE", "unionid is not a string")
    return CallResult.success(OAuthIdentity(openid=openid, unionid=unionid or None))

"""Mini-program subscription messages: ``/cgi-bin/message/subscribe/send`` with the mini-program's token."""

from __future__ import annotations

from typing import Protocol

from checkup.integrations.result import CallResult
from checkup.integrations.wechat.api import WechatApi

ERRCODE_USER_REFUSED = 43101  # the user has not accepted (or has used up) this template
ERRCODE_INVALID_OPENID = 40003
ERRCODE_INVALID_TEMPLATE = 40037
ERRCODE_ARGUMENT_INVALID = 47003  # a data value WeChat does not accept for its keyword type


class SubscribeMessageClient(Protocol):
    async def send(self, *, touser: str, template_id: str, page: str, data: dict[str, dict[str, str]],
                   miniprogram_state: str, lang: str = "zh_CN") -> CallResult[None]:
        """Send one message; FAILED codes are WeChat's errcode as text (e.g. "43101")."""
        ...

    async def aclose(self) -> None: ...


class HttpSubscribeMessageClient:
    def __init__(self, api: WechatApi) -> None:
        self.api = api

    async def aclose(self) -> None:
        await self.api.aclose()

    async def send(self, *, touser: str, template_id: str, page: str, data: dict[str, dict[str, str]],
                   miniprogram_state: str, lang: str = "zh_CN") -> CallResult[None]:
        body = {"touser": touser, "template_id": template_id, "page": page, "data": data,
                "miniprogram_state": miniprogram_state, "lang": lang}
        result = await self.api.post("/cgi-bin/message/subscribe/send", body)
        return CallResult.success(None) if result.ok else CallResult(result.outcome, code=result.code,
                                                                     message=result.message)


class HttpTemplateMessageClient:
    """Official account template messages: ``/cgi-bin/message/template/send`` with the official account's token.
    Sent to the official account's openid; the link opens the H5 pages."""

    def __init__(self, api: WechatApi) -> None:
        self.api = api

    async def aclose(self) -> None:
        await self.api.aclose()

    async def send(self, *, touser: str, template_id: str, url: str,
                   data: dict[str, dict[str, str]]) -> CallResult[None]:
        body: dict = {"touser": touser, "template_id": template_id, "data": data}
        if url:
            body["url"] = url
        result = await self.api.post("/cgi-bin/message/template/send", body)
        return CallResult.success(None) if result.ok else CallResult(result.outcome, code=result.code,
                                                                     message=result.message)

"""The official account's custom menu: ``/cgi-bin/menu/create`` and ``/cgi-bin/menu/get``.

The token must be the official account's (公众号), not the mini-program's: WeChat answers a
mini-program token with 48001 (api unauthorized).
"""

from __future__ import annotations

from typing import Any

from checkup.integrations.result import CallResult
from checkup.integrations.wechat.api import WechatApi

ERRCODE_MENU_NOT_FOUND = 46003
ERRCODE_MINIPROGRAM_NOT_LINKED = 85005


class HttpMenuClient:
    def __init__(self, api: WechatApi) -> None:
        self.api = api

    async def aclose(self) -> None:
        await self.api.aclose()

    async def create(self, menu: dict[str, Any]) -> CallResult[None]:
        """Replace the whole menu with ``menu`` ({"button": [...]}); takes effect in WeChat within minutes."""
        result = await self.api.post("/cgi-bin/menu/create", menu)
        return CallResult.success(None) if result.ok else CallResult(result.outcome, code=result.code,
                                                                     message=result.message)

    async def current(self) -> CallResult[dict[str, Any] | None]:
        """The menu as created through the API ({"button": [...]}), or None when there is none."""
        result = await self.api.get("/cgi-bin/menu/get")
        if result.ok:
            menu = (result.value or {}).get("menu")
            return CallResult.success(menu if isinstance(menu, dict) else None)
        if result.code == str(ERRCODE_MENU_NOT_FOUND):
            return CallResult.success(None)
        return CallResult(result.outcome, code=result.code, message=result.message)

    async def live(self) -> CallResult[dict[str, Any]]:
        """The menu followers see now, however it was made (API or web console): get_current_selfmenu_info."""
        result = await self.api.get("/cgi-bin/get_current_selfmenu_info")
        if result.ok:
            return CallResult.success(result.value or {})
        return CallResult(result.outcome, code=result.code, message=result.message)

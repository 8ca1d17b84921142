"""Mini-program login (code2Session) interface."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from checkup.integrations.result import CallResult


@dataclass(frozen=True, slots=True)
class WechatSession:
    openid: str
    session_key: str  # never sent to the client
    unionid: str | None = None


class WechatLoginClient(Protocol):
    @property
    def appid(self) -> str:
        """The mini-program's appid: the identities it logs in are kept under it."""
        ...

    async def code_to_session(self, *, code: str) -> CallResult[WechatSession]:
        """Exchange a ``wx.login`` code. FAILED codes are WeChat's errcode as text (e.g. "40029")."""
        ...

    async def aclose(self) -> None:
        """Release the connections (a process shuts down)."""
        ...

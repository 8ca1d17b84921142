"""The official account menu 体检中心: mini-program buttons, checked against WeChat's limits.

WeChat counts button names in UTF-8 bytes: a top-level name at most 16 bytes (5 Chinese
characters), a sub-button name at most 60 bytes; at most 3 top-level buttons with 5 sub-buttons each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checkup.domain.errors import AppError

TOP_NAME_MAX_BYTES = 16
SUB_NAME_MAX_BYTES = 60
MAX_TOP_BUTTONS = 3
MAX_SUB_BUTTONS = 5
URL_MAX_BYTES = 1024

DEFAULT_TITLE = "体检中心"
# key -> (default name, mini-program page); the pages are in miniprogram/miniprogram/app.json.
ENTRIES: dict[str, tuple[str, str]] = {
    "packages": ("个人体检", "pages/package/list/index"),
    "pay": ("体检缴费", "pages/pay/index/index"),
    "bookings": ("预约记录", "pages/booking/list/index"),
}


class MenuInvalid(AppError):
    status = 422
    code = "WECHAT_MENU_INVALID"
    default_message = "公众号菜单不符合微信的要求"


@dataclass(frozen=True, slots=True)
class MiniprogramButton:
    name: str
    appid: str
    pagepath: str
    url: str  # opened by WeChat clients too old for mini-programs

    def wire(self) -> dict[str, str]:
        return {"type": "miniprogram", "name": self.name, "url": self.url, "appid": self.appid,
                "pagepath": self.pagepath}


@dataclass(frozen=True, slots=True)
class MenuGroup:
    name: str
    buttons: tuple[MiniprogramButton, ...]

    def wire(self) -> dict[str, Any]:
        return {"name": self.name, "sub_button": [b.wire() for b in self.buttons]}


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def _check_name(name: str, *, limit: int, what: str) -> None:
    if not name or not name.strip():
        raise MenuInvalid(f"{what}名称不能为空", name=name)
    size = utf8_len(name)
    if size > limit:
        raise MenuInvalid(
            f"{what}“{name}”有 {size} 字节（UTF-8），微信限制为 {limit} 字节（约 {limit // 3} 个汉字）",
            name=name, bytes=size, limit=limit,
        )


def validate_menu(groups: list[MenuGroup]) -> None:
    """Raise MenuInvalid when WeChat would refuse these buttons."""
    if not 1 <= len(groups) <= MAX_TOP_BUTTONS:
        raise MenuInvalid(f"一级菜单须有 1 到 {MAX_TOP_BUTTONS} 个", count=len(groups))
    for group in groups:
        _check_name(group.name, limit=TOP_NAME_MAX_BYTES, what="一级菜单")
        if not 1 <= len(group.buttons) <= MAX_SUB_BUTTONS:
            raise MenuInvalid(f"一级菜单“{group.name}”须有 1 到 {MAX_SUB_BUTTONS} 个子菜单", count=len(group.buttons))
        for button in group.buttons:
            _check_name(button.name, limit=SUB_NAME_MAX_BYTES, what="子菜单")
            if not button.appid or not button.pagepath:
                raise MenuInvalid(f"子菜单“{button.name}”缺少小程序 appid 或页面路径")
            if not button.url.startswith(("http://", "https://")) or utf8_len(button.url) > URL_MAX_BYTES:
                raise MenuInvalid(f"子菜单“{button.name}”的备用网页地址须是 http(s) 网址，且不超过 {URL_MAX_BYTES} 字节",
                                  url=button.url)


def checkup_menu(*, appid: str, fallback_url: str, title: str = DEFAULT_TITLE,
                 names: dict[str, str] | None = None) -> dict[str, Any]:
    """The 体检中心 menu (个人体检 / 体检缴费 / 预约记录) as WeChat's menu/create body; raises MenuInvalid."""
    names = names or {}
    unknown = set(names) - set(ENTRIES)
    if unknown:
        raise MenuInvalid(f"未知的菜单项：{', '.join(sorted(unknown))}（可用：{', '.join(ENTRIES)}）")
    buttons = tuple(
        MiniprogramButton(name=names.get(key) or default, appid=appid, pagepath=page, url=fallback_url)
        for key, (default, page) in ENTRIES.items()
    )
    groups = [MenuGroup(name=title, buttons=buttons)]
    validate_menu(groups)
    return {"button": [g.wire() for g in groups]}

"""The official account menu 体检中心: mini-program or H5 buttons, checked against WeChat's limits, merged
into the hospital's menu (its other groups, 挂号 / 缴费 / 报告, stay as they are).

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
# key -> the H5 page (hash route after the H5 base URL); h5/src/router.
H5_PAGES: dict[str, str] = {"packages": "#/packages", "pay": "#/charges", "bookings": "#/bookings"}
# Button types the menu API can create again as read back; the rest (text, img, news, voice, video:
# replies set up in the official account's web console) cannot be re-sent by menu/create.
API_BUTTON_TYPES = {"click", "view", "miniprogram", "scancode_push", "scancode_waitmsg", "pic_sysphoto",
                    "pic_photo_or_album", "pic_weixin", "location_select", "media_id", "article_id",
                    "article_view_limited"}


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
class ViewButton:
    """A web page button: the H5 pages inside the official account."""

    name: str
    url: str

    def wire(self) -> dict[str, str]:
        return {"type": "view", "name": self.name, "url": self.url}


@dataclass(frozen=True, slots=True)
class MenuGroup:
    name: str
    buttons: tuple[MiniprogramButton | ViewButton, ...]

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
            if isinstance(button, MiniprogramButton) and (not button.appid or not button.pagepath):
                raise MenuInvalid(f"子菜单“{button.name}”缺少小程序 appid 或页面路径")
            if not button.url.startswith(("http://", "https://")) or utf8_len(button.url) > URL_MAX_BYTES:
                raise MenuInvalid(f"子菜单“{button.name}”的备用网页地址须是 http(s) 网址，且不超过 {URL_MAX_BYTES} 字节",
                                  url=button.url)


def h5_page(h5_url: str, key: str) -> str:
    """The H5 page of a menu entry."""
    return f"{h5_url.rstrip('/')}/{H5_PAGES[key]}"


def checkup_menu(*, appid: str, fallback_url: str | None = None, title: str = DEFAULT_TITLE,
                 names: dict[str, str] | None = None, h5_url: str | None = None,
                 target: str = "miniprogram") -> dict[str, Any]:
    """The 体检中心 menu (个人体检 / 体检缴费 / 预约记录) as WeChat's menu/create body; raises MenuInvalid.

    ``target`` "miniprogram": mini-program buttons whose fallback page (WeChat clients without
    mini-programs) is the entry's H5 page, or ``fallback_url`` when one is given; "h5": web page buttons
    to the H5 pages.
    """
    names = names or {}
    unknown = set(names) - set(ENTRIES)
    if unknown:
        raise MenuInvalid(f"未知的菜单项：{', '.join(sorted(unknown))}（可用：{', '.join(ENTRIES)}）")
    if target not in ("miniprogram", "h5"):
        raise MenuInvalid(f"菜单指向须是 miniprogram 或 h5，而不是 {target!r}")
    if not fallback_url and not h5_url:
        raise MenuInvalid("缺少 H5 页面地址（备用网页）")
    buttons: tuple[MiniprogramButton | ViewButton, ...]
    if target == "h5":
        if not h5_url:
            raise MenuInvalid("菜单指向 H5 时须配置 H5 页面地址")
        buttons = tuple(ViewButton(name=names.get(key) or default, url=h5_page(h5_url, key))
                        for key, (default, _page) in ENTRIES.items())
    else:
        buttons = tuple(
            MiniprogramButton(name=names.get(key) or default, appid=appid, pagepath=page,
                              url=fallback_url or h5_page(h5_url or "", key))
            for key, (default, page) in ENTRIES.items()
        )
    groups = [MenuGroup(name=title, buttons=buttons)]
    validate_menu(groups)
    return {"button": [g.wire() for g in groups]}


def readable_menu(selfmenu: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The live menu (get_current_selfmenu_info) as menu/create buttons; raises MenuInvalid when it holds
    buttons the API cannot create again (set up in the web console), so nothing of them is lost silently."""
    if not selfmenu or not selfmenu.get("is_menu_open"):
        return []
    buttons = ((selfmenu.get("selfmenu_info") or {}).get("button")) or []
    out: list[dict[str, Any]] = []
    console_only: list[str] = []
    for button in buttons:
        button = dict(button)
        subs = button.pop("sub_button", None)
        if isinstance(subs, dict):
            subs = subs.get("list") or []
        if subs:
            kept = []
            for sub in subs:
                sub = {k: v for k, v in sub.items() if k not in ("news_info", "value")}
                if sub.get("type") not in API_BUTTON_TYPES:
                    console_only.append(f"{button.get('name')}/{sub.get('name')}")
                kept.append(sub)
            out.append({"name": button.get("name"), "sub_button": kept})
        else:
            if button.get("type") not in API_BUTTON_TYPES:
                console_only.append(str(button.get("name")))
            out.append({k: v for k, v in button.items() if k not in ("news_info", "value")})
    if console_only:
        raise MenuInvalid(
            "现有菜单中有在公众号后台设置的回复类菜单（" + "、".join(console_only) + "），菜单接口无法原样保留："
            "请先在公众号后台把它们改为网页或小程序菜单，或用 --replace 覆盖整个菜单", buttons=console_only)
    return out


def merge_menu(current: list[dict[str, Any]], ours: dict[str, Any]) -> dict[str, Any]:
    """The current menu with our group added, or put in place of the group of the same name; others kept."""
    [group] = ours["button"]
    buttons = [dict(b) for b in current]
    for index, button in enumerate(buttons):
        if button.get("name") == group["name"]:
            buttons[index] = group
            break
    else:
        if len(buttons) >= MAX_TOP_BUTTONS:
            raise MenuInvalid(
                f"公众号菜单已有 {len(buttons)} 个一级菜单（" + "、".join(str(b.get("name")) for b in buttons)
                + f"），放不下“{group['name']}”：请在公众号后台腾出一个，或把菜单标题设为其中之一以替换它",
                names=[b.get("name") for b in buttons])
        buttons.append(group)
    return {"button": buttons}

"""`checkup wechat menu push|show`: the official account's 体检中心 menu."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING, Any

from checkup.config import Settings, _is_placeholder

if TYPE_CHECKING:
    from checkup.integrations.wechat.menu import HttpMenuClient

# What an operator can do about WeChat's answers.
_HINTS = {
    "85005": "the mini-program is not linked to the official account (公众号后台 → 小程序管理 → 关联小程序)",
    "48001": "the official account may not call the menu API (not verified, or a mini-program appid/secret "
             "was configured as CHECKUP_WECHAT_OA_*)",
    "40013": "CHECKUP_WECHAT_OA_APPID is not a valid appid",
    "40125": "CHECKUP_WECHAT_OA_SECRET is wrong",
    "40164": "this server's IP is not in the official account's IP whitelist",
    "ACCESS_TOKEN_UNAVAILABLE": "the WeChat API could not be reached for an access token",
    "CONNECTION_ERROR": "the WeChat API could not be reached",
}


def add_wechat_parser(sub: argparse._SubParsersAction) -> None:
    wechat = sub.add_parser("wechat", help="the official account: the 体检中心 menu")
    wechat_sub = wechat.add_subparsers(dest="wechat_command", required=True)
    menu = wechat_sub.add_parser("menu", help="the official account menu 体检中心 (mini-program buttons)")
    menu.add_argument("menu_command", choices=["push", "show"],
                      help="push: add or update the 体检中心 group in the official account's menu, keeping the "
                           "others; show: the menu WeChat has now")
    menu.add_argument("--dry-run", action="store_true", help="push: show the change, send nothing")
    menu.add_argument("--yes", "-y", action="store_true", help="push: do not ask before sending")
    menu.add_argument("--replace", action="store_true",
                      help="push: replace the whole menu with the 体检中心 group (the hospital's other entries are lost)")


def run_wechat(settings: Settings, args: argparse.Namespace) -> int:
    return asyncio.run(_menu(settings, args.menu_command, dry_run=args.dry_run, yes=args.yes, replace=args.replace))


def _diff(before: dict, after: dict) -> str:
    import difflib

    lines = difflib.unified_diff(
        json.dumps(before, ensure_ascii=False, indent=2).splitlines(),
        json.dumps(after, ensure_ascii=False, indent=2).splitlines(),
        fromfile="公众号现有菜单", tofile="推送后的菜单", lineterm="",
    )
    return "\n".join(lines) or "（菜单没有变化）"


def _confirmed() -> bool:
    print("推送此菜单？[y/N] ", end="", file=sys.stderr, flush=True)
    try:
        answer = input()
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes", "是")


def _failure(what: str, code: str | None, message: str | None) -> int:
    hint = _HINTS.get(code or "", "")
    print(f"checkup: {what} failed: {code} {message or ''}".rstrip() + (f"\n  {hint}" if hint else ""), file=sys.stderr)
    return 1


async def _menu(settings: Settings, action: str, *, dry_run: bool, yes: bool = False, replace: bool = False) -> int:
    from checkup.bootstrap.wechat import build_menu_client, menu_from_settings
    from checkup.domain.wechat_menu import MenuInvalid

    if action == "push":
        try:
            ours = menu_from_settings(settings)
        except MenuInvalid as exc:
            print(f"checkup: menu refused before sending: {exc.message}", file=sys.stderr)
            return 2
        if dry_run and replace:
            print(json.dumps(ours, ensure_ascii=False, indent=2))
            return 0
    if settings.env == "prod" and _is_placeholder(settings.wechat_oa_secret):
        print("checkup: set CHECKUP_WECHAT_OA_APPID and CHECKUP_WECHAT_OA_SECRET (the official account's) first",
              file=sys.stderr)
        return 2
    client = build_menu_client(settings)
    try:
        if action == "push":
            merged = await _merged(client, ours, replace=replace)
            if isinstance(merged, int):
                return merged
            before, menu = merged
            print(_diff(before, menu), file=sys.stderr)
            if dry_run:
                print(json.dumps(menu, ensure_ascii=False, indent=2))
                return 0
            if before == menu:
                print(json.dumps(menu, ensure_ascii=False, indent=2))
                print("the menu already has this 体检中心 group: nothing sent", file=sys.stderr)
                return 0
            if not yes and not _confirmed():
                print("checkup: not pushed", file=sys.stderr)
                return 3
            result = await client.create(menu)
            if not result.ok:
                return _failure("menu/create", result.code, result.message)
            print(json.dumps(menu, ensure_ascii=False, indent=2))
            print(f"menu pushed to official account {settings.wechat_oa_appid} "
                  "(WeChat shows it to followers within about 5 minutes)", file=sys.stderr)
            return 0
        shown = await client.current()
        if not shown.ok:
            return _failure("menu/get", shown.code, shown.message)
        if shown.value is None:
            print(f"official account {settings.wechat_oa_appid} has no menu", file=sys.stderr)
            return 0
        print(json.dumps(shown.value, ensure_ascii=False, indent=2))
        return 0
    finally:
        await client.aclose()


async def _merged(
    client: HttpMenuClient, ours: dict[str, Any], *, replace: bool
) -> tuple[dict[str, Any], dict[str, Any]] | int:
    """(the live menu, the menu to push) or an exit code."""
    from checkup.domain.wechat_menu import MenuInvalid, merge_menu, readable_menu

    live = await client.live()
    if not live.ok:
        return _failure("get_current_selfmenu_info", live.code, live.message)
    if replace:
        try:
            before = {"button": readable_menu(live.value)}
        except MenuInvalid:
            before = {"button": ((live.value or {}).get("selfmenu_info") or {}).get("button") or []}
        return before, ours
    try:
        current = readable_menu(live.value)
        return {"button": current}, merge_menu(current, ours)
    except MenuInvalid as exc:
        print(f"checkup: menu not pushed: {exc.message}", file=sys.stderr)
        return 2

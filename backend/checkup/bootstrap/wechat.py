"""Building the WeChat server-API clients from settings: subscription messages (mini-program token)
and the official account menu (the official account's token), each token shared through Redis."""

from __future__ import annotations

import json

from checkup.config import Settings
from checkup.domain.wechat_menu import MenuInvalid, checkup_menu
from checkup.integrations.wechat.access_token import StableAccessToken
from checkup.integrations.wechat.api import WechatApi
from checkup.integrations.wechat.menu import HttpMenuClient
from checkup.integrations.wechat.realname import HttpRealNameChecker
from checkup.integrations.wechat.subscribe import HttpSubscribeMessageClient, HttpTemplateMessageClient
from checkup.redis_client import create_redis


def _api(settings: Settings, appid: str, secret: str) -> WechatApi:
    tokens = StableAccessToken(settings.wechat_api_base_url, appid, secret, redis=create_redis(settings.redis_url),
                               timeout=settings.wechat_timeout, close_redis=True)
    return WechatApi(settings.wechat_api_base_url, tokens, timeout=settings.wechat_timeout)


def build_subscribe_client(settings: Settings) -> HttpSubscribeMessageClient:
    return HttpSubscribeMessageClient(_api(settings, settings.wechat_appid, settings.wechat_secret))


def build_realname_checker(settings: Settings) -> HttpRealNameChecker:
    """城市服务 实名信息校验 with the mini-program's token (CHECKUP_WECHAT_REALNAME_ENABLED)."""
    return HttpRealNameChecker(_api(settings, settings.wechat_appid, settings.wechat_secret))


def build_template_client(settings: Settings) -> HttpTemplateMessageClient:
    return HttpTemplateMessageClient(_api(settings, settings.wechat_oa_appid, settings.wechat_oa_secret))


def build_menu_client(settings: Settings) -> HttpMenuClient:
    return HttpMenuClient(_api(settings, settings.wechat_oa_appid, settings.wechat_oa_secret))


def menu_from_settings(settings: Settings) -> dict:
    """The 体检中心 group for the configured mini-program or H5 pages; raises MenuInvalid (names too long, ...)."""
    try:
        names = json.loads(settings.wechat_menu_names) if settings.wechat_menu_names else {}
    except ValueError as exc:
        raise MenuInvalid(f"CHECKUP_WECHAT_MENU_NAMES 不是有效的 JSON：{exc}") from None
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        raise MenuInvalid('CHECKUP_WECHAT_MENU_NAMES 须是 {"packages": "…", "pay": "…", "bookings": "…"}')
    return checkup_menu(
        appid=settings.wechat_appid,
        fallback_url=settings.wechat_menu_url,
        h5_url=settings.h5_base_url,
        target=settings.wechat_menu_target,
        title=settings.wechat_menu_title,
        names=names,
    )

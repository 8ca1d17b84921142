"""Sandbox WeChat API (api.weixin.qq.com) under /sandbox/wechat: mini-program login and stable access token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import secrets
import time
import uuid
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from checkup.sandbox.records import AccessToken, WechatUser
from checkup.sandbox.state import SandboxState

TOKEN_LIFETIME = 7200
# Test hooks: these js_code values make the sandbox answer like WeChat under trouble.
CODE_ERRORS = {"": (40029, "invalid code"), "invalid": (40029, "invalid code"), "busy": (-1, "system error")}


def _answer(data: dict[str, Any]) -> HTTPResponse:
    body = json.dumps(data, ensure_ascii=False).encode()
    return HTTPResponse(body, status=200, content_type="application/json; encoding=utf-8")


def _error(errcode: int, errmsg: str) -> HTTPResponse:
    return _answer({"errcode": errcode, "errmsg": f"{errmsg}, rid: {uuid.uuid4().hex[:24]}"})


def _derive(appid: str, label: str, code: str, length: int) -> str:
    mac = hmac.new(f"checkup-sandbox:{appid}:{label}".encode(), code.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")[:length]


def session_for(appid: str, code: str) -> dict[str, str]:
    """The deterministic session WeChat's sandbox gives for a code: same code, same openid."""
    return {
        "openid": "o" + _derive(appid, "openid", code, 27),
        "unionid": "o" + _derive(appid, "unionid", code, 27),
        "session_key": base64.b64encode(_derive(appid, "session", code, 16).encode()).decode(),
    }


def create_wechat_blueprint(*, state: SandboxState, appid: str, secret: str) -> Blueprint:
    """WeChat server-side API for one mini-program (appid and secret)."""
    bp = Blueprint("sandbox_wechat", url_prefix="/sandbox/wechat")

    def bad_credentials(given_appid: Any, given_secret: Any) -> bool:
        appid_ok = hmac.compare_digest(str(given_appid or "").encode(), appid.encode())
        secret_ok = hmac.compare_digest(str(given_secret or "").encode(), secret.encode())
        return not (appid_ok and secret_ok)

    @bp.get("/sns/jscode2session", name="jscode2session")
    async def jscode2session(request: Request) -> HTTPResponse:
        args = request.args
        if bad_credentials(args.get("appid"), args.get("secret")):
            return _error(40125, "invalid appsecret")
        if args.get("grant_type") != "authorization_code":
            return _error(40002, "invalid grant_type")
        code = (args.get("js_code") or "").strip()
        if code in CODE_ERRORS:
            return _error(*CODE_ERRORS[code])
        session = session_for(appid, code)
        async with state.mutation():
            user = state.wechat_users.get(session["openid"])
            if user is None:
                state.wechat_users[session["openid"]] = WechatUser(
                    openid=session["openid"], unionid=session["unionid"], first_login_at=state.now_iso()
                )
            else:
                user.logins += 1
        return _answer(session)

    @bp.post("/cgi-bin/stable_token", name="stable_token")
    async def stable_token(request: Request) -> HTTPResponse:
        try:
            body = json.loads(request.body or b"")
        except ValueError:
            return _error(47001, "data format error")
        if not isinstance(body, dict):
            return _error(47001, "data format error")
        if body.get("grant_type") != "client_credential":
            return _error(40002, "invalid grant_type")
        if bad_credentials(body.get("appid"), body.get("secret")):
            return _error(40125, "invalid appsecret")
        now = time.time()
        async with state.mutation():
            token = state.access_token
            if body.get("force_refresh") is True or token is None or token.expires_at <= now:
                token = AccessToken(token=secrets.token_urlsafe(96), expires_at=now + TOKEN_LIFETIME)
                state.access_token = token
        return _answer({"access_token": token.token, "expires_in": math.ceil(token.expires_at - now)})

    return bp

"""Sandbox WeChat API (api.weixin.qq.com) under /sandbox/wechat.

Mini-program login, stable access tokens (one per account: the mini-program and the official
account), the official account menu and subscription messages, checked the way WeChat checks them
(token of the right account, button name sizes in bytes, template keywords and value formats).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import logging
import math
import re
import secrets
import time
import uuid
from typing import Any
from urllib.parse import urlencode

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


# The open platform account both the mini-program and the official account are bound to: a unionid
# is the same person under every appid bound to it, while openids differ per appid.
OPEN_PLATFORM = "open-platform"


def session_for(appid: str, code: str) -> dict[str, str]:
    """The deterministic session WeChat's sandbox gives for a code: same code, same person (openid)."""
    return {
        "openid": "o" + _derive(appid, "openid", code, 27),
        "unionid": "o" + _derive(OPEN_PLATFORM, "unionid", code, 27),
        "session_key": base64.b64encode(_derive(appid, "session", code, 16).encode()).decode(),
    }


OAUTH_CODE_LIFETIME = 300  # seconds; single use
OAUTH_SCOPES = {"snsapi_base", "snsapi_userinfo"}
PERSON_COOKIE = "sandbox_wechat_person"  # who is "logged in to WeChat" in this browser
_PERSON = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


MENU_APIS_ACCOUNT = "official_account"
MESSAGE_APIS_ACCOUNT = "miniprogram"
BUTTON_TYPES = {"click", "view", "miniprogram", "scancode_push", "scancode_waitmsg", "pic_sysphoto",
                "pic_photo_or_album", "pic_weixin", "location_select", "media_id", "article_id", "article_view_limited"}
MINIPROGRAM_STATES = {"developer", "trial", "formal"}
LANGS = {"zh_CN", "en_US", "zh_HK", "zh_TW"}
_PAGE = re.compile(r"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*(\?[^\s]*)?$")
_KEYWORD = re.compile(r"^([a-z_]+?)(\d+)$")
_DATE = r"\d{4}(年|-|/)\d{1,2}(月|-|/)\d{1,2}日?"
_CLOCK = r"\d{1,2}:\d{2}(:\d{2})?"
# Value rules of subscription message keywords (WeChat's 参数值内容限制).
_VALUE_RULES: dict[str, Any] = {
    "thing": lambda v: len(v) <= 20,
    "name": lambda v: len(v) <= (10 if re.search(r"[\u4e00-\u9fff]", v) else 20),
    "phrase": lambda v: len(v) <= 5 and re.fullmatch(r"[\u4e00-\u9fff]+", v) is not None,
    "character_string": lambda v: len(v) <= 32 and re.fullmatch(r"[A-Za-z0-9_\-.:#@]+", v) is not None,
    "number": lambda v: len(v) <= 32 and re.fullmatch(r"\d+(\.\d+)?", v) is not None,
    "letter": lambda v: len(v) <= 32 and re.fullmatch(r"[A-Za-z]+", v) is not None,
    "symbol": lambda v: len(v) <= 5,
    "phone_number": lambda v: len(v) <= 17 and re.fullmatch(r"[\d+\-() ]+", v) is not None,
    "car_number": lambda v: len(v) <= 8,
    "amount": lambda v: re.fullmatch(r"[¥￥$]?\d{1,12}(\.\d{1,2})?元?", v) is not None,
    "date": lambda v: re.fullmatch(f"{_DATE}( {_CLOCK})?(~.*)?", v) is not None,
    "time": lambda v: re.fullmatch(f"({_DATE} )?{_CLOCK}(~.*)?|{_DATE}", v) is not None,
}


def _button_problem(button: Any, *, sub: bool, miniprogram_appid: str) -> tuple[int, str] | None:
    """WeChat's errcode for one leaf button, or None when it is fine."""
    if not isinstance(button, dict):
        return 47001, "data format error"
    name = button.get("name")
    limit = 60 if sub else 16
    if not isinstance(name, str) or not 1 <= len(name.encode()) <= limit:
        return (40025, "invalid sub button name size") if sub else (40018, "invalid button name size")
    kind = button.get("type")
    if kind not in BUTTON_TYPES:
        return (40024, "invalid sub button type") if sub else (40017, "invalid button type")
    url = button.get("url")
    if kind in ("view", "miniprogram") and (not isinstance(url, str) or not 1 <= len(url.encode()) <= 1024
                                           or not url.startswith(("http://", "https://"))):
        return (40027, "invalid sub button url size") if sub else (40020, "invalid button url size")
    if kind == "miniprogram":
        if button.get("appid") != miniprogram_appid:
            return 85005, "appid is not bind"
        if not isinstance(button.get("pagepath"), str) or not button["pagepath"]:
            return 47001, "data format error: pagepath missing"
    if kind == "click" and not (isinstance(button.get("key"), str) and 1 <= len(button["key"].encode()) <= 128):
        return (40026, "invalid sub button key size") if sub else (40019, "invalid button key size")
    return None


def menu_problem(body: Any, *, miniprogram_appid: str) -> tuple[int, str] | None:
    """WeChat's errcode for a menu/create body, or None when WeChat would take it."""
    buttons = body.get("button") if isinstance(body, dict) else None
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        return 40016, "invalid button size"
    for button in buttons:
        if not isinstance(button, dict):
            return 47001, "data format error"
        subs = button.get("sub_button")
        if subs:
            name = button.get("name")
            if not isinstance(name, str) or not 1 <= len(name.encode()) <= 16:
                return 40018, "invalid button name size"
            if not isinstance(subs, list) or len(subs) > 5:
                return 40023, "invalid sub button size"
            for sub in subs:
                problem = _button_problem(sub, sub=True, miniprogram_appid=miniprogram_appid)
                if problem:
                    return problem
        else:
            problem = _button_problem(button, sub=False, miniprogram_appid=miniprogram_appid)
            if problem:
                return problem
    return None


def message_problem(body: Any, *, templates: dict[str, dict[str, Any]], users: dict[str, Any]) -> tuple[int, str] | None:
    """WeChat's errcode for a subscribe/send body (consent aside), or None."""
    if not isinstance(body, dict):
        return 47001, "data format error"
    touser = body.get("touser")
    if not isinstance(touser, str) or touser not in users:
        return 40003, "invalid openid"
    template_id = body.get("template_id")
    template = templates.get(template_id) if isinstance(template_id, str) else None
    if template is None:
        return 40037, "invalid template_id"
    page = body.get("page")
    if page is not None and (not isinstance(page, str) or (page and not _PAGE.match(page))):
        return 41030, "invalid page"
    if body.get("miniprogram_state", "formal") not in MINIPROGRAM_STATES:
        return 47003, "argument invalid! miniprogram_state invalid"
    if body.get("lang", "zh_CN") not in LANGS:
        return 47003, "argument invalid! lang invalid"
    data = body.get("data")
    if not isinstance(data, dict):
        return 47003, "argument invalid! data is empty"
    for keyword in data:
        if keyword not in template["keywords"]:
            return 47003, f"argument invalid! data.{keyword} is not in the template"
    for keyword in template["keywords"]:
        entry = data.get(keyword)
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value.strip():
            return 47003, f"argument invalid! data.{keyword}.value is empty"
        match = _KEYWORD.match(keyword)
        rule = _VALUE_RULES.get(match.group(1)) if match else None
        if rule is not None and not rule(value):
            return 47003, f"argument invalid! data.{keyword}.value invalid"
    return None


def _page(title: str, body: str, *, status: int = 200) -> HTTPResponse:
    page = (f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width,initial-scale=1'><title>{html.escape(title)}</title>"
            "<style>body{font:1rem/1.6 sans-serif;margin:1.5rem}input,button{font-size:1.1rem;padding:.5rem;"
            "margin:.3rem 0;width:100%;box-sizing:border-box}</style></head>"
            f"<body><h1 style='font-size:1.2rem'>{html.escape(title)}</h1>{body}</body></html>")
    return HTTPResponse(page.encode(), status=status, content_type="text/html; charset=utf-8")


def _person_form(request: Request) -> str:
    """The sandbox stands in for the WeChat client: the tester says which WeChat user is holding it."""
    hidden = "".join(
        f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>"
        for k, values in request.args.items() if k != "person" for v in values[:1]
    )
    return ("<p>这是沙箱中的微信：真实微信会以当前登录的微信用户静默授权。请填写一个微信用户代号"
            "（同一代号即同一个人，在小程序中用同一代号登录即同一 unionid）。</p>"
            f"<form method='get'>{hidden}<label>微信用户代号<input name='person' required "
            "pattern='[A-Za-z0-9_\\-]{1,64}' aria-label='微信用户代号'></label>"
            "<button type='submit'>以此身份进入</button></form>")


class _RedactAccessTokens(logging.Filter):
    """The server's access log shows request URLs, and WeChat API URLs carry the access token (and,
    for jscode2session, the app secret and the login code) in the query string."""

    _SECRET = re.compile(r"([?&](?:access_token|secret|js_code|code)=)[^&\s]+")

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if isinstance(request, str) and "=" in request:
            record.request = self._SECRET.sub(r"\1***", request)
        return True


def _redact_access_log() -> None:
    access = logging.getLogger("sanic.access")
    if not any(isinstance(f, _RedactAccessTokens) for f in access.filters):
        access.addFilter(_RedactAccessTokens())


def create_wechat_blueprint(*, state: SandboxState, appid: str, secret: str, oa_appid: str | None = None,
                            oa_secret: str | None = None) -> Blueprint:
    """WeChat server-side API for one mini-program (appid and secret) and, when given, the official
    account (oa_appid and oa_secret) whose menu opens it."""
    bp = Blueprint("sandbox_wechat", url_prefix="/sandbox/wechat")
    _redact_access_log()
    accounts = {appid: (MESSAGE_APIS_ACCOUNT, secret)}
    oauth_codes: dict[str, dict[str, Any]] = {}  # code -> {appid, person, expires_at, used}
    if oa_appid and oa_secret:
        accounts[oa_appid] = (MENU_APIS_ACCOUNT, oa_secret)

    def bad_credentials(given_appid: Any, given_secret: Any) -> bool:
        appid_ok = hmac.compare_digest(str(given_appid or "").encode(), appid.encode())
        secret_ok = hmac.compare_digest(str(given_secret or "").encode(), secret.encode())
        return not (appid_ok and secret_ok)

    def account_of_token(request: Request, wanted: str) -> HTTPResponse | str:
        """The appid whose valid token the request carries, or WeChat's error answer."""
        given = request.args.get("access_token") or ""
        if not given:
            return _error(41001, "access_token missing")
        now = time.time()
        for owner, token in state.access_tokens.items():
            if hmac.compare_digest(token.token.encode(), given.encode()):
                if token.expires_at <= now:
                    return _error(42001, "access_token expired")
                if accounts.get(owner, ("", ""))[0] != wanted:
                    return _error(48001, "api unauthorized")
                return owner
        return _error(40001, "invalid credential, access_token is invalid or not latest")

    def json_body(request: Request) -> Any:
        try:
            return json.loads(request.body or b"")
        except ValueError:
            return None

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

    @bp.get("/connect/oauth2/authorize", name="oauth2_authorize")
    async def oauth2_authorize(request: Request) -> HTTPResponse:
        """open.weixin.qq.com: inside WeChat, snsapi_base redirects at once with a code for the user
        of this WeChat client. The sandbox's "WeChat client" is a cookie; without it, a page asks who."""
        args = request.args
        given_appid = args.get("appid") or ""
        redirect_uri = args.get("redirect_uri") or ""
        problem = None
        if accounts.get(given_appid, ("", ""))[0] != MENU_APIS_ACCOUNT:
            problem = "10003 redirect_uri 域名与后台配置不一致 / appid 无效"
        elif args.get("response_type") != "code":
            problem = "10004 response_type 参数错误"
        elif args.get("scope") not in OAUTH_SCOPES:
            problem = "10005 此公众号并没有这些 scope 的权限"
        elif not redirect_uri.startswith(("http://", "https://")):
            problem = "10003 redirect_uri 参数错误"
        if problem:
            return _page("出错了", f"<p role='alert'>{html.escape(problem)}</p>", status=400)
        person = args.get("person") or request.cookies.get(PERSON_COOKIE) or ""
        if not _PERSON.match(person):
            return _page("沙箱微信：选择微信用户", _person_form(request))
        code = secrets.token_urlsafe(24)
        async with state.mutation():
            now = time.time()
            for old in [c for c, v in oauth_codes.items() if v["expires_at"] <= now]:
                del oauth_codes[old]
            oauth_codes[code] = {"appid": given_appid, "person": person, "expires_at": now + OAUTH_CODE_LIFETIME,
                                 "used": False, "scope": args.get("scope")}
        sep = "&" if "?" in redirect_uri.split("#", 1)[0] else "?"
        base, hash_part = ([*redirect_uri.split("#", 1), ""])[:2]
        target = f"{base}{sep}{urlencode({'code': code, 'state': args.get('state') or ''})}"
        if hash_part:
            target += "#" + hash_part
        response = HTTPResponse(status=302, headers={"Location": target})
        response.add_cookie(PERSON_COOKIE, person, path="/", httponly=True, samesite="Lax", secure=False)
        return response

    @bp.get("/sns/oauth2/access_token", name="oauth2_access_token")
    async def oauth2_access_token(request: Request) -> HTTPResponse:
        """api.weixin.qq.com: the official account exchanges a web-authorisation code for the openid."""
        args = request.args
        given_appid = args.get("appid") or ""
        account = accounts.get(given_appid)
        if account is None or account[0] != MENU_APIS_ACCOUNT:
            return _error(40013, "invalid appid")
        if not hmac.compare_digest(str(args.get("secret") or "").encode(), account[1].encode()):
            return _error(40125, "invalid appsecret")
        if args.get("grant_type") != "authorization_code":
            return _error(40002, "invalid grant_type")
        code = args.get("code") or ""
        async with state.mutation():
            entry = oauth_codes.get(code)
            if entry is None or entry["appid"] != given_appid or entry["expires_at"] <= time.time():
                return _error(40029, "invalid code")
            if entry["used"]:
                return _error(40163, "code been used")
            entry["used"] = True
        session = session_for(given_appid, entry["person"])
        async with state.mutation():
            user = state.wechat_users.get(session["openid"])
            if user is None:
                state.wechat_users[session["openid"]] = WechatUser(
                    openid=session["openid"], unionid=session["unionid"], first_login_at=state.now_iso()
                )
            else:
                user.logins += 1
        return _answer({"access_token": secrets.token_urlsafe(48), "expires_in": 7200,
                        "refresh_token": secrets.token_urlsafe(48), "openid": session["openid"],
                        "scope": entry["scope"], "is_snapshotuser": 0, "unionid": session["unionid"]})

    @bp.post("/cgi-bin/stable_token", name="stable_token")
    async def stable_token(request: Request) -> HTTPResponse:
        state.count_call("stable_token")
        body = json_body(request)
        if not isinstance(body, dict):
            return _error(47001, "data format error")
        if body.get("grant_type") != "client_credential":
            return _error(40002, "invalid grant_type")
        given_appid = str(body.get("appid") or "")
        account = accounts.get(given_appid)
        if account is None:
            return _error(40013, "invalid appid")
        if not hmac.compare_digest(str(body.get("secret") or "").encode(), account[1].encode()):
            return _error(40125, "invalid appsecret")
        now = time.time()
        async with state.mutation():
            token = state.access_tokens.get(given_appid)
            if body.get("force_refresh") is True or token is None or token.expires_at <= now:
                token = AccessToken(token=secrets.token_urlsafe(96), expires_at=now + TOKEN_LIFETIME)
                state.access_tokens[given_appid] = token
        return _answer({"access_token": token.token, "expires_in": math.ceil(token.expires_at - now)})

    @bp.post("/cgi-bin/menu/create", name="menu_create")
    async def menu_create(request: Request) -> HTTPResponse:
        state.count_call("menu/create")
        owner = account_of_token(request, MENU_APIS_ACCOUNT)
        if isinstance(owner, HTTPResponse):
            return owner
        body = json_body(request)
        problem = menu_problem(body, miniprogram_appid=appid)
        if problem:
            return _error(*problem)
        async with state.mutation():
            state.wechat_menu = {"button": body["button"]}
            state.wechat_menu_history.append({"appid": owner, "menu": state.wechat_menu, "created_at": state.now_iso()})
        return _answer({"errcode": 0, "errmsg": "ok"})

    @bp.get("/cgi-bin/menu/get", name="menu_get")
    async def menu_get(request: Request) -> HTTPResponse:
        state.count_call("menu/get")
        owner = account_of_token(request, MENU_APIS_ACCOUNT)
        if isinstance(owner, HTTPResponse):
            return owner
        if state.wechat_menu is None:
            return _error(46003, "menu no exist")
        return _answer({"menu": state.wechat_menu})

    @bp.get("/cgi-bin/get_current_selfmenu_info", name="selfmenu_info")
    async def selfmenu_info(request: Request) -> HTTPResponse:
        state.count_call("get_current_selfmenu_info")
        owner = account_of_token(request, MENU_APIS_ACCOUNT)
        if isinstance(owner, HTTPResponse):
            return owner
        menu = state.wechat_menu or {"button": []}
        buttons = [
            {**{k: v for k, v in b.items() if k != "sub_button"}, "sub_button": {"list": b["sub_button"]}}
            if b.get("sub_button") else b
            for b in menu["button"]
        ]
        return _answer({"is_menu_open": 1 if state.wechat_menu else 0, "selfmenu_info": {"button": buttons}})

    @bp.post("/cgi-bin/message/template/send", name="template_send")
    async def template_send(request: Request) -> HTTPResponse:
        """Official account template messages (模板消息) to its followers, with a link to a web page."""
        state.count_call("message/template/send")
        owner = account_of_token(request, MENU_APIS_ACCOUNT)
        if isinstance(owner, HTTPResponse):
            return owner
        body = json_body(request)
        url = body.get("url") if isinstance(body, dict) else None
        if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
            return _error(40062, "invalid url")
        if isinstance(body, dict) and "miniprogram" in body and not isinstance(body["miniprogram"], dict):
            return _error(47001, "data format error")
        subscribe_like = {**body, "page": None} if isinstance(body, dict) else body
        problem = message_problem(subscribe_like, templates=state.wechat_templates, users=state.wechat_users)
        if problem:
            return _error(*problem)
        if (body["touser"], body["template_id"]) in state.wechat_refusals:
            return _error(43004, "require subscribe")  # the user does not follow the official account
        async with state.mutation():
            msgid = state.next_number("wechat_msgid")
            state.record_message({
                "msgid": msgid, "touser": body["touser"], "template_id": body["template_id"], "url": url,
                "data": body["data"], "channel": "template", "appid": owner, "received_at": state.now_iso(),
            })
        return _answer({"errcode": 0, "errmsg": "ok", "msgid": msgid})

    @bp.post("/intp/realname/checkrealnameinfo", name="check_realname")
    async def check_realname(request: Request) -> HTTPResponse:
        """城市服务 实名信息校验: the user's consent code, then name and ID number against their real name."""
        state.count_call("intp/realname/checkrealnameinfo")
        owner = account_of_token(request, MESSAGE_APIS_ACCOUNT)  # the mini-program's token
        if isinstance(owner, HTTPResponse):
            return owner
        body = json_body(request)
        fields = ("openid", "real_name", "cred_id", "cred_type", "code")
        if not isinstance(body, dict) or not all(isinstance(body.get(f), str) and body.get(f) for f in fields):
            return _error(47001, "data format error")
        if body["cred_type"] != "1":
            return _error(40097, "invalid args: cred_type")
        async with state.mutation():
            consented = state.wechat_realname_codes.pop(body["code"], None)  # one use
        if consented != body["openid"]:
            return _error(40029, "invalid code")
        record = state.wechat_realnames.get(body["openid"])
        if record is None:
            return _answer({"errcode": 0, "errmsg": "ok", "verify_openid": "V_OP_NA"})
        name, id_number = record
        if body["real_name"] != name:
            return _answer({"errcode": 0, "errmsg": "ok", "verify_openid": "V_OP_NM_UM"})
        same_id = body["cred_id"].strip().upper() == id_number
        return _answer({"errcode": 0, "errmsg": "ok", "verify_openid": "V_OP_NM_MA",
                        "verify_real_name": "V_NM_ID_MA" if same_id else "V_NM_ID_UM"})

    @bp.post("/cgi-bin/message/subscribe/send", name="subscribe_send")
    async def subscribe_send(request: Request) -> HTTPResponse:
        state.count_call("message/subscribe/send")
        owner = account_of_token(request, MESSAGE_APIS_ACCOUNT)
        if isinstance(owner, HTTPResponse):
            return owner
        body = json_body(request)
        problem = message_problem(body, templates=state.wechat_templates, users=state.wechat_users)
        if problem:
            return _error(*problem)
        if (body["touser"], body["template_id"]) in state.wechat_refusals:
            return _error(43101, "user refuse to accept the msg")
        async with state.mutation():
            msgid = state.next_number("wechat_msgid")
            state.record_message({
                "msgid": msgid, "touser": body["touser"], "template_id": body["template_id"],
                "page": body.get("page"), "data": body["data"],
                "miniprogram_state": body.get("miniprogram_state", "formal"), "lang": body.get("lang", "zh_CN"),
                "received_at": state.now_iso(),
            })
        return _answer({"errcode": 0, "errmsg": "ok", "msgid": msgid})

    return bp

"""Sandbox control of the WeChat API under /sandbox/control/wechat: what the sandbox WeChat received
(the official account menu, subscription messages, API call counts) and the user's side of things
(a refused subscription, a token revoked elsewhere)."""

from __future__ import annotations

import secrets
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from checkup.sandbox.control import _answers_errors, _body, _json
from checkup.sandbox.state import SandboxState

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TemplateIn(_In):
    template_id: Text
    title: str = "测试模板"
    keywords: Annotated[list[Annotated[str, StringConstraints(pattern=r"^[a-z_]+\d+$")]], Field(min_length=1,
                                                                                               max_length=20)]


class RefusalIn(_In):
    touser: Text
    template_id: Text
    refused: bool = True


class RealNameIn(_In):
    openid: Text
    name: Text
    id_number: Text


class ConsentIn(_In):
    openid: Text


class RevokeIn(_In):
    appid: str | None = None  # None: every account's token


def create_wechat_control_blueprint(*, state: SandboxState) -> Blueprint:
    bp = Blueprint("sandbox_wechat_control", url_prefix="/sandbox/control/wechat")

    @bp.get("/menu", name="menu")
    @_answers_errors
    async def menu(request: Request) -> HTTPResponse:
        """The official account menu as last created, and every menu/create received."""
        return _json({"menu": state.wechat_menu, "history": state.wechat_menu_history})

    @bp.get("/messages", name="messages")
    @_answers_errors
    async def messages(request: Request) -> HTTPResponse:
        """Subscription messages WeChat accepted, oldest first (?touser=, ?template_id= filter)."""
        items = [m for m in state.wechat_messages
                 if (not request.args.get("touser") or m["touser"] == request.args.get("touser"))
                 and (not request.args.get("template_id") or m["template_id"] == request.args.get("template_id"))]
        return _json({"items": items, "total": len(items)})

    @bp.get("/stats", name="stats")
    @_answers_errors
    async def stats(request: Request) -> HTTPResponse:
        """How often each WeChat API was called since the sandbox started (or was reset)."""
        return _json({"calls": dict(state.wechat_calls)})

    @bp.get("/templates", name="templates")
    @_answers_errors
    async def templates(request: Request) -> HTTPResponse:
        """The account's subscription message templates."""
        return _json({"items": list(state.wechat_templates.values())})

    @bp.post("/templates", name="add_template")
    @_answers_errors
    async def add_template(request: Request) -> HTTPResponse:
        """Add (or replace) a subscription message template of the mini-program account."""
        req = _body(TemplateIn, request)
        async with state.mutation():
            state.wechat_templates[req.template_id] = req.model_dump()
        return _json(req.model_dump())

    @bp.post("/subscribe-refusals", name="subscribe_refusal")
    @_answers_errors
    async def subscribe_refusal(request: Request) -> HTTPResponse:
        """The user refused (or, with refused false, accepted) a template: sends answer 43101 meanwhile."""
        req = _body(RefusalIn, request)
        async with state.mutation():
            pair = (req.touser, req.template_id)
            if req.refused:
                state.wechat_refusals.add(pair)
            else:
                state.wechat_refusals.discard(pair)
        return _json(req.model_dump())

    @bp.post("/realnames", name="set_realname")
    @_answers_errors
    async def set_realname(request: Request) -> HTTPResponse:
        """The real name a WeChat user gave when opening WeChat Pay (what checkrealnameinfo compares with)."""
        req = _body(RealNameIn, request)
        async with state.mutation():
            state.wechat_realnames[req.openid] = (req.name, req.id_number.upper())
        return _json({"openid": req.openid})

    @bp.post("/realname-consents", name="realname_consent")
    @_answers_errors
    async def realname_consent(request: Request) -> HTTPResponse:
        """The user agrees on WeChat's consent page: the one-time code WeChat hands back in extraData."""
        req = _body(ConsentIn, request)
        code = "rn" + secrets.token_urlsafe(12)
        async with state.mutation():
            state.wechat_realname_codes[code] = req.openid
        return _json({"code": code})

    @bp.post("/revoke-token", name="revoke_token")
    @_answers_errors
    async def revoke_token(request: Request) -> HTTPResponse:
        """The current access token stops working (as after a forced refresh elsewhere): calls get 40001."""
        req = _body(RevokeIn, request)
        async with state.mutation():
            revoked = [a for a in list(state.access_tokens) if req.appid in (None, a)]
            for appid in revoked:
                del state.access_tokens[appid]
        return _json({"revoked": revoked})

    return bp

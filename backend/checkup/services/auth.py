"""Patient login: a mini-program ``wx.login`` code or an official account web-authorisation code.

The openid always comes from WeChat, never from the client. Each (appid, openid) is one identity;
identities sharing a unionid (both apps bound to one open platform account) share one account, so a
patient sees the same 就诊人 and records in the mini-program and in the official account's pages.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from checkup.db.errors import UniqueViolation
from checkup.db.uow import unit_of_work
from checkup.domain.errors import (
    OAuthStateInvalid,
    TokenExpired,
    Unauthorized,
    UpstreamUnavailable,
    WechatLoginFailed,
)
from checkup.integrations.result import CallResult, Outcome
from checkup.services.deps import Deps

if TYPE_CHECKING:
    from checkup.db.models import WechatUser

log = logging.getLogger("checkup.auth")

PATIENT_TOKEN = "patient"  # noqa: S105 - the kind of token, not a secret
OAUTH_STATE = "oauth_state"
OAUTH_STATE_TTL = 600  # seconds from leaving for WeChat's authorisation to coming back


async def login_with_code(deps: Deps, *, code: str, ttl: int) -> dict:
    """Mini-program: exchange the wx.login code and issue our session token."""
    result = await deps.wechat_login.code_to_session(code=code)
    session = _value(result)
    return await _issue(deps, appid=deps.wechat_login.appid, openid=session.openid, unionid=session.unionid, ttl=ttl)


def oauth_start(deps: Deps) -> dict:
    """Official account: where to send the browser, with a signed single-purpose state."""
    oauth = _oauth(deps)
    state = deps.tokens.issue(kind=OAUTH_STATE, subject=oauth.appid, ttl=OAUTH_STATE_TTL, now=deps.now(),
                              session=secrets.token_urlsafe(9))
    return {"authorize_url": oauth.authorize_url(redirect_uri=deps.h5_url, state=state), "state": state,
            "appid": oauth.appid}


async def login_with_oauth(deps: Deps, *, code: str, state: str, ttl: int) -> dict:
    """Official account: check the state we issued, exchange the code, issue our session token."""
    oauth = _oauth(deps)
    try:
        claims = deps.tokens.verify(state, kind=OAUTH_STATE, now=deps.now())
    except (Unauthorized, TokenExpired):
        raise OAuthStateInvalid() from None
    if claims.subject != oauth.appid:
        raise OAuthStateInvalid()
    identity = _value(await oauth.exchange(code=code))
    return await _issue(deps, appid=oauth.appid, openid=identity.openid, unionid=identity.unionid, ttl=ttl)


def _oauth(deps: Deps):
    if deps.wechat_oauth is None:
        raise WechatLoginFailed("未配置公众号网页授权")
    return deps.wechat_oauth


def _value(result: CallResult):
    if result.outcome is Outcome.UNKNOWN:
        raise UpstreamUnavailable("微信服务暂时无法访问，请稍后再试")
    if result.outcome is Outcome.FAILED or result.value is None:
        raise WechatLoginFailed(wechat_errcode=result.code)
    return result.value


async def _issue(deps: Deps, *, appid: str, openid: str, unionid: str | None, ttl: int) -> dict:
    now = deps.now()
    user = await identity_for(appid=appid, openid=openid, unionid=unionid, now=now, uow=deps.uow)
    token = deps.tokens.issue(kind=PATIENT_TOKEN, subject=str(user.account_key), ttl=ttl, now=now,
                              identity=str(user.id))
    return {"token": token, "expires_in": ttl}


async def identity_for(*, appid: str, openid: str, unionid: str | None, now: datetime,
                       uow: Callable[..., Any] = unit_of_work) -> WechatUser:
    """Find or create the (appid, openid) identity, linked to the account of its unionid."""
    async with uow(write=False) as work:  # each statement on its own (no transaction), as before
        return await _identity_for(work.patients, appid=appid, openid=openid, unionid=unionid, now=now)


async def _identity_for(repo: Any, *, appid: str, openid: str, unionid: str | None, now: datetime) -> WechatUser:
    user = await repo.identity(appid, openid)
    if user is None:
        account_id = await _account_of_unionid(repo, unionid, appid)
        try:
            user = await repo.add_identity(appid=appid, openid=openid, unionid=unionid, account_id=account_id,
                                           now=now)
        except UniqueViolation:  # a concurrent first login of the same identity
            user = await repo.identity(appid, openid)
            if user is None:
                raise
        return user
    fields = ["last_login_at", "updated_at"]
    user.last_login_at = now
    if unionid and user.unionid != unionid:
        user.unionid = unionid
        fields.append("unionid")
        # The open platform binding came after this identity's first login: join the account that
        # already holds this person, unless this identity has patients of its own (staff decide then).
        account_id = await _account_of_unionid(repo, unionid, appid)
        if account_id and user.account_id is None and account_id != user.id:
            if await repo.identity_has_records(user.id):
                log.warning("identity %s shares unionid with account %s but keeps its own records", user.id, account_id)
            else:
                user.account_id = account_id
                fields.append("account_id")
    await repo.save_identity(user, fields)
    return user


async def _account_of_unionid(repo: Any, unionid: str | None, appid: str) -> int | None:
    if not unionid:
        return None
    other = await repo.first_identity_of_unionid(unionid, other_than_appid=appid)
    return other.account_key if other else None

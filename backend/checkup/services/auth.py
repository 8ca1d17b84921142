"""Patient login with a wx.login code; the openid always comes from WeChat, never from the client."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from checkup.db.models import WechatUser
from checkup.domain.errors import UpstreamUnavailable, WechatLoginFailed
from checkup.integrations.result import Outcome
from checkup.services.deps import Deps

PATIENT_TOKEN = "patient"


async def login_with_code(deps: Deps, *, code: str, ttl: int) -> dict:
    """Exchange the code, find or create the WeChat user and issue our session token."""
    result = await deps.wechat_login.code_to_session(code=code)
    if result.outcome is Outcome.UNKNOWN:
        raise UpstreamUnavailable("微信服务暂时无法访问，请稍后再试")
    if result.outcome is Outcome.FAILED or result.value is None:
        raise WechatLoginFailed(wechat_errcode=result.code)
    session = result.value
    user = await WechatUser.get_or_none(openid=session.openid)
    if user is None:
        try:
            user = await WechatUser.create(openid=session.openid, unionid=session.unionid)
        except IntegrityError:  # a concurrent first login of the same person
            user = await WechatUser.get(openid=session.openid)
    elif session.unionid and user.unionid != session.unionid:
        user.unionid = session.unionid
        await user.save(update_fields=["unionid", "updated_at"])
    token = deps.tokens.issue(kind=PATIENT_TOKEN, subject=str(user.id), ttl=ttl, now=deps.now())
    return {"token": token, "expires_in": ttl}

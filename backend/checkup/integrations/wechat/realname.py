"""The account holder's identity checked against their WeChat real-name record (微信实名信息).

WeChat's 城市服务「实名信息校验」 for mini-programs (open to 公立医疗 among other categories, applied for
per mini-program): the page sends the user to WeChat's consent page (mini-program appid
``wx308bd2aeb83d3345``, path ``subPages/city/wxpay-auth/main``); on consent WeChat returns to ours with
a one-time ``code`` in ``extraData``; the server then posts ``/intp/realname/checkrealnameinfo`` with the
mini-program's access token and ``{openid, real_name, cred_id, cred_type: "1", code}``. The answer says
whether the openid has a real name at all (``verify_openid``: V_OP_NA / V_OP_NM_MA / V_OP_NM_UM) and, when
the name matches, whether the ID number does (``verify_real_name``: V_NM_ID_MA / V_NM_ID_UM). Only the
mainland resident ID card is supported, checked against the name and number given when the user opened
WeChat Pay. See docs/patient-identity.md section 8.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

from checkup.integrations.result import CallResult
from checkup.integrations.wechat.api import WechatApi

PATH = "/intp/realname/checkrealnameinfo"
CONSENT_APPID = "wx308bd2aeb83d3345"  # WeChat's consent page (城市服务), opened with wx.navigateToMiniProgram
CONSENT_PATH = "subPages/city/wxpay-auth/main"

Verdict = Literal["match", "no_real_name", "name_mismatch", "id_mismatch"]


@dataclass(frozen=True, slots=True)
class RealNameResult:
    verdict: Verdict

    @property
    def matches(self) -> bool:
        return self.verdict == "match"


def verdict_of(answer: dict[str, Any]) -> Verdict:
    """WeChat's answer as one verdict (several verify_openid results are joined with ";")."""
    openid_results = set(str(answer.get("verify_openid") or "").split(";"))
    if "V_OP_NM_MA" in openid_results:
        return "match" if answer.get("verify_real_name") == "V_NM_ID_MA" else "id_mismatch"
    if "V_OP_NM_UM" in openid_results:
        return "name_mismatch"
    return "no_real_name"


class RealNameChecker(Protocol):
    async def check(self, *, openid: str, name: str, id_number: str, code: str) -> CallResult[RealNameResult]:
        """Whether ``name`` and ``id_number`` are the real name of the WeChat user ``openid``; ``code`` is the
        one-time code of their consent. FAILED codes are WeChat's errcode as text."""
        ...

    async def aclose(self) -> None: ...


class HttpRealNameChecker:
    """checkrealnameinfo with the mini-program's access token (WeChat, or the sandbox under /sandbox/wechat)."""

    def __init__(self, api: WechatApi) -> None:
        self.api = api

    async def aclose(self) -> None:
        await self.api.aclose()

    async def check(self, *, openid: str, name: str, id_number: str, code: str) -> CallResult[RealNameResult]:
        body = {"openid": openid, "real_name": name, "cred_id": id_number, "cred_type": "1", "code": code}
        result = await self.api.post(PATH, body)
        if not result.ok:
            return CallResult(result.outcome, code=result.code, message=result.message)
        return CallResult.success(RealNameResult(verdict_of(result.value or {})))  # success carries the answer

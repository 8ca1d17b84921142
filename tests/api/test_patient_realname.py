"""Issue 11 point 1 (last bullet): the account holder's own 就诊人 verified against their WeChat real name
(城市服务 实名信息校验) instead of a texted code, over real HTTP against the sandbox WeChat API."""

from __future__ import annotations

from contextlib import asynccontextmanager

from checkup.bootstrap.wechat import build_realname_checker
from checkup.db.models import Patient, WechatUser
from checkup.sandbox.wechat_api import session_for
from support.people import login, login_consented, new_person, next_id_number, next_phone


@asynccontextmanager
async def realname_on(app):
    """CHECKUP_WECHAT_REALNAME_ENABLED=true for the block."""
    deps = app.ctx.deps
    deps.realname = checker = build_realname_checker(app.ctx.settings)
    try:
        yield
    finally:
        deps.realname = None
        await checker.aclose()


def openid_for(app, code: str) -> str:
    """The openid the sandbox WeChat gives the mini-program user who logs in with ``code``."""
    return session_for(app.ctx.settings.wechat_appid, code)["openid"]


async def holder(http, sandbox, app, code: str, *, name: str, number: str, real: tuple[str, str] | None):
    """A logged-in account whose WeChat real name is ``real`` (None: never real-named), with a 就诊人 added."""
    headers = await login_consented(http, code)
    openid = openid_for(app, code)
    assert await WechatUser.exists(openid=openid)
    if real:
        await sandbox.control("wechat/realnames", {"openid": openid, "name": real[0], "id_number": real[1]})
    r = await http.post("/api/me/patients", headers=headers,
                        json={"name": name, "id_number": number, "phone": next_phone()})
    assert r.status_code == 201, r.text
    return headers, openid, r.json()


async def consent_code(sandbox, openid: str) -> str:
    """The user agrees on WeChat's consent page: the code WeChat hands back."""
    return (await sandbox.control("wechat/realname-consents", {"openid": openid}))["code"]


async def test_the_holder_verifies_themselves_with_their_wechat_real_name(http, sandbox, app):
    number = next_id_number()
    headers, openid, patient = await holder(http, sandbox, app, "rn-self", name="沈本人", number=number,
                                            real=("沈本人", number))
    async with realname_on(app):
        r = await http.post(f"/api/me/patients/{patient['id']}/verify-realname", headers=headers,
                            json={"code": await consent_code(sandbox, openid)})
    assert r.status_code == 200, r.text
    assert r.json()["verified"] is True
    row = await Patient.get(id=patient["id"])
    assert row.verified_by == "wechat_realname" and row.his_patient_id
    # a person new to HIS is registered only now, under the checked name
    assert sandbox.state.patient_by_id_number(number).name == "沈本人"
    assert (await http.get("/api/me/charges", headers=headers, params={"patient_id": patient["id"]})).status_code == 200


async def test_a_family_member_or_a_stranger_is_not_the_holders_real_name(http, sandbox, app):
    owner_number = next_id_number()
    owner = await new_person(http, "rn-owner", name="韩主人", id_number=owner_number, phone=next_phone())
    # an intruder whose own real name is something else types the owner's name and number
    headers, openid, row = await holder(http, sandbox, app, "rn-intruder", name="韩主人", number=owner_number,
                                        real=("韩别人", next_id_number()))
    async with realname_on(app):
        for _ in range(5):
            r = await http.post(f"/api/me/patients/{row['id']}/verify-realname", headers=headers,
                                json={"code": await consent_code(sandbox, openid)})
            assert r.status_code == 422 and r.json()["error"]["code"] == "VERIFICATION_FAILED"
        # five failures lock the row, like five wrong codes
        r = await http.post(f"/api/me/patients/{row['id']}/verify-realname", headers=headers,
                            json={"code": await consent_code(sandbox, openid)})
        assert r.status_code == 429 and r.json()["error"]["code"] == "VERIFICATION_LOCKED"
    assert (await Patient.get(id=row["id"])).verified_at is None
    assert (await owner.get("/api/me/charges", params={"patient_id": owner.patient_id})).status_code == 200


async def test_a_right_real_name_with_a_wrong_or_reused_code_fails(http, sandbox, app):
    number = next_id_number()
    headers, openid, patient = await holder(http, sandbox, app, "rn-code", name="杨本人", number=number,
                                            real=("杨本人", number))
    await login(http, "rn-code-other")
    other_openid = openid_for(app, "rn-code-other")
    async with realname_on(app):
        for code in ("made-up", await consent_code(sandbox, other_openid)):  # not this user's consent
            r = await http.post(f"/api/me/patients/{patient['id']}/verify-realname", headers=headers,
                                json={"code": code})
            assert r.status_code == 422 and r.json()["error"]["code"] == "VERIFICATION_FAILED", r.text
        code = await consent_code(sandbox, openid)
        ok = await http.post(f"/api/me/patients/{patient['id']}/verify-realname", headers=headers, json={"code": code})
        assert ok.status_code == 200, ok.text


async def test_switched_off_or_another_document_answers_realname_unavailable(http, sandbox, app):
    number = next_id_number()
    headers, openid, patient = await holder(http, sandbox, app, "rn-off", name="朱本人", number=number,
                                            real=("朱本人", number))
    r = await http.post(f"/api/me/patients/{patient['id']}/verify-realname", headers=headers, json={"code": "x"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "REALNAME_UNAVAILABLE"
    passport = await http.post("/api/me/patients", headers=headers, json={
        "name": "Zhu Benren", "id_number": f"E{next_id_number()[-8:]}", "phone": next_phone(), "doc_type": "passport",
        "sex": "male", "birth_date": "1980-01-01"})
    assert passport.status_code == 201, passport.text
    async with realname_on(app):
        r = await http.post(f"/api/me/patients/{passport.json()['id']}/verify-realname", headers=headers,
                            json={"code": await consent_code(sandbox, openid)})
    assert r.status_code == 409 and r.json()["error"]["code"] == "REALNAME_UNAVAILABLE"
    assert (await Patient.get(id=patient["id"])).verified_at is None

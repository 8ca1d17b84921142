"""The official account's own pages: OAuth2 snsapi_base login with a checked state, one account for a
person in both front ends (unionid), JSAPI orders under the official account's appid paid through the
sandbox cashier (WeixinJSBridge getBrandWCPayRequest)."""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx

from checkup.db.models import Payment, WechatUser
from checkup.domain.messages import KINDS, MessageConfig
from checkup.sandbox.wechat_api import session_for
from support.payments import drain, open_order, start_payment
from support.people import Person, add_verified, login, new_person, next_id_number, next_phone
from support.sandbox import TEST_CONFIG

OA_APPID = "wx00000000000000oa"


async def oauth_code(http: httpx.AsyncClient, person: str) -> tuple[str, str, dict]:
    """What the H5 page does: ask for the authorize URL, go there as a WeChat user, come back with code."""
    r = await http.get("/api/auth/wechat-oa/authorize")
    assert r.status_code == 200, r.text
    start = r.json()
    url = urlsplit(start["authorize_url"])
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    async with httpx.AsyncClient() as browser:  # the WeChat client's browser, not our API client
        answer = await browser.get(start["authorize_url"].split("#")[0] + f"&person={person}")
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    back_query = {k: v[0] for k, v in parse_qs(back.query).items()}
    assert back_query["state"] == start["state"]
    return back_query["code"], start["state"], {"url": url, "query": query, "back": back, "start": start}


async def oa_login(http: httpx.AsyncClient, person: str) -> dict[str, str]:
    code, state, _ = await oauth_code(http, person)
    r = await http.post("/api/auth/wechat-oa", json={"code": code, "state": state})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


class TestOAuthLogin:
    async def test_authorize_url_is_snsapi_base_for_the_official_account_back_to_the_h5_pages(self, http, app):
        _, _, seen = await oauth_code(http, "oa-alice")
        assert seen["url"].path.endswith("/connect/oauth2/authorize") and seen["url"].fragment == "wechat_redirect"
        assert seen["query"]["appid"] == OA_APPID and seen["query"]["scope"] == "snsapi_base"
        assert seen["query"]["response_type"] == "code"
        assert seen["query"]["redirect_uri"] == app.ctx.settings.h5_base_url
        assert seen["start"]["appid"] == OA_APPID
        assert f"{seen['back'].scheme}://{seen['back'].netloc}{seen['back'].path}" == app.ctx.settings.h5_base_url

    async def test_login_issues_our_token_for_an_official_account_identity(self, http):
        headers = await oa_login(http, "oa-bob")
        r = await http.get("/api/me/patients", headers=headers)
        assert r.status_code == 200 and r.json()["items"] == []
        identity = await WechatUser.get(appid=OA_APPID)
        assert identity.openid.startswith("o") and identity.account_id is None and identity.last_login_at

    async def test_the_same_person_is_the_same_identity(self, http):
        await oa_login(http, "oa-carol")
        await oa_login(http, "oa-carol")
        assert await WechatUser.filter(appid=OA_APPID).count() == 1

    async def test_a_code_is_single_use(self, http):
        code, state, _ = await oauth_code(http, "oa-dave")
        assert (await http.post("/api/auth/wechat-oa", json={"code": code, "state": state})).status_code == 200
        again = await http.post("/api/auth/wechat-oa", json={"code": code, "state": state})
        assert again.status_code == 401 and again.json()["error"]["code"] == "WECHAT_LOGIN_FAILED"
        assert again.json()["error"]["details"]["wechat_errcode"] == "40163"

    async def test_a_forged_or_foreign_state_is_refused_before_the_code_is_spent(self, http):
        code, state, _ = await oauth_code(http, "oa-erin")
        body, _, _sig = state.partition(".")
        forged = [state[:-2] + ("AA" if not state.endswith("AA") else "BB"), "x" + state, body, ""]
        mini_token = (await login(http, "mini-erin"))["Authorization"].split()[1]
        for bad in [*forged[:3], mini_token]:
            r = await http.post("/api/auth/wechat-oa", json={"code": code, "state": bad})
            assert r.status_code == 400, (bad, r.text)
            assert r.json()["error"]["code"] == "OAUTH_STATE_INVALID"
        missing = await http.post("/api/auth/wechat-oa", json={"code": code})
        assert missing.status_code == 422
        assert await WechatUser.filter(appid=OA_APPID).count() == 0
        ok = await http.post("/api/auth/wechat-oa", json={"code": code, "state": state})
        assert ok.status_code == 200  # the code was not spent by the refused attempts

    async def test_an_expired_state_is_refused(self, http, app, monkeypatch):
        code, state, _ = await oauth_code(http, "oa-frank")
        real_now = app.ctx.deps.now
        monkeypatch.setattr(app.ctx.deps, "now", lambda: real_now() + timedelta(minutes=11))
        r = await http.post("/api/auth/wechat-oa", json={"code": code, "state": state})
        assert r.status_code == 400 and r.json()["error"]["code"] == "OAUTH_STATE_INVALID"

    async def test_a_bad_code_is_a_login_failure(self, http):
        _, state, _ = await oauth_code(http, "oa-gina")
        r = await http.post("/api/auth/wechat-oa", json={"code": "not-a-code", "state": state})
        assert r.status_code == 401 and r.json()["error"]["code"] == "WECHAT_LOGIN_FAILED"

    async def test_sandbox_authorize_refuses_another_appid_and_asks_who_without_a_person(self, http, sandbox):
        async with httpx.AsyncClient() as browser:
            wrong = await browser.get(f"{sandbox.wechat_url}/connect/oauth2/authorize", params={
                "appid": TEST_CONFIG.wechat_appid, "redirect_uri": "http://h5.example/h5/", "response_type": "code",
                "scope": "snsapi_base", "state": "s"})
            assert wrong.status_code == 400
            ask = await browser.get(f"{sandbox.wechat_url}/connect/oauth2/authorize", params={
                "appid": OA_APPID, "redirect_uri": "http://h5.example/h5/", "response_type": "code",
                "scope": "snsapi_base", "state": "s"})
            assert ask.status_code == 200 and "微信用户代号" in ask.text


class TestOneAccountInBothFrontEnds:
    async def test_the_official_account_sees_the_patients_added_in_the_mini_program(self, http):
        mini = await new_person(http, "both-alice")
        oa_headers = await oa_login(http, "both-alice")
        r = await http.get("/api/me/patients", headers=oa_headers)
        assert [p["id"] for p in r.json()["items"]] == [mini.patient_id]
        identities = await WechatUser.filter(unionid__isnull=False).order_by("id")
        mp, oa = [i for i in identities if i.appid == TEST_CONFIG.wechat_appid], [i for i in identities if i.appid == OA_APPID]
        assert oa[0].account_id == mp[0].id and oa[0].openid != mp[0].openid

    async def test_another_person_sees_nothing_of_it(self, http):
        mini = await new_person(http, "both-bob")
        stranger = await oa_login(http, "both-not-bob")
        assert (await http.get("/api/me/patients", headers=stranger)).json()["items"] == []
        r = await http.get("/api/me/charges", headers=stranger, params={"patient_id": mini.patient_id})
        assert r.status_code in (403, 404)


class TestPaymentUnderTheOfficialAccount:
    async def test_both_front_ends_order_under_their_own_appid_and_the_cashier_pays(self, http, sandbox, app):
        mini = await new_person(http, "pay-oa-alice")
        oa = Person(http=http, headers=await oa_login(http, "pay-oa-alice"), patient=mini.patient)
        charge = await open_order(oa)
        payment = await start_payment(oa, [charge["bill_no"]])
        params = payment["pay_params"]
        assert params["appId"] == OA_APPID
        order = (await sandbox.control(f"GET wechatpay/orders/{payment['payment_no']}"))["order"]
        assert order["appid"] == OA_APPID
        oa_openid = (await WechatUser.get(appid=OA_APPID, account_id=(await WechatUser.get(
            appid=TEST_CONFIG.wechat_appid, unionid__isnull=False)).id)).openid
        assert order["openid"] == oa_openid
        assert (await Payment.get(payment_no=payment["payment_no"])).appid == OA_APPID

        paid = await sandbox.http.post("/sandbox/wechat-jsapi/pay", json=params)
        assert paid.status_code == 200 and paid.json() == {"err_msg": "get_brand_wcpay_request:ok"}
        for _ in range(100):
            if (await Payment.get(payment_no=payment["payment_no"])).status == "paid":
                break
            await asyncio.sleep(0.05)
        await drain(app)
        r = await oa.get("/api/me/charges", params={"patient_id": mini.patient_id, "status": "paid"})
        assert [c["bill_no"] for c in r.json()["items"]] == [charge["bill_no"]]

        charge2 = await open_order(mini)
        payment2 = await start_payment(mini, [charge2["bill_no"]])
        assert payment2["pay_params"]["appId"] == TEST_CONFIG.wechat_appid
        order2 = (await sandbox.control(f"GET wechatpay/orders/{payment2['payment_no']}"))["order"]
        assert order2["appid"] == TEST_CONFIG.wechat_appid

    async def test_the_cashier_refuses_a_forged_signature_or_another_appid(self, http, sandbox):
        oa = Person(http=http, headers=await oa_login(http, "pay-oa-bob"), patient={})
        oa.patient = await add_verified(http, oa.headers, name="李四", id_number=next_id_number(), phone=next_phone())
        charge = await open_order(oa)
        params = (await start_payment(oa, [charge["bill_no"]]))["pay_params"]
        forged = {**params, "paySign": params["paySign"][:-4] + "AAAA"}
        other_app = {**params, "appId": TEST_CONFIG.wechat_appid}
        for bad in (forged, other_app, {k: v for k, v in params.items() if k != "paySign"}):
            answer = await sandbox.http.post("/sandbox/wechat-jsapi/pay", json=bad)
            assert answer.status_code == 400 and answer.json()["err_msg"] == "get_brand_wcpay_request:fail"
        script = await sandbox.http.get("/sandbox/wechat-jsapi/jsbridge.js")
        assert script.status_code == 200 and "getBrandWCPayRequest" in script.text


class TestMessagesToOfficialAccountUsers:
    async def test_a_patient_on_the_official_account_gets_a_template_message_linking_the_h5_page(
            self, http, sandbox, app):
        deps = app.ctx.deps
        saved = deps.messages
        deps.messages = MessageConfig(templates={k: f"sandbox-tmpl-{k}" for k in KINDS},
                                      oa_templates={k: f"sandbox-tmpl-{k}" for k in KINDS},
                                      h5_url=app.ctx.settings.h5_base_url)
        person = f"msg-oa-{secrets.token_hex(4)}"  # the sandbox (and what it received) outlives one backend's run
        try:
            mini = await new_person(http, person)
            oa = Person(http=http, headers=await oa_login(http, person), patient=mini.patient)
            charge = await open_order(oa)
            payment = await start_payment(oa, [charge["bill_no"]])
            await sandbox.control("pay", {"payment_no": payment["payment_no"], "wait": True})
            await drain(app)
            oa_openid = session_for(OA_APPID, person)["openid"]
            mini_openid = session_for(TEST_CONFIG.wechat_appid, person)["openid"]
            [sent] = (await sandbox.control(f"GET wechat/messages?touser={oa_openid}"))["items"]
            assert sent["channel"] == "template" and sent["template_id"] == "sandbox-tmpl-payment"
            assert sent["url"] == f"{app.ctx.settings.h5_base_url}#/charges?patient_id={mini.patient_id}&tab=paid"
            assert sent["data"]["character_string5"]["value"] == payment["payment_no"]
            assert (await sandbox.control(f"GET wechat/messages?touser={mini_openid}"))["items"] == []

            await login(http, person)  # back in the mini-program: messages follow the patient there
            charge2 = await open_order(mini)
            payment2 = await start_payment(mini, [charge2["bill_no"]])
            await sandbox.control("pay", {"payment_no": payment2["payment_no"], "wait": True})
            await drain(app)
            [sub] = (await sandbox.control(f"GET wechat/messages?touser={mini_openid}"))["items"]
            assert sub["page"].startswith("pages/pay/") and "channel" not in sub
        finally:
            deps.messages = saved

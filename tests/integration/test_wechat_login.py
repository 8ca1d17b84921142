"""HttpWechatLoginClient against the sandbox WeChat API (and scripted answers for what the sandbox cannot do)."""

from __future__ import annotations

import httpx
import pytest

from checkup.integrations.result import Outcome
from checkup.integrations.wechat.http_login import HttpWechatLoginClient
from support.sandbox import RunningSandbox, running_sandbox
from support.server import free_port


@pytest.fixture
async def sandbox():
    async with running_sandbox() as sb:
        yield sb


@pytest.fixture
async def login(sandbox: RunningSandbox):
    client = HttpWechatLoginClient(
        sandbox.wechat_url, sandbox.config.wechat_appid, sandbox.config.wechat_secret, 5.0
    )
    yield client
    await client.aclose()


class TestCodeToSession:
    async def test_same_code_same_openid(self, login):
        first = await login.code_to_session(code="081aBcDe2xYz0K0")
        second = await login.code_to_session(code="081aBcDe2xYz0K0")
        assert first.ok and second.ok and first.value == second.value
        assert first.value.openid.startswith("o") and len(first.value.openid) == 28
        assert first.value.unionid and first.value.session_key

    async def test_different_codes_different_openids(self, login):
        alice = await login.code_to_session(code="code-alice")
        bob = await login.code_to_session(code="code-bob")
        assert alice.value.openid != bob.value.openid and alice.value.unionid != bob.value.unionid

    async def test_login_is_recorded_in_the_sandbox(self, sandbox, login):
        session = (await login.code_to_session(code="code-alice")).value
        await login.code_to_session(code="code-alice")
        assert sandbox.state.wechat_users[session.openid].logins == 2

    async def test_invalid_code(self, login):
        result = await login.code_to_session(code="invalid")
        assert (result.outcome, result.code) == (Outcome.FAILED, "40029")
        assert result.message.startswith("invalid code")

    async def test_empty_code_is_refused_by_sandbox_and_client(self, sandbox, login):
        params = {"appid": sandbox.config.wechat_appid, "secret": sandbox.config.wechat_secret, "js_code": "",
                  "grant_type": "authorization_code"}  # fmt: skip
        raw = await sandbox.http.get("/sandbox/wechat/sns/jscode2session", params=params)
        assert raw.json()["errcode"] == 40029
        result = await login.code_to_session(code="")
        assert (result.outcome, result.code) == (Outcome.FAILED, "40029")

    async def test_wrong_secret(self, sandbox):
        client = HttpWechatLoginClient(sandbox.wechat_url, sandbox.config.wechat_appid, "wrong", 5.0)
        try:
            result = await client.code_to_session(code="abc")
        finally:
            await client.aclose()
        assert (result.outcome, result.code) == (Outcome.FAILED, "40125")

    async def test_wrong_appid(self, sandbox):
        client = HttpWechatLoginClient(sandbox.wechat_url, "wx-other", sandbox.config.wechat_secret, 5.0)
        try:
            result = await client.code_to_session(code="abc")
        finally:
            await client.aclose()
        assert (result.outcome, result.code) == (Outcome.FAILED, "40125")

    async def test_busy_is_unknown(self, login):
        result = await login.code_to_session(code="busy")
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "-1")

    async def test_connection_refused_is_unknown(self):
        client = HttpWechatLoginClient(f"http://127.0.0.1:{free_port()}", "wx", "s", 2.0)
        try:
            result = await client.code_to_session(code="abc")
        finally:
            await client.aclose()
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "CONNECTION_ERROR")


def scripted(handler) -> HttpWechatLoginClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return HttpWechatLoginClient("https://api.weixin.qq.com", "wx123", "s3cret", 5.0, http)


class TestScriptedAnswers:
    async def test_sends_the_documented_request(self):
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(
                200, json={"openid": "oX", "session_key": "k", "errcode": 0, "errmsg": "ok"}
            )

        result = await scripted(handler).code_to_session(code="c0de")
        assert result.ok and result.value.openid == "oX" and result.value.unionid is None
        [request] = seen
        assert (request.method, request.url.path) == ("GET", "/sns/jscode2session")
        assert dict(request.url.params) == {
            "appid": "wx123",
            "secret": "s3cret",
            "js_code": "c0de",
            "grant_type": "authorization_code",
        }

    @pytest.mark.parametrize(
        ("response", "outcome", "code"),
        [
            (httpx.Response(502, text="Bad Gateway"), Outcome.UNKNOWN, "HTTP_502"),
            (httpx.Response(200, text="<html>"), Outcome.UNKNOWN, "BAD_RESPONSE"),
            (
                httpx.Response(200, json={"errcode": 45011, "errmsg": "api minute-quota reach limit"}),
                Outcome.FAILED,
                "45011",
            ),
            (
                httpx.Response(200, json={"errcode": 40226, "errmsg": "high risk user"}),
                Outcome.FAILED,
                "40226",
            ),
            (httpx.Response(200, json={"session_key": "k"}), Outcome.UNKNOWN, "BAD_RESPONSE"),
        ],
    )
    async def test_answers_map_to_outcomes(self, response, outcome, code):
        result = await scripted(lambda request: response).code_to_session(code="c0de")
        assert (result.outcome, result.code) == (outcome, code)

    async def test_timeout_is_unknown(self):
        def handler(request: httpx.Request) -> httpx.Response:
            raise httpx.ReadTimeout("slow", request=request)

        result = await scripted(handler).code_to_session(code="c0de")
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "TIMEOUT")


class TestStableToken:
    async def post(self, sandbox: RunningSandbox, **overrides) -> dict:
        body = {"grant_type": "client_credential", "appid": sandbox.config.wechat_appid,
                "secret": sandbox.config.wechat_secret, "force_refresh": False, **overrides}  # fmt: skip
        response = await sandbox.http.post("/sandbox/wechat/cgi-bin/stable_token", json=body)
        assert response.status_code == 200
        return response.json()

    async def test_token_is_reused_until_forced(self, sandbox):
        first = await self.post(sandbox)
        assert first["expires_in"] == 7200 and len(first["access_token"]) > 32
        assert (await self.post(sandbox))["access_token"] == first["access_token"]
        forced = await self.post(sandbox, force_refresh=True)
        assert forced["access_token"] != first["access_token"]
        assert (await self.post(sandbox))["access_token"] == forced["access_token"]

    async def test_wrong_secret(self, sandbox):
        assert (await self.post(sandbox, secret="nope"))["errcode"] == 40125

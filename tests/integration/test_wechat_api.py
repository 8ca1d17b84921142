"""The stable access token (shared through real Redis), the menu client and `checkup wechat menu`,
against the sandbox WeChat API."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path

import httpx
import pytest

from checkup.integrations.result import Outcome
from checkup.integrations.wechat.access_token import StableAccessToken, WechatApiError
from checkup.integrations.wechat.api import WechatApi
from checkup.integrations.wechat.menu import HttpMenuClient
from support.sandbox import TEST_CONFIG, RunningSandbox

OA_APPID, OA_SECRET = TEST_CONFIG.wechat_oa_appid, TEST_CONFIG.wechat_oa_secret
REPO = Path(__file__).resolve().parents[2]


async def token_calls(sandbox: RunningSandbox) -> int:
    return (await sandbox.control("GET wechat/stats"))["calls"].get("stable_token", 0)


def tokens(sandbox: RunningSandbox, redis=None, *, appid: str = OA_APPID, secret: str = OA_SECRET,
           namespace: str = "checkup-test") -> StableAccessToken:
    return StableAccessToken(sandbox.wechat_url, appid, secret, redis=redis, namespace=namespace)


def menu_client(source: StableAccessToken, sandbox: RunningSandbox) -> HttpMenuClient:
    return HttpMenuClient(WechatApi(sandbox.wechat_url, source))


MENU = {"button": [{"name": "体检中心", "sub_button": [
    {"type": "miniprogram", "name": "个人体检", "url": "https://tj.example.cn/", "appid": TEST_CONFIG.wechat_appid,
     "pagepath": "pages/package/list/index"}]}]}  # fmt: skip


class TestStableTokenInRedis:
    async def test_two_processes_share_one_token_fetch(self, sandbox, redis_client):
        first, second = tokens(sandbox, redis_client), tokens(sandbox, redis_client)
        await redis_client.delete(first.cache_key)
        before = await token_calls(sandbox)
        got = await asyncio.gather(*[(first if i % 2 else second).token() for i in range(12)])
        assert len(set(got)) == 1
        assert await token_calls(sandbox) - before == 1  # one stable_token call for all of them
        assert await redis_client.get(first.cache_key) == got[0]
        ttl = await redis_client.ttl(first.cache_key)
        assert 0 < ttl <= 7200 - 300  # expires_in minus the margin
        assert not await redis_client.exists(f"{first.cache_key}:lock")  # the lock was released
        third = tokens(sandbox, redis_client)  # a process started later reads the cache
        assert await third.token() == got[0] and await token_calls(sandbox) - before == 1
        for source in (first, second, third):
            await source.aclose()

    async def test_refused_token_is_renewed_once_and_shared(self, sandbox, redis_client):
        source = tokens(sandbox, redis_client)
        await redis_client.delete(source.cache_key)
        client = menu_client(source, sandbox)
        assert (await client.create(MENU)).ok
        old = await redis_client.get(source.cache_key)
        await sandbox.control("wechat/revoke-token", {"appid": OA_APPID})  # e.g. force-refreshed elsewhere
        before = await token_calls(sandbox)
        shown = await client.current()  # 40001, renew, again
        assert shown.ok and shown.value["button"][0]["name"] == "体检中心"
        assert await token_calls(sandbox) - before == 1
        new = await redis_client.get(source.cache_key)
        assert new and new != old
        await client.aclose()

    async def test_wrong_secret_is_a_definite_failure(self, sandbox):
        client = menu_client(tokens(sandbox, secret="sandbox-test-wrong"), sandbox)
        result = await client.create(MENU)
        assert (result.outcome, result.code) == (Outcome.FAILED, "40125")
        await client.aclose()

    async def test_secret_and_token_never_logged(self, sandbox, redis_client, caplog):
        caplog.set_level(logging.DEBUG)
        source = tokens(sandbox, redis_client)
        await redis_client.delete(source.cache_key)
        client = menu_client(source, sandbox)
        assert (await client.create(MENU)).ok
        await sandbox.control("wechat/revoke-token", {"appid": OA_APPID})
        assert (await client.current()).ok
        token = await redis_client.get(source.cache_key)
        assert caplog.records  # something was logged ...
        assert OA_SECRET not in caplog.text and token not in caplog.text  # ... but never these
        assert OA_SECRET not in repr(source)
        await client.aclose()


class TestStableTokenInProcess:
    async def test_without_redis_one_fetch_per_process(self, sandbox):
        source = tokens(sandbox)
        before = await token_calls(sandbox)
        got = await asyncio.gather(*[source.token() for _ in range(8)])
        assert len(set(got)) == 1 and await token_calls(sandbox) - before == 1
        await source.aclose()

    async def test_token_of_the_wrong_account_is_refused(self, sandbox):
        # The menu belongs to the official account: the mini-program's token gets 48001.
        client = menu_client(tokens(sandbox, appid=TEST_CONFIG.wechat_appid, secret=TEST_CONFIG.wechat_secret),
                             sandbox)
        assert (await client.create(MENU)).code == "48001"
        await client.aclose()

    async def test_refused_token_still_handed_out_is_force_refreshed(self):
        """WeChat may keep answering stable_token with a token it refuses: then force_refresh is used."""
        seen: list[dict] = []

        def handler(request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/stable_token"):
                body = json.loads(request.content)
                seen.append(body)
                return httpx.Response(200, json={"access_token": "T2" if body["force_refresh"] else "T1",
                                                 "expires_in": 7200})
            if request.url.params["access_token"] == "T1":
                return httpx.Response(200, json={"errcode": 40001, "errmsg": "invalid credential"})
            return httpx.Response(200, json={"menu": MENU})

        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        source = StableAccessToken("https://api.weixin.qq.com", OA_APPID, OA_SECRET, client=http)
        result = await HttpMenuClient(WechatApi("https://api.weixin.qq.com", source, client=http)).current()
        assert result.ok and result.value == MENU
        assert [b["force_refresh"] for b in seen] == [False, False, True]
        assert await source.token() == "T2"
        await http.aclose()

    async def test_unreachable_wechat_is_unknown(self):
        source = StableAccessToken("http://127.0.0.1:1", OA_APPID, OA_SECRET)
        with pytest.raises(WechatApiError):
            await source.token()
        result = await HttpMenuClient(WechatApi("http://127.0.0.1:1", source)).current()
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "ACCESS_TOKEN_UNAVAILABLE")
        await source.aclose()


async def run_cli(sandbox: RunningSandbox, tmp_path: Path, *args: str, stdin: bytes = b"",
                  **env: str) -> tuple[int, str, str]:
    """`checkup wechat ...` in a child process, against the sandbox served by this test's event loop."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("CHECKUP_")}
    base.update(CHECKUP_ENV="dev", CHECKUP_SANDBOX="false", CHECKUP_VAR_DIR=str(tmp_path),
                CHECKUP_WECHAT_API_URL=sandbox.wechat_url, CHECKUP_WECHAT_APPID=TEST_CONFIG.wechat_appid,
                CHECKUP_WECHAT_SECRET=TEST_CONFIG.wechat_secret, CHECKUP_WECHAT_OA_APPID=OA_APPID,
                CHECKUP_WECHAT_OA_SECRET=OA_SECRET, CHECKUP_WECHAT_MENU_URL="https://tj.example.cn/checkup")
    base.update(env)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "checkup.cli", "wechat", *args, cwd=tmp_path, env=base,
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(stdin), timeout=60)
    return proc.returncode, out.decode(), err.decode()


class TestMenuCommand:
    async def test_push_then_show(self, sandbox, tmp_path):
        sandbox.state.wechat_menu = None  # an official account without a menu yet
        code, out, err = await run_cli(sandbox, tmp_path, "menu", "push", "--yes")
        assert code == 0, err
        pushed = json.loads(out)
        recorded = await sandbox.control("GET wechat/menu")
        assert recorded["menu"] == pushed and recorded["history"][-1]["appid"] == OA_APPID
        [group] = recorded["menu"]["button"]
        assert group["name"] == "体检中心"
        assert [(b["type"], b["name"], b["appid"], b["pagepath"], b["url"]) for b in group["sub_button"]] == [
            ("miniprogram", "个人体检", TEST_CONFIG.wechat_appid, "pages/package/list/index", "https://tj.example.cn/checkup"),
            ("miniprogram", "体检缴费", TEST_CONFIG.wechat_appid, "pages/pay/index/index", "https://tj.example.cn/checkup"),
            ("miniprogram", "预约记录", TEST_CONFIG.wechat_appid, "pages/booking/list/index", "https://tj.example.cn/checkup"),
        ]
        code, out, err = await run_cli(sandbox, tmp_path, "menu", "show")
        assert code == 0, err
        assert json.loads(out) == pushed

    async def test_name_over_the_byte_limit_is_refused_before_sending(self, sandbox, tmp_path):
        before = len((await sandbox.control("GET wechat/menu"))["history"])
        code, out, err = await run_cli(sandbox, tmp_path, "menu", "push", CHECKUP_WECHAT_MENU_TITLE="体检服务中心")
        assert code == 2 and out == ""
        assert "18 字节" in err and "16 字节" in err
        code, _, err = await run_cli(sandbox, tmp_path, "menu", "push",
                                     CHECKUP_WECHAT_MENU_NAMES=json.dumps({"pay": "缴" * 21}, ensure_ascii=False))
        assert code == 2 and "63 字节" in err and "60 字节" in err
        assert len((await sandbox.control("GET wechat/menu"))["history"]) == before  # nothing reached WeChat

    async def test_unlinked_miniprogram_explained(self, sandbox, tmp_path):
        sandbox.state.wechat_menu = None
        code, _, err = await run_cli(sandbox, tmp_path, "menu", "push", "--yes",
                                     CHECKUP_WECHAT_APPID="wx1111111111111111")
        assert code == 1 and "85005" in err and "关联小程序" in err


HOSPITAL_MENU = {"button": [
    {"name": "挂号服务", "sub_button": [
        {"type": "view", "name": "预约挂号", "url": "https://his.example.cn/guahao"},
        {"type": "view", "name": "门诊缴费", "url": "https://his.example.cn/jiaofei"}]},
    {"type": "view", "name": "报告查询", "url": "https://his.example.cn/baogao"},
]}  # fmt: skip


class TestMenuMerge:
    """`checkup wechat menu push` keeps the hospital's own entries and changes only 体检中心."""

    async def test_an_existing_menu_survives_a_push(self, sandbox, tmp_path):
        sandbox.state.wechat_menu = json.loads(json.dumps(HOSPITAL_MENU))
        code, out, err = await run_cli(sandbox, tmp_path, "menu", "push", "--yes", CHECKUP_WECHAT_MENU_URL="")
        assert code == 0, err
        menu = (await sandbox.control("GET wechat/menu"))["menu"]
        assert menu == json.loads(out)
        assert menu["button"][:2] == HOSPITAL_MENU["button"]  # untouched, in place
        ours = menu["button"][2]
        assert ours["name"] == "体检中心"
        # The fallback page of a mini-program button is the entry's H5 page, never the staff console.
        assert [b["url"] for b in ours["sub_button"]] == [
            "http://127.0.0.1:8000/h5/#/packages", "http://127.0.0.1:8000/h5/#/charges",
            "http://127.0.0.1:8000/h5/#/bookings"]
        assert "+" in err and "体检中心" in err  # the diff was shown

        # Renamed entries update the group in place; a second identical push sends nothing.
        before = len((await sandbox.control("GET wechat/menu"))["history"])
        code, out, err = await run_cli(sandbox, tmp_path, "menu", "push", "--yes", CHECKUP_WECHAT_MENU_URL="",
                                       CHECKUP_WECHAT_MENU_TARGET="h5",
                                       CHECKUP_H5_URL="https://tj.example.cn/h5/")
        assert code == 0, err
        menu = (await sandbox.control("GET wechat/menu"))["menu"]
        assert menu["button"][:2] == HOSPITAL_MENU["button"] and len(menu["button"]) == 3
        assert [(b["type"], b["url"]) for b in menu["button"][2]["sub_button"]] == [
            ("view", "https://tj.example.cn/h5/#/packages"), ("view", "https://tj.example.cn/h5/#/charges"),
            ("view", "https://tj.example.cn/h5/#/bookings")]
        code, _, err = await run_cli(sandbox, tmp_path, "menu", "push", "--yes", CHECKUP_WECHAT_MENU_URL="",
                                     CHECKUP_WECHAT_MENU_TARGET="h5", CHECKUP_H5_URL="https://tj.example.cn/h5/")
        assert code == 0 and "nothing sent" in err
        assert len((await sandbox.control("GET wechat/menu"))["history"]) == before + 1

    async def test_push_asks_first_and_no_sends_nothing(self, sandbox, tmp_path):
        sandbox.state.wechat_menu = json.loads(json.dumps(HOSPITAL_MENU))
        before = len((await sandbox.control("GET wechat/menu"))["history"])
        code, _out, err = await run_cli(sandbox, tmp_path, "menu", "push", stdin=b"n\n")
        assert code == 3 and "推送此菜单" in err and "not pushed" in err
        code, _out, err = await run_cli(sandbox, tmp_path, "menu", "push")  # no answer at all: no
        assert code == 3
        assert len((await sandbox.control("GET wechat/menu"))["history"]) == before
        assert (await sandbox.control("GET wechat/menu"))["menu"] == HOSPITAL_MENU
        code, _out, err = await run_cli(sandbox, tmp_path, "menu", "push", stdin=b"y\n")
        assert code == 0, err
        assert len((await sandbox.control("GET wechat/menu"))["menu"]["button"]) == 3

    async def test_a_full_menu_is_refused_and_replace_is_the_old_behaviour(self, sandbox, tmp_path):
        full = {"button": [*HOSPITAL_MENU["button"], {"type": "view", "name": "医院简介", "url": "https://x.cn/"}]}
        sandbox.state.wechat_menu = json.loads(json.dumps(full))
        code, out, err = await run_cli(sandbox, tmp_path, "menu", "push", "--yes")
        assert code == 2 and "已有 3 个一级菜单" in err and out == ""
        assert (await sandbox.control("GET wechat/menu"))["menu"] == full
        code, out, err = await run_cli(sandbox, tmp_path, "menu", "push", "--yes", "--replace")
        assert code == 0, err
        assert [b["name"] for b in (await sandbox.control("GET wechat/menu"))["menu"]["button"]] == ["体检中心"]

    async def test_replies_set_up_in_the_web_console_are_not_dropped_silently(self, sandbox, tmp_path):
        console_menu = {"button": [{"type": "text", "name": "联系我们", "value": "电话 0571-1234"}]}
        sandbox.state.wechat_menu = console_menu
        code, _out, err = await run_cli(sandbox, tmp_path, "menu", "push", "--yes")
        assert code == 2 and "联系我们" in err and "--replace" in err
        assert (await sandbox.control("GET wechat/menu"))["menu"] == console_menu


def test_sandbox_access_log_hides_tokens_and_secrets():
    from checkup.sandbox.wechat_api import _RedactAccessTokens

    record = logging.LogRecord("sanic.access", logging.INFO, "", 0, "", (), None)
    record.request = ("GET http://127.0.0.1/sandbox/wechat/sns/jscode2session?appid=wx1&secret=S3CRET&js_code=C0DE"
                      "&grant_type=authorization_code")
    assert _RedactAccessTokens().filter(record)
    assert "S3CRET" not in record.request and "C0DE" not in record.request and "appid=wx1" in record.request
    record.request = "POST http://127.0.0.1/sandbox/wechat/cgi-bin/menu/create?access_token=T0KEN"
    _RedactAccessTokens().filter(record)
    assert record.request.endswith("access_token=***")

"""Run the sandbox (HIS, PEIS, WeChat, control) on a loopback port for a test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from sanic import Sanic

from checkup.sandbox import SandboxConfig, SandboxState, create_sandbox_app
from support.server import serve
from support.waits import CLIENT_TIMEOUT, bound

TEST_CONFIG = SandboxConfig(
    his_app_id="checkup-app",
    his_secret="sandbox-test-his-hmac-secret",
    peis_app_id="checkup-app",
    peis_secret="sandbox-test-peis-hmac-secret",
    wechat_appid="wx0000000000sandbox",
    wechat_secret="sandbox-test-wechat-app-secret",
)


@dataclass
class RunningSandbox:
    base_url: str
    config: SandboxConfig
    state: SandboxState
    http: httpx.AsyncClient  # plain client on base_url, for control calls and raw requests

    wechatpay_keys: Any = None  # SandboxKeys when WeChat Pay is mounted
    wechatpay_state: Any = None

    @property
    def wechatpay_url(self) -> str:
        return f"{self.base_url}/sandbox/wechatpay"

    @property
    def his_url(self) -> str:
        return f"{self.base_url}/sandbox/his"

    @property
    def peis_url(self) -> str:
        return f"{self.base_url}/sandbox/peis"

    @property
    def wechat_url(self) -> str:
        return f"{self.base_url}/sandbox/wechat"

    async def control(self, path: str, payload: dict[str, Any] | None = None, *, expect: int = 200) -> Any:
        """POST (or GET without payload and a ``GET `` prefix) to /sandbox/control and check the status."""
        if path.startswith("GET "):
            response = await self.http.get(f"/sandbox/control/{path[4:]}")
        else:
            response = await self.http.post(f"/sandbox/control/{path}", json=payload or {})
        assert response.status_code == expect, response.text
        return response.json()


@asynccontextmanager
async def running_sandbox(
    config: SandboxConfig = TEST_CONFIG, state: SandboxState | None = None, *, wechatpay_keys_dir: Any = None,
    wechatpay_mchid: str = "1900000109", wechatpay_signing: str = "public_key",
) -> AsyncIterator[RunningSandbox]:
    """Serve a fresh sandbox app until the block exits (with WeChat Pay when given a keys folder)."""
    Sanic.test_mode = True
    state = state or SandboxState(config.state_path)
    app = create_sandbox_app(config, state)
    keys = wp_state = None
    if wechatpay_keys_dir is not None:
        from checkup.sandbox.wechat_cashier import create_cashier_blueprint
        from checkup.sandbox.wechatpay import create_wechatpay_blueprint, create_wechatpay_control_blueprint
        from checkup.sandbox.wechatpay.keys import ensure_sandbox_keys
        from checkup.sandbox.wechatpay.service import WechatPaySandboxConfig
        from checkup.sandbox.wechatpay.state import WechatPaySandboxState

        keys = ensure_sandbox_keys(wechatpay_keys_dir)
        # WeChat gives a notification 5 s; on a busy test machine connecting alone can take longer.
        wp_config = WechatPaySandboxConfig.from_keys(keys, mchid=wechatpay_mchid, appid=config.wechat_appid,
                                                     notify_timeout=bound(5.0), other_appids=(config.wechat_oa_appid,),
                                                     signing=wechatpay_signing)
        wp_state = WechatPaySandboxState()
        app.blueprint(create_wechatpay_blueprint(wp_config, wp_state))
        app.blueprint(create_wechatpay_control_blueprint(wp_config, wp_state))
        app.blueprint(create_cashier_blueprint(wp_config, wp_state))
    async with serve(app) as base_url, httpx.AsyncClient(base_url=base_url, timeout=CLIENT_TIMEOUT) as http:
        yield RunningSandbox(base_url=base_url, config=config, state=state, http=http, wechatpay_keys=keys,
                             wechatpay_state=wp_state)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id_number(birth: str = "19900307", seq: str = "123", region: str = "110105") -> str:
    """A valid 18-character resident ID number (GB 11643 check digit); odd ``seq`` is male."""
    body = f"{region}{birth}{seq}"
    total = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]

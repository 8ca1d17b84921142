"""A WeChat Pay sandbox, a notification receiver and our client, served together for a test."""

from __future__ import annotations

import asyncio
import inspect
import time
import uuid
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from sanic import Request, Sanic
from sanic.response import HTTPResponse, json

from checkup.integrations.wechat.pay import Notification, WechatPayClient, WechatPayError
from checkup.sandbox.wechatpay import (
    SandboxKeys,
    WechatPaySandboxConfig,
    WechatPaySandboxState,
    create_wechatpay_blueprint,
    create_wechatpay_control_blueprint,
)
from support.server import serve
from support.waits import CLIENT_TIMEOUT

MCHID = "1900000109"
APPID = "wx0000000000sandbox"


@dataclass
class Receiver:
    """Our side of notifications: verifies with ``verify`` and acknowledges, or fails on purpose."""

    verify: Callable[[Mapping[str, str], bytes], Any] | None = None  # a Notification or an awaitable of one
    received: list[Notification] = field(default_factory=list)
    raw: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    errors: list[WechatPayError] = field(default_factory=list)
    fail_next: dict[str, int] = field(default_factory=dict)
    arrival_times: list[float] = field(default_factory=list)

    async def wait_for(self, predicate: Callable[[Receiver], bool], within: float = 5.0) -> None:
        """Poll until ``predicate(self)`` holds."""
        deadline = time.monotonic() + within
        while not predicate(self):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; received={self.received} errors={self.errors}")
            await asyncio.sleep(0.01)

    def of(self, event_type: str) -> list[Notification]:
        return [n for n in self.received if n.event_type == event_type]

    async def handle(self, request: Request, kind: str) -> HTTPResponse:
        self.raw.append((dict(request.headers), bytes(request.body)))
        self.arrival_times.append(time.monotonic())
        if self.fail_next.get(kind, 0) > 0:
            self.fail_next[kind] -= 1
            return json({"code": "FAIL", "message": "处理失败"}, status=500)
        assert self.verify is not None
        try:
            note = self.verify(request.headers, request.body)
            if inspect.isawaitable(note):
                note = await note
        except WechatPayError as exc:
            self.errors.append(exc)
            return json({"code": "FAIL", "message": "验签失败"}, status=401)
        self.received.append(note)
        return json({"code": "SUCCESS", "message": "成功"})


@dataclass
class World:
    base_url: str
    wechatpay_url: str
    client: WechatPayClient
    receiver: Receiver
    state: WechatPaySandboxState
    config: WechatPaySandboxConfig
    http: httpx.AsyncClient

    async def control(self, path: str, payload: dict[str, Any] | None = None, *, expect: int = 200) -> Any:
        """POST (or ``GET path``) under /sandbox/control; checks the status."""
        if path.startswith("GET "):
            response = await self.http.get(f"/sandbox/control/{path[4:]}")
        else:
            response = await self.http.post(f"/sandbox/control/{path}", json=payload or {})
        assert response.status_code == expect, response.text
        return response.json()


def make_client(keys: SandboxKeys, *, base_url: str, notify_base: str, **overrides: Any) -> WechatPayClient:
    """Our client configured with the sandbox keys."""
    options: dict[str, Any] = {
        "base_url": base_url,
        "mchid": MCHID,
        "appid": APPID,
        "merchant_serial_no": keys.merchant_serial_no,
        "merchant_private_key_pem": keys.merchant_private_key_pem,
        "wechatpay_public_key_pem": keys.platform_public_key_pem,
        "wechatpay_public_key_id": keys.platform_public_key_id,
        "apiv3_key": keys.apiv3_key,
        "notify_url_payment": f"{notify_base}/notify/payment",
        "notify_url_refund": f"{notify_base}/notify/refund",
        "timeout": 5.0,
    }
    options.update(overrides)
    return WechatPayClient(**options)


@asynccontextmanager
async def wechatpay_world(
    keys: SandboxKeys,
    *,
    url_prefix: str = "/sandbox/wechatpay",
    state_path: str | None = None,
    port: int | None = None,
    client_options: Mapping[str, Any] | None = None,
    **config_options: Any,
) -> AsyncIterator[World]:
    """Serve sandbox WeChat Pay + control + a notification receiver on one loopback app."""
    Sanic.test_mode = True
    app = Sanic(f"wechatpay-test-{uuid.uuid4().hex[:8]}")
    config = WechatPaySandboxConfig.from_keys(keys, mchid=MCHID, appid=APPID, **config_options)
    state = WechatPaySandboxState(path=state_path)
    app.blueprint(create_wechatpay_blueprint(config, state, url_prefix=url_prefix))
    app.blueprint(create_wechatpay_control_blueprint(config, state))
    receiver = Receiver()

    @app.post("/notify/<kind>")
    async def notify(request: Request, kind: str) -> HTTPResponse:
        return await receiver.handle(request, kind)

    async with serve(app, port) as base_url, httpx.AsyncClient(base_url=base_url, timeout=CLIENT_TIMEOUT) as http:
        wechatpay_url = base_url + url_prefix
        client = make_client(keys, base_url=wechatpay_url, notify_base=base_url, **(client_options or {}))
        receiver.verify = client.averify_and_decrypt_notification
        try:
            yield World(base_url, wechatpay_url, client, receiver, state, config, http)
        finally:
            await client.aclose()

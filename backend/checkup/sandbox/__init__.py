"""Local stand-ins for HIS, PEIS and the WeChat API, speaking the real protocols over HTTP.

Imports nothing from ``checkup.integrations``, ``checkup.services`` or ``checkup.db``: it signs and verifies
with its own code, so a client mistake cannot hide behind the same mistake here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sanic import Blueprint, Sanic
from sanic.blueprint_group import BlueprintGroup

from checkup.sandbox.control import create_control_blueprint
from checkup.sandbox.his import create_his_blueprint
from checkup.sandbox.his_push import HisPusher
from checkup.sandbox.peis import create_peis_blueprint
from checkup.sandbox.sms import (
    VERIFICATION_TEMPLATE,
    SmsSandboxConfig,
    create_sms_blueprint,
    create_sms_control_blueprint,
)
from checkup.sandbox.state import SandboxState
from checkup.sandbox.wechat_api import create_wechat_blueprint
from checkup.sandbox.wechat_control import create_wechat_control_blueprint

__all__ = ["SandboxConfig", "SandboxState", "create_sandbox_app", "create_sandbox_blueprint"]


@dataclass(frozen=True, slots=True)
class SandboxConfig:
    """Credentials the sandbox systems accept, and where to keep their state (None: memory only)."""

    his_app_id: str
    his_secret: str
    peis_app_id: str
    peis_secret: str
    wechat_appid: str
    wechat_secret: str
    state_path: str | None = None
    # The official account (公众号) whose menu opens the mini-program.
    wechat_oa_appid: str = "wx00000000000000oa"
    wechat_oa_secret: str = "sandbox-test-wechat-oa-secret"
    # Tencent Cloud SMS: the API key pair, the SMS app, the approved signature and verification template.
    sms_secret_id: str = "sandbox-test-sms-secret-id"
    sms_secret_key: str = "sandbox-test-sms-secret-key"
    sms_sdk_app_id: str = "1400000000"
    sms_sign_name: str = "体检中心"
    sms_template_id: str = "100001"
    # Where HIS pushes its window changes (refund, cancel, re-price), signed with the HIS credentials above:
    # the app's POST /api/his/notify. None or "": off (POST /sandbox/control/his/push changes it at run time).
    his_push_url: str | None = None


def create_sandbox_blueprint(config: SandboxConfig, state: SandboxState) -> BlueprintGroup:
    """HIS at /sandbox/his, PEIS at /sandbox/peis, WeChat at /sandbox/wechat, control at /sandbox/control."""
    blueprints: list[Blueprint] = [
        create_his_blueprint(state=state, credentials={config.his_app_id: config.his_secret}),
        create_peis_blueprint(state=state, credentials={config.peis_app_id: config.peis_secret}),
        create_wechat_blueprint(state=state, appid=config.wechat_appid, secret=config.wechat_secret,
                                oa_appid=config.wechat_oa_appid, oa_secret=config.wechat_oa_secret),
        create_control_blueprint(state=state, pusher=HisPusher(app_id=config.his_app_id, secret=config.his_secret,
                                                               url=config.his_push_url or None)),
        create_wechat_control_blueprint(state=state),
        create_sms_blueprint(state=state, config=SmsSandboxConfig(
            secret_id=config.sms_secret_id, secret_key=config.sms_secret_key, sdk_app_id=config.sms_sdk_app_id,
            sign_name=config.sms_sign_name, templates={config.sms_template_id: VERIFICATION_TEMPLATE})),
        create_sms_control_blueprint(state=state),
    ]
    return Blueprint.group(*blueprints)


def create_sandbox_app(config: SandboxConfig, state: SandboxState | None = None) -> Sanic:
    """A standalone sandbox server (for running it as its own process)."""
    app = Sanic("checkup-sandbox")
    app.ctx.sandbox_state = state or SandboxState(config.state_path)
    app.blueprint(create_sandbox_blueprint(config, app.ctx.sandbox_state))
    return app

"""The sandbox (HIS, PEIS, WeChat login and WeChat Pay) as its own process for the bench.

With several API workers, an in-process sandbox would have per-process state, so the bench runs
this one on its own port. It takes the same CHECKUP_* settings as the server (credentials, var
dir), and the WeChat Pay sandbox uses the keys of ensure_sandbox_keys in CHECKUP_BENCH_KEYS_DIR.
"""

from __future__ import annotations

import os
import sys

from checkup.app import sandbox_config
from checkup.config import Settings
from checkup.sandbox import create_sandbox_app
from checkup.sandbox.wechatpay import create_wechatpay_blueprint, create_wechatpay_control_blueprint
from checkup.sandbox.wechatpay.keys import ensure_sandbox_keys
from checkup.sandbox.wechatpay.service import WechatPaySandboxConfig
from checkup.sandbox.wechatpay.state import WechatPaySandboxState


def main(port: int) -> None:
    settings = Settings()
    config = sandbox_config(settings, state_path=None)
    app = create_sandbox_app(config)
    keys = ensure_sandbox_keys(os.environ["CHECKUP_BENCH_KEYS_DIR"])
    pay_config = WechatPaySandboxConfig.from_keys(keys, mchid=settings.wechatpay_mchid, appid=settings.wechat_appid)
    state = WechatPaySandboxState(path=None)
    app.blueprint(create_wechatpay_blueprint(pay_config, state))
    app.blueprint(create_wechatpay_control_blueprint(pay_config, state))
    app.run(host="127.0.0.1", port=port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main(int(sys.argv[1]))

"""Real `checkup worker` subprocesses against the test database and sandbox."""

from __future__ import annotations

import asyncio
import os
import sys


def worker_env(app, db_url: str, *, lease_seconds: int = 2, poll_seconds: float = 0.2) -> dict[str, str]:
    """The environment of a `checkup worker` that sees what the test app sees (database, sandbox, keys)."""
    s = app.ctx.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKUP_")}
    env.update({
        "CHECKUP_ENV": "dev", "CHECKUP_SANDBOX": "false", "CHECKUP_DB_URL": db_url,
        "CHECKUP_HIS_URL": s.his_base_url, "CHECKUP_PEIS_URL": s.peis_base_url,
        "CHECKUP_WECHAT_API_URL": s.wechat_api_base_url, "CHECKUP_WECHATPAY_URL": s.wechatpay_base_url,
        "CHECKUP_HIS_SECRET": s.his_secret, "CHECKUP_PEIS_SECRET": s.peis_secret,
        "CHECKUP_WECHAT_SECRET": s.wechat_secret,
        "CHECKUP_WECHATPAY_PRIVATE_KEY_PATH": str(s.wechatpay_private_key_path),
        "CHECKUP_WECHATPAY_PUBLIC_KEY_PATH": str(s.wechatpay_public_key_path),
        "CHECKUP_WECHATPAY_PUBLIC_KEY_ID": s.wechatpay_public_key_id or "",
        "CHECKUP_WECHATPAY_SERIAL_NO": s.wechatpay_serial_no or "",
        "CHECKUP_WECHATPAY_APIV3_KEY": s.wechatpay_apiv3_key or "",
        "CHECKUP_WECHATPAY_KEY_MODE": s.wechatpay_key_mode,
        "CHECKUP_PUBLIC_URL": s.base_url, "CHECKUP_AUDIT_KEY": s.audit_key,
        "CHECKUP_AUDIT_ANCHOR_PATH": str(s.audit_anchor_file),
        "CHECKUP_WORKER_LEASE_SECONDS": str(lease_seconds), "CHECKUP_WORKER_POLL_SECONDS": str(poll_seconds),
        # Like the session app (tests/conftest.py): injected HIS/PEIS faults must not open the circuits of
        # the test's workers for whole seconds (the circuit has tests of its own: tests/unit/test_his_guard.py).
        "CHECKUP_HIS_FAILURE_THRESHOLD": str(s.his_failure_threshold),
        "CHECKUP_PEIS_FAILURE_THRESHOLD": str(s.peis_failure_threshold),
    })
    return env


async def start_worker(env: dict[str, str]) -> asyncio.subprocess.Process:
    """A worker process; its output goes to the file CHECKUP_TEST_WORKER_LOG names (appended), if set."""
    log_path = os.environ.get("CHECKUP_TEST_WORKER_LOG")
    out = open(log_path, "ab") if log_path else asyncio.subprocess.DEVNULL  # noqa: ASYNC230 - the child keeps it
    try:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "checkup.cli", "worker", env=env, stdout=out, stderr=out,
        )
    finally:
        if log_path:
            out.close()

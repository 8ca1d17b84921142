"""The deployment files stay true to the code: every setting is in the environment template."""

from __future__ import annotations

import re
from pathlib import Path

from checkup.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_env_template_lists_every_setting_and_nothing_else():
    text = (ROOT / "deploy/env/checkup.env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^(CHECKUP_[A-Z0-9_]+)=", text, flags=re.M))
    expected = {f"CHECKUP_{name.upper()}" for name in Settings.model_fields}
    assert expected - listed == set(), "settings missing from deploy/env/checkup.env.example"
    assert listed - expected == set(), "the template names settings the app does not have"


def test_systemd_units_run_the_real_commands():
    api = (ROOT / "deploy/systemd/checkup-api@.service").read_text(encoding="utf-8")
    worker = (ROOT / "deploy/systemd/checkup-worker.service").read_text(encoding="utf-8")
    assert "checkup serve" in api and "CHECKUP_PORT=%i" in api and "CHECKUP_RUN_WORKER=false" in api
    assert "checkup worker" in worker
    nginx = (ROOT / "deploy/nginx/checkup.conf").read_text(encoding="utf-8")
    assert "proxy_pass http://checkup_api" in nginx and "X-Forwarded-For" in nginx and "http2 on" in nginx

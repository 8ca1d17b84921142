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


def test_probes_and_metrics_are_consistent_across_the_deploy_files():
    """Containers and the rolling restart wait for readiness; metrics never pass through nginx."""
    compose = (ROOT / "deploy/compose.yaml").read_text(encoding="utf-8")
    dockerfile = (ROOT / "deploy/Dockerfile").read_text(encoding="utf-8")
    nginx = (ROOT / "deploy/nginx/checkup.conf").read_text(encoding="utf-8")
    api = (ROOT / "deploy/systemd/checkup-api@.service").read_text(encoding="utf-8")
    assert "/api/ready" in compose and "/api/ready" in dockerfile and "/api/ready" in api
    assert re.search(r"location = /api/metrics \{\s*deny all;\s*\}", nginx)
    assert "proxy_next_upstream error timeout http_502 http_503;" in nginx
    # The rolling restart waits longer than nginx keeps a failed server out (fail_timeout).
    fail_timeout = int(re.search(r"fail_timeout=(\d+)s", nginx).group(1))
    assert f"sleep {fail_timeout + 1}" in api
    stop = int(re.search(r"TimeoutStopSec=(\d+)", api).group(1))
    assert stop > 15, "systemd must wait longer than Sanic's 15 s graceful drain"


def test_application_account_is_granted_every_table():
    """A table added by a migration without a grant would fail in production only (the tests run as root)."""
    from tortoise.models import Model

    from checkup.db import models

    text = (ROOT / "deploy/mysql/grants.sql").read_text(encoding="utf-8")
    granted = {table: privileges
               for privileges, table in re.findall(r"GRANT ([A-Z, ]+) ON checkup\.(\w+) TO 'checkup_app'", text)}
    tables = {cls._meta.db_table for cls in vars(models).values()
              if isinstance(cls, type) and issubclass(cls, Model) and cls is not Model and not cls._meta.abstract}
    assert tables - set(granted) == set(), "tables without a grant for checkup_app in deploy/mysql/grants.sql"
    assert granted["audit_log"] == "SELECT, INSERT"  # append-only at the database too


def test_base_images_are_pinned_by_digest():
    """Issue 15: every base image of the Dockerfile and the compose file is named by digest (a tag moves; a
    rebuild must get the bytes that were tested), and deploy/pin-images finds each of those references."""
    import subprocess

    deploy = ROOT / "deploy"
    refs = []
    for name, pattern in (("Dockerfile", r"^FROM\s+(\S+)"), ("compose.yaml", r"^\s*image:\s*(\S+)")):
        text = (deploy / name).read_text(encoding="utf-8")
        found = re.findall(pattern, text, flags=re.MULTILINE)
        assert found, name
        refs += found
    assert len(refs) >= 4
    for ref in refs:
        assert re.fullmatch(r"[a-z0-9./-]+:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}", ref), f"not pinned by digest: {ref}"
    # the refresh script's pattern finds the same references (a reference it missed would never be refreshed)
    script = (deploy / "pin-images").read_text(encoding="utf-8")
    pattern = re.search(r"grep -oE '([^']+)'", script).group(1)
    for name in ("Dockerfile", "compose.yaml"):
        out = subprocess.run(["grep", "-oE", pattern, str(deploy / name)], capture_output=True, text=True,
                             check=True).stdout.split()
        assert sorted(set(out)) == sorted({r for r in refs if r in (deploy / name).read_text(encoding="utf-8")})

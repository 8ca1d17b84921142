"""网络安全自查 (`checkup selfcheck`): each check finds what it should, and the command exits non-zero
on a finding."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta

from checkup.config import Settings
from checkup.db.models import StaffUser
from checkup.domain.clock import utcnow
from checkup.services import selfcheck
from support.staff import make_staff

STRONG = dict(secret_key=secrets.token_urlsafe(32), pii_key=secrets.token_urlsafe(32),
              audit_key=secrets.token_urlsafe(32), his_secret=secrets.token_urlsafe(32),
              peis_secret=secrets.token_urlsafe(32), wechat_secret=secrets.token_hex(16),
              wechatpay_apiv3_key=secrets.token_hex(16), sms_secret_key=secrets.token_urlsafe(32),
              public_url="https://tijian.example.org")


def test_settings_findings():
    weak = selfcheck.check_settings(Settings(env="dev"))
    text = "\n".join(weak.findings)
    assert "运行环境为 dev" in text and "沙箱已开启" in text and "CHECKUP_SECRET_KEY" in text and "HTTPS" in text
    same = secrets.token_urlsafe(32)
    reused = selfcheck.check_settings(Settings(env="dev", sandbox=False, **{**STRONG, "his_secret": same,
                                                                          "peis_secret": same}))
    assert any("同一密钥" in f for f in reused.findings)
    good = selfcheck.check_settings(Settings(env="dev", sandbox=False, **STRONG))
    assert good.findings == ["运行环境为 dev（生产应为 prod，prod 才会拒绝弱密钥与沙箱）"]


def test_vulnerability_list_is_compared_offline(tmp_path):
    from importlib import metadata

    sanic = metadata.version("sanic")
    listed = tmp_path / "vulns.json"
    listed.write_text(json.dumps([
        {"package": "sanic", "affected": f"<={sanic}", "id": "CVE-TEST-1", "summary": "测试条目"},
        {"package": "sanic", "affected": f"<{sanic}", "id": "CVE-TEST-2"},
        {"package": "not-installed-pkg", "affected": "<99", "id": "CVE-TEST-3"},
    ]), encoding="utf-8")
    found = selfcheck.check_vulnerabilities(listed)
    assert len(found.findings) == 1 and "CVE-TEST-1" in found.findings[0]
    assert selfcheck.check_vulnerabilities(None).findings  # no list: said, not silently passed


def test_backup_age(tmp_path):
    now = utcnow()
    assert selfcheck.check_backups(tmp_path, now).findings == [f"备份目录 {tmp_path} 中没有备份文件"]
    old = tmp_path / "checkup-20261101T000000Z.sql.gz"
    old.write_bytes(b"x")
    os.utime(old, (time.time() - 3 * 86400, time.time() - 3 * 86400))
    assert selfcheck.check_backups(tmp_path, now).findings
    fresh = tmp_path / "checkup-20261130T000000Z.sql.gz"
    fresh.write_bytes(b"x")
    assert selfcheck.check_backups(tmp_path, now).findings == []


async def test_accounts(db):
    now = utcnow()
    await make_staff("admin", ["admin"])
    idle = await make_staff("idle.one", ["staff"])
    await StaffUser.filter(id=idle.id).update(last_login_at=now - timedelta(days=120), failed_logins=12)
    found = await selfcheck.check_accounts(now)
    text = "\n".join(found.findings)
    assert "idle.one 已 120 天未登录" in text and "idle.one 连续登录失败 12 次" in text and "admin" not in text


async def test_the_command_reports_and_exits_non_zero_on_a_finding(app, http, db_url, tmp_path):
    from support.staff import staffer

    admin = await staffer(http, app, "boss", ["admin"])
    r = await admin.put("/api/console/quota/2030-01-02", {"capacity": 10, "open": True})
    assert r.status_code in (200, 422)
    env = {**os.environ, "CHECKUP_DB_URL": db_url, "CHECKUP_SANDBOX": "false",
           "CHECKUP_AUDIT_ANCHOR_PATH": str(tmp_path / "anchors.jsonl")}
    anchor = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "checkup.cli", "audit", "anchor"],
                                     env=env, capture_output=True, text=True, timeout=60)
    assert anchor.returncode == 0, anchor.stdout + anchor.stderr
    out = tmp_path / "selfcheck.txt"
    done = await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "checkup.cli", "selfcheck", "--backup-dir", str(tmp_path),
                         "--output", str(out)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    text = out.read_text(encoding="utf-8")
    for title in ("【配置】", "【数据库权限】", "【账号】", "【组件漏洞】", "【审计日志】", "【备份】"):
        assert title in text
    assert "审计链完整" in text and "没有备份文件" in text and "未提供漏洞清单文件" in text
    assert "结论：发现" in text and done.stdout.strip() == text.strip()


async def test_password_age_is_a_finding(db):
    now = utcnow()
    old = await make_staff("old.pass", ["staff"])
    fresh = await make_staff("fresh.pass", ["staff"])
    await StaffUser.filter(id=old.id).update(password_changed_at=now - timedelta(days=selfcheck.PASSWORD_MAX_DAYS + 5),
                                             last_login_at=now)
    await StaffUser.filter(id=fresh.id).update(created_at=now - timedelta(days=400), password_changed_at=now,
                                               last_login_at=now)
    text = "\n".join((await selfcheck.check_accounts(now)).findings)
    assert f"old.pass 的密码已 {selfcheck.PASSWORD_MAX_DAYS + 5} 天未更换" in text and "fresh.pass" not in text


async def test_a_changed_password_restarts_its_age(app, http):
    from support.staff import PASSWORD, login

    await make_staff("ages.one", ["staff"])
    headers = await login(http, "ages.one")
    r = await http.post("/api/console/me/password", headers=headers,
                        json={"current_password": PASSWORD, "new_password": "Another-Strong-2026!"})
    assert r.status_code == 204, r.text
    assert (await StaffUser.get(username="ages.one")).password_changed_at is not None


async def test_console_page_route_for_admin_and_auditor(app, http, tmp_path):
    from support.staff import staffer

    auditor = await staffer(http, app, "sc.auditor", ["auditor"])
    clerk = await staffer(http, app, "sc.clerk", ["staff"])
    await StaffUser.filter(id=clerk.user.id).update(password_changed_at=utcnow() - timedelta(days=365))
    assert (await clerk.get("/api/console/selfcheck")).status_code == 403
    r = await auditor.get("/api/console/selfcheck")
    assert r.status_code == 200, r.text
    body = r.json()
    titles = [s["title"] for s in body["sections"]]
    assert titles == ["配置", "数据库权限", "账号", "组件漏洞", "审计日志", "备份"]
    accounts = next(s for s in body["sections"] if s["title"] == "账号")
    assert any("sc.clerk 的密码已 365 天未更换" in f for f in accounts["findings"])
    assert body["findings"] == sum(len(s["findings"]) for s in body["sections"]) > 0

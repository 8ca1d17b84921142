"""安全审计导出 (`checkup audit export`): accounts with roles and last login, role changes, the operation
log of a period with filters; the export is audited and no text becomes a formula."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys

from openpyxl import load_workbook

from checkup.db.models import AuditLog
from support.people import day
from support.staff import login, make_staff, staffer


def _export(db_url: str, out, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHECKUP_DB_URL": db_url, "CHECKUP_SANDBOX": "false"}
    today = day(0).isoformat()
    return subprocess.run([sys.executable, "-m", "checkup.cli", "audit", "export", "--from", today, "--to", today,
                           "--out", str(out), *extra], env=env, capture_output=True, text=True, timeout=60)


def _sheet(path, name: str) -> list[list[str]]:
    wb = load_workbook(io.BytesIO(path.read_bytes()))
    return [[c.value for c in row] for row in wb[name].iter_rows()]


async def test_accounts_role_changes_and_filtered_operations(app, http, db_url, tmp_path):
    admin = await staffer(http, app, "boss", ["admin"])
    await make_staff("=cmd|' /C calc'!A0", ["auditor"], name="=HYPERLINK(\"x\")")
    r = await admin.post("/api/console/staff", {"username": "li.hs", "name": "李护士", "password": "Tj-Initial-58x",
                                                "roles": ["staff"]})
    assert r.status_code == 201, r.text
    assert (await admin.put("/api/console/staff/li.hs", {"roles": ["staff", "finance"]})).status_code == 200
    assert (await admin.put("/api/console/staff/li.hs", {"name": "李护士长"})).status_code == 200  # not a role change
    assert (await admin.put(f"/api/console/quota/{day(3).isoformat()}", {"capacity": 30, "open": True})).status_code == 200
    await login(http, "boss")
    await http.post("/api/console/login", json={"username": "boss", "password": "Wrong-pass-1"})

    out = tmp_path / "audit.xlsx"
    done = await asyncio.to_thread(_export, db_url, out)
    assert done.returncode == 0, done.stdout + done.stderr
    accounts = _sheet(out, "账号")
    assert accounts[0][:5] == ["用户名", "姓名", "角色", "状态", "最后登录"]
    by_name = {row[0]: row for row in accounts[1:]}
    assert by_name["li.hs"][2] == "体检中心、财务" and by_name["li.hs"][6] == "是"
    assert by_name["boss"][2] == "管理员" and by_name["boss"][4]  # logged in above
    changes = _sheet(out, "角色变更")[1:]
    assert [(c[2], c[3], c[4] or "", c[5]) for c in changes] == [("li.hs", "新建账号", "", "体检中心"),
                                                             ("li.hs", "修改账号", "体检中心", "体检中心、财务")]
    operations = _sheet(out, "操作日志")[1:]
    assert {o[4] for o in operations} >= {"staff.create", "staff.update", "quota.update", "login"}
    # no cell is a formula, whatever the text
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)
    assert by_name["=cmd|' /C calc'!A0"][1] == "=HYPERLINK(\"x\")"

    only = tmp_path / "failures.xlsx"
    done = await asyncio.to_thread(_export, db_url, only, "--actor", "boss", "--action", "login", "--outcome",
                                   "failure")
    assert done.returncode == 0, done.stdout + done.stderr
    filtered = _sheet(only, "操作日志")[1:]
    assert [(o[2], o[4], o[6]) for o in filtered] == [("boss", "login", "失败")]
    exports = await AuditLog.filter(action="audit.export").order_by("id")
    assert len(exports) == 2 and exports[1].detail["rows"]["operations"] == 1 and exports[0].actor.startswith("cli:")


async def test_bad_periods_are_refused(db_url, tmp_path, db):
    env = {**os.environ, "CHECKUP_DB_URL": db_url, "CHECKUP_SANDBOX": "false"}
    for args in (["--from", "2026-11-30", "--to", "2026-11-01"], ["--from", "2026-13-01", "--to", "2026-12-01"],
                 ["--from", "2026-11-01", "--to", "2026-11-30"]):
        done = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "checkup.cli", "audit", "export", *args],
                                       env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and not list(tmp_path.iterdir()), done.stdout


async def test_console_export_for_admin_and_auditor_is_audited(app, http):
    auditor = await staffer(http, app, "aud.exp", ["auditor"])
    clerk = await staffer(http, app, "clerk.exp", ["staff"])
    await http.post("/api/console/login", json={"username": "aud.exp", "password": "Wrong-pass-1"})
    today = day(0).isoformat()
    params = {"from": today, "to": today, "action": "login", "outcome": "failure"}
    assert (await clerk.get("/api/console/audit-logs/export", params=params)).status_code == 403
    backwards = await auditor.get("/api/console/audit-logs/export", params={"from": today, "to": day(-3).isoformat()})
    assert backwards.status_code == 422
    ancient = await auditor.get("/api/console/audit-logs/export", params={"from": "0001-01-01", "to": "0001-01-02"})
    assert ancient.status_code == 422
    r = await auditor.get("/api/console/audit-logs/export", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats"), r.text
    assert "attachment" in r.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(r.content))
    assert [ws.title for ws in wb][:3] == ["账号", "角色变更", "操作日志"]
    operations = [[c.value for c in row] for row in wb["操作日志"].iter_rows()][1:]
    assert [(o[2], o[4], o[6]) for o in operations] == [("aud.exp", "login", "失败")]
    exported = await AuditLog.filter(action="audit.export", outcome="success").order_by("id")
    assert len(exported) == 1 and exported[0].actor == "aud.exp" and exported[0].detail["rows"]["operations"] == 1

"""The audit trail: chained hashes that show tampering, the verify command, searching, concurrency."""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys

from checkup.db.models import AuditLog
from checkup.services.audit import verify_chain
from support.people import day
from support.staff import staffer


async def _changes(admin, n: int) -> None:
    for i in range(n):
        r = await admin.put(f"/api/console/quota/{day(i + 1).isoformat()}", {"capacity": 10 + i, "open": True})
        assert r.status_code == 200, r.text


def _cli_verify(db_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHECKUP_DB_URL": db_url, "CHECKUP_SANDBOX": "false"}
    return subprocess.run([sys.executable, "-m", "checkup.cli", "audit", "verify"], env=env, capture_output=True,
                          text=True, timeout=60)


async def test_chain_verifies_and_an_edited_row_is_found(app, http, db_url):
    admin = await staffer(http, app, "boss", ["admin"])
    await _changes(admin, 5)
    report = await verify_chain()
    assert report.ok and report.checked == 5
    ok = await asyncio.to_thread(_cli_verify, db_url)
    assert ok.returncode == 0 and "audit chain OK: 5 rows" in ok.stdout, ok.stdout + ok.stderr

    rows = await AuditLog.all().order_by("id")
    assert all(r.prev_hash == p.hash for p, r in itertools.pairwise(rows)) and rows[0].prev_hash == ""
    victim = rows[2]
    forged = dict(victim.detail, after={"capacity": 999, "open": True})
    await AuditLog.filter(id=victim.id).update(detail=forged)  # someone edits the table by hand
    report = await verify_chain()
    assert not report.ok and report.broken_id == victim.id and report.checked == 2
    broken = await asyncio.to_thread(_cli_verify, db_url)
    assert broken.returncode == 1 and f"BROKEN at row id {victim.id}" in broken.stdout


async def test_a_removed_row_breaks_the_chain(app, http):
    admin = await staffer(http, app, "boss", ["admin"])
    await _changes(admin, 4)
    rows = await AuditLog.all().order_by("id")
    await AuditLog.filter(id=rows[1].id).delete()
    report = await verify_chain()
    assert not report.ok and report.broken_id == rows[2].id and "prev_hash" in report.reason


async def test_quota_change_row_has_who_what_before_after(app, http):
    admin = await staffer(http, app, "boss", ["admin"])
    d = day(3)
    await admin.put(f"/api/console/quota/{d.isoformat()}", {"capacity": 20, "open": True})
    await admin.put(f"/api/console/quota/{d.isoformat()}", {"capacity": 30, "open": False})
    row = await AuditLog.filter(action="quota.update").order_by("-id").first()
    assert row.target == f"quota:{d.isoformat()}" and row.outcome == "success" and row.actor == "boss"
    assert row.detail["before"] == {"capacity": 20, "booked": 0, "open": True}
    assert row.detail["after"] == {"capacity": 30, "open": False}


async def test_search_newest_first_with_filters_and_paging(app, http):
    admin = await staffer(http, app, "boss", ["admin"])
    auditor = await staffer(http, app, "checker", ["auditor"])
    await _changes(admin, 3)
    await admin.post("/api/console/holidays", {"date": day(40).isoformat(), "name": "国庆节"})
    await http.post("/api/console/login", json={"username": "boss", "password": "nope-Nope-1"})
    r = await auditor.get("/api/console/audit-logs")
    body = r.json()
    assert r.status_code == 200 and body["total"] == 5
    assert [i["action"] for i in body["items"]] == ["login", "holiday.add", "quota.update", "quota.update",
                                                    "quota.update"]
    first = body["items"][0]
    assert set(first) >= {"at", "actor", "ip", "action", "target", "outcome", "detail"}
    assert first["outcome"] == "failure" and first["at"].endswith("+08:00")
    quota = (await auditor.get("/api/console/audit-logs", params={"action": "quota", "page_size": 2})).json()
    assert quota["total"] == 3 and len(quota["items"]) == 2
    page2 = (await auditor.get("/api/console/audit-logs", params={"action": "quota", "page_size": 2, "page": 2})).json()
    assert len(page2["items"]) == 1 and page2["items"][0]["id"] < quota["items"][1]["id"]
    today = day(0).isoformat()
    mine = (await auditor.get("/api/console/audit-logs", params={"actor": "boss", "from": today, "to": today})).json()
    assert mine["total"] == 5
    assert (await auditor.get("/api/console/audit-logs", params={"from": day(1).isoformat()})).json()["total"] == 0
    failures = (await auditor.get("/api/console/audit-logs", params={"outcome": "failure"})).json()
    assert [i["action"] for i in failures["items"]] == ["login"]


async def test_concurrent_changes_keep_one_chain(app, http):
    admin = await staffer(http, app, "boss", ["admin"])

    async def change(i: int):
        return await admin.put(f"/api/console/quota/{day(i % 20 + 1).isoformat()}", {"capacity": 50 + i, "open": True})

    answers = await asyncio.gather(*(change(i) for i in range(30)))
    assert [a.status_code for a in answers] == [200] * 30
    report = await verify_chain()
    assert report.ok and report.checked == 30

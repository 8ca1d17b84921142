"""The keyed audit chain and its anchors outside the database: truncating the table, deleting any row
and re-chaining with the product's own function all make `checkup audit verify` fail."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

from tortoise import connections

from checkup.db.models import AuditLog
from checkup.services.audit import row_hash
from support.people import day
from support.staff import staffer


async def _changes(admin, n: int) -> None:
    for i in range(n):
        r = await admin.put(f"/api/console/quota/{day(i + 1).isoformat()}", {"capacity": 10 + i, "open": True})
        assert r.status_code == 200, r.text


def _cli(db_url: str, anchors, command: str = "verify") -> subprocess.CompletedProcess:
    env = {**os.environ, "CHECKUP_DB_URL": db_url, "CHECKUP_SANDBOX": "false",
           "CHECKUP_AUDIT_ANCHOR_PATH": str(anchors)}
    return subprocess.run([sys.executable, "-m", "checkup.cli", "audit", command], env=env, capture_output=True,
                          text=True, timeout=60)


async def _anchored(admin, db_url, tmp_path, n: int = 5):
    await _changes(admin, n)
    anchors = tmp_path / "anchors.jsonl"
    done = await asyncio.to_thread(_cli, db_url, anchors, "anchor")
    assert done.returncode == 0, done.stdout + done.stderr
    line = json.loads(anchors.read_text().splitlines()[-1])
    assert line["count"] == n and line["hash"] and line["mac"]
    ok = await asyncio.to_thread(_cli, db_url, anchors)
    assert ok.returncode == 0 and f"audit chain OK: {n} rows" in ok.stdout and "1 of 1 anchors" in ok.stdout, ok.stdout
    return anchors


async def test_truncating_the_table_fails_verify(app, http, db_url, tmp_path):
    admin = await staffer(http, app, "boss", ["admin"])
    anchors = await _anchored(admin, db_url, tmp_path)
    await connections.get("default").execute_script("DELETE FROM audit_log")
    broken = await asyncio.to_thread(_cli, db_url, anchors)
    assert broken.returncode == 1 and "truncated" in broken.stdout, broken.stdout


async def test_deleting_the_newest_rows_fails_verify(app, http, db_url, tmp_path):
    admin = await staffer(http, app, "boss", ["admin"])
    anchors = await _anchored(admin, db_url, tmp_path)
    rows = await AuditLog.all().order_by("id")
    await AuditLog.filter(id__gt=rows[2].id).delete()  # DELETE FROM audit_log WHERE id > N
    broken = await asyncio.to_thread(_cli, db_url, anchors)
    assert broken.returncode == 1 and f"anchored row {rows[-1].id}" in broken.stdout, broken.stdout


async def test_deleting_any_row_fails_verify(app, http, db_url, tmp_path):
    admin = await staffer(http, app, "boss", ["admin"])
    anchors = await _anchored(admin, db_url, tmp_path)
    rows = await AuditLog.all().order_by("id")
    for victim in (rows[0], rows[2]):  # the first row, a middle row (the last: see the test above)
        kept = [r for r in rows if r.id != victim.id]
        await AuditLog.filter(id=victim.id).delete()
        broken = await asyncio.to_thread(_cli, db_url, anchors)
        assert broken.returncode == 1 and "BROKEN" in broken.stdout, broken.stdout
        await AuditLog.create(**{f: getattr(victim, f) for f in ("id", "at", "actor", "ip", "action", "target",
                                                                  "outcome", "detail", "prev_hash", "hash")})
        assert len(kept) == len(rows) - 1
    restored = await asyncio.to_thread(_cli, db_url, anchors)
    assert restored.returncode == 0, restored.stdout


async def _rechain(key: bytes | None) -> None:
    """What someone with write access does after deleting rows: recompute every hash with row_hash."""
    prev = ""
    for row in await AuditLog.all().order_by("id"):
        digest = row_hash(prev_hash=prev, at=row.at, actor=row.actor, ip=row.ip, action=row.action,
                          target=row.target, outcome=row.outcome, detail=row.detail, key=key)
        await AuditLog.filter(id=row.id).update(prev_hash=prev, hash=digest)
        prev = digest


async def test_rechaining_after_deleting_a_row_fails_verify(app, http, db_url, tmp_path):
    admin = await staffer(http, app, "boss", ["admin"])
    anchors = await _anchored(admin, db_url, tmp_path)
    rows = await AuditLog.all().order_by("id")
    await AuditLog.filter(id=rows[1].id).delete()
    for guess in (b"", b"sandbox-test-token-signing-key", b"another-guess-of-the-audit-key"):
        await _rechain(guess)
        broken = await asyncio.to_thread(_cli, db_url, anchors)
        assert broken.returncode == 1 and "keyed hash" in broken.stdout, broken.stdout
    # Even with the key, a row removed before an anchored row shows: the anchored count no longer fits.
    await _rechain(None)
    broken = await asyncio.to_thread(_cli, db_url, anchors)
    assert broken.returncode == 1 and "differs from its anchor" in broken.stdout, broken.stdout


async def test_an_edited_anchor_file_is_refused(app, http, db_url, tmp_path):
    admin = await staffer(http, app, "boss", ["admin"])
    anchors = await _anchored(admin, db_url, tmp_path)
    line = json.loads(anchors.read_text())
    anchors.write_text(json.dumps({**line, "count": 1}) + "\n")
    refused = await asyncio.to_thread(_cli, db_url, anchors)
    assert refused.returncode == 1 and "MAC" in refused.stdout, refused.stdout


async def test_the_worker_anchors_the_head_once_a_day(app, http, tmp_path):
    from dataclasses import replace

    from checkup.worker.runner import Worker

    admin = await staffer(http, app, "boss", ["admin"])
    await _changes(admin, 2)
    path = tmp_path / "daily.jsonl"
    worker = Worker(replace(app.ctx.deps, audit_anchor_path=path))
    await worker.daily_audit_anchor()
    await worker.daily_audit_anchor()
    lines = path.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["count"] == 2
    assert oct(path.stat().st_mode & 0o777) == "0o600"

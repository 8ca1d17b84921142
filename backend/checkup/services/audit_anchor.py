"""Anchors of the audit chain outside the database: the head (last id, hash, row count) written at least
daily to a file (CHECKUP_AUDIT_ANCHOR_PATH, one JSON line each) and to the log as a syslog line
(``audit anchor ...``, journald/rsyslog keep it apart from the database).

Each line carries an HMAC under the audit key, so a line cannot be forged by someone without the
key. ``checkup audit verify`` checks the table against every anchor in the file: a table truncated,
emptied or cut short no longer reaches an anchored row, and rows removed before an anchored row change
its count. The worker writes one anchor a day; ``checkup audit anchor`` writes one now (cron, or
before and after maintenance); the monthly report quotes the month's last anchor.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from checkup.db.uow import unit_of_work
from checkup.domain.clock import SHANGHAI, iso, utcnow
from checkup.services.audit import Head, current_key

log = logging.getLogger("checkup.audit")


class AnchorFileError(Exception):
    """The anchor file has a line that is not an anchor or whose MAC is wrong."""


def _mac(body: dict) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(current_key(), ("anchor:" + canonical).encode(), hashlib.sha256).hexdigest()


async def current_head(uow: Callable[..., Any] = unit_of_work) -> Head:
    """The chain's newest row and the number of rows (one cheap query each)."""
    async with uow(write=False) as work:
        row = await work.audit.newest()
        count = await work.audit.count_all()
    return Head(row.id if row else None, row.hash if row else "", count)


def write_anchor(path: Path, head: Head, *, at: datetime | None = None) -> dict:
    """Append ``head`` to the anchor file (created 0600) and log it; answers the line written."""
    body = {"at": iso(at or utcnow()), "last_id": head.last_id, "hash": head.hash, "count": head.count}
    line = {**body, "mac": _mac(body)}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())
    log.info("audit anchor last_id=%s count=%s hash=%s", head.last_id, head.count, head.hash)
    return line


def read_anchors(path: Path) -> list[Head]:
    """Every anchor of the file, oldest first; raise AnchorFileError on a line that is not one of ours."""
    if not path.exists():
        return []
    anchors = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
            body = {k: line[k] for k in ("at", "last_id", "hash", "count")}
        except (ValueError, KeyError, TypeError):
            raise AnchorFileError(f"{path}:{number} is not an anchor line") from None
        if not hmac.compare_digest(str(line.get("mac", "")), _mac(body)):
            raise AnchorFileError(f"{path}:{number}: the anchor's MAC does not match (edited, or another key)")
        anchors.append(Head(body["last_id"], body["hash"], int(body["count"])))
    return anchors


def last_anchor_line(path: Path, *, before: datetime | None = None) -> dict | None:
    """The newest anchor line (optionally the newest written before ``before``), for reports."""
    if not path.exists():
        return None
    found = None
    for text in path.read_text(encoding="utf-8").splitlines():
        try:
            line = json.loads(text)
        except ValueError:
            continue
        if before is None or datetime.fromisoformat(line["at"]) < before:
            found = line
    return found


def anchored_today(path: Path, now: datetime) -> bool:
    line = last_anchor_line(path)
    if not line:
        return False
    return datetime.fromisoformat(line["at"]).astimezone(SHANGHAI).date() == now.astimezone(SHANGHAI).date()


async def anchor_daily(path: Path, now: datetime) -> bool:
    """Write today's anchor unless one exists (the worker calls this every sweep)."""
    if anchored_today(path, now):
        return False
    write_anchor(path, await current_head(), at=now)
    return True

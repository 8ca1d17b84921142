"""The audit trail: append-only rows chained by keyed hashes, so an edited or removed row shows.

hash = HMAC-SHA256(CHECKUP_AUDIT_KEY, prev_hash + canonical JSON of the row). The key lives in the
settings, never in the database: someone who can write the table cannot recompute the chain after
deleting or editing rows. The chain's head (last id, hash, row count) is anchored outside the
database (services/audit_anchor.py), so cutting rows off the end or emptying the table shows too. Appending takes the chain's tail under a
row lock (MySQL/MariaDB) or the single SQLite writer, inside the caller's transaction, so a change
and its audit row commit together and concurrent writers cannot fork the chain. There is no
update or delete path: rows are only ever created here. Rows are kept at least 180 days (no
deletion job exists); see docs/console-api.md.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from checkup.db.uow import unit_of_work
from checkup.domain.clock import SHANGHAI, iso, utcnow
from checkup.domain.masking import mask_personal_data, mask_personal_text
from checkup.services.tx import retry_deadlocks

if TYPE_CHECKING:
    from checkup.db.models import AuditLog

SUCCESS = "success"
FAILURE = "failure"
RETENTION_DAYS = 180
T = TypeVar("T")
# The sandbox default of CHECKUP_AUDIT_KEY; a production start refuses it (config.py).
DEFAULT_KEY = "sandbox-test-audit-chain-hmac-key"
_key: bytes = DEFAULT_KEY.encode()


def set_key(key: str) -> None:
    """The chain's HMAC key for this process (from CHECKUP_AUDIT_KEY; build_deps and the CLI call this)."""
    global _key
    _key = key.encode("utf-8")


def current_key() -> bytes:
    return _key


@dataclass
class AuditEntry:
    """One audited call in progress: the route fills who and where, the use case what and how."""

    action: str
    actor: str = ""
    ip: str = ""
    target: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    row_id: int | None = None  # set once a row is written (it may still roll back with its transaction)
    skip: bool = False  # the call turned out not to need a row (e.g. a report viewed, not exported)

    def change(self, *, target: str | None = None, before: Any = None, after: Any = None, **extra: Any) -> None:
        """Say which record changes and how; called by the use case before it commits."""
        if target is not None:
            self.target = target
        if before is not None:
            self.detail["before"] = before
        if after is not None:
            self.detail["after"] = after
        self.detail.update(extra)


def _plain(value: Any) -> Any:
    """The JSON form stored and hashed (dates as ISO text), so what is read back hashes the same; phone
    and ID numbers in any written form are masked (an audit row is kept 180 days and exported)."""
    return mask_personal_data(json.loads(json.dumps(value, ensure_ascii=False, default=_default)))


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return sorted(value)
    return str(value)


def _at_text(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def row_hash(*, prev_hash: str, at: datetime, actor: str, ip: str, action: str, target: str, outcome: str,
             detail: Any, key: bytes | None = None) -> str:
    body = {
        "at": _at_text(at), "actor": actor, "ip": ip, "action": action, "target": target,
        "outcome": outcome, "detail": detail,
    }
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hmac.new(_key if key is None else key, (prev_hash + canonical).encode("utf-8"), hashlib.sha256).hexdigest()


UowFactory = Callable[..., Any]  # Deps.uow: ``factory(write=...)`` gives a unit of work


def _factory(uow: UowFactory | None) -> UowFactory:
    return uow if uow is not None else unit_of_work


async def append(entry: AuditEntry, *, outcome: str, uow: Any) -> AuditLog:
    """Write ``entry`` as the next row of the chain inside the caller's transaction: the unit of work ``uow``
    (its ``audit`` repository)."""
    repo = uow.audit
    prev = await repo.lock_chain_tail()
    at = utcnow()
    detail = _plain(entry.detail)
    values = dict(actor=entry.actor[:64], ip=entry.ip[:64], action=entry.action[:64],
                  target=mask_personal_text(entry.target)[:128], outcome=outcome)
    digest = row_hash(prev_hash=prev, at=at, detail=detail, actor=values["actor"], ip=values["ip"],
                      action=values["action"], target=values["target"], outcome=outcome)
    row = await repo.add(at=at, detail=detail, prev_hash=prev, hash=digest, **values)
    entry.row_id = row.id
    return row


async def record(entry: AuditEntry, *, outcome: str, uow: UowFactory | None = None) -> AuditLog:
    """Write ``entry`` in a transaction of its own (failures, logins, calls without a transaction);
    ``uow`` is the unit-of-work factory (``deps.uow``), the application's by default."""

    async def attempt() -> AuditLog:
        async with _factory(uow)() as work:
            return await append(entry, outcome=outcome, uow=work)

    return await retry_deadlocks(attempt)


@asynccontextmanager
async def audited_work(entry: AuditEntry, *, uow: UowFactory | None = None) -> AsyncIterator[Any]:
    """A unit of work whose success row is written inside it: the change and its audit commit together."""
    async with _factory(uow)() as work:
        yield work
        await append(entry, outcome=SUCCESS, uow=work)


async def audited_change(entry: AuditEntry, op: Callable[[Any], Awaitable[T]], *, uow: UowFactory) -> T:
    """Run ``op`` with a unit of work from ``uow`` (the factory, ``deps.uow``) whose success row is written in
    the same transaction; again if the database picks it as a deadlock victim."""

    async def attempt() -> T:
        async with audited_work(entry, uow=uow) as work:
            return await op(work)

    return await retry_deadlocks(attempt)


async def written(entry: AuditEntry, *, uow: UowFactory | None = None) -> bool:
    """True when the entry's row was committed (not rolled back with a failed transaction)."""
    if entry.row_id is None:
        return False
    async with _factory(uow)(write=False) as work:
        return await work.audit.exists(entry.row_id)


# ---- reading and verifying ----------------------------------------------------------------------
@dataclass(frozen=True)
class Head:
    """Where the chain ends: what an anchor records outside the database."""

    last_id: int | None
    hash: str
    count: int


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    last_id: int | None = None
    last_hash: str = ""
    broken_id: int | None = None
    reason: str = ""
    anchors_checked: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @property
    def head(self) -> Head:
        return Head(self.last_id, self.last_hash, self.checked)


async def verify_chain(*, batch: int = 1000, anchors: list[Head] = (),  # type: ignore[assignment]
                       uow: UowFactory | None = None) -> ChainReport:
    """Recompute every row's keyed hash in id order; report the first row that does not fit the chain,
    and any anchored head the table no longer reaches (rows cut off the end, the table emptied)."""
    pending = {a.last_id: a for a in anchors if a.last_id}
    async with _factory(uow)(write=False) as work:
        return await _verify(work.audit, batch=batch, pending=pending)


async def _verify(repo: Any, *, batch: int, pending: dict[int, Head]) -> ChainReport:
    prev = ""
    checked = 0
    last_id = 0
    seen = 0
    while True:
        rows = await repo.after(last_id, limit=batch)
        if not rows:
            break
        for row in rows:
            if row.prev_hash != prev:
                return ChainReport(False, checked, broken_id=row.id, reason="prev_hash does not match the row before")
            expected = row_hash(prev_hash=prev, at=row.at, actor=row.actor, ip=row.ip, action=row.action,
                                target=row.target, outcome=row.outcome, detail=row.detail)
            if not hmac.compare_digest(row.hash, expected):
                return ChainReport(False, checked, broken_id=row.id,
                                   reason="row content does not match its keyed hash (edited, or chained without the key)")
            prev = row.hash
            checked += 1
            last_id = row.id
            anchor = pending.pop(row.id, None)
            if anchor is not None:
                seen += 1
                if anchor.hash != row.hash or anchor.count != checked:
                    return ChainReport(False, checked, broken_id=row.id,
                                       reason=f"row {row.id} differs from its anchor (anchored {anchor.count} rows, "
                                              f"hash {anchor.hash[:16]}): rows before it were removed or replaced")
    if pending:
        missing = min(pending)
        return ChainReport(False, checked, last_id=last_id or None, last_hash=prev, broken_id=missing,
                           reason=f"anchored row {missing} ({pending[missing].count} rows) is missing: the table was "
                                  f"truncated or rows were deleted", anchors_checked=seen)
    return ChainReport(True, checked, last_id=last_id or None, last_hash=prev, anchors_checked=seen)


def row_json(row: AuditLog) -> dict[str, Any]:
    return {
        "id": row.id, "at": iso(row.at), "actor": row.actor, "ip": row.ip, "action": row.action,
        "target": row.target, "outcome": row.outcome, "detail": row.detail,
    }


async def search(*, start: date | None, end: date | None, actor: str | None, action: str | None,
                 outcome: str | None, page: int, page_size: int, uow: UowFactory | None = None) -> dict[str, Any]:
    """Newest first; days are Asia/Shanghai; ``action`` matches a prefix (``quota`` finds quota.*)."""
    async with _factory(uow)(write=False) as work:
        rows, total = await work.audit.search_page(
            low=_day_start(start) if start else None, high=_day_start(end + timedelta(days=1)) if end else None,
            actor=actor, action_prefix=action, outcome=outcome, offset=(page - 1) * page_size, limit=page_size)
    return {"items": [row_json(r) for r in rows], "total": total}


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=SHANGHAI).astimezone(UTC)

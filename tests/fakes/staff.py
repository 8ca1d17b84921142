"""In-memory staff and audit repositories (issue 15) with the methods of checkup.db.repos.staff.StaffRepository
and checkup.db.repos.audit.AuditRepository that the use cases call.

A write unit of work works on a copy of its tables and puts them back only on commit, so a test can show that a
failed use case leaves neither its change nor its audit row (``staged_uow_factory``); rows read are copies, so a
change a use case makes to a row it read stays out of the tables unless it saves the row, as with a database.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Any

from checkup.db.errors import UniqueViolation
from fakes.uow import FakeDatabase, FakeUnitOfWork

STAFF, SESSIONS, AUDIT = "staff_user", "staff_session", "audit_log"


@dataclass
class FakeStaffUser:
    id: int
    username: str
    name: str
    password_hash: str
    roles: list[str] = field(default_factory=list)
    is_active: bool = True
    failed_logins: int = 0
    locked_until: datetime | None = None
    last_login_at: datetime | None = None
    must_change_password: bool = False
    password_changed_at: datetime | None = None
    created_at: datetime | None = None


@dataclass
class FakeStaffSession:
    id: str
    staff_id: int
    last_seen_at: datetime
    ip: str = ""
    revoked_at: datetime | None = None
    staff: FakeStaffUser | None = None


@dataclass
class FakeAuditRow:
    id: int
    at: datetime
    actor: str
    ip: str
    action: str
    target: str
    outcome: str
    detail: Any
    prev_hash: str
    hash: str


class StagedRepository:
    """A fake repository whose writes inside a write unit of work land on commit only."""

    tables: tuple[str, ...] = ()

    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self._view: dict[str, dict[Any, Any]] | None = None  # None: straight to the tables (no transaction)

    def begin(self) -> None:
        self._view = {t: {k: copy.deepcopy(v) for k, v in self.db.table(t).items()} for t in self.tables}

    def commit(self) -> None:
        if self._view is not None:
            self.db.tables.update(self._view)
        self._view = None

    def rollback(self) -> None:
        self._view = None

    def table(self, name: str) -> dict[Any, Any]:
        return self._view[name] if self._view is not None else self.db.table(name)


class FakeStaffRepository(StagedRepository):
    tables = (STAFF, SESSIONS)

    def _users(self) -> list[FakeStaffUser]:
        return sorted(self.table(STAFF).values(), key=lambda u: u.id)

    async def any_account(self) -> bool:
        return bool(self.table(STAFF))

    async def username_taken(self, username: str) -> bool:
        return any(u.username == username for u in self._users())

    async def add(self, *, username: str, name: str, password_hash: str, roles: list[str],
                  must_change_password: bool) -> FakeStaffUser:
        if await self.username_taken(username):
            raise UniqueViolation(f"Duplicate entry '{username}' for key 'username'")
        user = FakeStaffUser(id=self.db.new_id(STAFF), username=username, name=name, password_hash=password_hash,
                             roles=list(roles), must_change_password=must_change_password)
        self.table(STAFF)[user.id] = user
        return copy.deepcopy(user)

    async def count_all(self) -> int:
        return len(self.table(STAFF))

    async def page(self, *, offset: int, limit: int) -> list[FakeStaffUser]:
        return copy.deepcopy(self._users()[offset:offset + limit])

    async def all_accounts(self) -> list[FakeStaffUser]:
        return copy.deepcopy(self._users())

    async def lock_active(self) -> list[FakeStaffUser]:
        return copy.deepcopy([u for u in self._users() if u.is_active])

    async def by_username(self, username: str, *, lock: bool = False) -> FakeStaffUser | None:
        return next((copy.deepcopy(u) for u in self._users() if u.username == username), None)

    async def by_id(self, staff_id: int, *, lock: bool = False) -> FakeStaffUser | None:
        user = self.table(STAFF).get(staff_id)
        return copy.deepcopy(user) if user is not None else None

    async def save(self, user: FakeStaffUser, fields: Any = None) -> None:
        stored = self.table(STAFF)[user.id]
        for name in fields if fields is not None else vars(user):
            setattr(stored, name, copy.deepcopy(getattr(user, name)))

    async def set_failed_logins(self, staff_id: int, failed: int) -> None:
        self.table(STAFF)[staff_id].failed_logins = failed

    async def record_login(self, staff_id: int, *, now: datetime, new_hash: str | None) -> None:
        user = self.table(STAFF)[staff_id]
        user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
        if new_hash:
            user.password_hash = new_hash

    async def set_own_password(self, staff_id: int, *, password_hash: str, now: datetime) -> None:
        user = self.table(STAFF)[staff_id]
        user.password_hash, user.failed_logins, user.locked_until = password_hash, 0, None
        user.must_change_password, user.password_changed_at = False, now

    async def open_session(self, *, session_id: str, staff_id: int, now: datetime, ip: str) -> FakeStaffSession:
        session = FakeStaffSession(id=session_id, staff_id=staff_id, last_seen_at=now, ip=ip)
        self.table(SESSIONS)[session_id] = session
        return copy.deepcopy(session)

    async def session_with_staff(self, session_id: str) -> FakeStaffSession | None:
        session = self.table(SESSIONS).get(session_id)
        if session is None:
            return None
        found = copy.deepcopy(session)
        found.staff = copy.deepcopy(self.table(STAFF)[session.staff_id])
        return found

    async def touch_session(self, session_id: str, now: datetime) -> None:
        session = self.table(SESSIONS).get(session_id)
        if session is not None and session.revoked_at is None:
            session.last_seen_at = now

    async def end_session(self, session_id: str, now: datetime) -> int:
        session = self.table(SESSIONS).get(session_id)
        if session is None or session.revoked_at is not None:
            return 0
        session.revoked_at = now
        return 1

    async def end_sessions(self, staff_id: int, now: datetime, *, keep: str | None = None) -> int:
        ended = 0
        for session in self.table(SESSIONS).values():
            if session.staff_id == staff_id and session.revoked_at is None and session.id != keep:
                session.revoked_at = now
                ended += 1
        return ended


class FakeAuditRepository(StagedRepository):
    tables = (AUDIT,)

    def _rows(self) -> list[FakeAuditRow]:
        return sorted(self.table(AUDIT).values(), key=lambda r: r.id)

    async def lock_chain_tail(self) -> str:
        rows = self._rows()
        return rows[-1].hash if rows else ""

    async def add(self, *, at: datetime, actor: str, ip: str, action: str, target: str, outcome: str,
                  detail: Any, prev_hash: str, hash: str) -> FakeAuditRow:
        row = FakeAuditRow(id=self.db.new_id(AUDIT), at=at, actor=actor, ip=ip, action=action, target=target,
                           outcome=outcome, detail=copy.deepcopy(detail), prev_hash=prev_hash, hash=hash)
        self.table(AUDIT)[row.id] = row
        return copy.deepcopy(row)

    async def exists(self, row_id: int) -> bool:
        return row_id in self.table(AUDIT)

    async def after(self, last_id: int, *, limit: int) -> list[FakeAuditRow]:
        return copy.deepcopy([r for r in self._rows() if r.id > last_id][:limit])

    async def newest(self) -> FakeAuditRow | None:
        rows = self._rows()
        return copy.deepcopy(rows[-1]) if rows else None

    async def count_all(self) -> int:
        return len(self.table(AUDIT))


FakeUnitOfWork.repositories.update(staff=FakeStaffRepository, audit=FakeAuditRepository)


class StagedFakeUnitOfWork(FakeUnitOfWork):
    """A FakeUnitOfWork whose staged repositories keep a write unit's changes until it commits."""

    def _staged(self) -> list[StagedRepository]:
        return [repo for name in self.repositories if isinstance(repo := getattr(self, name), StagedRepository)]

    async def __aenter__(self) -> StagedFakeUnitOfWork:
        if self.write:
            for repo in self._staged():
                repo.begin()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self.write:
            for repo in self._staged():
                repo.commit() if exc is None else repo.rollback()
        await super().__aexit__(exc_type, exc, tb)


def staged_uow_factory(db: FakeDatabase) -> Any:
    """What ``Deps.uow`` (or a use case's ``uow=``) is set to in a test that looks at rollbacks."""

    def make(*, write: bool = True) -> StagedFakeUnitOfWork:
        return StagedFakeUnitOfWork(db, write=write)

    return make

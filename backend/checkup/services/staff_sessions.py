"""Console login: lockout after repeated failures, sessions with an idle timeout, logout.

- 5 consecutive failed logins lock the account for 30 minutes (ACCOUNT_LOCKED with locked_until);
  a successful login or an expired lock starts the count again.
- An unknown username, a stopped account and a wrong password all answer INVALID_CREDENTIALS after
  the same argon2 work, so the answer does not tell which usernames exist.
- A login opens a StaffSession; the signed token carries its id. A session ends after 30 minutes
  without a request (SESSION_EXPIRED), after 12 hours in any case, or at logout.
- A member changing their own password gives the current one first: a wrong one counts as a failed
  login (and can lock the account); the change ends the member's other sessions, not this one.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from checkup.db.models import StaffSession, StaffUser
from checkup.domain.clock import iso
from checkup.domain.errors import (
    AccountLocked,
    InvalidCredentials,
    PasswordUnchanged,
    SessionExpired,
    Unauthorized,
    WeakPassword,
    WrongCurrentPassword,
)
from checkup.domain.password_policy import check_password
from checkup.services.audit import FAILURE, AuditEntry, append, audited_change, record
from checkup.services.deps import Deps
from checkup.services.staff import hash_password, needs_rehash, verify_nobody, verify_password
from checkup.services.tx import retry_deadlocks

STAFF_TOKEN = "staff"
MAX_FAILED_LOGINS = 5
LOCK_DURATION = timedelta(minutes=30)
IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_TTL = 12 * 3600  # seconds: a working day, whatever the activity
TOUCH_INTERVAL = timedelta(seconds=30)  # last_seen_at is written at most this often per session


def _locked(user: StaffUser, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


async def login(deps: Deps, *, username: str, password: str, ip: str, entry: AuditEntry) -> dict[str, Any]:
    """Check the password and open a session; every attempt leaves an audit row."""
    now = deps.now()
    entry.actor = username
    entry.target = f"staff:{username}"
    user = await StaffUser.get_or_none(username=username)
    if user is None or not user.is_active:
        await asyncio.to_thread(verify_nobody, password)
        entry.change(reason="unknown_user" if user is None else "inactive")
        await record(entry, outcome=FAILURE)
        raise InvalidCredentials()
    if _locked(user, now):
        entry.change(reason="locked", locked_until=user.locked_until)
        await record(entry, outcome=FAILURE)
        raise AccountLocked(locked_until=iso(user.locked_until))
    if not await asyncio.to_thread(verify_password, user.password_hash, password):
        await _failed(user, now=now, entry=entry)  # raises
    return await _open_session(deps, user, password=password, ip=ip, now=now, entry=entry)


async def _failed(user: StaffUser, *, now: datetime, entry: AuditEntry) -> None:
    locked_until = await retry_deadlocks(lambda: _count_failure(user, now=now, entry=entry))
    if locked_until is not None:
        raise AccountLocked(locked_until=iso(locked_until))
    raise InvalidCredentials()  # no attempts-left count: it would tell that the username exists


async def _count_failure(user: StaffUser, *, now: datetime, entry: AuditEntry) -> datetime | None:
    async with in_transaction() as conn:
        row = await StaffUser.filter(id=user.id).select_for_update().using_db(conn).first()
        assert row is not None
        still_locked = _locked(row, now)
        lock_over = row.locked_until is not None and not still_locked
        failed = (0 if lock_over else row.failed_logins) + 1
        locked_until = row.locked_until if still_locked else None
        if locked_until is None and failed >= MAX_FAILED_LOGINS:
            locked_until = now + LOCK_DURATION
        await StaffUser.filter(id=row.id).using_db(conn).update(failed_logins=failed, locked_until=locked_until)
        entry.change(reason="wrong_password", failed_logins=failed, locked_until=locked_until)
        await append(entry, outcome=FAILURE, conn=conn)
    return locked_until


async def _open_session(deps: Deps, user: StaffUser, *, password: str, ip: str, now: datetime,
                        entry: AuditEntry) -> dict[str, Any]:
    session_id = secrets.token_urlsafe(32)
    new_hash = await asyncio.to_thread(hash_password, password) if needs_rehash(user.password_hash) else None

    async def change(conn) -> StaffUser:
        row = await StaffUser.filter(id=user.id).select_for_update().using_db(conn).first()
        if row is None or not row.is_active:
            raise InvalidCredentials()
        if _locked(row, now):  # locked by concurrent failures while this password was checked
            raise AccountLocked(locked_until=iso(row.locked_until))
        values: dict[str, Any] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if new_hash:
            values["password_hash"] = new_hash
        await StaffUser.filter(id=row.id).using_db(conn).update(**values)
        await StaffSession.create(using_db=conn, id=session_id, staff_id=row.id, last_seen_at=now, ip=ip[:64])
        entry.change(session=session_id[:8], rehashed=bool(new_hash))
        return row

    row = await audited_change(entry, change)
    token = deps.tokens.issue(kind=STAFF_TOKEN, subject=str(user.id), ttl=SESSION_TTL, now=now, session=session_id)
    return {
        "token": token,
        "expires_in": SESSION_TTL,
        "idle_timeout": int(IDLE_TIMEOUT.total_seconds()),
        "staff": {"username": row.username, "name": row.name, "roles": list(row.roles or [])},
    }


@dataclass(frozen=True)
class StaffIdentity:
    user: StaffUser
    session_id: str


async def authenticate(deps: Deps, token: str) -> StaffIdentity:
    """The staff member behind a token, with a live session; slides the idle timeout."""
    now = deps.now()
    claims = deps.tokens.verify(token, kind=STAFF_TOKEN, now=now)
    session = await StaffSession.get_or_none(id=claims.session).select_related("staff") if claims.session else None
    if session is None or session.revoked_at is not None or str(session.staff_id) != claims.subject:
        raise Unauthorized("登录已失效，请重新登录")
    if not session.staff.is_active:
        raise Unauthorized("账号已停用，请联系管理员")
    idle = now - session.last_seen_at
    if idle > IDLE_TIMEOUT:
        raise SessionExpired()
    if idle >= TOUCH_INTERVAL:
        await StaffSession.filter(id=session.id, revoked_at=None).update(last_seen_at=now)
    return StaffIdentity(user=session.staff, session_id=session.id)


async def logout(*, session_id: str, now: datetime, entry: AuditEntry) -> None:
    entry.change(target=f"session:{session_id[:8]}")

    async def change(conn) -> None:
        await StaffSession.filter(id=session_id, revoked_at=None).using_db(conn).update(revoked_at=now)

    await audited_change(entry, change)


async def change_password(deps: Deps, *, user: StaffUser, session_id: str, current_password: str,
                          new_password: str, entry: AuditEntry) -> None:
    """Set a member's own password after checking the current one; ends their other sessions."""
    now = deps.now()
    entry.change(target=f"staff:{user.username}")
    row = await StaffUser.get_or_none(id=user.id)
    if row is None or not row.is_active:
        raise Unauthorized("账号已停用，请联系管理员")
    if _locked(row, now):  # a session must not be a way round the lockout
        entry.change(reason="locked", locked_until=row.locked_until)
        raise AccountLocked(locked_until=iso(row.locked_until))
    if not await asyncio.to_thread(verify_password, row.password_hash, current_password):
        locked_until = await retry_deadlocks(lambda: _count_failure(row, now=now, entry=entry))
        if locked_until is not None:
            raise AccountLocked(locked_until=iso(locked_until))
        raise WrongCurrentPassword(field="current_password")
    try:
        check_password(new_password)
    except WeakPassword as exc:
        raise WeakPassword(exc.message, field="new_password") from None
    if new_password == current_password:
        raise PasswordUnchanged(field="new_password")
    new_hash = await asyncio.to_thread(hash_password, new_password)

    async def change(conn) -> None:
        locked = await StaffUser.filter(id=row.id).select_for_update().using_db(conn).first()
        if locked is None or locked.password_hash != row.password_hash:
            raise WrongCurrentPassword("密码已被修改，请重新输入当前密码", field="current_password")
        await StaffUser.filter(id=row.id).using_db(conn).update(password_hash=new_hash, failed_logins=0,
                                                               locked_until=None)
        ended = await StaffSession.filter(staff_id=row.id, revoked_at=None).exclude(id=session_id).using_db(
            conn).update(revoked_at=now)
        entry.change(password_changed=True, sessions_ended=ended)

    await audited_change(entry, change)

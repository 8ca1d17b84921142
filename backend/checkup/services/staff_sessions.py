"""Console login: progressive delays after repeated failures, sessions with an idle timeout, logout.

- Failures slow the guesser down instead of locking the account (services/login_throttle.py): the
  address that keeps failing waits longer and longer (429 RATE_LIMITED), other addresses are not
  locked out, so nobody can lock the admin out. failed_logins counts consecutive failures for the
  account list and the security self-check; a success starts it again.
- An unknown username, a stopped account and a wrong password all answer INVALID_CREDENTIALS after
  the same argon2 work, so the answer does not tell which usernames exist.
- An account whose password was set by someone else (a new account, an admin's or the CLI's reset,
  the generated first admin) must change it first: the login answers must_change_password, and
  every other console call answers 403 PASSWORD_CHANGE_REQUIRED until POST /api/console/me/password.
- A login opens a StaffSession; the signed token carries its id. A session ends after 30 minutes
  without a request (SESSION_EXPIRED), after 12 hours in any case, or at logout.
- A member changing their own password gives the current one first: a wrong one counts as a failed
  login (it is delayed like one); the change ends the member's other sessions, not this one.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from checkup.db.uow import unit_of_work
from checkup.domain.errors import (
    InvalidCredentials,
    PasswordUnchanged,
    RateLimited,
    SessionExpired,
    Unauthorized,
    WeakPassword,
    WrongCurrentPassword,
)
from checkup.domain.password_policy import check_password
from checkup.services.audit import FAILURE, AuditEntry, append, audited_change, record
from checkup.services.deps import Deps
from checkup.services.login_throttle import LoginThrottle, delay_after
from checkup.services.staff import hash_password, needs_rehash, verify_nobody, verify_password
from checkup.services.tx import retry_deadlocks

if TYPE_CHECKING:
    from checkup.db.models import StaffUser

STAFF_TOKEN = "staff"  # noqa: S105 - the kind of token, not a secret
IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_TTL = 12 * 3600  # seconds: a working day, whatever the activity
TOUCH_INTERVAL = timedelta(seconds=30)  # last_seen_at is written at most this often per session


async def login(deps: Deps, *, username: str, password: str, ip: str, entry: AuditEntry,
                throttle: LoginThrottle | None = None) -> dict[str, Any]:
    """Check the password and open a session; every checked attempt leaves an audit row (an attempt
    refused by the throttle is not checked and not recorded row by row: see login_throttle)."""
    now = deps.now()
    entry.actor = username
    entry.target = f"staff:{username}"
    if throttle is not None:
        try:
            await throttle.before_attempt(username, ip)
        except RateLimited:
            entry.skip = True
            raise
    async with deps.uow(write=False) as work:
        user = await work.staff.by_username(username)
    if user is None or not user.is_active:
        await asyncio.to_thread(verify_nobody, password)
        entry.change(reason="unknown_user" if user is None else "inactive")
        await record(entry, outcome=FAILURE, uow=deps.uow)
        if throttle is not None:
            await throttle.failed(username, ip)
        raise InvalidCredentials()
    if not await asyncio.to_thread(verify_password, user.password_hash, password):
        consecutive = await throttle.failed(username, ip) if throttle is not None else 0
        await retry_deadlocks(lambda: _count_failure(deps, user, entry=entry, delayed=delay_after(consecutive)))
        raise InvalidCredentials()  # no attempts-left count: it would tell that the username exists
    result = await _open_session(deps, user, password=password, ip=ip, now=now, entry=entry)
    if throttle is not None:
        await throttle.succeeded(username, ip)
    return result


async def _count_failure(deps: Deps, user: StaffUser, *, entry: AuditEntry, delayed: int = 0) -> int:
    async with deps.uow() as work:
        row = await work.staff.by_id(user.id, lock=True)
        if row is None:
            raise RuntimeError(f"staff user {user.id} vanished during login")
        failed = row.failed_logins + 1
        await work.staff.set_failed_logins(row.id, failed)
        delay: dict[str, Any] = {"delay_seconds": delayed} if delayed else {}
        entry.change(reason="wrong_password", failed_logins=failed, **delay)
        await append(entry, outcome=FAILURE, uow=work)
    return failed


async def _open_session(deps: Deps, user: StaffUser, *, password: str, ip: str, now: datetime,
                        entry: AuditEntry) -> dict[str, Any]:
    session_id = secrets.token_urlsafe(32)
    new_hash = await asyncio.to_thread(hash_password, password) if needs_rehash(user.password_hash) else None

    async def change(work: Any) -> StaffUser:
        row = await work.staff.by_id(user.id, lock=True)
        if row is None or not row.is_active:
            raise InvalidCredentials()
        await work.staff.record_login(row.id, now=now, new_hash=new_hash)
        await work.staff.open_session(session_id=session_id, staff_id=row.id, now=now, ip=ip[:64])
        entry.change(session=session_id[:8], rehashed=bool(new_hash))
        return row

    row = await audited_change(entry, change, uow=deps.uow)
    token = deps.tokens.issue(kind=STAFF_TOKEN, subject=str(user.id), ttl=SESSION_TTL, now=now, session=session_id)
    return {
        "token": token,
        "expires_in": SESSION_TTL,
        "idle_timeout": int(IDLE_TIMEOUT.total_seconds()),
        "staff": {"username": row.username, "name": row.name, "roles": list(row.roles or [])},
        "must_change_password": bool(row.must_change_password),
    }


@dataclass(frozen=True)
class StaffIdentity:
    user: StaffUser
    session_id: str


async def authenticate(deps: Deps, token: str) -> StaffIdentity:
    """The staff member behind a token, with a live session; slides the idle timeout."""
    now = deps.now()
    claims = deps.tokens.verify(token, kind=STAFF_TOKEN, now=now)
    session = None
    if claims.session:
        async with deps.uow(write=False) as work:
            session = await work.staff.session_with_staff(claims.session)
    if session is None or session.revoked_at is not None or str(session.staff_id) != claims.subject:
        raise Unauthorized("登录已失效，请重新登录")
    if not session.staff.is_active:
        raise Unauthorized("账号已停用，请联系管理员")
    idle = now - session.last_seen_at
    if idle > IDLE_TIMEOUT:
        raise SessionExpired()
    if idle >= TOUCH_INTERVAL:
        async with deps.uow(write=False) as work:
            await work.staff.touch_session(session.id, now)
    return StaffIdentity(user=session.staff, session_id=session.id)


async def logout(*, session_id: str, now: datetime, entry: AuditEntry,
                 uow: Callable[..., Any] = unit_of_work) -> None:
    entry.change(target=f"session:{session_id[:8]}")

    async def change(work: Any) -> None:
        await work.staff.end_session(session_id, now)

    await audited_change(entry, change, uow=uow)


async def change_password(deps: Deps, *, user: StaffUser, session_id: str, current_password: str,
                          new_password: str, entry: AuditEntry, ip: str = "",
                          throttle: LoginThrottle | None = None) -> None:
    """Set a member's own password after checking the current one; ends their other sessions."""
    now = deps.now()
    entry.change(target=f"staff:{user.username}")
    async with deps.uow(write=False) as work:
        row = await work.staff.by_id(user.id)
    if row is None or not row.is_active:
        raise Unauthorized("账号已停用，请联系管理员")
    if throttle is not None:  # a session must not be a way round the login's delays
        await throttle.before_attempt(row.username, ip)
    if not await asyncio.to_thread(verify_password, row.password_hash, current_password):
        consecutive = await throttle.failed(row.username, ip) if throttle is not None else 0
        await retry_deadlocks(lambda: _count_failure(deps, row, entry=entry, delayed=delay_after(consecutive)))
        raise WrongCurrentPassword(field="current_password")
    if new_password == current_password:
        raise PasswordUnchanged(field="new_password")
    try:
        check_password(new_password)
    except WeakPassword as exc:
        raise WeakPassword(exc.message, field="new_password") from None
    new_hash = await asyncio.to_thread(hash_password, new_password)

    async def change(work: Any) -> None:
        locked = await work.staff.by_id(row.id, lock=True)
        if locked is None or locked.password_hash != row.password_hash:
            raise WrongCurrentPassword("密码已被修改，请重新输入当前密码", field="current_password")
        await work.staff.set_own_password(row.id, password_hash=new_hash, now=now)
        ended = await work.staff.end_sessions(row.id, now, keep=session_id)
        entry.change(password_changed=True, sessions_ended=ended)

    await audited_change(entry, change, uow=deps.uow)

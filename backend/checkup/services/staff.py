"""Staff accounts: argon2 hashes, the password policy, the first admin, account management."""

from __future__ import annotations

import secrets
import string
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from checkup.db.errors import UniqueViolation
from checkup.db.uow import unit_of_work
from checkup.domain.clock import iso
from checkup.domain.errors import LastAdmin, NotFound, OwnAdminAccount, UsernameTaken
from checkup.domain.password_policy import check_password
from checkup.domain.roles import ADMIN, ALL_ROLES
from checkup.services.audit import AuditEntry, audited_change

if TYPE_CHECKING:
    from checkup.db.models import StaffUser

UowFactory = Callable[..., Any]  # Deps.uow

_hasher = PasswordHasher()
_dummy_hash: str | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def verify_nobody(password: str) -> None:
    """The same work as checking a real password, for unknown usernames (no timing difference)."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password(secrets.token_urlsafe(16))
    verify_password(_dummy_hash, password)


def generate_password(length: int = 16) -> str:
    """A random password that satisfies the policy (upper, lower, digit, symbol)."""
    alphabet = string.ascii_letters + string.digits + "!@#%^*-_=+"
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.islower() for c in pw)
            and any(c.isupper() for c in pw)
            and any(c.isdigit() for c in pw)
            and any(not c.isalnum() for c in pw)
        ):
            return pw


async def ensure_admin(*, password: str | None, uow: UowFactory = unit_of_work) -> str | None:
    """Create the first admin when no staff account exists; answers the password when generated."""
    async with uow(write=False) as work:
        if await work.staff.any_account():
            return None
    generated = None
    if not password:
        password = generated = generate_password()
    check_password(password)
    async with uow() as work:
        await work.staff.add(
            username="admin", name="系统管理员", password_hash=hash_password(password), roles=["admin"],
            must_change_password=generated is not None,  # printed on a terminal: changed at the first login
        )
    return generated or ""


# ---- account management (admin) -----------------------------------------------------------------
def account_json(user: StaffUser, *, now: datetime | None = None) -> dict[str, Any]:
    locked = user.locked_until if user.locked_until and (now is None or user.locked_until > now) else None
    return {
        "username": user.username,
        "name": user.name,
        "roles": list(user.roles or []),
        "active": user.is_active,
        "locked_until": iso(locked),
        "failed_logins": user.failed_logins,
        "must_change_password": bool(user.must_change_password),
        "last_login_at": iso(user.last_login_at),
        "created_at": iso(user.created_at),
    }


def _audit_view(user: StaffUser) -> dict[str, Any]:
    return {"name": user.name, "roles": list(user.roles or []), "active": user.is_active}


def _roles(roles: list[str]) -> list[str]:
    return [r for r in ALL_ROLES if r in set(roles)]  # canonical order, no duplicates


async def list_accounts(*, page: int, page_size: int, now: datetime, uow: UowFactory = unit_of_work) -> dict[str, Any]:
    async with uow(write=False) as work:
        total = await work.staff.count_all()
        rows = await work.staff.page(offset=(page - 1) * page_size, limit=page_size)
    return {"items": [account_json(u, now=now) for u in rows], "total": total}


async def create_account(*, username: str, name: str, password: str, roles: list[str], entry: AuditEntry,
                         now: datetime, uow: UowFactory = unit_of_work) -> dict[str, Any]:
    entry.change(target=f"staff:{username}")
    check_password(password)
    async with uow(write=False) as work:
        if await work.staff.username_taken(username):
            raise UsernameTaken(username=username)
    password_hash = hash_password(password)

    async def change(work: Any) -> StaffUser:
        user = await work.staff.add(username=username, name=name.strip(), password_hash=password_hash,
                                    roles=_roles(roles),
                                    must_change_password=True)  # the initial password is the admin's
        entry.change(after=_audit_view(user))
        return user

    try:
        user = await audited_change(entry, change, uow=uow)
    except UniqueViolation:
        raise UsernameTaken(username=username) from None
    return account_json(user, now=now)


async def update_account(*, username: str, changes: dict[str, Any], acting: StaffUser, acting_session: str,
                         entry: AuditEntry, now: datetime, uow: UowFactory = unit_of_work) -> dict[str, Any]:
    """Change name, roles, active or password; an admin keeps their own admin rights, one admin stays."""
    entry.change(target=f"staff:{username}")
    new_hash = None
    if "password" in changes:
        check_password(changes["password"])
        new_hash = hash_password(changes["password"])

    async def change(work: Any) -> StaffUser:
        # Lock every active account: concurrent changes cannot both remove "the other" last admin.
        active = await work.staff.lock_active()
        user = await work.staff.by_username(username)
        if user is None:
            raise NotFound("账号不存在")
        entry.change(before=_audit_view(user))
        if user.id == acting.id and (
            changes.get("active") is False or ("roles" in changes and ADMIN not in changes["roles"])
        ):
            raise OwnAdminAccount()
        revoke = False
        if "name" in changes:
            user.name = changes["name"].strip()
        if "roles" in changes:
            user.roles = _roles(changes["roles"])
        if "active" in changes:
            revoke = revoke or (user.is_active and not changes["active"])
            user.is_active = changes["active"]
        if "password" in changes:
            user.password_hash = new_hash
            user.password_changed_at = now
            user.failed_logins, user.locked_until = 0, None
            # set by someone else: its owner changes it at the next login (an admin's own stays)
            user.must_change_password = user.id != acting.id
            revoke = True
            entry.change(password_changed=True, must_change_password=user.must_change_password)
        if changes.get("unlock"):
            user.failed_logins, user.locked_until = 0, None
        remaining = [u for u in active if u.id != user.id and ADMIN in (u.roles or [])]
        if not remaining and not (user.is_active and ADMIN in user.roles):
            raise LastAdmin()
        await work.staff.save(user)
        if revoke:  # a stopped account or a new password ends the other sessions at once
            await work.staff.end_sessions(user.id, now, keep=acting_session)
        entry.change(after=_audit_view(user))
        return user

    user = await audited_change(entry, change, uow=uow)
    return account_json(user, now=now)


# ---- break-glass (the `checkup staff` command on the server) ---------------------------------------
async def cli_unlock(username: str, *, entry: AuditEntry, uow: UowFactory = unit_of_work) -> StaffUser:
    """Clear the account's failure count (and lock, from older versions); audited as the CLI's action."""
    entry.change(target=f"staff:{username}")

    async def change(work: Any) -> StaffUser:
        user = await work.staff.by_username(username, lock=True)
        if user is None:
            raise NotFound("账号不存在")
        entry.change(before={"failed_logins": user.failed_logins, "locked_until": user.locked_until})
        user.failed_logins, user.locked_until = 0, None
        await work.staff.save(user, ["failed_logins", "locked_until"])
        entry.change(after={"failed_logins": 0, "locked_until": None})
        return user

    return await audited_change(entry, change, uow=uow)


async def cli_reset_password(username: str, *, entry: AuditEntry, now: datetime,
                             uow: UowFactory = unit_of_work) -> str:
    """A generated password the owner must change at the next login; ends every session of the account;
    reactivates nothing (a stopped account stays stopped). Answers the new password (shown once)."""
    entry.change(target=f"staff:{username}")
    password = generate_password()
    new_hash = hash_password(password)

    async def change(work: Any) -> None:
        user = await work.staff.by_username(username, lock=True)
        if user is None:
            raise NotFound("账号不存在")
        user.password_hash = new_hash
        user.must_change_password = True
        user.password_changed_at = now
        user.failed_logins, user.locked_until = 0, None
        await work.staff.save(user, ["password_hash", "must_change_password", "failed_logins", "locked_until",
                                     "password_changed_at"])
        ended = await work.staff.end_sessions(user.id, now)
        entry.change(password_changed=True, must_change_password=True, sessions_ended=ended)

    await audited_change(entry, change, uow=uow)
    return password

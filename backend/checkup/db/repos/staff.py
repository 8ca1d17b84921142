"""The staff repository (issue 15): the statements of this aggregate, nowhere else.

Staff accounts (StaffUser) and their console sessions (StaffSession)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from checkup.db.models import StaffSession, StaffUser
from checkup.db.repos import Repository


class StaffRepository(Repository):
    __slots__ = ()

    # ---- accounts ----------------------------------------------------------------------------------
    async def any_account(self) -> bool:
        return await StaffUser.all().using_db(self.conn).exists()

    async def username_taken(self, username: str) -> bool:
        return await StaffUser.filter(username=username).using_db(self.conn).exists()

    async def add(self, *, username: str, name: str, password_hash: str, roles: list[str],
                  must_change_password: bool) -> StaffUser:
        """A new account; a taken username raises UniqueViolation (db/errors.py)."""
        return await StaffUser.create(using_db=self.conn, username=username, name=name, password_hash=password_hash,
                                      roles=roles, must_change_password=must_change_password)

    async def count_all(self) -> int:
        return await StaffUser.all().using_db(self.conn).count()

    async def page(self, *, offset: int, limit: int) -> list[StaffUser]:
        return await StaffUser.all().using_db(self.conn).order_by("id").offset(offset).limit(limit)

    async def all_accounts(self) -> list[StaffUser]:
        """Every account in id order (the security self-check and export)."""
        return await StaffUser.all().using_db(self.conn).order_by("id")

    async def lock_active(self) -> list[StaffUser]:
        """Every active account, locked: concurrent changes cannot both remove "the other" last admin."""
        return await StaffUser.filter(is_active=True).select_for_update().using_db(self.conn)

    async def by_username(self, username: str, *, lock: bool = False) -> StaffUser | None:
        query = StaffUser.filter(username=username).using_db(self.conn)
        return await (query.select_for_update() if lock else query).first()

    async def by_id(self, staff_id: int, *, lock: bool = False) -> StaffUser | None:
        query = StaffUser.filter(id=staff_id).using_db(self.conn)
        return await (query.select_for_update() if lock else query).first()

    async def save(self, user: StaffUser, fields: Iterable[str] | None = None) -> None:
        await user.save(using_db=self.conn, update_fields=list(fields) if fields is not None else None)

    async def set_failed_logins(self, staff_id: int, failed: int) -> None:
        await StaffUser.filter(id=staff_id).using_db(self.conn).update(failed_logins=failed)

    async def record_login(self, staff_id: int, *, now: datetime, new_hash: str | None) -> None:
        """A successful login: the failure count starts again; ``new_hash`` replaces an outdated hash."""
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if new_hash:
            values["password_hash"] = new_hash
        await StaffUser.filter(id=staff_id).using_db(self.conn).update(**values)

    async def set_own_password(self, staff_id: int, *, password_hash: str, now: datetime) -> None:
        """The member set their own password: nothing left to change, no failures counted."""
        await StaffUser.filter(id=staff_id).using_db(self.conn).update(
            password_hash=password_hash, failed_logins=0, locked_until=None, must_change_password=False,
            password_changed_at=now)

    # ---- sessions ----------------------------------------------------------------------------------
    async def open_session(self, *, session_id: str, staff_id: int, now: datetime, ip: str) -> StaffSession:
        return await StaffSession.create(using_db=self.conn, id=session_id, staff_id=staff_id, last_seen_at=now,
                                         ip=ip)

    async def session_with_staff(self, session_id: str) -> StaffSession | None:
        """The session and (``session.staff``) its account."""
        return await StaffSession.filter(id=session_id).using_db(self.conn).select_related("staff").first()

    async def touch_session(self, session_id: str, now: datetime) -> None:
        await StaffSession.filter(id=session_id, revoked_at=None).using_db(self.conn).update(last_seen_at=now)

    async def end_session(self, session_id: str, now: datetime) -> int:
        return await StaffSession.filter(id=session_id, revoked_at=None).using_db(self.conn).update(revoked_at=now)

    async def end_sessions(self, staff_id: int, now: datetime, *, keep: str | None = None) -> int:
        """End every open session of the account (but ``keep``); answers how many ended."""
        query = StaffSession.filter(staff_id=staff_id, revoked_at=None)
        if keep is not None:
            query = query.exclude(id=keep)
        return await query.using_db(self.conn).update(revoked_at=now)

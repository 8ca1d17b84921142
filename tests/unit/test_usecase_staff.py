"""Staff account use cases against the in-memory unit of work (issue 15): no database, no server.

They show what the use cases promise whatever the database: a taken username is refused before anything is
written; an audited change commits its audit row in its own unit of work, chained to the row before; a refused
change (the last admin) rolls back with its audit row; a password set by an admin ends the other sessions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from checkup.domain.errors import LastAdmin, UsernameTaken
from checkup.services import staff
from checkup.services.audit import AuditEntry, verify_chain
from fakes.staff import AUDIT, SESSIONS, STAFF, FakeStaffUser, staged_uow_factory
from fakes.uow import FakeDatabase

NOW = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)
PASSWORD = "Strong-pass-123"


@pytest.fixture(autouse=True)
def _fast_hashes(monkeypatch):
    """argon2 is slow on purpose; what is stored is all these tests look at."""
    monkeypatch.setattr(staff, "hash_password", lambda password: f"hashed:{password}")


def _db_with(*users: FakeStaffUser) -> FakeDatabase:
    db = FakeDatabase()
    for user in users:
        db.table(STAFF)[user.id] = user
        db.next_ids[STAFF] = max(db.next_ids.get(STAFF, 0), user.id)
    return db


def _admin(user_id: int = 1, username: str = "root") -> FakeStaffUser:
    return FakeStaffUser(id=user_id, username=username, name="管理员", password_hash="x", roles=["admin"])


async def test_creating_an_account_with_a_taken_username_is_refused_and_writes_nothing():
    db = _db_with(_admin())
    entry = AuditEntry(action="staff.create", actor="root")
    with pytest.raises(UsernameTaken):
        await staff.create_account(username="root", name="又一个", password=PASSWORD, roles=["staff"], entry=entry,
                                   now=NOW, uow=staged_uow_factory(db))
    assert [u.username for u in db.table(STAFF).values()] == ["root"]
    assert db.table(AUDIT) == {}
    assert (db.commits, db.rollbacks) == (0, 0)
    assert entry.row_id is None


async def test_a_created_account_and_its_audit_row_commit_together_in_the_chain():
    db = _db_with(_admin())
    uow = staged_uow_factory(db)
    first = AuditEntry(action="staff.create", actor="root", ip="192.0.2.1")
    answer = await staff.create_account(username="li.nurse", name=" 李护士 ", password=PASSWORD,
                                        roles=["staff", "admin", "staff"], entry=first, now=NOW, uow=uow)
    assert answer["username"] == "li.nurse" and answer["roles"] == ["admin", "staff"]
    assert answer["must_change_password"] is True
    created = next(u for u in db.table(STAFF).values() if u.username == "li.nurse")
    assert created.name == "李护士" and created.password_hash == f"hashed:{PASSWORD}"
    [row] = db.table(AUDIT).values()
    assert row.id == first.row_id and row.action == "staff.create" and row.outcome == "success"
    assert row.target == "staff:li.nurse" and row.prev_hash == ""
    assert row.detail["after"] == {"name": "李护士", "roles": ["admin", "staff"], "active": True}
    assert PASSWORD not in str(row.detail)
    assert db.commits == 1 and db.rollbacks == 0

    second = AuditEntry(action="staff.create", actor="root")
    await staff.create_account(username="wang.finance", name="王会计", password=PASSWORD, roles=["finance"],
                               entry=second, now=NOW, uow=uow)
    rows = sorted(db.table(AUDIT).values(), key=lambda r: r.id)
    assert rows[1].prev_hash == rows[0].hash != ""
    report = await verify_chain(uow=uow)
    assert report.ok and report.checked == 2 and report.last_id == second.row_id


async def test_removing_the_last_admin_rolls_back_the_change_and_its_audit_row():
    clerk = FakeStaffUser(id=2, username="clerk", name="前台", password_hash="x", roles=["staff"])
    db = _db_with(_admin(), clerk)
    entry = AuditEntry(action="staff.update", actor="clerk")
    with pytest.raises(LastAdmin):
        await staff.update_account(username="root", changes={"roles": ["staff"]}, acting=clerk,
                                   acting_session="s-clerk", entry=entry, now=NOW, uow=staged_uow_factory(db))
    assert db.table(STAFF)[1].roles == ["admin"]  # the role change read and made in memory was not kept
    assert db.table(AUDIT) == {}
    assert (db.commits, db.rollbacks) == (0, 1)


async def test_a_password_set_by_an_admin_ends_the_other_sessions_and_is_audited_without_it():
    member = FakeStaffUser(id=2, username="zhao", name="赵医生", password_hash="old", roles=["staff"],
                           failed_logins=4)
    root = _admin()
    db = _db_with(root, member)
    uow = staged_uow_factory(db)
    async with uow() as work:
        for session_id, staff_id in (("s-zhao-1", 2), ("s-zhao-2", 2), ("s-root", 1)):
            await work.staff.open_session(session_id=session_id, staff_id=staff_id, now=NOW - timedelta(minutes=5),
                                          ip="192.0.2.7")
    entry = AuditEntry(action="staff.update", actor="root")
    new_password = "Another-pass-456"
    answer = await staff.update_account(username="zhao", changes={"password": new_password}, acting=root,
                                        acting_session="s-root", entry=entry, now=NOW, uow=uow)
    assert answer["must_change_password"] is True and answer["failed_logins"] == 0
    stored = db.table(STAFF)[2]
    assert stored.password_hash == f"hashed:{new_password}" and stored.password_changed_at == NOW
    sessions = db.table(SESSIONS)
    assert sessions["s-zhao-1"].revoked_at == NOW and sessions["s-zhao-2"].revoked_at == NOW
    assert sessions["s-root"].revoked_at is None
    row = db.table(AUDIT)[entry.row_id]
    assert row.detail["password_changed"] is True and row.detail["must_change_password"] is True
    assert new_password not in str(row.detail) and "hashed:" not in str(row.detail)
    assert db.commits == 2  # the sessions opened above, then the change with its audit row

"""Console login: delays after failures, no user enumeration, idle timeout, logout, accounts and their guards."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from checkup.db.models import AuditLog, StaffSession, StaffUser
from checkup.domain.clock import utcnow
from checkup.services.staff import verify_password
from support.staff import PASSWORD, login, make_staff, staffer


def error(r) -> str:
    return r.json()["error"]["code"]


async def test_login_answers_token_and_profile_and_is_audited(http):
    await make_staff("li.nurse", ["staff"], name="李护士")
    r = await http.post("/api/console/login", json={"username": "li.nurse", "password": PASSWORD})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["staff"] == {"username": "li.nurse", "name": "李护士", "roles": ["staff"]}
    assert body["expires_in"] > 0 and body["token"]
    me = await http.get("/api/console/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["username"] == "li.nurse"
    row = await AuditLog.filter(action="login").order_by("-id").first()
    assert (row.actor, row.outcome, row.ip, row.target) == ("li.nurse", "success", "127.0.0.1", "staff:li.nurse")
    user = await StaffUser.get(username="li.nurse")
    assert user.last_login_at is not None and await StaffSession.filter(staff_id=user.id).count() == 1


async def test_unknown_user_and_wrong_password_answer_alike_in_comparable_time(http):
    await make_staff("wang", ["staff"])
    await make_staff("gone", ["staff"], active=False)
    timings = {}
    answers = {}
    for username in ("wang", "nobody-here", "gone"):
        started = time.perf_counter()
        r = await http.post("/api/console/login", json={"username": username, "password": "Wrong-pass-1"})
        timings[username] = time.perf_counter() - started
        answers[username] = (r.status_code, r.json())
    assert answers["wang"] == answers["nobody-here"] == answers["gone"]
    assert answers["wang"][0] == 401 and answers["wang"][1]["error"]["code"] == "INVALID_CREDENTIALS"
    # every answer did the argon2 work: none is several times faster than the others
    assert max(timings.values()) < 4 * min(timings.values()) + 0.05, timings
    rows = await AuditLog.filter(action="login", outcome="failure").order_by("id")
    assert [(r.actor, r.detail["reason"]) for r in rows] == [
        ("wang", "wrong_password"), ("nobody-here", "unknown_user"), ("gone", "inactive")]


async def test_failures_delay_the_address_instead_of_locking_the_account(http):
    await make_staff("zhao", ["staff"])
    for attempt in range(1, 4):
        r = await http.post("/api/console/login", json={"username": "zhao", "password": "Wrong-pass-1"})
        assert r.status_code == 401 and error(r) == "INVALID_CREDENTIALS", attempt
    # the address waits (even the right password is not checked); the account is not locked
    waiting = await http.post("/api/console/login", json={"username": "zhao", "password": PASSWORD})
    assert waiting.status_code == 429 and error(waiting) == "RATE_LIMITED"
    assert waiting.headers["retry-after"] == "1"
    user = await StaffUser.get(username="zhao")
    assert user.failed_logins == 3 and user.locked_until is None
    assert await StaffSession.filter(staff_id=user.id).count() == 0
    await asyncio.sleep(1.1)
    ok = await http.post("/api/console/login", json={"username": "zhao", "password": PASSWORD})
    assert ok.status_code == 200
    user = await StaffUser.get(id=user.id)
    assert user.failed_logins == 0 and user.locked_until is None
    rows = await AuditLog.filter(action="login", actor="zhao").order_by("id")
    assert [r.detail.get("reason") for r in rows] == ["wrong_password"] * 3 + [None]
    assert rows[2].detail["delay_seconds"] == 1  # the third failure started the wait


async def test_a_success_resets_the_failure_count(http):
    await make_staff("qian", ["staff"])
    for _ in range(2):
        await http.post("/api/console/login", json={"username": "qian", "password": "Wrong-pass-1"})
    await login(http, "qian")
    r = await http.post("/api/console/login", json={"username": "qian", "password": "Wrong-pass-1"})
    assert error(r) == "INVALID_CREDENTIALS" and (await StaffUser.get(username="qian")).failed_logins == 1


async def test_idle_timeout_and_sliding_session(http):
    await make_staff("sun", ["staff"])
    headers = await login(http, "sun")
    session = await StaffSession.get(staff__username="sun")
    # 29 minutes idle: still in, and the request moves last_seen_at forward
    await StaffSession.filter(id=session.id).update(last_seen_at=utcnow() - timedelta(minutes=29))
    assert (await http.get("/api/console/quota", headers=headers)).status_code == 200
    seen = (await StaffSession.get(id=session.id)).last_seen_at
    assert utcnow() - seen < timedelta(seconds=10)
    # a request a few seconds later does not write again (at most every 30 s)
    await http.get("/api/console/quota", headers=headers)
    assert (await StaffSession.get(id=session.id)).last_seen_at == seen
    # 31 minutes idle: over
    await StaffSession.filter(id=session.id).update(last_seen_at=utcnow() - timedelta(minutes=31))
    r = await http.get("/api/console/quota", headers=headers)
    assert r.status_code == 401 and error(r) == "SESSION_EXPIRED"


async def test_logout_revokes_the_session(http):
    await make_staff("zhou", ["auditor"])
    headers = await login(http, "zhou")
    other = await login(http, "zhou")
    assert (await http.post("/api/console/logout", headers=headers)).status_code == 204
    r = await http.get("/api/console/audit-logs", headers=headers)
    assert r.status_code == 401 and error(r) == "UNAUTHORIZED"
    assert (await http.get("/api/console/audit-logs", headers=other)).status_code == 200  # another session
    row = await AuditLog.filter(action="logout").first()
    assert (row.actor, row.outcome) == ("zhou", "success")
    bad = await http.get("/api/console/me", headers={"Authorization": "Bearer forged.token"})
    assert bad.status_code == 401


async def test_staff_accounts_create_list_update_and_policy(app, http):
    admin = await staffer(http, app, "boss", ["admin"])
    weak = await admin.post("/api/console/staff", {"username": "wuyi", "name": "吴", "password": "password1",
                                                    "roles": ["staff"]})
    assert weak.status_code == 422 and error(weak) == "WEAK_PASSWORD"
    r = await admin.post("/api/console/staff", {"username": "wuyi", "name": "吴医生", "password": "Abcdefg1",
                                                 "roles": ["staff", "auditor"]})
    assert r.status_code == 201, r.text
    assert r.json()["roles"] == ["staff", "auditor"] and "password" not in r.json() and "hash" not in r.text
    dup = await admin.post("/api/console/staff", {"username": "wuyi", "name": "吴", "password": "Abcdefg1!",
                                                   "roles": ["staff"]})
    assert dup.status_code == 409 and error(dup) == "USERNAME_TAKEN"
    listed = (await admin.get("/api/console/staff")).json()
    assert [a["username"] for a in listed["items"]] == ["boss", "wuyi"] and listed["total"] == 2
    wu = await login(http, "wuyi", "Abcdefg1")
    # a new password: policy, old sessions end, the new one works
    r = await admin.put("/api/console/staff/wuyi", {"password": "New-pass-2026", "name": "吴大夫"})
    assert r.status_code == 200 and r.json()["name"] == "吴大夫"
    assert (await http.get("/api/console/me", headers=wu)).status_code == 401
    assert verify_password((await StaffUser.get(username="wuyi")).password_hash, "New-pass-2026")
    # stopped: cannot log in (same answer as a wrong password)
    assert (await admin.put("/api/console/staff/wuyi", {"active": False})).json()["active"] is False
    r = await http.post("/api/console/login", json={"username": "wuyi", "password": "New-pass-2026"})
    assert error(r) == "INVALID_CREDENTIALS"
    update = await AuditLog.filter(action="staff.update", outcome="success").order_by("-id").first()
    assert update.target == "staff:wuyi" and update.detail["before"]["active"] is True
    assert update.detail["after"]["active"] is False and "password" not in str(update.detail["after"])


async def test_an_admin_keeps_their_own_rights_and_one_admin_remains(app, http):
    boss = await staffer(http, app, "boss", ["admin"])
    for change in ({"active": False}, {"roles": ["staff"]}):
        r = await boss.put("/api/console/staff/boss", change)
        assert r.status_code == 409 and error(r) == "OWN_ADMIN_ACCOUNT"
    second = await staffer(http, app, "deputy", ["admin"])
    assert (await second.put("/api/console/staff/boss", {"roles": ["staff"]})).status_code == 200
    assert (await StaffUser.get(username="boss")).roles == ["staff"]
    # deputy is now the only admin: nobody can take that away (deputy cannot, and nobody else is admin)
    r = await second.put("/api/console/staff/deputy", {"roles": ["auditor"]})
    assert error(r) == "OWN_ADMIN_ACCOUNT"
    # unlocking clears a lock
    await StaffUser.filter(username="boss").update(failed_logins=5, locked_until=utcnow() + timedelta(minutes=20))
    r = await second.put("/api/console/staff/boss", {"unlock": True})
    assert r.status_code == 200 and r.json()["locked_until"] is None and r.json()["failed_logins"] == 0
    missing = await second.put("/api/console/staff/nobody", {"name": "某人"})
    assert missing.status_code == 404


async def test_last_admin_guard_in_the_service(app, http):
    from checkup.domain.errors import LastAdmin
    from checkup.services.audit import AuditEntry
    from checkup.services.staff import update_account

    only = await make_staff("only-admin", ["admin"])
    acting = await make_staff("helper", ["staff"])  # e.g. a script acting as another account
    try:
        await update_account(username="only-admin", changes={"active": False}, acting=acting, acting_session="",
                             entry=AuditEntry(action="staff.update"), now=utcnow())
    except LastAdmin:
        pass
    else:
        raise AssertionError("the last admin was stopped")
    assert (await StaffUser.get(id=only.id)).is_active is True

"""A staff member changing their own password (POST /api/console/me/password), and an admin's reset."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from checkup.db.models import AuditLog, StaffSession, StaffUser
from checkup.domain.clock import utcnow
from checkup.services.staff import verify_password
from support.staff import PASSWORD, login, make_staff, session_headers, staffer

PATH = "/api/console/me/password"
NEW = "Fresh-pass-2027"


def error(r) -> str:
    return r.json()["error"]["code"]


async def change(http, headers, current: object = PASSWORD, new: object = NEW):
    return await http.post(PATH, headers=headers, json={"current_password": current, "new_password": new})


async def live(http, headers) -> bool:
    r = await http.get("/api/console/me", headers=headers)
    assert r.status_code in (200, 401), r.text
    return r.status_code == 200


class TestChangeOwnPassword:
    async def test_new_password_logs_in_old_does_not_other_sessions_end_this_one_stays(self, app, http):
        user = await make_staff("zhou", ["staff"])
        here = await login(http, "zhou")
        elsewhere = await login(http, "zhou")
        r = await change(http, here)
        assert r.status_code == 204, r.text
        assert r.content == b""
        assert await live(http, here)
        assert not await live(http, elsewhere)
        old = await http.post("/api/console/login", json={"username": "zhou", "password": PASSWORD})
        assert old.status_code == 401 and error(old) == "INVALID_CREDENTIALS"
        new = await http.post("/api/console/login", json={"username": "zhou", "password": NEW})
        assert new.status_code == 200, new.text
        sessions = await StaffSession.filter(staff_id=user.id).order_by("created_at", "id")
        assert sum(1 for s in sessions if s.revoked_at is None) == 2  # this one and the new login

    @pytest.mark.parametrize("roles", [["admin"], ["staff"], ["finance"], ["auditor"]])
    async def test_every_role_may_change_their_own(self, app, http, roles):
        me = await staffer(http, app, f"self-{roles[0]}", roles)
        r = await change(http, me.headers)
        assert r.status_code == 204, r.text
        assert verify_password((await StaffUser.get(id=me.user.id)).password_hash, NEW)

    async def test_the_audit_row_names_the_change_but_no_secret(self, app, http):
        me = await staffer(http, app, "sun", ["finance"])
        other = await session_headers(app, me.user)
        assert (await change(http, me.headers)).status_code == 204
        row = await AuditLog.filter(action="staff.password_change").order_by("-id").first()
        assert (row.actor, row.target, row.outcome) == ("sun", "staff:sun", "success")
        assert row.detail["password_changed"] is True and row.detail["sessions_ended"] == 1
        text = str(row.detail)
        assert PASSWORD not in text and NEW not in text and "argon2" not in text
        assert not await live(http, other)

    async def test_a_success_clears_earlier_failures(self, app, http):
        me = await staffer(http, app, "wu", ["staff"])
        for _ in range(2):
            assert (await change(http, me.headers, current="Wrong-pass-1")).status_code == 400
        assert (await change(http, me.headers)).status_code == 204
        user = await StaffUser.get(id=me.user.id)
        assert user.failed_logins == 0 and user.locked_until is None


class TestWrongCurrentPassword:
    async def test_refused_nothing_changes_and_it_counts_as_a_failed_login(self, app, http):
        me = await staffer(http, app, "zheng", ["staff"])
        other = await session_headers(app, me.user)
        r = await change(http, me.headers, current="Wrong-pass-1")
        assert r.status_code == 400, r.text
        body = r.json()["error"]
        assert body["code"] == "WRONG_CURRENT_PASSWORD" and body["message"] == "当前密码不正确"
        assert body["details"] == {"field": "current_password"}
        user = await StaffUser.get(id=me.user.id)
        assert verify_password(user.password_hash, PASSWORD) and user.failed_logins == 1
        assert await live(http, me.headers) and await live(http, other)  # no session ended, not even this one
        row = await AuditLog.filter(action="staff.password_change").order_by("-id").first()
        assert (row.actor, row.outcome, row.detail["reason"], row.detail["failed_logins"]) == (
            "zheng", "failure", "wrong_password", 1)
        assert "Wrong-pass-1" not in str(row.detail)

    async def test_wrong_ones_delay_like_failed_logins_and_lock_nothing(self, app, http):
        me = await staffer(http, app, "feng", ["staff"])
        # two failed logins first: the two kinds of failure share one count
        for _ in range(2):
            r = await http.post("/api/console/login", json={"username": "feng", "password": "Wrong-pass-1"})
            assert error(r) == "INVALID_CREDENTIALS"
        assert error(await change(http, me.headers, current="Wrong-pass-1")) == "WRONG_CURRENT_PASSWORD"
        # the third failure from this address: it waits, whatever it sends (a session is no way round it)
        waiting = await change(http, me.headers)
        assert waiting.status_code == 429 and error(waiting) == "RATE_LIMITED"
        right = await http.post("/api/console/login", json={"username": "feng", "password": PASSWORD})
        assert right.status_code == 429
        user = await StaffUser.get(id=me.user.id)
        assert user.failed_logins == 3 and user.locked_until is None
        assert verify_password(user.password_hash, PASSWORD)
        await asyncio.sleep(1.1)
        assert (await change(http, me.headers)).status_code == 204


class TestNewPasswordRules:
    @pytest.mark.parametrize("weak", ["Ab1!", "password1", "abcdefgh", "12345678", "ABCDEFG1", "密码密码密码密码1a"])
    async def test_a_weak_new_password_is_refused(self, app, http, weak):
        me = await staffer(http, app, "chen", ["staff"])
        r = await change(http, me.headers, new=weak)
        assert r.status_code == 422 and error(r) == "WEAK_PASSWORD", r.text
        assert r.json()["error"]["details"] == {"field": "new_password"}
        user = await StaffUser.get(id=me.user.id)
        assert verify_password(user.password_hash, PASSWORD) and user.failed_logins == 0

    async def test_the_current_password_cannot_be_reused(self, app, http):
        me = await staffer(http, app, "yang", ["staff"])
        other = await session_headers(app, me.user)
        r = await change(http, me.headers, new=PASSWORD)
        assert r.status_code == 422 and error(r) == "PASSWORD_UNCHANGED"
        assert "相同" in r.json()["error"]["message"]
        assert await live(http, other)


class TestMalformedAndAnonymous:
    @pytest.mark.parametrize("body", [
        {}, {"current_password": PASSWORD}, {"new_password": NEW},
        {"current_password": 12345678, "new_password": NEW}, {"current_password": PASSWORD, "new_password": None},
        {"current_password": "", "new_password": NEW}, {"current_password": PASSWORD, "new_password": "x" * 129},
        {"current_password": PASSWORD, "new_password": NEW, "username": "someone"},
    ])
    async def test_missing_or_mistyped_fields_answer_422(self, app, http, body):
        me = await staffer(http, app, "he", ["staff"])
        r = await http.post(PATH, headers=me.headers, json=body)
        assert r.status_code == 422 and error(r) == "VALIDATION_ERROR", r.text
        assert verify_password((await StaffUser.get(id=me.user.id)).password_hash, PASSWORD)

    async def test_not_a_json_object(self, app, http):
        me = await staffer(http, app, "lv", ["staff"])
        r = await http.post(PATH, headers=me.headers, json=["x"])
        assert r.status_code == 422

    async def test_without_a_token_answers_401_and_records_nothing(self, app, http):
        await make_staff("shi", ["staff"])
        r = await http.post(PATH, json={"current_password": PASSWORD, "new_password": NEW})
        assert r.status_code == 401
        bad = await http.post(PATH, headers={"Authorization": "Bearer forged.token"},
                              json={"current_password": PASSWORD, "new_password": NEW})
        assert bad.status_code == 401
        assert await AuditLog.filter(action="staff.password_change").count() == 0
        assert verify_password((await StaffUser.get(username="shi")).password_hash, PASSWORD)


class TestAdminReset:
    async def test_a_reset_ends_the_members_sessions_but_not_the_admins(self, app, http):
        admin = await staffer(http, app, "boss", ["admin"])
        await make_staff("kong", ["staff"])
        kong = await login(http, "kong")
        kong_again = await login(http, "kong")
        r = await admin.put("/api/console/staff/kong", {"password": NEW})
        assert r.status_code == 200, r.text
        assert not await live(http, kong) and not await live(http, kong_again)
        assert await live(http, admin.headers)
        assert (await http.post("/api/console/login", json={"username": "kong", "password": NEW})).status_code == 200
        row = await AuditLog.filter(action="staff.update", outcome="success").order_by("-id").first()
        assert row.detail["password_changed"] is True and NEW not in str(row.detail)

    async def test_an_admin_resetting_their_own_keeps_this_session(self, app, http):
        admin = await staffer(http, app, "boss", ["admin"])
        elsewhere = await session_headers(app, admin.user)
        assert (await admin.put("/api/console/staff/boss", {"password": NEW})).status_code == 200
        assert await live(http, admin.headers) and not await live(http, elsewhere)

    async def test_unlock_clears_the_lock(self, app, http):
        admin = await staffer(http, app, "boss", ["admin"])
        user = await make_staff("locked.one", ["staff"])
        await StaffUser.filter(id=user.id).update(failed_logins=5, locked_until=utcnow() + timedelta(minutes=20))
        listed = {a["username"]: a for a in (await admin.get("/api/console/staff")).json()["items"]}
        assert listed["locked.one"]["locked_until"] is not None
        r = await admin.put("/api/console/staff/locked.one", {"unlock": True})
        assert r.status_code == 200 and r.json()["locked_until"] is None and r.json()["failed_logins"] == 0
        assert (await http.post("/api/console/login", json={"username": "locked.one", "password": PASSWORD})
                ).status_code == 200


async def test_changes_count_against_the_per_account_login_limit(sandbox, db):
    """The same counter as the account's logins: a stolen session cannot guess faster than a login could."""
    from test_rate_limits import assert_limited, limited

    await make_staff("rl.self", ["staff"])
    async with limited(sandbox, rate_limit_login_account="3/minute") as client:
        headers = await login(client, "rl.self")  # hit 1
        for _ in range(2):  # hits 2 and 3
            assert error(await change(client, headers, current="Wrong-pass-1")) == "WRONG_CURRENT_PASSWORD"
        blocked = await change(client, headers)
        assert_limited(blocked)
        assert verify_password((await StaffUser.get(username="rl.self")).password_hash, PASSWORD)
        assert (await StaffUser.get(username="rl.self")).failed_logins == 2  # refused before the password check
        again = await client.post("/api/console/login", json={"username": "rl.self", "password": PASSWORD})
        assert_limited(again)

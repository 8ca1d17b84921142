"""Staff login hardening: delays instead of a lock nobody can lift, one answer for every kind of wrong
login, JSON-only bodies, deep or broken JSON is a 400, common passwords refused, forced change of a
password someone else set, break-glass `checkup staff` commands, open-API signature floods, phone
numbers masked in every written form."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys

import pytest
from test_open_api import admin_of, new_platform
from test_rate_limits import as_ip, limited

from checkup.db.models import AuditLog, StaffSession, StaffUser
from checkup.logs import redact
from checkup.services.audit import AuditEntry, record, verify_chain
from support.clock import ManualClock, away_from_window_edge
from support.open_api import signed_headers
from support.staff import PASSWORD, login, make_staff, staffer


def error(r) -> str:
    return r.json()["error"]["code"]


async def attempt(client, username: str, password: str, ip: str):
    return await client.post("/api/console/login", json={"username": username, "password": password},
                             headers=as_ip(ip))


# ---- delays, not locks ----------------------------------------------------------------------------
async def test_lockout_attempts_do_not_lock_the_admin_out(sandbox, db):
    await make_staff("admin", ["admin"])
    async with limited(sandbox, proxies_count=1) as client:
        # Someone guesses from five addresses, three wrong passwords each (beyond the account's free
        # failures, so every further attempt on the account is slowed a little); the address that keeps
        # failing must wait, even with the right password (not checked at all).
        for n in range(5):
            for _ in range(3):
                r = await attempt(client, "admin", "Wrong-pass-1", f"203.0.113.{n + 1}")
                assert r.status_code == 401 and error(r) == "INVALID_CREDENTIALS", r.text
            slowed = await attempt(client, "admin", PASSWORD, f"203.0.113.{n + 1}")
            assert slowed.status_code == 429 and error(slowed) == "RATE_LIMITED"
            assert int(slowed.headers["retry-after"]) >= 1
        # The admin at their own workstation gets in, once and again.
        for _ in range(2):
            ok = await attempt(client, "admin", PASSWORD, "198.51.100.7")
            assert ok.status_code == 200, ok.text
    user = await StaffUser.get(username="admin")
    assert user.locked_until is None and user.failed_logins == 0
    rows = await AuditLog.filter(action="login", outcome="failure").count()
    assert rows == 15  # every checked attempt recorded; the refused ones were not checked


async def test_an_address_waits_longer_after_each_failure(sandbox, db):
    from checkup.services.login_throttle import delay_after

    assert [delay_after(n) for n in range(1, 8)] == [0, 0, 1, 2, 4, 8, 16]
    assert delay_after(40) == 15 * 60
    await make_staff("wu", ["staff"])
    # The throttle's clock moves only when the test moves it: the delays are checked to the second
    # however long the requests themselves take on a busy machine (support/clock.py).
    clock = ManualClock()
    async with limited(sandbox, proxies_count=1, login_clock=clock) as client:
        for _ in range(3):
            assert error(await attempt(client, "wu", "Wrong-pass-1", "192.0.2.9")) == "INVALID_CREDENTIALS"
        first = await attempt(client, "wu", "Wrong-pass-1", "192.0.2.9")
        assert error(first) == "RATE_LIMITED" and int(first.headers["retry-after"]) == 1
        clock.advance(0.5)  # not yet: the right password is not even checked
        early = await attempt(client, "wu", PASSWORD, "192.0.2.9")
        assert error(early) == "RATE_LIMITED" and int(early.headers["retry-after"]) == 1
        clock.advance(0.5)  # the second the address had to wait has passed
        assert error(await attempt(client, "wu", "Wrong-pass-1", "192.0.2.9")) == "INVALID_CREDENTIALS"
        second = await attempt(client, "wu", PASSWORD, "192.0.2.9")
        assert error(second) == "RATE_LIMITED" and int(second.headers["retry-after"]) == 2
        clock.advance(2)  # after the longer wait the owner gets in from that address
        assert (await attempt(client, "wu", PASSWORD, "192.0.2.9")).status_code == 200


async def test_unknown_stopped_and_existing_accounts_answer_alike_whatever_the_count(sandbox, db):
    await make_staff("real.one", ["staff"])
    await make_staff("stopped.one", ["staff"], active=False)
    async with limited(sandbox, proxies_count=1) as client:
        seen = {}
        for name in ("real.one", "ghost.one", "stopped.one"):
            answers = []
            for _ in range(5):
                r = await attempt(client, name, "Wrong-pass-1", "192.0.2.50")
                answers.append((r.status_code, r.json()["error"]["code"], r.json()["error"]["message"]))
            seen[name] = answers
        assert seen["real.one"] == seen["ghost.one"] == seen["stopped.one"]
        assert [a[0] for a in seen["real.one"]] == [401, 401, 401, 429, 429]


# ---- request bodies -------------------------------------------------------------------------------
@pytest.mark.parametrize("content_type", ["text/plain", "text/plain;charset=UTF-8",
                                          "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
async def test_login_takes_json_only(http, content_type):
    await make_staff("json.only", ["staff"])
    body = b'{"username": "json.only", "password": "%s"}' % PASSWORD.encode()
    r = await http.post("/api/console/login", content=body, headers={"Content-Type": content_type})
    assert r.status_code == 415 and error(r) == "UNSUPPORTED_MEDIA_TYPE"
    assert await AuditLog.filter(action="login").count() == 0
    ok = await http.post("/api/console/login", content=body, headers={"Content-Type": "application/json"})
    assert ok.status_code == 200


@pytest.mark.parametrize("body", [b"[" * 100_000, b"{\"a\":" * 50_000, b'{"username": "x", "password": ',
                                  b"\xff\xfe{}", b'{"username": "x", "password": "y"}}'])
async def test_deep_or_broken_json_is_a_400(http, body):
    r = await http.post("/api/console/login", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and error(r) == "BAD_JSON", r.text
    assert "Traceback" not in r.text


# ---- passwords --------------------------------------------------------------------------------------
@pytest.mark.parametrize("weak", ["Admin@123", "P@ssw0rd", "Passw0rd!", "Qwer1234!", "Welcome@2026", "1qaz@WSX",
                                  "Tijian#2026", "Aa1!Aa1!"])
async def test_common_passwords_are_refused(app, http, weak):
    admin = await staffer(http, app, "boss", ["admin"])
    r = await admin.post("/api/console/staff", {"username": "new.one", "name": "新人", "password": weak,
                                                "roles": ["staff"]})
    assert r.status_code == 422 and error(r) == "WEAK_PASSWORD", (weak, r.text)
    assert not await StaffUser.exists(username="new.one")


async def test_a_new_account_changes_its_initial_password_first(app, http):
    admin = await staffer(http, app, "boss", ["admin"])
    r = await admin.post("/api/console/staff", {"username": "xin", "name": "新护士", "password": "Tj-Initial-58x",
                                                "roles": ["staff"]})
    assert r.status_code == 201 and r.json()["must_change_password"] is True
    first = await http.post("/api/console/login", json={"username": "xin", "password": "Tj-Initial-58x"})
    assert first.status_code == 200 and first.json()["must_change_password"] is True
    headers = {"Authorization": f"Bearer {first.json()['token']}"}
    me = await http.get("/api/console/me", headers=headers)
    assert me.status_code == 200 and me.json()["must_change_password"] is True
    blocked = await http.get("/api/console/bookings", headers=headers)
    assert blocked.status_code == 403 and error(blocked) == "PASSWORD_CHANGE_REQUIRED"
    changed = await http.post("/api/console/me/password", headers=headers,
                              json={"current_password": "Tj-Initial-58x", "new_password": "Mine-own-71q"})
    assert changed.status_code == 204, changed.text
    assert (await http.get("/api/console/bookings", headers=headers)).status_code == 200
    again = await http.post("/api/console/login", json={"username": "xin", "password": "Mine-own-71q"})
    assert again.json()["must_change_password"] is False


async def test_an_admin_reset_forces_a_change_but_an_admins_own_does_not(app, http):
    admin = await staffer(http, app, "boss", ["admin"])
    await make_staff("li", ["staff"])
    assert (await admin.put("/api/console/staff/li", {"password": "Reset-by-admin-4k"})).json()[
        "must_change_password"] is True
    assert (await admin.put("/api/console/staff/boss", {"password": "Own-choice-9zz"})).json()[
        "must_change_password"] is False


# ---- break-glass CLI --------------------------------------------------------------------------------
def _cli(db_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CHECKUP_DB_URL": db_url, "CHECKUP_SANDBOX": "false"}
    env.pop("CHECKUP_REDIS_URL", None)
    return subprocess.run([sys.executable, "-m", "checkup.cli", "staff", *args], env=env, capture_output=True,
                          text=True, timeout=60)


async def test_cli_reset_password_and_unlock_are_audited(app, http, db_url):
    user = await make_staff("admin", ["admin"])
    old = await login(http, "admin")
    await StaffUser.filter(id=user.id).update(failed_logins=7)
    done = await asyncio.to_thread(_cli, db_url, "unlock", "admin")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (await StaffUser.get(id=user.id)).failed_logins == 0
    reset = await asyncio.to_thread(_cli, db_url, "reset-password", "admin")
    assert reset.returncode == 0, reset.stdout + reset.stderr
    password = reset.stdout.split("new one-time password of admin: ")[1].split()[0]
    assert (await http.get("/api/console/me", headers=old)).status_code == 401  # sessions ended
    r = await http.post("/api/console/login", json={"username": "admin", "password": password})
    assert r.status_code == 200 and r.json()["must_change_password"] is True
    rows = await AuditLog.filter(action__startswith="staff.cli_").order_by("id")
    assert [r.action for r in rows] == ["staff.cli_unlock", "staff.cli_reset_password"]
    assert all(r.actor.startswith("cli:") and r.target == "staff:admin" and r.outcome == "success" for r in rows)
    assert password not in str(rows[1].detail)
    assert (await verify_chain()).ok
    unknown = await asyncio.to_thread(_cli, db_url, "unlock", "nobody")
    assert unknown.returncode == 1 and "no staff account" in unknown.stdout
    assert await StaffSession.filter(staff_id=user.id, revoked_at=None).count() == 1


# ---- open API signature floods -----------------------------------------------------------------------
async def test_failed_signatures_are_limited_before_they_are_audited(app, http):
    admin = await admin_of(http, app)
    platform = await new_platform(http, admin)
    path = "/api/open/v1/ping"
    statuses = []
    await away_from_window_edge(margin=30)  # the 55 calls below fall into one counting minute
    for _ in range(55):
        headers = signed_headers(platform.app_key, "not-the-secret", method="GET", path=path)
        statuses.append((await http.get(path, headers=headers)).status_code)
    rows = await AuditLog.filter(action="open.ping", actor=platform.app_key).order_by("id")
    assert statuses[:50] == [401] * 50 and statuses[50:] == [429] * 5
    counts = [r.detail["failures_this_minute"] for r in rows]
    assert counts == [*range(1, 11), 20, 50]
    good = signed_headers(platform.app_key, platform.secret, method="GET", path=path)
    assert (await http.get(path, headers=good)).status_code == 429  # until the minute ends


# ---- phone numbers ----------------------------------------------------------------------------------
WRITTEN = ["13812345678", "138-1234-5678", "138 1234 5678", "+86 138 1234 5678", "+8613812345678",
           "(+86)138-1234-5678", "0086 13812345678", "86-138-1234-5678", "138.1234.5678"]


@pytest.mark.parametrize("phone", WRITTEN)
def test_phones_in_every_form_are_masked_in_logs(phone):
    line = redact(f"patient called from {phone} about 体检")
    assert "1234" not in line and "138****5678" in line


async def test_phones_in_every_form_are_masked_in_audit_details(app, http, caplog):
    entry = AuditEntry(action="patient.update", actor="boss", target="phone:+86 138 1234 5678",
                       detail={"before": {"phone": WRITTEN[1]}, "notes": [f"call {p}" for p in WRITTEN]})
    row = await record(entry, outcome="success")
    stored = await AuditLog.get(id=row.id)
    assert "1234" not in str(stored.detail) and "1234" not in stored.target
    assert stored.detail["before"]["phone"] == "138****5678"
    assert (await verify_chain()).ok
    with caplog.at_level(logging.INFO):
        logging.getLogger("checkup.test").info("sms to %s", "+86 138-1234-5678")

"""Rate limits declared in the route table: 429 RATE_LIMITED with Retry-After, per address, account
and user, counted in Redis (shared between instances) or in-process (also when Redis is down)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from contextlib import asynccontextmanager

import httpx

from checkup.api.ratelimit import RULES
from checkup.api.routing import ROUTES
from checkup.app import create_app
from checkup.db.models import AuditLog, Patient, StaffSession, StaffUser
from checkup.services.login_throttle import LoginThrottle
from conftest import REDIS_URL, app_settings
from support.clock import away_from_window_edge
from support.people import consent, next_id_number
from support.server import serve
from support.staff import PASSWORD, make_staff


@asynccontextmanager
async def limited(sandbox, *, login_clock: Callable[[], float] | None = None, **overrides):
    """A served app with the given limits (others stay generous); yields an HTTP client of it. Starts
    clear of a minute's turn, where the fixed windows start counting again (support/clock.py).
    ``login_clock`` is the clock of the console login throttle's delays (a ManualClock)."""
    await away_from_window_edge()
    settings = app_settings(sandbox, **overrides)
    app = create_app(settings, name=f"checkup_rl_{secrets.token_hex(3)}", manage_db=False,
                     sync_packages_on_start=False, run_worker=False)
    if login_clock is not None:
        assert app.ctx.login_throttle is not None, "the login throttle is on with rate limits"
        app.ctx.login_throttle = LoginThrottle(lambda: app.ctx.redis, clock=login_clock)
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        yield client


def as_ip(ip: str) -> dict[str, str]:
    return {"X-Forwarded-For": ip}


async def patient_login(client: httpx.AsyncClient, code: str) -> dict[str, str]:
    """Log in and consent to the privacy notice (adding a 就诊人 needs it)."""
    r = await client.post("/api/auth/wechat", json={"code": code})
    assert r.status_code == 200, r.text
    headers = {"Authorization": f"Bearer {r.json()['token']}"}
    await consent(client, headers)
    return headers


async def add_patient(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    return await client.post("/api/me/patients", headers=headers,
                             json={"name": "王小明", "id_number": next_id_number(), "phone": "13900001234"})


def assert_limited(r: httpx.Response) -> None:
    assert r.status_code == 429, r.text
    error = r.json()["error"]
    assert error["code"] == "RATE_LIMITED" and "频繁" in error["message"]
    retry = error["details"]["retry_after"]
    assert isinstance(retry, int) and 1 <= retry <= 3600
    assert r.headers["retry-after"] == str(retry)


def test_limited_routes_are_declared_in_the_route_table():
    limits = {(s.method, s.path): s.limit for s in ROUTES if s.limit}
    assert limits[("POST", "/api/console/login")] == ("login_ip", "login_account")
    assert limits[("POST", "/api/auth/wechat")] == ("wechat_login_ip",)
    assert limits[("POST", "/api/me/patients")] == ("patient_create_ip", "patient_create", "patient_create_id")
    assert limits[("POST", "/api/me/orders")] == ("order",)
    assert limits[("POST", "/api/me/payments")] == ("payment",)
    assert limits[("GET", "/api/me/charges")] == ("charges",)
    assert limits[("POST", "/api/me/refunds")] == ("refund",)
    assert limits[("GET", "/api/console/reconciliation")] == ("staff_upstream",)
    for path in ("/api/me/bookings", "/api/me/bookings/{booking_id:int}/reschedule",
                 "/api/me/bookings/{booking_id:int}/cancel"):
        assert limits[("POST", path)] == ("booking",)


async def test_console_login_is_limited_per_address(sandbox, db):
    await make_staff("rl.ip", ["staff"])
    async with limited(sandbox, proxies_count=1, rate_limit_login_ip="3/minute") as client:
        for _ in range(3):
            r = await client.post("/api/console/login", json={"username": "rl.ip", "password": "Wrong-pass-1"},
                                  headers=as_ip("203.0.113.7"))
            assert r.status_code == 401, r.text
        audited = await AuditLog.filter(action="login").count()
        blocked = await client.post("/api/console/login", json={"username": "rl.ip", "password": PASSWORD},
                                    headers=as_ip("203.0.113.7"))
        assert_limited(blocked)
        # Refused before the password was looked at: no failed-login count, no session, no audit row.
        assert (await StaffUser.get(username="rl.ip")).failed_logins == 3
        assert await StaffSession.all().count() == 0
        assert await AuditLog.filter(action="login").count() == audited  # refused before any account was named
        other = await client.post("/api/console/login", json={"username": "rl.ip", "password": PASSWORD},
                                  headers=as_ip("198.51.100.9"))
        assert other.status_code == 200, other.text


async def test_console_login_is_limited_per_account_and_address(sandbox, db):
    """Counted per account and address: a guesser's address is refused, the owner elsewhere is not (a
    limit on the account alone would let anyone lock its owner out)."""
    await make_staff("rl.acct", ["staff"])
    await make_staff("rl.other", ["staff"])
    async with limited(sandbox, proxies_count=1, rate_limit_login_account="2/minute") as client:
        for _ in range(2):
            r = await client.post("/api/console/login", json={"username": "rl.acct", "password": "Wrong-pass-1"},
                                  headers=as_ip("203.0.113.1"))
            assert r.status_code == 401
        blocked = await client.post("/api/console/login", json={"username": " RL.acct ", "password": PASSWORD},
                                    headers=as_ip("203.0.113.1"))
        assert_limited(blocked)
        owner = await client.post("/api/console/login", json={"username": "rl.acct", "password": PASSWORD},
                                  headers=as_ip("203.0.113.50"))
        assert owner.status_code == 200
        ok = await client.post("/api/console/login", json={"username": "rl.other", "password": PASSWORD},
                               headers=as_ip("203.0.113.1"))
        assert ok.status_code == 200


async def test_patient_creation_is_limited_per_user(sandbox, db):
    async with limited(sandbox, rate_limit_patient_create="3/hour") as client:
        alice = await patient_login(client, "rl-alice")
        for _ in range(3):
            assert (await add_patient(client, alice)).status_code == 201
        blocked = await add_patient(client, alice)
        assert_limited(blocked)
        # An hourly window aligned to the clock hour: the wait is what is left of this hour (not "> 60 s",
        # which fails in the last minute of every hour).
        left = 3600 - time.time() % 3600
        assert abs(int(blocked.headers["retry-after"]) - left) <= 2
        assert await Patient.all().count() == 3  # the refused request changed nothing
        bob = await patient_login(client, "rl-bob")
        assert (await add_patient(client, bob)).status_code == 201


async def test_wechat_login_is_limited_per_address(sandbox, db):
    async with limited(sandbox, rate_limit_wechat_login_ip="2/minute") as client:
        await patient_login(client, "rl-w1")
        await patient_login(client, "rl-w2")
        assert_limited(await client.post("/api/auth/wechat", json={"code": "rl-w3"}))


async def test_limits_can_be_switched_off(sandbox, db):
    async with limited(sandbox, rate_limits=False, rate_limit_wechat_login_ip="1/minute") as client:
        answers = [await client.post("/api/auth/wechat", json={"code": f"rl-off-{n}"}) for n in range(3)]
        assert [r.status_code for r in answers] == [200, 200, 200]  # 1/minute would refuse the 2nd


async def test_redis_counts_are_shared_between_instances(sandbox, db, redis_client):
    async def flush():
        keys = [k async for k in redis_client.scan_iter("checkup:rl:*")]
        if keys:
            await redis_client.delete(*keys)

    await flush()
    try:
        overrides = dict(redis_url=REDIS_URL, rate_limit_patient_create="3/hour")
        async with limited(sandbox, **overrides) as one, limited(sandbox, **overrides) as two:
            headers = await patient_login(one, "rl-shared")  # tokens are valid on both instances
            assert (await add_patient(one, headers)).status_code == 201
            assert (await add_patient(two, headers)).status_code == 201
            assert (await add_patient(one, headers)).status_code == 201
            assert_limited(await add_patient(two, headers))
            assert [k async for k in redis_client.scan_iter("checkup:rl:patient_create:*")]
    finally:
        await flush()


async def test_falls_back_to_in_process_counting_when_redis_is_down(sandbox, db):
    async with limited(sandbox, redis_url="redis://127.0.0.1:1/0", rate_limit_patient_create="2/hour") as client:
        headers = await patient_login(client, "rl-noredis")
        assert (await add_patient(client, headers)).status_code == 201
        assert (await add_patient(client, headers)).status_code == 201
        assert_limited(await add_patient(client, headers))


async def test_patient_creation_is_limited_per_id_number_across_accounts_and_per_address(sandbox, db):
    """Issue 11 point 4: one person's ID number, typed by many accounts, and one address, adding for many."""
    async with limited(sandbox, proxies_count=1, rate_limit_patient_create_id="2/hour",
                       rate_limit_patient_create_ip="4/hour") as client:
        number = next_id_number()
        body = {"name": "王小明", "id_number": number, "phone": "13900001234"}
        for n in range(2):
            r = await client.post("/api/me/patients", headers={**await patient_login(client, f"rl-id-{n}"),
                                                                **as_ip(f"198.51.100.{n + 1}")}, json=body)
            assert r.status_code == 201, r.text
        third = await patient_login(client, "rl-id-third")
        spaced = {**body, "id_number": " " + number[:6] + " " + number[6:].lower()}  # the same number, typed otherwise
        rows = await Patient.all().count()
        assert_limited(await client.post("/api/me/patients", headers={**third, **as_ip("198.51.100.9")}, json=spaced))
        assert await Patient.all().count() == rows
        # the same account and address may still add someone else
        r = await client.post("/api/me/patients", headers={**third, **as_ip("198.51.100.9")},
                              json={**body, "id_number": next_id_number()})
        assert r.status_code == 201, r.text
        # per address: accounts behind one address share its count (4/hour: the two above, the refused one
        # included, and 2 more)
        for n in range(2):
            headers = {**await patient_login(client, f"rl-ip-{n}"), **as_ip("198.51.100.9")}
            r = await client.post("/api/me/patients", headers=headers, json={**body, "id_number": next_id_number()})
            assert r.status_code == 201, r.text
        late = {**await patient_login(client, "rl-ip-late"), **as_ip("198.51.100.9")}
        assert_limited(await client.post("/api/me/patients", headers=late, json={**body, "id_number": next_id_number()}))
        other = {**late, **as_ip("198.51.100.10")}
        assert (await client.post("/api/me/patients", headers=other,
                                  json={**body, "id_number": next_id_number()})).status_code == 201


async def test_codes_are_limited_per_address(sandbox, db):
    async with limited(sandbox, proxies_count=1, rate_limit_verification_ip="2/hour") as client:
        answers = []
        for n in range(3):
            headers = {**await patient_login(client, f"rl-vip-{n}"), **as_ip("198.51.100.77")}
            added = await client.post("/api/me/patients", headers=headers,
                                      json={"name": "王小明", "id_number": next_id_number(), "phone": "13900001234"})
            assert added.status_code == 201, added.text
            answers.append(await client.post(f"/api/me/patients/{added.json()['id']}/verification-code",
                                             headers=headers))
        assert [r.status_code for r in answers[:2]] == [202, 202]
        assert_limited(answers[2])


def test_id_number_counters_name_no_id_number():
    rule = RULES["patient_create_id"]
    assert rule.subject == "id_number"
    routes = {(s.method, s.path): s.limit for s in ROUTES}
    assert set(routes[("POST", "/api/me/patients")]) >= {"patient_create", "patient_create_ip", "patient_create_id"}
    assert set(routes[("POST", "/api/me/patients/{patient_id:int}/verification-code")]) >= {"verification",
                                                                                         "verification_ip"}

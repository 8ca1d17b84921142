"""Shared fixtures: a database per backend (SQLite and MariaDB), the sandbox, the app over real HTTP.

MariaDB and Redis tests are skipped with a printed reason when the server is unreachable, unless
CHECKUP_REQUIRE_SERVICES=1 (set by .ci/run), which turns a missing service into a failure.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator

import httpx
import pytest
from sanic import Sanic
from tortoise import connections
from tortoise.backends.base.executor import EXECUTOR_CACHE

from checkup.app import create_app
from checkup.config import Settings
from checkup.db.runtime import close_db, init_db, migrate
from checkup.services.packages import sync_packages
from support.sandbox import TEST_CONFIG, RunningSandbox, running_sandbox
from support.server import free_port, serve
from support.waits import CLIENT_TIMEOUT

MARIADB_URL = os.environ.get("CHECKUP_TEST_MARIADB_URL", "mysql://root:@127.0.0.1:3306")
REDIS_URL = os.environ.get("CHECKUP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRE = os.environ.get("CHECKUP_REQUIRE_SERVICES") == "1"
# How the session's sandbox WeChat Pay signs, and so how the session app verifies it: public_key (default),
# certificate or mixed (either key at random: WeChat's switch-over; `make soak` runs with it).
WECHATPAY_SIGNING = os.environ.get("CHECKUP_TEST_WECHATPAY_SIGNING", "public_key")

Sanic.test_mode = True


def service_missing(what: str, exc: Exception) -> None:
    reason = f"{what} unreachable ({exc.__class__.__name__}: {exc})"
    if REQUIRE:
        pytest.fail(f"{reason}; CHECKUP_REQUIRE_SERVICES=1 makes this a failure")
    print(f"SKIP: {reason}")
    pytest.skip(reason)


async def mariadb_available() -> None:
    from urllib.parse import urlsplit

    import aiomysql

    parts = urlsplit(MARIADB_URL)
    try:
        conn = await aiomysql.connect(
            host=parts.hostname, port=parts.port or 3306, user=parts.username or "root", password=parts.password or "",
            connect_timeout=3,
        )
        conn.close()
    except Exception as exc:
        service_missing("MariaDB", exc)


async def drop_mariadb(name: str) -> None:
    from urllib.parse import urlsplit

    import aiomysql

    parts = urlsplit(MARIADB_URL)
    conn = await aiomysql.connect(host=parts.hostname, port=parts.port or 3306, user=parts.username or "root",
                                  password=parts.password or "", autocommit=True)
    try:
        async with conn.cursor() as cur:
            # A connection some test left open in a transaction (a pool closed with a lease out, a killed
            # worker's half-open socket) holds a metadata lock, and DROP DATABASE would wait for it for
            # lock_wait_timeout (a year by default): end those sessions first, and never wait long.
            await cur.execute(
                "SELECT id FROM information_schema.processlist WHERE db = %s AND id <> CONNECTION_ID()", (name,)
            )
            for (session_id,) in await cur.fetchall():
                print(f"drop_mariadb: killing session {session_id} still open on {name}")
                try:
                    await cur.execute(f"KILL {int(session_id)}")
                except aiomysql.Error:
                    pass  # it ended on its own meanwhile
            await cur.execute("SET SESSION lock_wait_timeout = 30")
            await cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    finally:
        conn.close()


TABLES = ["finance_alert", "his_nonce", "open_nonce", "open_client", "reconciliation", "refund", "payment_bill", "payment", "staff_session", "booking", "charge", "patient_verification", "sms_send", "patient", "consent", "wechat_user", "day_quota", "holiday", "booking_rules", "package",
          "audit_log", "staff_user", "job", "ops_sample", "ops_daily"]


@pytest.fixture(scope="session", params=["sqlite", "mariadb"])
async def db_url(request, tmp_path_factory) -> AsyncIterator[str]:
    """A freshly migrated database, once per backend for the session."""
    if request.param == "sqlite":
        url = f"sqlite://{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        name = None
    else:
        await mariadb_available()
        name = f"checkup_test_{secrets.token_hex(4)}"
        url = f"{MARIADB_URL}/{name}"
    # Tortoise caches insert SQL per connection name; both backends use "default" in one process.
    EXECUTOR_CACHE.clear()
    await migrate(url)
    await init_db(url, pool_max=30)
    try:
        yield url
    finally:
        try:
            # Closing a pool waits for every leased connection; a leak must fail loudly, not hang CI.
            await asyncio.wait_for(close_db(), timeout=30)
        except TimeoutError:
            print("db_url teardown: closing the connection pool took over 30 s (a connection was never released)")
        if name:
            await asyncio.wait_for(drop_mariadb(name), timeout=60)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[str]:
    """Empty tables for each test (schema from the migrations)."""
    conn = connections.get("default")
    for table in TABLES:
        await conn.execute_script(f"DELETE FROM {table}")
    yield db_url


@pytest.fixture(scope="session")
async def sandbox(tmp_path_factory) -> AsyncIterator[RunningSandbox]:
    """HIS, PEIS, WeChat and WeChat Pay sandboxes on one loopback port."""
    from support import people

    async with running_sandbox(TEST_CONFIG, wechatpay_keys_dir=tmp_path_factory.mktemp("wxpay-keys"),
                               wechatpay_signing=WECHATPAY_SIGNING) as running:
        people.SANDBOX_URL = running.base_url
        yield running


GENEROUS_LIMITS = {f"rate_limit_{name}": "100000/minute" for name in (
    "login_ip", "login_account", "wechat_login_ip", "patient_create", "verification", "order", "payment", "booking",
    "pii_reveal", "charges", "refund", "staff_upstream", "patient_create_ip", "patient_create_id", "verification_ip")}


def app_settings(sandbox: RunningSandbox, **overrides) -> Settings:
    values = dict(
        env="dev",
        sandbox=False,
        his_url=sandbox.his_url,
        peis_url=sandbox.peis_url,
        wechat_api_url=sandbox.wechat_url,
        wechat_oauth_url=sandbox.wechat_url,
        sms_url=f"{sandbox.base_url}/sandbox/sms",
        his_app_id=TEST_CONFIG.his_app_id,
        his_secret=TEST_CONFIG.his_secret,
        peis_app_id=TEST_CONFIG.peis_app_id,
        peis_secret=TEST_CONFIG.peis_secret,
        wechat_appid=TEST_CONFIG.wechat_appid,
        wechat_secret=TEST_CONFIG.wechat_secret,
        his_timeout=5.0,
        wechatpay_url=sandbox.wechatpay_url,
        wechatpay_private_key_path=sandbox.wechatpay_keys.merchant_private_key_path,
        wechatpay_public_key_path=sandbox.wechatpay_keys.platform_public_key_path,
        wechatpay_public_key_id=sandbox.wechatpay_keys.platform_public_key_id,
        wechatpay_serial_no=sandbox.wechatpay_keys.merchant_serial_no,
        wechatpay_apiv3_key=sandbox.wechatpay_keys.apiv3_key.decode(),
        wechatpay_key_mode=WECHATPAY_SIGNING,
        public_url=None,
        run_worker=False,
        # The session app serves the whole suite from 127.0.0.1 (and user ids repeat across tests), so
        # its limits are generous but on; tests/api/test_rate_limits.py builds apps with tight ones.
        **GENEROUS_LIMITS,
        # Likewise its HIS/PEIS circuits: many tests inject HIS failures on purpose, and a circuit opened
        # by one test must not fail the next test's calls fast. tests/api/test_his_protection.py and
        # tests/unit/test_his_guard.py build guards with real thresholds.
        his_failure_threshold=1000, peis_failure_threshold=1000,
        # Every test person's phone is 13900001234 unless a test says otherwise: no texting limits here
        # (tests/api/test_patient_identity.py builds apps with the real ones).
        verification_send_interval_seconds=0,
        verification_sends_per_day=1000,
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="session")
async def app(sandbox: RunningSandbox, db_url: str, tmp_path_factory) -> Sanic:
    """The product app talking to the sandbox through its real clients (database managed by db_url).

    Its port is chosen first so the URLs it gives outside systems (WeChat Pay notify_url) are right.
    """
    settings = app_settings(sandbox, host="127.0.0.1", port=free_port(),
                            audit_anchor_path=tmp_path_factory.mktemp("audit") / "anchors.jsonl")
    return create_app(
        settings, name=f"checkup_test_{secrets.token_hex(3)}", manage_db=False, sync_packages_on_start=False
    )


@pytest.fixture(scope="session")
async def base_url(app: Sanic, db_url: str) -> AsyncIterator[str]:
    """The app served over real HTTP; started after (and per) database so its tasks see that database."""
    async with serve(app, port=app.ctx.settings.port) as url:
        yield url


@pytest.fixture
async def seeded(app: Sanic, db: str) -> str:
    """Clean database plus packages from the sandbox PEIS and predictable rules (window today+1..+30)."""
    from checkup.db.models import BookingRulesRow

    await sync_packages(app.ctx.deps)
    if app.ctx.login_throttle is not None:
        app.ctx.login_throttle.reset()  # login delays of earlier tests (same names, same address)
    await BookingRulesRow.create(
        id=1, open_days_ahead=30, release_time="00:00", min_days_ahead=1, change_cutoff_days=1, closed_weekdays=[]
    )
    return db


@pytest.fixture
async def http(base_url: str, seeded: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the served app (real HTTP), on a clean, seeded database."""
    async with httpx.AsyncClient(base_url=base_url, timeout=CLIENT_TIMEOUT) as client:
        yield client


@pytest.fixture
async def redis_client():
    from redis.asyncio import Redis

    client = Redis.from_url(REDIS_URL, decode_responses=True, socket_connect_timeout=2)
    try:
        await client.ping()
    except Exception as exc:
        await client.aclose()
        service_missing("Redis", exc)
    yield client
    await client.aclose()

"""GET /api/metrics (Prometheus text) and GET /api/ready, on both database backends, over real HTTP.

The gauges read at scrape time reflect the rows seeded here (jobs by kind, payments awaiting the HIS
write-back, bookings per day); the latency histogram counts the requests made; a client outside
CHECKUP_METRICS_ALLOW (the forwarded address behind CHECKUP_PROXIES_COUNT) is refused unless it sends
CHECKUP_METRICS_TOKEN; readiness is 503 with the failing part (Redis unreachable, migrations pending,
database down, process stopping).
"""

from __future__ import annotations

import secrets
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError

from checkup import __version__
from checkup.api import metrics as metrics_module
from checkup.app import create_app
from checkup.config import Settings
from checkup.db.models import Booking, Job, Payment
from checkup.domain.clock import utcnow
from conftest import REDIS_URL, app_settings
from support.people import day, set_quota
from support.server import free_port, serve
from support.staff import booked_patient

TOKEN = "metrics-" + "t" * 24


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """{(sample name, sorted labels): value} of a Prometheus text answer."""
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return out


def value(parsed: dict, name: str, **labels: str) -> float:
    return parsed.get((name, tuple(sorted(labels.items()))), 0.0)


async def scrape(client: httpx.AsyncClient, **kw) -> dict:
    r = await client.get("/api/metrics", **kw)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    return samples(r.text)


@asynccontextmanager
async def served(sandbox, **overrides):
    """A separate app with its own settings, served over real HTTP; yields (app, client)."""
    settings = app_settings(sandbox, host="127.0.0.1", port=free_port(), **overrides)
    app = create_app(settings, name=f"checkup_metrics_{secrets.token_hex(3)}", manage_db=False,
                     sync_packages_on_start=False, run_worker=False)
    async with serve(app, port=settings.port) as url, httpx.AsyncClient(base_url=url, timeout=30) as client:
        yield app, client


async def test_gauges_reflect_jobs_payments_and_bookings(http, app):
    now = utcnow()
    for kind, status, due in [("his_writeback", "pending", now - timedelta(seconds=90)),
                              ("his_writeback", "pending", now + timedelta(minutes=5)),
                              ("his_writeback", "running", now - timedelta(seconds=10)),
                              ("his_writeback", "done", now - timedelta(hours=1)),
                              ("refund", "failed", now - timedelta(hours=2)),
                              ("refund", "failed", now - timedelta(hours=2)),
                              ("send_message", "pending", now + timedelta(hours=1))]:
        await Job.create(kind=kind, status=status, run_after=due, payload={})
    b1 = await booked_patient(app, day=day(1), name="甲")
    await booked_patient(app, day=day(1), name="乙", status="confirmed")
    await booked_patient(app, day=day(3), name="丙")
    await booked_patient(app, day=day(9), name="丁")  # beyond the 7 days
    cancelled = await booked_patient(app, day=day(3), name="戊")
    await Booking.filter(id=cancelled.id).update(status="cancelled", active=None)
    await set_quota(day(1), 40, booked=2)
    patient = await b1.patient
    user = await patient.user
    for n, (status, his_status) in enumerate([("paid", "pending"), ("paid", "pending"), ("paid", "settled"),
                                              ("pending", "none"), ("held", "none")]):
        await Payment.create(payment_no=f"PM{secrets.token_hex(6)}{n}", user=user, patient=patient,
                             his_patient_id=patient.his_patient_id, amount_fen=35800, description="体检中心体检费",
                             status=status, his_status=his_status, expires_at=now + timedelta(minutes=15),
                             transaction_id=None if status == "pending" else f"42{secrets.token_hex(8)}")

    m = await scrape(http)
    assert value(m, "checkup_db_up") == 1
    assert value(m, "checkup_jobs_waiting", kind="his_writeback") == 3  # pending + running, due or not
    assert value(m, "checkup_jobs_waiting", kind="send_message") == 1
    assert value(m, "checkup_jobs_failed", kind="refund") == 2
    assert value(m, "checkup_jobs_failed", kind="his_writeback") == 0
    assert 80 <= value(m, "checkup_jobs_oldest_due_seconds", kind="his_writeback") < 600
    assert value(m, "checkup_jobs_oldest_due_seconds", kind="send_message") == 0  # not due yet
    assert value(m, "checkup_payments_his_pending") == 2
    assert value(m, "checkup_payments_held") == 1
    days = {labels[0][1]: v for (name, labels), v in m.items() if name == "checkup_bookings"}
    assert sorted(days) == [day(k).isoformat() for k in range(7)]
    assert days[day(1).isoformat()] == 2 and days[day(3).isoformat()] == 1 and days[day(0).isoformat()] == 0
    assert sum(days.values()) == 3
    assert value(m, "checkup_day_capacity", day=day(1).isoformat()) == 40
    assert value(m, "checkup_info", version=__version__, env="dev") == 1
    assert value(m, "process_resident_memory_bytes") > 0 and value(m, "process_start_time_seconds") > 0


async def test_latency_histogram_and_counters_count_requests(http):
    before = await scrape(http)
    for _ in range(5):
        assert (await http.get("/api/ping")).status_code == 200
    assert (await http.get("/api/no-such-route")).status_code == 404
    assert (await http.get("/api/me/patients")).status_code == 401
    after = await scrape(http)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    ping = {"route": "system.ping_get", "method": "GET"}
    assert delta("checkup_http_request_duration_seconds_count", status="2xx", **ping) == 5
    assert delta("checkup_http_requests_total", code="200", **ping) == 5
    assert delta("checkup_http_request_duration_seconds_bucket", status="2xx", le="+Inf", **ping) == 5
    assert delta("checkup_http_request_duration_seconds_sum", status="2xx", **ping) > 0
    not_found = [(labels, after[(name, labels)] - before.get((name, labels), 0)) for name, labels in after
                 if name == "checkup_http_requests_total" and ("code", "404") in labels]
    assert sum(n for _labels, n in not_found) == 1, not_found  # under the route that answered it (no path label)
    assert delta("checkup_http_request_duration_seconds_count", route="patient.list_patients_get", method="GET",
                 status="4xx") == 1
    # the scrape itself is counted (by the next scrape)
    assert delta("checkup_http_requests_total", route="system.metrics_get", method="GET", code="200") == 1


async def test_refused_outside_the_allowed_networks_unless_the_token_is_sent(sandbox, db):
    async with served(sandbox, metrics_allow="10.0.0.0/8", metrics_token=TOKEN) as (_app, client):
        r = await client.get("/api/metrics")
        assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN", r.text
        r = await client.get("/api/metrics", headers={"Authorization": "Bearer " + "x" * len(TOKEN)})
        assert r.status_code == 403
        m = await scrape(client, headers={"Authorization": f"Bearer {TOKEN}"})
        assert value(m, "checkup_db_up") == 1
    async with served(sandbox, metrics_allow="") as (_app, client):  # no network, no token: nobody
        assert (await client.get("/api/metrics")).status_code == 403
        assert (await client.get("/api/metrics", headers={"Authorization": f"Bearer {TOKEN}"})).status_code == 403


async def test_behind_a_proxy_the_forwarded_client_address_decides(sandbox, db):
    async with served(sandbox, proxies_count=1) as (_app, client):  # default allow: loopback only
        r = await client.get("/api/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert r.status_code == 403, "a patient's request relayed by nginx (peer 127.0.0.1) must not pass"
        await scrape(client, headers={"X-Forwarded-For": "127.0.0.1"})
        await scrape(client)  # a local scraper straight to the port, no forwarded header
    async with served(sandbox, proxies_count=1, metrics_allow="10.20.0.0/16") as (_app, client):
        await scrape(client, headers={"X-Forwarded-For": "198.51.100.1, 10.20.3.4"})  # the last hop counts
        assert (await client.get("/api/metrics", headers={"X-Forwarded-For": "10.20.3.4, 198.51.100.1"})
                ).status_code == 403


async def test_metrics_answer_when_the_database_does_not(sandbox, db, monkeypatch):
    async def broken():
        raise ConnectionError("database gone")

    monkeypatch.setattr(metrics_module, "database_families", broken)
    async with served(sandbox) as (_app, client):
        m = await scrape(client)
        assert value(m, "checkup_db_up") == 0 and value(m, "process_resident_memory_bytes") > 0


async def test_ready_when_database_migrations_and_redis_answer(http, sandbox, redis_client):
    r = await http.get("/api/ready")
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ready", "db": "ok", "migrations": "ok", "redis": "disabled"}
    async with served(sandbox, redis_url=REDIS_URL) as (_app, client):
        r = await client.get("/api/ready")
        assert r.status_code == 200 and r.json()["redis"] == "ok", r.text


async def test_not_ready_when_redis_is_configured_but_unreachable(sandbox, db):
    async with served(sandbox, redis_url=f"redis://127.0.0.1:{free_port()}/0") as (_app, client):
        r = await client.get("/api/ready")
        assert r.status_code == 503, r.text
        error = r.json()["error"]
        assert error["code"] == "NOT_READY"
        assert error["details"]["redis"].startswith("error") and error["details"]["db"] == "ok"
        # liveness stays 200 (degraded): restarting the process would not bring Redis back
        health = await client.get("/api/health")
        assert health.status_code == 200 and health.json()["status"] == "degraded"


async def test_not_ready_while_migrations_are_pending_or_the_database_is_down(sandbox, db, monkeypatch):
    known = metrics_module.code_migrations()
    monkeypatch.setattr(metrics_module, "code_migrations", lambda: known | {"9999_from_newer_code"})
    async with served(sandbox) as (_app, client):
        r = await client.get("/api/ready")
        assert r.status_code == 503
        assert r.json()["error"]["details"]["migrations"] == "pending: 9999_from_newer_code"
    monkeypatch.setattr(metrics_module, "code_migrations", lambda: known)

    async def down():
        raise OSError("connection refused")

    monkeypatch.setattr(metrics_module, "_db_check", down)
    async with served(sandbox) as (_app, client):
        r = await client.get("/api/ready")
        assert r.status_code == 503
        details = r.json()["error"]["details"]
        assert details["db"] == "error: OSError" and details["migrations"] == "unknown"


async def test_not_ready_from_the_stop_signal_on(sandbox, db):
    """before_server_stop runs while the socket still accepts: readiness turns 503, connections close."""
    settings = app_settings(sandbox, host="127.0.0.1", port=free_port())
    app = create_app(settings, name=f"checkup_stop_{secrets.token_hex(3)}", manage_db=False,
                     sync_packages_on_start=False, run_worker=False)
    server = await app.create_server(host="127.0.0.1", port=settings.port, return_asyncio_server=True,
                                     access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.port}", timeout=10) as client:
            assert (await client.get("/api/ready")).status_code == 200
            await server.before_stop()
            r = await client.get("/api/ready")
            assert r.status_code == 503 and r.json()["error"]["details"]["process"] == "shutting down"
            assert r.headers.get("connection") == "close"
            ping = await client.get("/api/ping")  # still serving what is in flight
            assert ping.status_code == 200
            m = await scrape(client)
            assert value(m, "checkup_shutting_down") == 1
    finally:
        await server.close()
        await server.after_stop()


def test_metrics_settings_are_checked_at_start():
    with pytest.raises(ValidationError, match="not an address or CIDR"):
        Settings(metrics_allow="127.0.0.0/8,intranet")
    with pytest.raises(ValidationError, match="at least 16 characters"):
        Settings(metrics_token="short")
    with pytest.raises(ValidationError, match="at least 16 characters"):
        Settings(metrics_token="change-me")
    assert Settings(metrics_token="").metrics_token is None  # CHECKUP_METRICS_TOKEN= (empty) means none
    assert [str(n) for n in Settings(metrics_allow=" 10.1.2.3, fd00::/8 ").metrics_networks] == ["10.1.2.3/32",
                                                                                               "fd00::/8"]

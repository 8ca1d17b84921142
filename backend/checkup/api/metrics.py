"""Prometheus metrics of one API process, readiness, and who may read the metrics.

Each API process (checkup-api@PORT) keeps its own request metrics in its own registry and answers
them at GET /api/metrics; Prometheus scrapes every port as its own target (no pid label, no shared
multi-process directory). The database gauges (jobs, write-backs, bookings) are read at scrape time,
so every process answers the same values: aggregate them with max(), not sum().
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
import pkgutil
import time
from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector
from sanic import Request, Sanic
from sanic.response import HTTPResponse

from checkup import __version__
from checkup.config import Settings
from checkup.domain.clock import shanghai_today, utcnow
from checkup.domain.errors import Forbidden
from checkup.services import health
from checkup.services.ops_counters import COUNTERS

log = logging.getLogger("checkup.metrics")
disable_created_metrics()  # no *_created series: half the lines, nothing a dashboard uses

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4  # text/plain; version=0.0.4 (every Prometheus version reads it)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
BOOKING_DAYS = 7  # checkup_bookings{day}: today and the 6 days after it (Asia/Shanghai)
CHECK_TIMEOUT = 2.0  # seconds each readiness / scrape-time database check may take


class ProcessMetrics:
    """The registry of one API process: request latency and counts, process and Python info."""

    def __init__(self, settings: Settings) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.latency = Histogram(
            "checkup_http_request_duration_seconds", "Time from request to response, by route and status class.",
            ("route", "method", "status"), buckets=BUCKETS, registry=self.registry,
        )
        self.requests = Counter(
            "checkup_http_requests", "Requests answered, by route, method and status code.",
            ("route", "method", "code"), registry=self.registry,
        )
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)
        info = GaugeMetricFamily("checkup_info", "Version and environment of this process.", labels=["version", "env"])
        info.add_metric([__version__, settings.env], 1)
        self._info = info

    def observe(self, route: str, method: str, status: int, seconds: float | None) -> None:
        if seconds is not None:
            self.latency.labels(route, method, f"{status // 100}xx").observe(seconds)
        self.requests.labels(route, method, str(status)).inc()


def route_label(request: Request) -> str:
    """The route's name without the app's name ("system.health_get"); "unmatched" for unknown paths."""
    route = request.route
    if route is None:
        return "unmatched"
    return route.name.split(".", 1)[-1]


def install_metrics(app: Sanic) -> None:
    """Request timing for every request; a flag that readiness reads once the server is stopping."""
    app.ctx.metrics = ProcessMetrics(app.ctx.settings)
    app.ctx.shutting_down = False
    app.ctx.migrations_current = False

    # Sanic types on_request(priority=...) as returning the middleware, not the decorator it returns
    @app.on_request(priority=1000)  # type: ignore[call-arg]
    async def start_timer(request: Request) -> None:
        request.ctx.metrics_t0 = time.perf_counter()

    @app.on_response(priority=1000)
    async def observe(request: Request, response: HTTPResponse) -> None:
        if response is None:
            return
        started = getattr(request.ctx, "metrics_t0", None)  # None: no route matched (no request middleware ran)
        seconds = None if started is None else time.perf_counter() - started
        label = route_label(request)
        app.ctx.metrics.observe(label, request.method, response.status, seconds)
        COUNTERS.request(label, response.status, seconds)  # the monthly report's figures (ops_counters.py)
        if app.ctx.shutting_down:
            stream = getattr(request, "stream", None)
            if stream is not None and hasattr(stream, "keep_alive"):
                stream.keep_alive = False  # "Connection: close": the proxy stops reusing this connection


# ---------------------------------------------------------------- access


def client_address(request: Request) -> str:
    """The real client: the forwarded address behind CHECKUP_PROXIES_COUNT proxies, else the socket peer."""
    return request.remote_addr or request.ip or ""


def check_metrics_access(request: Request) -> None:
    """Allowed from CHECKUP_METRICS_ALLOW networks or with the bearer CHECKUP_METRICS_TOKEN; otherwise 403."""
    settings: Settings = request.app.ctx.settings
    token = settings.metrics_token
    given = request.headers.get("authorization", "")
    if token and given.startswith("Bearer ") and hmac.compare_digest(given[7:].encode(), token.encode()):
        return
    try:
        address = ipaddress.ip_address(client_address(request).strip("[]"))
    except ValueError:
        raise Forbidden("无权读取监控指标") from None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in network for network in settings.metrics_networks):
        return
    raise Forbidden("无权读取监控指标")


# ---------------------------------------------------------------- scrape


async def database_families() -> list[GaugeMetricFamily]:
    """Gauges read from the database now: the same on every process (aggregate with max)."""
    now = utcnow()
    today = shanghai_today()
    last = today + timedelta(days=BOOKING_DAYS - 1)
    figures = await health.gauges(today, last)
    waiting = GaugeMetricFamily("checkup_jobs_waiting", "Durable jobs not done yet (pending or running), by kind.",
                                labels=["kind"])
    failed = GaugeMetricFamily("checkup_jobs_failed", "Durable jobs that used up their attempts (status failed), "
                               "by kind: each needs a person.", labels=["kind"])
    oldest = GaugeMetricFamily("checkup_jobs_oldest_due_seconds", "Age of the oldest job that is due and not done "
                               "(0 when none): grows when no worker runs.", labels=["kind"])
    rows = figures.jobs
    by_kind: dict[str, dict[str, float]] = {}
    for kind, status, n, first_due in rows:
        entry = by_kind.setdefault(kind, {"waiting": 0, "failed": 0, "oldest": 0.0})
        if status == "failed":
            entry["failed"] += n
            continue
        entry["waiting"] += n
        if first_due is not None:
            if isinstance(first_due, str):  # SQLite answers aggregates as text
                first_due = datetime.fromisoformat(first_due)
            if first_due.tzinfo is None:
                first_due = first_due.replace(tzinfo=UTC)
            entry["oldest"] = max(entry["oldest"], (now - first_due).total_seconds())
    for kind in sorted(by_kind):
        waiting.add_metric([kind], by_kind[kind]["waiting"])
        failed.add_metric([kind], by_kind[kind]["failed"])
        oldest.add_metric([kind], max(0.0, by_kind[kind]["oldest"]))

    his_pending = GaugeMetricFamily("checkup_payments_his_pending", "Paid WeChat payments still awaiting the "
                                    "write-back to HIS (his_status pending).")
    his_pending.add_metric([], figures.writeback_pending)
    held = GaugeMetricFamily("checkup_payments_held", "Payments held for staff (the amount paid differs).")
    held.add_metric([], figures.held)

    bookings = GaugeMetricFamily("checkup_bookings", f"Active bookings (booked or confirmed) per day, today and "
                                 f"the next {BOOKING_DAYS - 1} days.", labels=["day"])
    capacity = GaugeMetricFamily("checkup_day_capacity", "Capacity (号源) per day, same days as checkup_bookings.",
                                 labels=["day"])
    counts, capacities = figures.bookings, figures.capacities
    for offset in range(BOOKING_DAYS):
        day = (today + timedelta(days=offset)).isoformat()
        bookings.add_metric([day], counts.get(day, 0))
        capacity.add_metric([day], capacities.get(day, 0))
    return [waiting, failed, oldest, his_pending, held, bookings, capacity]


class _Families:
    def __init__(self, families: list) -> None:
        self.families = families

    def collect(self):
        return iter(self.families)


async def render_metrics(app: Sanic) -> bytes:
    """This process's registry plus the database gauges; a database that does not answer gives db_up 0."""
    metrics: ProcessMetrics = app.ctx.metrics
    families: list = [metrics._info]
    up = GaugeMetricFamily("checkup_db_up", "1 when the scrape-time database queries answered.")
    started = time.perf_counter()
    try:
        families += await asyncio.wait_for(database_families(), timeout=CHECK_TIMEOUT * 2)
        up.add_metric([], 1)
    except Exception as exc:  # noqa: BLE001 - the metrics must answer whatever broke
        log.warning("metrics: database gauges failed: %s", exc)
        up.add_metric([], 0)
    scrape = GaugeMetricFamily("checkup_metrics_db_seconds", "Time the scrape-time database queries took.")
    scrape.add_metric([], time.perf_counter() - started)
    shutting = GaugeMetricFamily("checkup_shutting_down", "1 once this process received SIGTERM (not ready).")
    shutting.add_metric([], 1 if app.ctx.shutting_down else 0)
    extra = CollectorRegistry(auto_describe=False)
    extra.register(_Families([*families, up, scrape, shutting]))
    return generate_latest(metrics.registry) + generate_latest(extra)


# ---------------------------------------------------------------- readiness


def code_migrations() -> set[str]:
    """The migrations this code knows (as tortoise's loader names them)."""
    import checkup.migrations as package

    return {name for _, name, is_pkg in pkgutil.iter_modules(package.__path__) if not is_pkg and name[0] not in "_~"}


async def _db_check() -> None:
    await health.database_answers()


async def _pending_migrations() -> list[str]:
    return sorted(code_migrations() - await health.applied_migrations())


async def readiness(app: Sanic) -> dict[str, str]:
    """Each part "ok" (Redis "disabled" when not configured) or what is wrong with it."""
    parts: dict[str, str] = {}
    if app.ctx.shutting_down:
        parts["process"] = "shutting down"
    try:
        await asyncio.wait_for(_db_check(), timeout=CHECK_TIMEOUT)
        parts["db"] = "ok"
    except Exception as exc:  # noqa: BLE001
        parts["db"] = f"error: {exc.__class__.__name__}"
    if parts["db"] != "ok":
        parts["migrations"] = "unknown"
    elif app.ctx.migrations_current:
        parts["migrations"] = "ok"  # once current, they stay current for this code
    else:
        try:
            pending = await asyncio.wait_for(_pending_migrations(), timeout=CHECK_TIMEOUT)
        except Exception as exc:  # noqa: BLE001
            parts["migrations"] = f"error: {exc.__class__.__name__}"
        else:
            parts["migrations"] = "ok" if not pending else "pending: " + ", ".join(pending)
            app.ctx.migrations_current = not pending
    client = app.ctx.redis
    if client is None:
        parts["redis"] = "disabled"
    else:
        try:
            await asyncio.wait_for(client.ping(), timeout=CHECK_TIMEOUT)
            parts["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            parts["redis"] = f"error: {exc.__class__.__name__}"
    return parts


def is_ready(parts: dict[str, str]) -> bool:
    return "process" not in parts and all(v in ("ok", "disabled") for v in parts.values())

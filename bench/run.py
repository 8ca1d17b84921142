"""`make bench`: the product under load on this machine, against its ceilings, in one run.

Starts, on loopback: the sandbox (HIS, PEIS, WeChat, WeChat Pay) as its own process, and the product
with `checkup serve --workers <cores>` on MariaDB + Redis (a throwaway database, dropped and created
again each run). This process is the load generator; it writes the rows each scenario needs straight
into the database, then measures:

  rush      1,000 patients with paid charges book one day of capacity 500 at 200 connections,
            against the same transaction done directly with aiomysql at the same concurrency
  calendar  GET /api/calendar (30 days) at 200 connections, against GET /api/ping of the same server
  notify    signed, encrypted TRANSACTION.SUCCESS notifications (the sandbox's own code and keys)
  export    the 10,000-row 预约患者 report as xlsx and pdf, with the peak RSS of the server's workers

and prints a table and writes bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import aiomysql

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"

TARGETS = {
    "rush.booked": ("==", "rush.places"),
    "rush.oversold": ("==", 0),
    "rush.errors_5xx": ("==", 0),
    "rush.ratio": (">=", 0.8),
    "rush.p99_ms": ("<=", 150),
    "his.errors_5xx": ("==", 0),
    "his.peak_concurrent_his": ("<=", "his.his_cap"),
    "his.refused_by_his": ("==", 0),
    "calendar.ratio": (">=", 0.6),
    "export.xlsx_s": ("<=", 1.5),
    "export.pdf_s": ("<=", 3),
    "export.peak_rss_mb": ("<=", 250),
    "notify.rps": (">=", 1000),
    "notify.applied": ("==", "notify.sent"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- processes


class Proc:
    """A child process in its own session, stopped by its own pid (never by name)."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], logfile: Path) -> None:
        self.name = name
        self.logfile = logfile
        self.handle = open(logfile, "wb")
        self.popen = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=self.handle, stderr=subprocess.STDOUT,
                                      start_new_session=True)

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, timeout: float = 20.0) -> None:
        if self.alive():
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)  # its own process group: the server and its workers
                self.popen.wait(5)
        self.handle.close()

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.logfile.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return ""


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    kids = [int(x) for x in fh.read().split()]
                out += kids
                todo += kids
        except OSError:
            continue
    return out


def status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pids: list[int], *, part: str = "all") -> float:
    """User + system CPU time the processes have used (/proc/<pid>/stat): a figure of work done that a
    busy machine stretches far less than it stretches wall-clock throughput."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rpartition(")")[2].split()
            utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of stat
            total += {"all": utime + stime, "user": utime, "system": stime}[part]
        except (OSError, IndexError, ValueError):
            continue
    return total / tick


def mariadb_pids() -> list[int]:
    """The local MariaDB server's pid (for its CPU time per request), or none when it runs elsewhere."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as fh:
                    if fh.read().strip() in ("mariadbd", "mysqld"):
                        pids.append(int(entry))
            except OSError:
                continue
    return pids


def reset_peak(pid: int) -> None:
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as fh:
            fh.write("5")  # Linux: reset VmHWM (peak RSS) to the current RSS
    except OSError:
        pass


class RssSampler(threading.Thread):
    """Samples VmRSS of every process under ``root`` every 20 ms (a cross-check of VmHWM); the list is read
    again at each sample, so a process started meanwhile (an export builder, reports/offload.py) is counted."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak_kb, self.stop_flag = root, 0, threading.Event()

    def run(self) -> None:
        while not self.stop_flag.is_set():
            self.peak_kb = max([self.peak_kb] + [status_kb(p, "VmRSS") for p in descendants(self.root)])
            time.sleep(0.02)


def git_state() -> dict:
    """The commit the run measured, and whether the tree had changes to tracked files (the test report
    quotes both); empty outside a git checkout."""
    def git(*argv: str) -> str:
        try:
            return subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    commit = git("rev-parse", "--short", "HEAD")
    return {"commit": commit, "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))} if commit else {}


class Profiler:
    """BENCH_PYSPY=/path/to/py-spy: sample every API worker during each phase (collapsed stacks in var/bench/)."""

    def __init__(self, server: Proc, run_dir: Path) -> None:
        self.server, self.run_dir, self.procs = server, run_dir, []

    def start(self, phase: str) -> None:
        for pid in descendants(self.server.pid):
            out = self.run_dir / f"profile-{phase}-{pid}.txt"
            self.procs.append(subprocess.Popen(
                [os.environ["BENCH_PYSPY"], "record", "--pid", str(pid), "--format", "raw", "--rate", "200",
                 "--nonblocking", "-o", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        time.sleep(1.0)

    def stop(self) -> None:
        for proc in self.procs:
            proc.send_signal(signal.SIGINT)
        for proc in self.procs:
            proc.wait(30)
        self.procs = []


# ---------------------------------------------------------------- set-up


def bench_env(args, *, port: int, sandbox_port: int, keys, run_dir: Path) -> dict[str, str]:
    sandbox = f"http://127.0.0.1:{sandbox_port}/sandbox"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKUP_")}
    env.update({
        "CHECKUP_ENV": "dev",  # prod refuses the sandbox's test keys, as it should
        "CHECKUP_RESPONSE_CHECK": "log",  # what production runs (dev checks every answer against its model)
        "CHECKUP_SANDBOX": "false",  # the sandbox runs as its own process (shared state across workers)
        "CHECKUP_HOST": "127.0.0.1",
        "CHECKUP_PORT": str(port),
        "CHECKUP_DB_URL": f"{args.mysql.rstrip('/')}/{args.db_name}",
        "CHECKUP_REDIS_URL": args.redis,
        "CHECKUP_VAR_DIR": str(run_dir),
        "CHECKUP_CONSOLE_DIST": str(run_dir / "no-console"),
        "CHECKUP_RUN_WORKER": "false",  # the durable-job worker is its own process in production; not measured
        "CHECKUP_SECRET_KEY": "bench-" + secrets.token_urlsafe(24),
        "CHECKUP_PII_KEY": "bench-" + secrets.token_urlsafe(32),
        "CHECKUP_ADMIN_PASSWORD": "Bench-" + secrets.token_urlsafe(12) + "-9a",
        "CHECKUP_HIS_URL": f"{sandbox}/his",
        "CHECKUP_PEIS_URL": f"{sandbox}/peis",
        "CHECKUP_WECHAT_API_URL": f"{sandbox}/wechat",
        "CHECKUP_WECHATPAY_URL": f"{sandbox}/wechatpay",
        "CHECKUP_HIS_SECRET": "bench-his-" + secrets.token_hex(8),
        "CHECKUP_PEIS_SECRET": "bench-peis-" + secrets.token_hex(8),
        "CHECKUP_WECHAT_SECRET": "bench-wx-" + secrets.token_hex(8),
        "CHECKUP_WECHATPAY_PRIVATE_KEY_PATH": str(keys.merchant_private_key_path),
        "CHECKUP_WECHATPAY_PUBLIC_KEY_PATH": str(keys.platform_public_key_path),
        "CHECKUP_WECHATPAY_PUBLIC_KEY_ID": keys.platform_public_key_id,
        "CHECKUP_WECHATPAY_SERIAL_NO": keys.merchant_serial_no,
        "CHECKUP_WECHATPAY_APIV3_KEY": keys.apiv3_key.decode(),
        "CHECKUP_BENCH_KEYS_DIR": str(keys.directory),
        "CHECKUP_CALENDAR_CACHE_SECONDS": str(args.calendar_cache),
        # HIS protection as a hospital would size it (docs/scaling.md): the processes that call HIS (API
        # workers + the job worker) together stay under the interface platform's cap.
        "CHECKUP_HIS_MAX_CONCURRENT": str(max(1, args.his_cap // ((args.workers or os.cpu_count() or 1) + 1))),
        "CHECKUP_PEIS_MAX_CONCURRENT": str(max(1, args.his_cap // ((args.workers or os.cpu_count() or 1) + 1))),
        "CHECKUP_HIS_CACHE_SECONDS": str(args.his_cache),
        "CHECKUP_WORKER_CONCURRENCY": str(max(1, args.his_cap // ((args.workers or os.cpu_count() or 1) + 1))),
        "PYTHONUNBUFFERED": "1",
    })
    return env


async def recreate_database(mysql_url: str, name: str) -> dict:
    parts = urlsplit(mysql_url)
    db = {"host": parts.hostname or "127.0.0.1", "port": parts.port or 3306, "user": parts.username or "root",
          "password": parts.password or ""}
    conn = await aiomysql.connect(**db)
    async with conn.cursor() as cur:
        await cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        await cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    conn.close()
    return {**db, "db": name}


async def preflight(args) -> None:
    """MariaDB and Redis must be up: say so plainly when they are not."""
    from redis.asyncio import Redis

    parts = urlsplit(args.mysql)
    try:
        conn = await aiomysql.connect(host=parts.hostname or "127.0.0.1", port=parts.port or 3306,
                                      user=parts.username or "root", password=parts.password or "")
        conn.close()
    except Exception as exc:  # noqa: BLE001
        raise SystemExit(f"bench: MariaDB not reachable at {parts.hostname}:{parts.port} ({exc}); start it, e.g. "
                         "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd") from None
    client = Redis.from_url(args.redis, socket_connect_timeout=2)
    try:
        await client.ping()
    except Exception as exc:  # noqa: BLE001
        raise SystemExit(f"bench: Redis not reachable at {args.redis} ({exc}); start it, e.g. redis-server "
                         "--daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no") from None
    finally:
        await client.aclose()


def run_cli(env: dict[str, str], *argv: str) -> None:
    done = subprocess.run([sys.executable, "-m", "checkup.cli", *argv], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"checkup {' '.join(argv)} failed:\n{done.stdout}\n{done.stderr}")


async def wait_http(port: int, path: str, proc: Proc, within: float = 90.0, *, any_answer: bool = False) -> None:
    from loadgen import Conn, Req

    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not proc.alive():
            raise SystemExit(f"{proc.name} exited:\n{proc.tail()}")
        conn = Conn("127.0.0.1", port)
        try:
            status, _ = await conn.send(Req("GET", path).encode(f"127.0.0.1:{port}"))
            if any_answer or status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        await asyncio.sleep(0.3)
    raise SystemExit(f"{proc.name} did not answer {path} within {within:.0f}s:\n{proc.tail()}")


# ---------------------------------------------------------------- scenarios


def _pct(res, p: float) -> float:
    return round(res.pct_ms(p), 1)


async def scenario_rush(args, port: int, db: dict, people, days) -> dict:
    """The release: patients with paid charges arrive over ``--rush-seconds`` (open loop: each taps 预约
    at their moment, whatever the others' answers) and book ``days`` (patient k the day k mod len(days));
    the raw ceiling is the same attempts at the same rate through aiomysql."""
    from ceiling import finish_tables, prepare_tables, rush_ceiling, rush_trigger_ceiling
    from data import set_quota
    from loadgen import Req, per_second, run_open
    from tortoise.transactions import in_transaction

    from checkup.db.models import Booking, Charge, DayQuota

    capacity = args.rush_capacity
    rate = len(people) / args.rush_seconds
    bills = [bill for _t, bill in people]
    rows = {bill: (cid, pid, his) for cid, pid, his, bill in
            await Charge.filter(bill_no__in=bills).values_list("id", "patient_id", "his_patient_id", "bill_no")}
    day_of = [days[k % len(days)] for k in range(len(people))]
    charges = [(*rows[bill], on) for bill, on in zip(bills, day_of, strict=True)]
    # 1) the ceiling: the guarded UPDATE + INSERT transaction straight through aiomysql, on trigger-free
    #    copies of the two tables (bench/ceiling.py), which are dropped afterwards
    await prepare_tables(db, days, capacity)
    ceiling = await rush_ceiling(db, charges, rate=rate, connections=args.app_db_connections)
    ceiling_booked, ceiling_quota = await finish_tables(db)
    log(f"rush ceiling: {ceiling.count / ceiling.wall:.0f}/s, booked {ceiling_booked} (quota {ceiling_quota}), "
        f"p99 {ceiling.pct_ms(99):.0f} ms")
    # 1b) for reference: the product's own statement (INSERT; the trigger takes the place) through aiomysql
    for on in days:
        await set_quota(on, capacity)
    trigger = await rush_trigger_ceiling(db, charges, rate=rate, connections=args.app_db_connections)
    trigger_booked = await Booking.filter(day__in=days, active=1).count()
    async with in_transaction() as conn:
        await Booking.filter(day__in=days).using_db(conn).delete()  # the trigger gives the places back
        await DayQuota.filter(day__in=days).using_db(conn).update(booked=0)
    log(f"rush trigger statement alone: booked {trigger_booked}, p99 {trigger.pct_ms(99):.0f} ms")
    # 2) the product: every patient taps 预约 at their moment of the release
    requests = [Req("POST", "/api/me/bookings", (("Authorization", f"Bearer {tok}"),
                                                 ("Content-Type", "application/json")),
                    json.dumps({"bill_no": bill, "date": on.isoformat()}).encode())
                for (tok, bill), on in zip(people, day_of, strict=True)]
    res = await run_open("rush", "127.0.0.1", port, requests, rate=rate, keep_bodies=True)
    codes = _error_codes(res)
    booked_rows = await Booking.filter(day__in=days, active=1).count()
    quotas = await DayQuota.filter(day__in=days)
    quota_booked = sum(q.booked for q in quotas)
    oversold = sum(max(0, q.booked - q.capacity) for q in quotas)
    for on in days:
        n = await Booking.filter(day=on, active=1).count()
        oversold += max(0, n - capacity)
    app_rps = res.count / res.wall if res.wall else 0.0
    ceiling_rps = ceiling.count / ceiling.wall if ceiling.wall else 0.0
    out = {
        "requests": len(requests),
        "seconds": args.rush_seconds,
        "arrival_rate": round(rate, 1),
        "days": len(days),
        "capacity": capacity,
        "places": capacity * len(days),
        "first_day": days[0].isoformat(),
        "booked": booked_rows,
        "quota_booked": quota_booked,
        "oversold": oversold,
        "counts_agree": quota_booked == booked_rows,
        "http_201": res.statuses.get(201, 0),
        "errors_5xx": res.errors_5xx + sum(res.errors.values()),
        "statuses": {str(k): v for k, v in sorted(res.statuses.items())},
        "error_codes": codes,
        "transport_errors": dict(res.errors),
        "app_rps": round(app_rps, 1),
        "p50_ms": _pct(res, 50),
        "p99_ms": _pct(res, 99),
        "p999_ms": _pct(res, 99.9),
        "max_ms": round(max(res.latencies) * 1000, 1) if res.latencies else None,
        "wall_s": round(res.wall, 3),
        "ceiling_rps": round(ceiling_rps, 1),
        "ceiling_p50_ms": _pct(ceiling, 50),
        "ceiling_p99_ms": _pct(ceiling, 99),
        "ceiling_p999_ms": _pct(ceiling, 99.9),
        "ceiling_booked": ceiling_booked,
        "ceiling_quota_booked": ceiling_quota,
        "trigger_statement_rps": round(trigger.count / trigger.wall, 1) if trigger.wall else None,
        "trigger_statement_p99_ms": _pct(trigger, 99),
        "trigger_statement_booked": trigger_booked,
        "ceiling_db_connections": args.app_db_connections,
        "per_second": per_second(res.series),
        "ceiling_per_second": per_second(ceiling.series),
    }
    # Open loop: both keep up with the arrivals when they can, so the ratio compares how long each took
    # to serve the same arrivals (1.0 = the app kept pace with the bare transaction).
    out["ratio"] = round(out["app_rps"] / out["ceiling_rps"], 3) if ceiling_rps else None
    return out


def _route_figures(res, *, seconds: bool = True) -> dict:
    """Counts and latencies of one patient route under load."""
    out = {
        "requests": res.count if hasattr(res, "count") else len(res.latencies),
        "statuses": {str(k): v for k, v in sorted(res.statuses.items())},
        "errors_5xx": res.errors_5xx + sum(res.errors.values()),
        "p50_ms": round(res.pct_ms(50), 1),
        "p99_ms": round(res.pct_ms(99), 1),
        "max_ms": round(max(res.latencies) * 1000, 1) if res.latencies else None,
    }
    if seconds:
        out["wall_s"] = round(res.wall, 2)
    return out


def _error_codes(res) -> dict[str, int]:
    codes: dict[str, int] = {}
    for status, raw in res.bodies:
        if status >= 400:
            try:
                code = json.loads(raw)["error"]["code"]
            except (ValueError, KeyError, TypeError):
                code = "?"
            codes[f"{status} {code}"] = codes.get(f"{status} {code}", 0) + 1
    return codes


async def scenario_his(args, port: int, sandbox_port: int, env: dict[str, str], run_dir: Path, *, pii, tokens,
                       code: str | None, day) -> dict:
    """HIS and PEIS at a hospital's pace (latency per call, a concurrency cap) while patients open
    体检缴费 (their bills are read from HIS), pay and book: what the product asks of HIS, and whether
    the patients' routes hold."""
    import httpx
    from data import his_identity, his_people, set_quota
    from loadgen import Req, run_open

    from checkup.db.models import Charge

    n, payers = args.his_people, min(args.his_payers, args.his_people)
    control = httpx.AsyncClient(base_url=f"http://127.0.0.1:{sandbox_port}/sandbox/control", timeout=120)
    gate = asyncio.Semaphore(32)

    async def onsite(k: int) -> tuple[str, str]:
        name, number, phone = his_identity(k)
        async with gate:
            r = await control.post("/onsite-orders", json={"name": name, "id_number": number, "phone": phone,
                                                           "package_code": code})
            r.raise_for_status()
            bill_no = r.json()["bill_no"]
            bill = (await control.get(f"/his/bills/{bill_no}")).json()
        return bill["his_patient_id"], bill_no

    async def platform(reset: bool = False) -> dict:
        if reset:
            for system in ("his", "peis"):
                r = await control.post("/platform", json={
                    "system": system, "latency_ms": args.his_latency_ms, "max_concurrent": args.his_cap,
                    "reset_counts": True})
                r.raise_for_status()
        return (await control.get("/platform")).json()

    made = await asyncio.gather(*(onsite(k) for k in range(n)))
    people = await his_people(pii, tokens, list(made))  # (token, patient id)
    bills = [bill for _his, bill in made]
    worker = Proc("worker", [sys.executable, "-m", "checkup.cli", "worker"], env, run_dir / "worker.log")
    try:
        await platform(reset=True)

        def auth(tok: str, body: bool = False) -> tuple[tuple[str, str], ...]:
            h = (("Authorization", f"Bearer {tok}"),)
            return (*h, ("Content-Type", "application/json")) if body else h

        # 1) every patient opens 体检缴费: their unpaid bills, read from HIS (open loop)
        view = [Req("GET", f"/api/me/charges?patient_id={pid}&status=unpaid", auth(tok)) for tok, pid in people]
        opened = await run_open("his-charges", "127.0.0.1", port, view, rate=args.his_rate, keep_bodies=True)
        after_open = await platform()
        # 2) half of them pay: the app re-reads the bills from HIS, then opens the WeChat order
        pay = [Req("POST", "/api/me/payments", auth(tok, True),
                   json.dumps({"patient_id": pid, "bill_nos": [bill]}).encode())
               for (tok, pid), bill in zip(people[:payers], bills[:payers], strict=True)]
        paying = await run_open("his-pay", "127.0.0.1", port, pay, rate=args.his_rate, keep_bodies=True)
        after_pay = await platform()
        payment_nos = []
        for status, raw in paying.bodies:
            if status == 201:
                payment_nos.append(json.loads(raw)["payment_no"])

        async def wechat_pay(no: str) -> None:
            async with gate:
                await control.post("/pay", json={"payment_no": no, "wait": True})

        t_paid = time.perf_counter()
        await asyncio.gather(*(wechat_pay(no) for no in payment_nos))
        # 3) the worker writes every payment back to HIS (one confirm each), then the patients book
        deadline = time.monotonic() + args.his_writeback_wait
        settled = 0
        while time.monotonic() < deadline:
            settled = await Charge.filter(bill_no__in=bills[:payers], status="paid").count()
            if settled >= len(payment_nos):
                break
            await asyncio.sleep(0.5)
        writeback_s = time.perf_counter() - t_paid
        after_writeback = await platform()
        paid_bills = set(await Charge.filter(bill_no__in=bills[:payers], status="paid").values_list("bill_no",
                                                                                                   flat=True))
        days = max(1, (len(paid_bills) + 499) // 500)
        for d in range(days):
            await set_quota(day + timedelta(days=d), 500)
        book = [Req("POST", "/api/me/bookings", auth(tok, True),
                    json.dumps({"bill_no": bill, "date": (day + timedelta(days=k // 500)).isoformat()}).encode())
                for k, ((tok, _pid), bill) in enumerate(
                    (p, b) for p, b in zip(people[:payers], bills[:payers], strict=True) if b in paid_bills)]
        booked = await run_open("his-book", "127.0.0.1", port, book, rate=args.his_rate, keep_bodies=True)
        after_book = await platform()
    finally:
        worker.stop()
        await control.post("/platform", json={"system": "his", "latency_ms": 0, "max_concurrent": 0})
        await control.post("/platform", json={"system": "peis", "latency_ms": 0, "max_concurrent": 0})
        await control.aclose()

    def calls(view: dict, before: dict | None = None) -> dict[str, int]:
        base = (before or {}).get("calls", {})
        return {op: c - base.get(op, 0) for op, c in sorted(view["calls"].items()) if c - base.get(op, 0)}

    his = {"open": after_open["his"], "pay": after_pay["his"], "writeback": after_writeback["his"],
           "book": after_book["his"]}
    open_calls = calls(his["open"])
    pay_calls = calls(his["pay"], his["open"])
    writeback_calls = calls(his["writeback"], his["pay"])
    book_calls = calls(his["book"], his["writeback"])
    routes = {
        "charges": {**_route_figures(opened), "error_codes": _error_codes(opened)},
        "payments": {**_route_figures(paying), "error_codes": _error_codes(paying)},
        "bookings": {**_route_figures(booked), "error_codes": _error_codes(booked)},
    }
    return {
        "patients": n, "payers": payers, "arrival_rate": args.his_rate,
        "his_latency_ms": args.his_latency_ms, "his_cap": args.his_cap,
        "his_max_concurrent_per_process": int(env.get("CHECKUP_HIS_MAX_CONCURRENT", "8")),
        "processes_calling_his": args.workers_used + 1,
        "peak_concurrent_his": after_book["his"]["peak_in_flight"],
        "peak_concurrent_peis": after_book["peis"]["peak_in_flight"],
        "refused_by_his": after_book["his"]["refused"],
        "his_calls_total": after_book["his"]["total_calls"],
        "his_calls_per_open": round(sum(open_calls.values()) / max(1, len(view)), 2),
        "his_calls_per_payment": round(sum(pay_calls.values()) / max(1, len(pay)), 2),
        "his_calls_per_writeback": round(sum(writeback_calls.values()) / max(1, len(payment_nos)), 2),
        "his_calls_per_booking": round(sum(book_calls.values()) / max(1, len(book)), 2),
        "his_calls_by_phase": {"open": open_calls, "pay": pay_calls, "writeback": writeback_calls,
                               "book": book_calls},
        "payments_created": len(payment_nos), "written_back": len(paid_bills), "writeback_s": round(writeback_s, 1),
        "booked": routes["bookings"]["statuses"].get("201", 0),
        "errors_5xx": sum(r["errors_5xx"] for r in routes.values()),
        "p99_ms": {name: r["p99_ms"] for name, r in routes.items()},
        "routes": routes,
    }


async def scenario_calendar(args, port: int, today) -> dict:
    from loadgen import Req, Result, run_for

    start, end = today, today + timedelta(days=29)
    path = f"/api/calendar?from={start.isoformat()}&to={end.isoformat()}"
    # Alternate short slices of the two, so that a change in the machine's other load (other processes
    # share these cores) weighs on both figures alike; the first 0.5 s of each slice is not counted.
    rounds = 5
    ping, cal = Result("ping"), Result("calendar")
    for _ in range(rounds):
        for total, req in ((ping, Req("GET", "/api/ping")), (cal, Req("GET", path))):
            part = await run_for(total.name, "127.0.0.1", port, lambda i, r=req: r, concurrency=args.concurrency,
                                 seconds=args.seconds / rounds, warmup=0.5)
            total.latencies += part.latencies
            total.statuses.update(part.statuses)
            total.errors.update(part.errors)
            total.wall += part.wall
    out = {
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "slices": f"{rounds} alternating slices of {args.seconds / rounds:g} s each",
        "days": 30,
        "cache_seconds": args.calendar_cache,
        "app_rps": round(cal.rps, 1),
        "p50_ms": round(cal.pct_ms(50), 1),
        "p99_ms": round(cal.pct_ms(99), 1),
        "non_200": sum(n for s, n in cal.statuses.items() if s != 200) + sum(cal.errors.values()),
        "ceiling_rps": round(ping.rps, 1),
        "ceiling_p99_ms": round(ping.pct_ms(99), 1),
        "ceiling_non_200": sum(n for s, n in ping.statuses.items() if s != 200) + sum(ping.errors.values()),
    }
    out["ratio"] = round(out["app_rps"] / out["ceiling_rps"], 3) if ping.rps else None
    return out


def build_notifications(keys, payments: list[tuple[str, int, str]], *, mchid: str, appid: str) -> list[tuple[dict, bytes]]:
    """TRANSACTION.SUCCESS notifications as the WeChat Pay sandbox makes them (its code, its keys)."""
    from checkup.sandbox.wechatpay.service import WechatPaySandbox, WechatPaySandboxConfig, _rfc3339
    from checkup.sandbox.wechatpay.state import SandboxOrder, WechatPaySandboxState

    sandbox = WechatPaySandbox(WechatPaySandboxConfig.from_keys(keys, mchid=mchid, appid=appid),
                               WechatPaySandboxState(path=None))
    out = []
    now = sandbox.now()
    for k, (payment_no, amount, openid) in enumerate(payments):
        order = SandboxOrder(
            out_trade_no=payment_no, appid=appid, mchid=mchid, description="体检中心体检费",
            notify_url="http://127.0.0.1/api/wechatpay/notify/payment", total=amount,
            openid=openid, prepay_id="", prepay_created_at=time.time(), created_at=_rfc3339(now),
            trade_state="SUCCESS", transaction_id=f"4200{k:010d}{now:%Y%m%d}{secrets.randbelow(10**6):06d}",
            success_time=_rfc3339(now), payer_total=amount, bank_type="OTHERS",
        )
        note = sandbox._new_notification(  # the sandbox's own envelope: AES-256-GCM sealed resource
            event_type="TRANSACTION.SUCCESS", notify_url=order.notify_url,
            resource=sandbox.transaction_json(order), original_type="transaction", out_trade_no=payment_no,
        )
        body = note.body.encode("utf-8")
        out.append((sandbox.sign_headers(body), body))  # its own SHA256-RSA signature headers
    return out


async def scenario_notify(args, port: int, keys, settings_env: dict[str, str], server: Proc) -> dict:
    from data import NOTIFY_CHARGE_BASE, pending_payments
    from loadgen import Req, run_requests

    from checkup.db.models import Charge, Job, Payment

    n = args.notify
    payments = await pending_payments(n, patients=args.rush_people)
    t0 = time.perf_counter()
    notes = build_notifications(keys, payments, mchid="1900000109", appid="wx0000000000sandbox")
    log(f"notify: {n} notifications signed and encrypted in {time.perf_counter() - t0:.1f}s")
    requests = [Req("POST", "/api/wechatpay/notify/payment",
                    (*tuple(headers.items()), ("Content-Type", "application/json")), body)
                for headers, body in notes]
    api, db = [server.pid, *descendants(server.pid)], mariadb_pids()
    api_cpu, db_cpu, api_sys = cpu_seconds(api), cpu_seconds(db), cpu_seconds(api, part="system")
    res = await run_requests("notify", "127.0.0.1", port, requests, concurrency=args.notify_concurrency,
                             keep_bodies=True)
    api_cpu, db_cpu = cpu_seconds(api) - api_cpu, cpu_seconds(db) - db_cpu
    api_sys = cpu_seconds(api, part="system") - api_sys
    acked = sum(1 for s, b in res.bodies if s == 200 and b"SUCCESS" in b)
    ids = [NOTIFY_CHARGE_BASE + k for k in range(n)]
    applied = await Payment.filter(id__in=ids, status="paid", his_status="pending",
                                   transaction_id__isnull=False).count()
    jobs = await Job.filter(kind="his_writeback", dedupe_key__in=[f"his_writeback:{p}" for p, _, _ in payments]).count()
    paying = await Charge.filter(id__in=ids, status="paying").count()
    # These orders exist only in our database (not in the sandbox HIS): their write-back jobs would be refused
    # and refunded by the his scenario's worker, in the way of that scenario's own write-backs.
    await Job.filter(kind="his_writeback", dedupe_key__in=[f"his_writeback:{p}" for p, _, _ in payments]).delete()
    return {
        "sent": n,
        "concurrency": args.notify_concurrency,
        "acked": acked,
        "applied": min(applied, jobs, paying),
        "payments_paid": applied,
        "jobs_written": jobs,
        "charges_paying": paying,
        "statuses": {str(k): v for k, v in sorted(res.statuses.items())},
        "errors_5xx": res.errors_5xx + sum(res.errors.values()),
        "rps": round(res.rps, 1),
        "p50_ms": round(res.pct_ms(50), 1),
        "p99_ms": round(res.pct_ms(99), 1),
        # CPU per notification: the API workers' and MariaDB's; what the rps would be with both cores
        # given to the work, and a figure a loaded machine barely moves
        "api_cpu_ms_per_request": round(1000 * api_cpu / n, 2),
        "api_system_cpu_ms_per_request": round(1000 * api_sys / n, 2),  # of it, in the kernel (sockets)
        "db_cpu_ms_per_request": round(1000 * db_cpu / n, 2) if db else None,
    }


async def scenario_export(args, port: int, server: Proc, env: dict[str, str], first, last) -> dict:
    from loadgen import Conn, Req

    host = f"127.0.0.1:{port}"
    conn = Conn("127.0.0.1", port)
    login = json.dumps({"username": "admin", "password": env["CHECKUP_ADMIN_PASSWORD"]}).encode()
    status, body = await conn.send(Req("POST", "/api/console/login", (("Content-Type", "application/json"),),
                                       login).encode(host))
    if status != 200:
        conn.close()
        return {"available": False, "reason": f"staff login answered {status}: {body[:200]!r}"}
    token = json.loads(body)["token"]
    auth = (("Authorization", f"Bearer {token}"),)
    base = f"/api/console/reports/booked-patients?from={first.isoformat()}&to={last.isoformat()}"
    status, body = await conn.send(Req("GET", base + "&format=json&page=1&page_size=1", auth).encode(host))
    if status != 200:
        conn.close()
        return {"available": False, "reason": f"GET {base}&format=json answered {status}: {body[:200]!r}"}
    rows = json.loads(body).get("total")
    workers = [p for p in descendants(server.pid)]
    out: dict = {"available": True, "rows": rows, "processes_sampled": len(workers), "method": (
        "VmHWM (peak RSS) of each process of the server (its API workers, their export builders and helpers), reset through /proc/<pid>/clear_refs before each export, "
        "read after it; the largest process is reported (cross-checked by sampling VmRSS every 20 ms)")}
    out["baseline_rss_mb"] = round(max(status_kb(p, "VmRSS") for p in workers) / 1024, 1)
    peak_kb = 0
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        for p in descendants(server.pid):
            reset_peak(p)
        sampler = RssSampler(server.pid)
        sampler.start()
        t0 = time.perf_counter()
        status, body = await conn.send(Req("GET", f"{base}&format={fmt}", auth).encode(host))
        took = time.perf_counter() - t0
        sampler.stop_flag.set()
        sampler.join()
        # the builder processes start with the first export: read the list again
        hwm = max(status_kb(p, "VmHWM") for p in descendants(server.pid))
        peak_kb = max(peak_kb, hwm, sampler.peak_kb)
        ok = status == 200 and body.startswith(magic)
        out[f"{fmt}_s"] = round(took, 2) if ok else None
        out[f"{fmt}_bytes"] = len(body)
        out[f"{fmt}_peak_rss_mb"] = round(max(hwm, sampler.peak_kb) / 1024, 1)
        if not ok:
            out[f"{fmt}_error"] = f"{status}: {body[:200]!r}"
    conn.close()
    out["peak_rss_mb"] = round(peak_kb / 1024, 1)
    out.update(await _exports_beside_patients(port, base, auth, first, seconds=max(
        out.get("xlsx_s") or 1.0, out.get("pdf_s") or 1.0)))
    return out


async def _exports_beside_patients(port: int, base: str, auth: tuple, first, *, seconds: float) -> dict:
    """Two exports at once (xlsx and pdf) must not stall patient routes: GET /api/calendar at 20 connections
    while both run, against the same load with no export (issue 17)."""
    from loadgen import Conn, Req, run_for

    host = f"127.0.0.1:{port}"
    path = f"/api/calendar?from={first.isoformat()}&to={(first + timedelta(days=29)).isoformat()}"
    calendar = Req("GET", path)
    window = seconds + 0.5
    quiet = await run_for("calendar_quiet", "127.0.0.1", port, lambda i: calendar, concurrency=20, seconds=window,
                          warmup=0.5)

    async def export(fmt: str) -> tuple[int, float]:
        conn = Conn("127.0.0.1", port)
        try:
            t0 = time.perf_counter()
            status, _ = await conn.send(Req("GET", f"{base}&format={fmt}", auth).encode(host))
            return status, time.perf_counter() - t0
        finally:
            conn.close()

    exports = asyncio.gather(export("xlsx"), export("pdf"))
    during = await run_for("calendar_during_exports", "127.0.0.1", port, lambda i: calendar, concurrency=20,
                           seconds=window, warmup=0.0)
    (xs, xt), (ps, pt) = await exports
    return {
        "concurrent_exports_ok": xs == 200 and ps == 200,
        "concurrent_exports_s": round(max(xt, pt), 2),
        "calendar_p99_ms_quiet": round(quiet.pct_ms(99), 1),
        "calendar_p99_ms_during_exports": round(during.pct_ms(99), 1),
        "calendar_rps_during_exports": round(during.rps, 1),
    }


# ---------------------------------------------------------------- report


def flatten(results: dict) -> dict:
    return {f"{sec}.{k}": v for sec, vals in results.items() if isinstance(vals, dict) for k, v in vals.items()}


def verdicts(flat: dict) -> dict[str, bool | None]:
    out: dict[str, bool | None] = {}
    for key, (op, target) in TARGETS.items():
        value = flat.get(key)
        if isinstance(target, str):
            target = flat.get(target)
        if not isinstance(value, int | float) or target is None:
            out[key] = None
            continue
        out[key] = {"==": value == target, ">=": value >= target, "<=": value <= target}[op]
    return out


def target_text(key: str) -> str:
    """The target of a figure as the table shows it, from TARGETS (one place for both)."""
    op, target = TARGETS[key]
    return f"{op} {target}"


def table(results: dict, checks: dict) -> str:
    flat = flatten(results)
    rows = [
        ("rush", "booked / oversold / 5xx", f"{flat.get('rush.booked')} / {flat.get('rush.oversold')} / "
                                            f"{flat.get('rush.errors_5xx')}",
         f"{flat.get('rush.places')} / 0 / 0",
         ["rush.booked", "rush.oversold", "rush.errors_5xx"]),
        ("rush", "arrivals/s over s", f"{flat.get('rush.arrival_rate')} over {flat.get('rush.seconds')}", "", []),
        ("rush", "app rps (p50/p99/p99.9)", f"{flat.get('rush.app_rps')} ({flat.get('rush.p50_ms')} / "
                                            f"{flat.get('rush.p99_ms')} / {flat.get('rush.p999_ms')})",
         f"p99 {target_text('rush.p99_ms')}", ["rush.p99_ms"]),
        ("rush", "ceiling rps (p99 ms)", f"{flat.get('rush.ceiling_rps')} ({flat.get('rush.ceiling_p99_ms')})",
         "", []),
        ("rush", "  ref: trigger INSERT alone", f"{flat.get('rush.trigger_statement_rps')}", "", []),
        ("rush", "ratio", f"{flat.get('rush.ratio')}", target_text("rush.ratio"), ["rush.ratio"]),
        ("calendar", "app rps (p99 ms)", f"{flat.get('calendar.app_rps')} ({flat.get('calendar.p99_ms')})", "", []),
        ("calendar", "ceiling rps (/api/ping)", f"{flat.get('calendar.ceiling_rps')}", "", []),
        ("calendar", "ratio", f"{flat.get('calendar.ratio')}", target_text("calendar.ratio"), ["calendar.ratio"]),
    ]
    if results.get("export", {}).get("available"):
        rows += [
            ("export", "xlsx s (10,000 rows)", f"{flat.get('export.xlsx_s')}", target_text("export.xlsx_s"), ["export.xlsx_s"]),
            ("export", "pdf s (10,000 rows)", f"{flat.get('export.pdf_s')}", target_text("export.pdf_s"), ["export.pdf_s"]),
            ("export", "peak RSS MB (worker)", f"{flat.get('export.peak_rss_mb')}", target_text("export.peak_rss_mb"),
             ["export.peak_rss_mb"]),
            ("export", "calendar p99 ms quiet / 2 exports", f"{flat.get('export.calendar_p99_ms_quiet')} / "
                                                          f"{flat.get('export.calendar_p99_ms_during_exports')}", "", []),
        ]
    else:
        rows.append(("export", "not available", str(results.get("export", {}).get("reason", "")), "", []))
    rows += [
        ("notify", "rps (p99 ms)", f"{flat.get('notify.rps')} ({flat.get('notify.p99_ms')})", target_text("notify.rps"),
         ["notify.rps"]),
        ("notify", "CPU ms each (API / DB)",
         f"{flat.get('notify.api_cpu_ms_per_request')} / {flat.get('notify.db_cpu_ms_per_request')}", "", []),
        ("notify", "applied / sent", f"{flat.get('notify.applied')} / {flat.get('notify.sent')}", "equal",
         ["notify.applied"]),
    ]

    if results.get("his"):
        p99 = results["his"].get("p99_ms", {})
        rows += [
            ("his", "HIS calls per open/pay/book", f"{flat.get('his.his_calls_per_open')} / "
                                                  f"{flat.get('his.his_calls_per_payment')} / "
                                                  f"{flat.get('his.his_calls_per_booking')}", "", []),
            ("his", "peak HIS calls (cap)", f"{flat.get('his.peak_concurrent_his')} ({flat.get('his.his_cap')})",
             "<= cap", ["his.peak_concurrent_his"]),
            ("his", "refused by HIS / 5xx", f"{flat.get('his.refused_by_his')} / {flat.get('his.errors_5xx')}",
             "0 / 0", ["his.refused_by_his", "his.errors_5xx"]),
            ("his", "p99 ms charges/pay/book", f"{p99.get('charges')} / {p99.get('payments')} / "
                                               f"{p99.get('bookings')}", "", []),
        ]

    def mark(keys: list[str]) -> str:
        if not keys:
            return ""
        states = [checks.get(k) for k in keys]
        return "n/a" if any(s is None for s in states) else "met" if all(states) else "MISSED"

    lines = [f"{'':9}{'figure':30}{'value':36}{'target':13}"]
    lines += [f"{a:9}{b:30}{c:36}{d:13}{mark(k)}" for a, b, c, d, k in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def app_pool_size() -> int:
    """The database pool of one API worker, as the server sets it up (init_db's default)."""
    import inspect

    from checkup.db.runtime import init_db

    return inspect.signature(init_db).parameters["pool_max"].default


async def main(args) -> int:
    import data
    import uvloop  # noqa: F401  (the loop policy is set in __main__)
    from tortoise import Tortoise

    from checkup.config import Settings
    from checkup.db.runtime import init_db
    from checkup.domain.clock import shanghai_today
    from checkup.pii import PiiCipher
    from checkup.sandbox.wechatpay.keys import ensure_sandbox_keys
    from checkup.services.tokens import TokenSigner

    run_dir = ROOT / "var" / "bench"
    run_dir.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    keys = ensure_sandbox_keys(run_dir / "sandbox-keys")
    port, sandbox_port = free_port(), free_port()
    env = bench_env(args, port=port, sandbox_port=sandbox_port, keys=keys, run_dir=run_dir)
    settings = Settings(**{k.removeprefix("CHECKUP_").lower(): v for k, v in env.items()
                           if k.startswith("CHECKUP_") and not k.startswith("CHECKUP_BENCH")})
    workers = args.workers or os.cpu_count() or 1
    args.app_db_connections = workers * app_pool_size()
    args.workers_used = workers
    results: dict = {"run": {
        "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        **git_state(),
        "host": platform.node(), "cpus": os.cpu_count(), "api_workers": workers, "python": platform.python_version(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "database": f"MariaDB {args.db_name} (dropped and created)", "redis": args.redis,
        "load_generator": "bench/loadgen.py, one asyncio (uvloop) process, warm keep-alive connections",
    }}

    await preflight(args)
    log(f"database {args.db_name}: drop, create, migrate, seed")
    db = await recreate_database(args.mysql, args.db_name)
    run_cli(env, "migrate")
    run_cli(env, "seed")

    sandbox = Proc("sandbox", [sys.executable, str(BENCH / "sandbox_server.py"), str(sandbox_port)], env,
                   run_dir / "sandbox.log")
    server = None
    try:
        await wait_http(sandbox_port, "/", sandbox, 30, any_answer=True)
        log(f"checkup serve --workers {workers} on 127.0.0.1:{port}")
        server = Proc("server", [sys.executable, str(BENCH / "serve.py"), "--workers", str(workers)], env,
                      run_dir / "server.log")
        await wait_http(port, "/api/health", server)

        await init_db(settings.database_url, pool_max=10)
        pii = PiiCipher(key_material=settings.pii_key, key_id=settings.pii_key_id)
        tokens = TokenSigner(settings.secret_key)
        code = None
        for _ in range(50):  # the server syncs packages from the sandbox PEIS after it starts
            code = await data.package_code()
            if code:
                break
            await asyncio.sleep(0.2)
        today = shanghai_today()
        days = [await data.bookable_day(today)]
        while len(days) < args.rush_days:
            days.append(await data.bookable_day(days[-1], at_least=1))
        log(f"rows: {args.rush_people} patients with paid charges, {args.report_rows} booked report rows")
        people = await data.rush_people(pii, tokens, args.rush_people, code)
        first, last = await data.report_bookings(pii, n=args.report_rows, first_day=today + timedelta(days=40),
                                                 per_day=500, code=code)
        from loadgen import Req, run_for

        await run_for("warm-up", "127.0.0.1", port, lambda i: Req("GET", "/api/health"),
                      concurrency=args.concurrency, seconds=2, warmup=0)  # fills the workers' DB pools

        phases = set(args.only.split(",")) if args.only else {"rush", "calendar", "notify", "export", "his"}
        profiler = Profiler(server, run_dir) if os.environ.get("BENCH_PYSPY") else None
        if "rush" in phases:
            log(f"rush: {args.rush_people} patients over {args.rush_seconds:g} s, {len(days)} days of "
                f"capacity {args.rush_capacity}")
            profiler and profiler.start("rush")
            results["rush"] = await scenario_rush(args, port, db, people, days)
            profiler and profiler.stop()
        if "calendar" in phases:
            log(f"calendar: {args.seconds}s of /api/ping, then {args.seconds}s of /api/calendar")
            profiler and profiler.start("calendar")
            results["calendar"] = await scenario_calendar(args, port, today)
            profiler and profiler.stop()
        if "notify" in phases:
            log(f"notify: {args.notify} notifications at {args.notify_concurrency} connections")
            profiler and profiler.start("notify")
            results["notify"] = await scenario_notify(args, port, keys, env, server)
            profiler and profiler.stop()
        if "export" in phases:
            log("export: 预约患者 xlsx and pdf")
            profiler and profiler.start("export")
            results["export"] = await scenario_export(args, port, server, env, first, last)
            profiler and profiler.stop()
        if "his" in phases:
            log(f"his: {args.his_people} patients open 体检缴费, {args.his_payers} pay and book, HIS "
                f"{args.his_latency_ms} ms per call, cap {args.his_cap}, {args.his_rate}/s arriving")
            profiler and profiler.start("his")
            results["his"] = await scenario_his(args, port, sandbox_port, env, run_dir, pii=pii, tokens=tokens,
                                                code=code, day=await data.bookable_day(days[-1], at_least=2))
            profiler and profiler.stop()
        if not server.alive():
            raise SystemExit(f"the server died during the run:\n{server.tail()}")
    finally:
        await Tortoise.close_connections()
        if server is not None:
            server.stop()
        sandbox.stop()

    results["run"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    checks = verdicts(flatten(results))
    results["targets"] = {k: {"rule": f"{op} {t}", "met": checks[k]} for k, (op, t) in TARGETS.items()}
    out = RESULTS / "latest.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print()
    print(table(results, checks))
    print(f"\nwritten: {out.relative_to(ROOT)}   (server log: {server.logfile.relative_to(ROOT) if server else '-'})")
    return 0


def parse_args(argv: list[str] | None = None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mysql", default=os.environ.get("BENCH_MYSQL_URL", "mysql://root:@127.0.0.1:3306"))
    p.add_argument("--db-name", default=os.environ.get("BENCH_DB_NAME", "checkup_bench"))
    p.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    p.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", "0")),
                   help="API workers (default: as many as cores)")
    p.add_argument("--concurrency", type=int, default=200)
    p.add_argument("--rush-people", type=int, default=10_000)
    p.add_argument("--rush-days", type=int, default=10, help="rush: days released together")
    p.add_argument("--rush-seconds", type=float, default=60.0,
                   help="rush: the patients arrive evenly over this many seconds (the release minute)")
    p.add_argument("--rush-capacity", type=int, default=500)
    p.add_argument("--seconds", type=float, default=10.0, help="duration of each calendar/ping phase")
    p.add_argument("--calendar-cache", type=float, default=1.0,
                   help="CHECKUP_CALENDAR_CACHE_SECONDS for the server (the production default)")
    p.add_argument("--notify", type=int, default=3000)
    p.add_argument("--notify-concurrency", type=int, default=100)
    p.add_argument("--report-rows", type=int, default=10_000)
    p.add_argument("--his-people", type=int, default=2000, help="his: patients opening 体检缴费")
    p.add_argument("--his-payers", type=int, default=1000, help="his: of them, patients who pay and book")
    p.add_argument("--his-rate", type=float, default=30.0, help="his: patients arriving per second (open loop)")
    p.add_argument("--his-latency-ms", type=int, default=300, help="his: sandbox HIS/PEIS time per call")
    p.add_argument("--his-cap", type=int, default=20, help="his: concurrent calls the HIS platform admits")
    p.add_argument("--his-cache", type=float, default=3.0, help="CHECKUP_HIS_CACHE_SECONDS (the production default)")
    p.add_argument("--his-writeback-wait", type=float, default=600.0, help="his: longest wait for write-backs (s)")
    p.add_argument("--only", default=os.environ.get("BENCH_ONLY", ""),
                   help="comma list: rush,calendar,notify,export,his")
    return p.parse_args(argv)


if __name__ == "__main__":
    import uvloop

    uvloop.install()
    sys.exit(asyncio.run(main(parse_args())))

"""The soak (`make soak`, not in `make test`): SOAK_SECONDS (default 600) of mixed patient and staff
traffic with every fault of tests/support/chaos.py, on MariaDB, with three real `checkup worker`
processes; RSS of the server and worker processes and MariaDB's Threads_connected sampled every
SOAK_SAMPLE_SECONDS; then the same drain and end checks. Figures: bench/results/soak.json.

Refund faults are on (HIS UNKNOWN-then-FAILED, WeChat CLOSED, 429, NOT_ENOUGH, BANK_ERROR), other systems
share the merchant number (their rows in the day's bill), and `make soak` sets
CHECKUP_TEST_WECHATPAY_SIGNING=mixed: WeChat Pay signs with the public key or the platform certificate at
random, as during its switch-over. The totals printed at the end: payments, refunds by outcome,
one-sided refunds (must be 0), faults injected and how many of the refund faults met a refund."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from checkup.db.models import DayQuota, FinanceAlert, Refund
from support.chaos import Chaos
from support.staff import staffer
from support.workers import worker_env

pytestmark = [
    pytest.mark.skipif(os.environ.get("CHECKUP_SOAK") != "1", reason="long run: make soak"),
    pytest.mark.parametrize("db_url", ["mariadb"], indirect=True),
]

SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
SAMPLE = float(os.environ.get("SOAK_SAMPLE_SECONDS", "5"))
RESULTS = Path(__file__).resolve().parents[2] / "bench" / "results" / "soak.json"


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


async def staff_traffic(http, headers_by_role: dict, stop: asyncio.Event, counts: dict) -> None:
    """Console users reading lists while patients pay: payments, jobs, reconciliation, bookings."""
    rng = random.Random(5)
    paths = {"finance": ["/api/console/payments", "/api/console/jobs", "/api/console/reconciliation"],
             "staff": ["/api/console/bookings", "/api/console/me"]}
    while not stop.is_set():
        role = rng.choice(list(headers_by_role))
        path = rng.choice(paths[role])
        with contextlib.suppress(Exception):
            r = await http.get(path, headers=headers_by_role[role])
            counts[f"staff_{r.status_code}"] = counts.get(f"staff_{r.status_code}", 0) + 1
        await asyncio.sleep(rng.uniform(0.05, 0.3))


async def test_soak(http, sandbox, app, db_url):
    await sandbox.control("reset")
    await sandbox.control("wechatpay/reset")
    finance = await staffer(http, app, "caiwu-soak", ["finance"])
    clerk = await staffer(http, app, "qiantai-soak", ["staff"])
    chaos = Chaos(http=http, sandbox=sandbox.http, db_url=db_url, seed=int(os.environ.get("SOAK_SEED", "11")),
                  worker_env=worker_env(app, db_url, lease_seconds=6, poll_seconds=0.2))
    chaos.small_capacity = 20
    chaos.foreign_appid = app.ctx.settings.wechat_appid
    chaos.refund_share = 0.45  # refunds are what this soak is about: enough of them to meet every fault
    signing = os.environ.get("CHECKUP_TEST_WECHATPAY_SIGNING", "public_key")

    def backlog(queue: str) -> int:
        if queue == "wechatpay.refund_request":
            return len(sandbox.wechatpay_state.refund_request_faults)
        if queue == "wechatpay.refund":
            return len(sandbox.wechatpay_state.refund_faults)
        return len(sandbox.state.faults.get(queue, ()))

    chaos.backlog = backlog
    for on, capacity in ((chaos.small_day, chaos.small_capacity), (chaos.book_day, 100000)):
        await DayQuota.update_or_create(day=on, defaults={"capacity": capacity, "booked": 0, "open": True})
    samples: list[dict] = []
    staff_counts: dict = {}
    stop = asyncio.Event()
    started = time.monotonic()

    async def sampler() -> None:
        while not stop.is_set():
            with contextlib.suppress(Exception):
                samples.append({
                    "t": round(time.monotonic() - started, 1), "server_rss_mb": rss_mb(os.getpid()),
                    "worker_rss_mb": [rss_mb(p) for p in chaos.worker_pids()],
                    "threads_connected": await chaos.threads_connected(),
                    "payments": len(chaos.payments),
                })
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=SAMPLE)

    side = [asyncio.create_task(sampler()),
            asyncio.create_task(staff_traffic(http, {"finance": finance.headers, "staff": clerk.headers}, stop,
                                              staff_counts))]
    try:
        await chaos.run(0, concurrency=16, seconds=SECONDS, foreign_trades=True)
    finally:
        stop.set()
        await asyncio.gather(*side, return_exceptions=True)
        await chaos.stop_workers()
        unused = {"wechat_refund_" + status: 0 for status in ("FREQUENCY_LIMITED", "NOT_ENOUGH", "BANK_ERROR", "CLOSED")}
        for status in [*sandbox.wechatpay_state.refund_faults, *sandbox.wechatpay_state.refund_request_faults]:
            unused["wechat_refund_" + status] = unused.get("wechat_refund_" + status, 0) + 1
        sandbox.state.faults.clear()  # faults still queued must not reach later tests
        sandbox.wechatpay_state.refund_faults.clear()
        sandbox.wechatpay_state.refund_request_faults.clear()
    ran = time.monotonic() - started
    await chaos.drain(app.ctx.deps, within=120)
    await chaos.refund_held(finance.headers)
    await chaos.rerun_stopped_refunds(finance.headers)
    await chaos.drain(app.ctx.deps, within=120)
    counts = await chaos.check(finance.headers)
    if signing == "mixed":  # answers and notifications came signed by both keys, and all were taken
        assert len(app.ctx.deps.wechatpay.verification.keys()) >= 2
    refunds = await Refund.all()
    refund_totals = {
        "refunds": len(refunds),
        "by_status": dict(sorted(Counter(r.status for r in refunds).items())),
        "by_source": dict(sorted(Counter(r.source for r in refunds).items())),  # patient / his_failed / staff
        "both_sides": counts.get("refund_both_sides", 0), "neither_side": counts.get("refund_neither_side", 0),
        "one_sided": counts.get("refund_one_sided", 0),
        "sent_again_after_closed": counts.get("refund_sent_again_after_closed", 0),
        "rerun_by_finance": chaos.outcomes.get("refund_rerun_by_finance", 0),
        "finance_alerts_not_enough": await FinanceAlert.filter(kind="WECHAT_NOT_ENOUGH").count(),
    }
    met = {k: chaos.injected.get(k, 0) - v for k, v in unused.items()}  # refund faults that met a refund

    def spread(key: str) -> dict:
        values = [s[key] for s in samples if s.get(key) is not None]
        return {"first": values[0], "max": max(values), "last": values[-1]} if values else {}

    worker_values = [v for s in samples for v in s["worker_rss_mb"] if v]
    figures = {
        "seconds": round(ran, 1), "payments": len(chaos.payments),
        "payments_per_minute": round(len(chaos.payments) / ran * 60, 1), "signing": signing,
        "refunds": refund_totals, "refund_faults_met": met, "foreign_bill_rows": chaos.foreign_rows,
        "server_rss_mb": spread("server_rss_mb"),
        "worker_rss_mb": {"max": max(worker_values) if worker_values else None},
        "threads_connected": spread("threads_connected"),
        "injected": dict(sorted(chaos.injected.items())), "traffic": dict(sorted(chaos.outcomes.items())),
        "staff_requests": staff_counts, "end": dict(sorted(counts.items())), "samples": samples,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, ensure_ascii=False, indent=1))
    print(f"\nsoak {ran:.0f}s: {len(chaos.payments)} payments ({figures['payments_per_minute']}/min), "
          f"{refund_totals['refunds']} refunds; WeChat Pay signing {signing}; "
          f"{chaos.foreign_rows} bill rows of other systems on the merchant number")
    print(f"  refunds: both sides {refund_totals['both_sides']}, neither side {refund_totals['neither_side']}, "
          f"one-sided {refund_totals['one_sided']}; by status {refund_totals['by_status']}; "
          f"by source {refund_totals['by_source']}")
    print(f"  refunds sent again after CLOSED {refund_totals['sent_again_after_closed']}, re-run by finance "
          f"{refund_totals['rerun_by_finance']}, NOT_ENOUGH finance alerts {refund_totals['finance_alerts_not_enough']}")
    print("  refund faults that met a refund:", met)
    print(f"  {'':20}{'first':>10}{'max':>10}{'last':>10}")
    for key in ("server_rss_mb", "threads_connected"):
        f = figures[key]
        print(f"  {key:20}{f.get('first', '-'):>10}{f.get('max', '-'):>10}{f.get('last', '-'):>10}")
    print(f"  worker_rss_mb max {figures['worker_rss_mb']['max']}")
    print("  injected:", figures["injected"])
    print("  end:     ", figures["end"])

"""The monthly 系统运行报告 (issue 16): a daily rollup of figures the product records, and the month
built from the rollups with recommendations derived from thresholds.

``rollup_day`` sums one Asia/Shanghai day into ``ops_daily`` from what the product writes anyway:
bookings, payments, refunds, jobs, the reconciliation, the audit trail (security events), day quotas,
and the counts each process flushes to ``ops_sample`` (requests per route family, HIS/PEIS calls,
readiness answers, heartbeats: services/ops_counters.py). The worker rolls up yesterday once a day;
``checkup report rollup --day`` (re)computes any day. ``monthly`` rolls up the month's past days that
have no rollup yet, then adds them up. A figure the product did not record (no samples before this
was deployed, no reconciliation) is reported as 未记录, never as zero.
"""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from checkup.db.uow import unit_of_work
from checkup.domain.clock import SHANGHAI, iso, shanghai_today
from checkup.services.ops_counters import FLUSH_SECONDS

SLOTS_PER_DAY = 86400 // FLUSH_SECONDS
SETTLE = timedelta(hours=1)  # a day is rolled up (stored) only this long after it ended
SAMPLE_DAYS = 92  # ops_sample rows older than this are removed by the daily rollup
FAMILY_TEXT = {"patient": "患者端接口", "console": "管理后台接口", "open": "数据共享开放接口", "wechatpay": "微信支付通知",
               "his_notify": "医院系统通知", "system": "健康检查与监控", "static": "页面与静态文件",
               "unmatched": "未匹配路径"}
SYSTEM_TEXT = {"his": "HIS", "peis": "PEIS"}

# Thresholds of the recommendations (the report prints them with each recommendation).
MIN_AVAILABILITY = 99.5  # percent of 5-minute slots with a heartbeat
MAX_ERROR_RATE = 1.0  # percent of 5xx answers of a route family
MAX_AVG_MS = 500  # average answer time of a route family
MAX_UPSTREAM_UNANSWERED = 2.0  # percent of HIS/PEIS calls without an answer
MAX_UPSTREAM_AVG_MS = 2000
HIGH_USE = 90.0  # percent of a day's capacity booked
LOW_USE = 30.0  # average use of open days below this
MAX_LOGIN_FAILURES = 100  # a month
MAX_OPEN_REFUSED = 100  # a month
MAX_PATIENT_EVENTS = 200  # a month


def _reads() -> Any:
    """The repositories outside a transaction: each statement on its own, as the rollup always ran."""
    return unit_of_work(write=False)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=SHANGHAI).astimezone(UTC)
    return start, start + timedelta(days=1)


def month_days(month: str) -> list[date]:
    """"2026-11" -> its days; ValueError on anything else."""
    year, mon = (int(p) for p in month.split("-"))
    if not (2000 <= year <= 2100 and 1 <= mon <= 12) or len(month) != 7:
        raise ValueError(month)
    return [date(year, mon, d) for d in range(1, calendar.monthrange(year, mon)[1] + 1)]


def _tally() -> dict[str, int]:
    return {"count": 0, "errors": 0, "total_ms": 0, "max_ms": 0, "slow": 0}


def _merge_tally(into: dict[str, int], row: Any) -> None:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    for k in ("count", "errors", "total_ms", "slow"):
        into[k] += int(get(k) or 0)
    into["max_ms"] = max(into["max_ms"], int(get("max_ms") or 0))


async def _samples(day: date) -> dict[str, Any]:
    requests: dict[str, dict] = defaultdict(_tally)
    upstream: dict[str, dict] = defaultdict(_tally)
    upstream_ops: dict[str, dict] = defaultdict(_tally)
    ready = _tally()
    slots: set[int] = set()
    processes: set[str] = set()
    for row in await _reads().ops.samples_of(day):
        if row.kind == "request":
            _merge_tally(requests[row.key], row)
        elif row.kind == "upstream":
            _merge_tally(upstream[row.key.split(".", 1)[0]], row)
            _merge_tally(upstream_ops[row.key], row)
        elif row.kind == "ready":
            _merge_tally(ready, row)
        elif row.kind == "up":
            local = row.at.astimezone(SHANGHAI)
            slots.add((local.hour * 3600 + local.minute * 60 + local.second) // FLUSH_SECONDS)
            processes.add(row.key)
    return {
        "requests": dict(requests), "upstream": dict(upstream), "upstream_ops": dict(upstream_ops),
        "availability": {"recorded": bool(slots), "slots_up": len(slots), "slots": SLOTS_PER_DAY,
                         "processes": len(processes), "ready_answers": ready["count"],
                         "not_ready_answers": ready["errors"]},
    }


async def _bookings(start: datetime, end: datetime) -> dict[str, int]:
    ops = _reads().ops
    booked = await ops.count_booked(start, end)
    cancelled: Counter[str] = Counter()
    for by in await ops.cancelled_by(start, end):
        by = by or ""
        cancelled["patient" if by == "patient" else "his" if by == "his" else "staff" if by.startswith("staff")
                  else "system"] += 1
    return {
        "booked": booked, "cancelled": sum(cancelled.values()), "cancelled_by_patient": cancelled["patient"],
        "cancelled_by_staff": cancelled["staff"], "cancelled_by_his": cancelled["his"],
        "cancelled_by_system": cancelled["system"],
        "confirmed": await ops.count_confirmed(start, end),
        "no_show": await ops.count_no_show(start, end),
    }


async def _payments(start: datetime, end: datetime) -> dict[str, int]:
    ops = _reads().ops
    created = await ops.payment_statuses_created(start, end)
    paid = await ops.payments_paid(start, end)
    return {
        "created": len(created), "paid": len(paid), "paid_fen": sum(a for a, _ in paid),
        "closed": await ops.count_payments_closed(start, end),
        "held": sum(1 for s in created if s == "held"),
        "his_settled": sum(1 for _, h in paid if h == "settled"),
        "his_failed": sum(1 for _, h in paid if h == "failed"),
        "his_pending": sum(1 for _, h in paid if h in ("pending", "none")),
    }


async def _refunds(start: datetime, end: datetime) -> dict[str, int]:
    ops = _reads().ops
    made = await ops.refunds_made(start, end)
    done = await ops.refund_amounts_succeeded(start, end)
    return {
        "requested": len(made), "requested_fen": sum(a for a, _, _ in made),
        "by_patient": sum(1 for _, _, s in made if s == "patient"),
        "his_failed": sum(1 for _, _, s in made if s == "his_failed"),
        "by_staff": sum(1 for _, _, s in made if s == "staff"),
        "succeeded": len(done), "succeeded_fen": sum(done),
        "failed": sum(1 for _, st, _ in made if st == "failed"),
        "abnormal": sum(1 for _, st, _ in made if st == "abnormal"),
    }


async def _jobs(start: datetime, end: datetime) -> dict[str, int]:
    rows = await _reads().ops.jobs_created(start, end)
    return {"created": len(rows), "failed": sum(1 for s, _ in rows if s == "failed"),
            "retried": sum(1 for _, a in rows if a > 1), "waiting": sum(1 for s, _ in rows if s in ("pending", "running"))}


async def _reconciliation(day: date) -> dict[str, Any]:
    row = await _reads().ops.reconciliation(day)
    if row is None:
        return {"done": False, "matched": 0, "differences": 0, "by_kind": {}}
    kinds = Counter(d.get("kind", "") for d in row.differences or [])
    return {"done": True, "matched": row.matched, "differences": len(row.differences or []), "by_kind": dict(kinds)}


async def _security(start: datetime, end: datetime) -> dict[str, int]:
    """Security events of the audit trail: failed and throttled logins, refused open-API calls, break-glass
    access, full personal data shown, patient-side refusals (verification failures, refused tokens)."""
    out: Counter[str] = Counter()
    audit = _reads().audit
    rows = await audit.failures_between(start, end)
    for action, detail in rows:
        code = ((detail or {}).get("error") or {}).get("code", "")
        if action == "login":
            out["login_throttled" if code == "RATE_LIMITED" else "login_failures"] += 1
        elif action.startswith("open."):
            out["open_refused"] += 1
        elif action.startswith("patient_security."):
            out["patient_events"] += int((detail or {}).get("count") or 1)
        else:
            out["other_refused"] += 1
    out["break_glass"] = await audit.count_between(start, end, action_prefix="staff.cli_")
    out["pii_reveals"] = await audit.count_between(start, end, action="patient.reveal_pii")
    out["role_changes"] = await audit.count_between(start, end, action="staff.update", outcome="success")
    keys = ("login_failures", "login_throttled", "open_refused", "patient_events", "other_refused", "break_glass",
            "pii_reveals", "role_changes")
    return {k: int(out[k]) for k in keys}


async def _capacity(day: date) -> dict[str, Any]:
    quota = await _reads().ops.quota(day)
    if quota is None:
        return {"capacity": 0, "booked": 0, "open": False, "use_percent": None}
    use = round(quota.booked * 100 / quota.capacity, 1) if quota.capacity else None
    return {"capacity": quota.capacity, "booked": quota.booked, "open": bool(quota.open), "use_percent": use}


async def day_figures(day: date) -> dict[str, Any]:
    start, end = day_bounds(day)
    return {
        "day": day.isoformat(),
        **await _samples(day),
        "bookings": await _bookings(start, end),
        "payments": await _payments(start, end),
        "refunds": await _refunds(start, end),
        "jobs": await _jobs(start, end),
        "reconciliation": await _reconciliation(day),
        "security": await _security(start, end),
        "capacity": await _capacity(day),
    }


async def rollup_day(day: date) -> dict[str, Any]:
    """Compute the day's figures and store them (replacing an earlier rollup of the day)."""
    figures = await day_figures(day)
    ops = _reads().ops
    earlier = await ops.rollup(day)
    if earlier is not None:  # a recomputed day keeps the reconciliation differences found before
        figures["reconciliation"] = _merge_reconciliation((earlier.figures or {}).get("reconciliation") or {},
                                                          figures["reconciliation"])
    await ops.store_rollup(day, figures)
    return figures


def _merge_reconciliation(old: dict, new: dict) -> dict:
    """The current result, keeping the most differences found so far (in all, and by kind)."""
    kinds = Counter(old.get("by_kind") or {})
    for kind, n in new["by_kind"].items():
        kinds[kind] = max(kinds[kind], n)
    return {**new, "by_kind": dict(kinds), "differences": max(new["differences"], int(old.get("differences") or 0))}


async def note_reconciliation(day: date) -> None:
    """After a (re)reconciliation of ``day``: its rollup, when there is one, records the result. The
    reconciliation runs after the rollup (10:30 against 01:00), and a later run after staff fixed things
    finds fewer differences: the rollup keeps the most found, so the report can say how many were found
    and, from the current result, how many were resolved."""
    ops = _reads().ops
    row = await ops.rollup(day)
    if row is None:
        return
    merged = _merge_reconciliation((row.figures or {}).get("reconciliation") or {}, await _reconciliation(day))
    await ops.set_rollup_figures(day, {**row.figures, "reconciliation": merged})


async def rollup_yesterday(now: datetime) -> date | None:
    """The worker's daily step: roll up yesterday once (after 01:00, when late flushes are in)."""
    local = now.astimezone(SHANGHAI)
    if local - SETTLE < datetime.combine(local.date(), time(0), tzinfo=SHANGHAI):
        return None
    yesterday = local.date() - timedelta(days=1)
    ops = _reads().ops
    if await ops.has_rollup(yesterday):
        return None
    await rollup_day(yesterday)
    # the rollups keep the figures; the samples behind them are kept SAMPLE_DAYS for a recomputed day
    await ops.drop_samples_before(yesterday - timedelta(days=SAMPLE_DAYS))
    return yesterday


async def rolled_up_months() -> list[dict[str, Any]]:
    """Months with at least one rollup, newest first, with their number of days."""
    months = Counter(d.strftime("%Y-%m") for d in await _reads().ops.rolled_up_days())
    return [{"month": m, "days": n} for m, n in sorted(months.items(), reverse=True)]


# ---------------------------------------------------------------- the month


def _sum_section(days: list[dict], section: str) -> dict[str, int | float]:
    total: dict[str, int | float] = {}
    for d in days:
        for k, v in (d.get(section) or {}).items():
            if isinstance(v, int | float) and not isinstance(v, bool):
                total[k] = total.get(k, 0) + v
    return total


def _sum_tallies(days: list[dict], section: str) -> dict[str, dict]:
    out: dict[str, dict] = defaultdict(_tally)
    for d in days:
        for key, t in (d.get(section) or {}).items():
            _merge_tally(out[key], t)
    return {k: {**v, "avg_ms": round(v["total_ms"] / v["count"]) if v["count"] else 0,
                "error_percent": round(v["errors"] * 100 / v["count"], 2) if v["count"] else 0.0}
            for k, v in sorted(out.items())}


async def monthly(month: str, *, now: datetime, anchor_path: Path | None = None) -> dict[str, Any]:
    """The report of ``month`` ("YYYY-MM"): past days without a rollup are rolled up first."""
    return await period_report(month_days(month), label=month, now=now, anchor_path=anchor_path)


async def period_report(days: list[date], *, label: str, now: datetime,
                        anchor_path: Path | None = None) -> dict[str, Any]:
    """The same figures for any run of days (the 用户使用报告 covers the trial period)."""
    today = shanghai_today(now)
    stored = {r.day: r.figures for r in await _reads().ops.rollups(days[0], days[-1])}
    for d in days:
        if d < today and d not in stored:
            # stored once the processes' last flushes of the day are in (as the worker does after 01:00)
            settled = day_bounds(d)[1] + SETTLE <= now
            stored[d] = await rollup_day(d) if settled else await day_figures(d)
    rows = [stored[d] for d in days if d in stored]
    open_now = {r.day.isoformat(): len(r.differences or [])
                for r in await _reads().ops.reconciliations(days[0], days[-1])}
    recorded_days = [r for r in rows if r["availability"]["recorded"]]
    slots_up = sum(r["availability"]["slots_up"] for r in recorded_days)
    slots = sum(r["availability"]["slots"] for r in recorded_days)
    differences = sum(r["reconciliation"]["differences"] for r in rows)
    still_open = sum(open_now.get(r["day"], 0) for r in rows if r["reconciliation"]["differences"])
    open_days = [r for r in rows if r["capacity"]["open"] and r["capacity"]["capacity"]]
    capacity = sum(r["capacity"]["capacity"] for r in open_days)
    booked = sum(r["capacity"]["booked"] for r in open_days)
    anchor = None
    if anchor_path is not None:
        from checkup.services.audit_anchor import last_anchor_line

        end = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=SHANGHAI)
        line = last_anchor_line(anchor_path, before=end)
        if line:
            anchor = {k: line.get(k) for k in ("at", "last_id", "count", "hash")}
    report: dict[str, Any] = {
        "month": label,
        "first_day": days[0].isoformat(),
        "last_day": days[-1].isoformat(),
        "generated_at": iso(now),
        "days_covered": len(rows),
        "availability": {
            "recorded_days": len(recorded_days),
            "percent": round(slots_up * 100 / slots, 2) if slots else None,
            "ready_answers": sum(r["availability"]["ready_answers"] for r in rows),
            "not_ready_answers": sum(r["availability"]["not_ready_answers"] for r in rows),
        },
        "requests": _sum_tallies(rows, "requests"),
        "upstream": _sum_tallies(rows, "upstream"),
        "upstream_ops": _sum_tallies(rows, "upstream_ops"),
        "bookings": _sum_section(rows, "bookings"),
        "payments": _sum_section(rows, "payments"),
        "refunds": _sum_section(rows, "refunds"),
        "jobs": _sum_section(rows, "jobs"),
        "reconciliation": {
            "days_reconciled": sum(1 for r in rows if r["reconciliation"]["done"]),
            "days_not_reconciled": [r["day"] for r in rows if not r["reconciliation"]["done"]],
            "matched": sum(r["reconciliation"]["matched"] for r in rows),
            "differences": differences, "resolved": max(0, differences - still_open), "open": still_open,
            "by_kind": dict(sum((Counter(r["reconciliation"]["by_kind"]) for r in rows), Counter())),
        },
        "security": _sum_section(rows, "security"),
        "capacity": {"capacity": capacity, "booked": booked,
                     "use_percent": round(booked * 100 / capacity, 1) if capacity else None,
                     "high_use_days": [r["day"] for r in open_days
                                       if (r["capacity"]["use_percent"] or 0) >= HIGH_USE]},
        "days": [{"day": r["day"], "capacity": r["capacity"]["capacity"], "booked": r["capacity"]["booked"],
                  "use_percent": r["capacity"]["use_percent"], "open": r["capacity"]["open"],
                  "bookings": r["bookings"]["booked"], "cancelled": r["bookings"]["cancelled"],
                  "paid": r["payments"]["paid"], "paid_fen": r["payments"]["paid_fen"],
                  "refunds": r["refunds"]["succeeded"], "differences": r["reconciliation"]["differences"],
                  "requests": sum(t["count"] for t in r["requests"].values()),
                  "availability_percent": (round(r["availability"]["slots_up"] * 100 / r["availability"]["slots"], 2)
                                           if r["availability"]["recorded"] else None)}
                 for r in rows],
        "audit_anchor": anchor,
    }
    report["not_recorded"] = not_recorded(report)
    report["recommendations"] = recommendations(report)
    return report


def not_recorded(r: dict) -> list[str]:
    """Figures the product has not recorded for the month, said plainly in the report."""
    out = []
    if not r["availability"]["recorded_days"]:
        out.append("可用性：本月没有服务心跳记录（运行计数在本版本之前未记录，或服务未运行）")
    elif r["availability"]["recorded_days"] < r["days_covered"]:
        out.append(f"可用性：仅 {r['availability']['recorded_days']} 天有心跳记录，其余天未计入")
    if not r["requests"]:
        out.append("接口请求量与响应时间：本月没有记录")
    if not r["upstream"]:
        out.append("HIS/PEIS 调用结果与耗时：本月没有记录")
    if r["reconciliation"]["days_not_reconciled"]:
        out.append(f"对账：{len(r['reconciliation']['days_not_reconciled'])} 天没有对账结果")
    if r["audit_anchor"] is None:
        out.append("审计链锚点：本月没有锚点记录")
    return out


def recommendations(r: dict) -> list[str]:
    """建议, each with the threshold it comes from."""
    out = []
    a = r["availability"]["percent"]
    if a is not None and a < MIN_AVAILABILITY:
        out.append(f"服务可用率 {a}% 低于 {MIN_AVAILABILITY}%：请核查停机时段（系统日志、数据库与 Redis），必要时增加服务实例")
    for family, t in r["requests"].items():
        name = FAMILY_TEXT.get(family, family)
        if t["count"] and t["error_percent"] > MAX_ERROR_RATE:
            out.append(f"{name}服务端错误率 {t['error_percent']}% 高于 {MAX_ERROR_RATE}%：请查看错误日志并处理")
        if t["count"] and t["avg_ms"] > MAX_AVG_MS:
            out.append(f"{name}平均响应 {t['avg_ms']} 毫秒，高于 {MAX_AVG_MS} 毫秒：请检查数据库与服务器负载")
    for system, t in r["upstream"].items():
        name = SYSTEM_TEXT.get(system, system)
        if t["count"] and t["error_percent"] > MAX_UPSTREAM_UNANSWERED:
            out.append(f"{name} 接口无应答比例 {t['error_percent']}% 高于 {MAX_UPSTREAM_UNANSWERED}%：请与医院信息科核查接口平台")
        if t["count"] and t["avg_ms"] > MAX_UPSTREAM_AVG_MS:
            out.append(f"{name} 接口平均耗时 {t['avg_ms']} 毫秒，高于 {MAX_UPSTREAM_AVG_MS} 毫秒：请与医院信息科核查接口性能")
    p, f, j = r["payments"], r["refunds"], r["jobs"]
    if p.get("his_failed"):
        out.append(f"本月 {p['his_failed']} 笔支付回写 HIS 失败（已自动退款）：请与医院核对失败原因")
    if f.get("failed") or f.get("abnormal"):
        out.append(f"退款失败 {f.get('failed', 0)} 笔、异常 {f.get('abnormal', 0)} 笔：请在管理后台「退款」中逐笔处理")
    if j.get("failed"):
        out.append(f"{j['failed']} 个后台任务重试耗尽：请在管理后台「后台任务」中查看原因并重试")
    rec = r["reconciliation"]
    if rec["open"]:
        out.append(f"对账仍有 {rec['open']} 项差异未解决：请财务在「对账」中逐项处理")
    if rec["days_not_reconciled"]:
        out.append(f"{len(rec['days_not_reconciled'])} 天没有对账结果：请检查微信账单下载与 worker 运行")
    s = r["security"]
    if s.get("login_failures", 0) + s.get("login_throttled", 0) > MAX_LOGIN_FAILURES:
        out.append(f"管理后台登录失败 {s.get('login_failures', 0)} 次、被限速 {s.get('login_throttled', 0)} 次，"
                   f"超过 {MAX_LOGIN_FAILURES} 次：请导出审计日志核查来源地址")
    if s.get("open_refused", 0) > MAX_OPEN_REFUSED:
        out.append(f"开放接口拒绝 {s['open_refused']} 次，超过 {MAX_OPEN_REFUSED} 次：请核查调用方密钥与时钟")
    if s.get("patient_events", 0) > MAX_PATIENT_EVENTS:
        out.append(f"患者端安全事件 {s['patient_events']} 次，超过 {MAX_PATIENT_EVENTS} 次：请核查验证码与令牌被拒的来源")
    if s.get("break_glass"):
        out.append(f"本月使用了 {s['break_glass']} 次服务器端应急操作（解锁/重置密码）：请确认每次均有工单记录")
    c = r["capacity"]
    if c["high_use_days"]:
        out.append(f"{len(c['high_use_days'])} 天号源使用率达到 {HIGH_USE}%：建议在这些星期增加号源")
    if c["use_percent"] is not None and c["use_percent"] < LOW_USE:
        out.append(f"号源平均使用率 {c['use_percent']}% 低于 {LOW_USE}%：可适当减少号源或加强宣传")
    if r["audit_anchor"] is None:
        out.append("本月没有审计链锚点：请确认 worker 运行并设置 CHECKUP_AUDIT_ANCHOR_PATH")
    return out or ["各项指标均在阈值内，无需调整"]

"""系统运行报告 (issue 16, point 1): figures recorded by the product (daily rollup), the month's JSON, PDF
and xlsx in Chinese, recommendations from thresholds, the console API (admin, auditor) and the CLI."""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook

from checkup.db.models import (
    AuditLog,
    Booking,
    DayQuota,
    Job,
    OpsDaily,
    OpsSample,
    Payment,
    Reconciliation,
    Refund,
)
from checkup.domain.clock import SHANGHAI
from checkup.services import ops_report
from checkup.services.audit import FAILURE, AuditEntry, record
from checkup.services.ops_counters import FLUSH_SECONDS, OpsCounters, route_family
from support.staff import booked_patient, staffer

MONTH = "2026-11"
DAY = date(2026, 11, 3)
AFTER = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI).astimezone(UTC)


async def _audited(action: str, code: str, when: datetime, **detail) -> None:
    row = await record(AuditEntry(action=action, actor="x", ip="10.0.0.9",
                                  detail={"error": {"code": code}, **detail}), outcome=FAILURE)
    await AuditLog.filter(id=row.id).update(at=when)


async def seed_month(app) -> None:
    """4 bookings (one cancelled by the patient), 3 payments (one write-back failed), a refund, two jobs
    (one failed), a reconciliation with 2 differences, security events, a full day quota, and the
    counts the processes flushed (requests, HIS calls, heartbeats: 3 of 288 slots missing)."""
    bookings = [await booked_patient(app, day=DAY, name=f"测试{i}") for i in range(4)]
    await Booking.filter(id__in=[b.id for b in bookings]).update(booked_at=at(DAY))
    await Booking.filter(id=bookings[0].id).update(status="cancelled", active=None, cancelled_at=at(DAY + timedelta(1)),
                                                   cancelled_by="patient")
    await DayQuota.filter(day=DAY).update(capacity=5, booked=5)
    payments = []
    for i, his in enumerate(("settled", "settled", "failed")):
        b = bookings[i + 1]
        patient = await b.patient
        payments.append(await Payment.create(
            payment_no=f"P2026110300{i}", user_id=patient.user_id, patient=patient, his_patient_id=b.his_patient_id,
            amount_fen=35800, description="体检费", status="paid", expires_at=at(DAY, 11), paid_at=at(DAY, 10),
            transaction_id=f"42000011202611030{i}", paid_amount_fen=35800,
            his_status=his))
    await Payment.filter(id__in=[p.id for p in payments]).update(created_at=at(DAY, 9))
    refund = await Refund.create(refund_no="R202611030001", payment=payments[2], bill_key="ALL", amount_fen=35800,
                                 source="his_failed", status="succeeded", succeeded_at=at(DAY + timedelta(2)))
    await Refund.filter(id=refund.id).update(created_at=at(DAY, 12))
    failed = await Job.create(kind="his_writeback", status="failed", attempts=12, run_after=at(DAY))
    done = await Job.create(kind="send_message", status="done", attempts=3, run_after=at(DAY))
    await Job.filter(id__in=[failed.id, done.id]).update(created_at=at(DAY, 8))
    await Reconciliation.create(day=DAY, matched=2, differences=[{"kind": "held"}, {"kind": "ours_not_wechat"}])
    await _audited("login", "INVALID_CREDENTIALS", at(DAY, 9))
    await _audited("login", "INVALID_CREDENTIALS", at(DAY, 9))
    await _audited("open.bookings", "SIGNATURE_INVALID", at(DAY, 9))
    rows = [OpsSample(at=at(DAY, 0) + timedelta(seconds=FLUSH_SECONDS * n + 1), day=DAY, kind="up", key="api:1")
            for n in range(288) if n not in (100, 101, 102)]
    rows += [OpsSample(at=at(DAY, 23), day=DAY, kind="request", key="patient", count=600, errors=12, total_ms=60000,
                       max_ms=2500, slow=5),
             OpsSample(at=at(DAY, 23), day=DAY, kind="request", key="patient", count=400, errors=8, total_ms=40000,
                       max_ms=900, slow=0),
             OpsSample(at=at(DAY, 23), day=DAY, kind="upstream", key="his.query_bill", count=100, errors=5,
                       total_ms=150000, max_ms=5000, slow=9),
             OpsSample(at=at(DAY, 23), day=DAY, kind="ready", key="ready", count=10, errors=1)]
    await OpsSample.bulk_create(rows)


async def test_counters_flush_to_the_database_and_keep_counts_when_it_fails(db):
    counters = OpsCounters()
    now = at(DAY, 10)
    counters.add("request", route_family("console_reports.booked_patients"), ms=1200, error=False, now=now)
    counters.add("request", route_family("patient.create_booking"), ms=30, error=True, now=now)
    counters.add("upstream", "his.query_bill", ms=80, now=now)
    assert await counters.flush(now=now) == 4  # three counts and the heartbeat
    rows = {(r.kind, r.key): r for r in await OpsSample.filter(day=DAY)}
    assert rows[("request", "console")].slow == 1 and rows[("request", "patient")].errors == 1
    assert rows[("upstream", "his.query_bill")].total_ms == 80 and ("up", counters.process) in rows
    assert await counters.flush(now=now, heartbeat=False) == 0
    assert [route_family(r) for r in ("console_finance.refund", "h5_path", "console_index", "unmatched")] == [
        "console", "static", "static", "unmatched"]


async def test_the_month_from_seeded_rows(app, db):
    await seed_month(app)
    report = await ops_report.monthly(MONTH, now=AFTER)
    assert report["days_covered"] == 30 and await OpsDaily.filter(day__gte=date(2026, 11, 1)).count() == 30
    assert report["bookings"]["booked"] == 4 and report["bookings"]["cancelled_by_patient"] == 1
    assert report["payments"]["paid"] == 3 and report["payments"]["paid_fen"] == 3 * 35800
    assert report["payments"]["his_failed"] == 1
    assert report["refunds"]["succeeded"] == 1 and report["refunds"]["his_failed"] == 1
    assert report["jobs"] == {"created": 2, "failed": 1, "retried": 2, "waiting": 0}
    assert report["security"]["login_failures"] == 2 and report["security"]["open_refused"] == 1
    assert report["requests"]["patient"]["count"] == 1000 and report["requests"]["patient"]["error_percent"] == 2.0
    assert report["requests"]["patient"]["avg_ms"] == 100 and report["requests"]["patient"]["max_ms"] == 2500
    assert report["upstream"]["his"]["error_percent"] == 5.0 and report["upstream"]["his"]["avg_ms"] == 1500
    assert report["availability"]["percent"] == round(285 * 100 / 288, 2)
    assert report["availability"]["not_ready_answers"] == 1
    assert report["capacity"]["high_use_days"] == ["2026-11-03"]
    assert report["reconciliation"]["differences"] == 2 and report["reconciliation"]["open"] == 2
    text = "\n".join(report["recommendations"])
    for expected in ("服务可用率", "患者端接口服务端错误率 2.0%", "HIS 接口无应答比例 5.0%", "回写 HIS 失败",
                     "后台任务重试耗尽", "对账仍有 2 项差异", "号源使用率"):
        assert expected in text, text
    assert any("审计链锚点" in n for n in report["not_recorded"])  # said, not reported as zero

    # finance resolves the differences: the next report shows them resolved (the rollup keeps what was found)
    await Reconciliation.filter(day=DAY).update(differences=[])
    again = await ops_report.monthly(MONTH, now=AFTER)
    assert again["reconciliation"]["differences"] == 2 and again["reconciliation"]["resolved"] == 2
    assert again["reconciliation"]["open"] == 0


async def test_the_worker_rolls_up_yesterday_once(db):
    job = await Job.create(kind="send_message", status="failed", attempts=12, run_after=at(DAY))
    await Job.filter(id=job.id).update(created_at=at(DAY))
    old = DAY - timedelta(days=ops_report.SAMPLE_DAYS + 2)
    await OpsSample.create(at=at(old), day=old, kind="up", key="api:1")
    assert await ops_report.rollup_yesterday(at(DAY + timedelta(1), 0)) is None  # before 01:00: not yet
    assert await ops_report.rollup_yesterday(at(DAY + timedelta(1), 2)) == DAY
    assert await ops_report.rollup_yesterday(at(DAY + timedelta(1), 3)) is None
    assert (await OpsDaily.get(day=DAY)).figures["jobs"]["failed"] == 1
    assert not await OpsSample.filter(day=old).exists()  # samples are kept SAMPLE_DAYS, the rollups stay


def _pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "monthly.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", out)


async def test_console_api_json_pdf_xlsx_for_admin_and_auditor(app, http, tmp_path):
    await seed_month(app)
    auditor = await staffer(http, app, "audit.one", ["auditor"])
    clerk = await staffer(http, app, "clerk.one", ["staff"])
    assert (await clerk.get("/api/console/reports/monthly", params={"month": MONTH})).status_code == 403
    for month in ("2026-13", "0000-01", "2026-1"):
        bad = await auditor.get("/api/console/reports/monthly", params={"month": month})
        assert bad.status_code in (400, 422), bad.text
    r = await auditor.get("/api/console/reports/monthly", params={"month": MONTH})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["bookings"]["booked"] == 4 and body["payments"]["his_failed"] == 1
    months = (await auditor.get("/api/console/reports/monthly/months")).json()["items"]
    assert {"month": MONTH, "days": 30} in months

    r = await auditor.get("/api/console/reports/monthly", params={"month": MONTH, "format": "pdf"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf", r.text
    assert "attachment" in r.headers["content-disposition"]
    text = await asyncio.to_thread(_pdftotext, r.content, tmp_path)
    for expected in ("系统运行报告", "2026年11月", "新增预约", "回写HIS失败", "管理后台登录失败", "建议",
                     f"{round(285 * 100 / 288, 2)}%", "2026-11-03"):
        assert expected in text, expected

    r = await auditor.get("/api/console/reports/monthly", params={"month": MONTH, "format": "xlsx"})
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    cells = {(row[0], row[1]) for row in sheet.iter_rows(values_only=True) if row[0] is not None}
    assert ("新增预约", 4) in cells and ("回写 HIS 失败", 1) in cells and ("管理后台登录失败", 2) in cells
    assert ("支付金额（元）", "1074.00") in cells
    exported = await AuditLog.filter(action="report.monthly", outcome="success").values_list("detail", flat=True)
    assert sorted(d["format"] for d in exported) == ["pdf", "xlsx"]  # downloads audited, viewing not


async def test_cli_rollup_and_monthly_files(app, db, db_url, tmp_path):
    await seed_month(app)
    env = {**os.environ, "CHECKUP_DB_URL": db_url, "CHECKUP_SANDBOX": "false",
           "CHECKUP_AUDIT_ANCHOR_PATH": str(tmp_path / "anchors.jsonl")}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "checkup.cli", "report", *args], env=env, capture_output=True,
                              text=True, timeout=120)

    rolled = await asyncio.to_thread(run, "rollup", "--day", DAY.isoformat())
    assert rolled.returncode == 0 and "4 bookings" in rolled.stdout, rolled.stdout + rolled.stderr
    done = await asyncio.to_thread(run, "monthly", "--month", MONTH, "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stdout + done.stderr
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [f"运行报告-{MONTH}.json", f"运行报告-{MONTH}.pdf", f"运行报告-{MONTH}.xlsx"]
    report = json.loads((tmp_path / "out" / f"运行报告-{MONTH}.json").read_text(encoding="utf-8"))
    assert report["bookings"]["booked"] == 4 and "建议:" in done.stdout
    assert (await asyncio.to_thread(run, "monthly", "--month", "2026-1")).returncode == 2
    env["CHECKUP_PDF_FONT"] = "/nonexistent/wqy-microhei.ttc"  # no font: the workbook and JSON all the same
    nofont = await asyncio.to_thread(run, "monthly", "--month", MONTH, "--out", str(tmp_path / "nofont"))
    assert nofont.returncode == 1 and "fonts-wqy-microhei" in nofont.stdout, nofont.stdout + nofont.stderr
    assert sorted(p.suffix for p in (tmp_path / "nofont").iterdir()) == [".json", ".xlsx"]


async def test_usage_report_template_names_only_keys_of_the_report(db):
    from checkup.services import usage_report

    report = await ops_report.monthly(MONTH, now=AFTER)  # an empty month: every key is there all the same
    names = usage_report.placeholders()
    assert len(names) > 30
    values = usage_report.context(report, hospital="测试医院")
    unknown = []
    for name in names:
        try:
            usage_report.lookup(values, name)
        except KeyError:
            unknown.append(name)
    assert unknown == []
    text = usage_report.render_usage_report(report, hospital="测试医院")
    assert "{{" not in text and "测试医院 体检预约缴费系统 用户使用报告" in text and "未记录" in text


async def test_cli_usage_report_of_the_trial_period(app, db, db_url, tmp_path):
    await seed_month(app)
    env = {**os.environ, "CHECKUP_DB_URL": db_url, "CHECKUP_SANDBOX": "false", "CHECKUP_HOSPITAL_NAME": "测试医院",
           "CHECKUP_AUDIT_ANCHOR_PATH": str(tmp_path / "anchors.jsonl")}
    done = await asyncio.to_thread(subprocess.run, [
        sys.executable, "-m", "checkup.cli", "report", "usage", "--from", "2026-09-01", "--to", "2026-11-29",
        "--out", str(tmp_path)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (tmp_path / "用户使用报告-2026-09-01-2026-11-29.md").read_text(encoding="utf-8")
    assert "2026-09-01 至 2026-11-29（已汇总 90 天）" in text
    assert "| 新增预约（人次） | 4 |" in text and "| 在线支付成功 | 3 笔，1074.00 元 |" in text
    assert "| 管理后台登录失败 | 2 |" in text and "回写 HIS 失败" in text


async def test_guarded_his_calls_are_counted_with_their_outcome():
    from checkup.integrations.guard import Guard, GuardedClient, GuardPolicy
    from checkup.integrations.result import CallResult
    from checkup.services.ops_counters import COUNTERS

    class FakeHis:
        async def bill(self, bill_no: str):
            return CallResult.success({"bill_no": bill_no}) if bill_no != "down" else CallResult.unknown("TIMEOUT")

    from checkup.app import count_upstream_call

    client = GuardedClient(FakeHis(), Guard("HIS", GuardPolicy(), observe=count_upstream_call))
    COUNTERS.take()  # what earlier tests counted
    await client.bill(bill_no="B1")
    await client.bill(bill_no="down")
    counted = {(kind, key): t for (_, kind, key), t in COUNTERS.take().items()}
    assert counted[("upstream", "his.bill")].count == 2 and counted[("upstream", "his.bill")].errors == 1


async def test_a_day_just_ended_is_reported_but_not_stored_yet(db):
    just_after = at(date(2026, 12, 1), 0) + timedelta(minutes=20)  # Nov 30 ended 20 minutes ago
    report = await ops_report.monthly(MONTH, now=just_after)
    assert report["days_covered"] == 30
    assert not await OpsDaily.filter(day=date(2026, 11, 30)).exists()  # late flushes may still come
    assert await OpsDaily.filter(day=date(2026, 11, 29)).exists()


async def test_a_reconciliation_after_the_rollup_is_recorded_and_found_differences_kept(db):
    await ops_report.rollup_day(DAY)  # 01:00: not reconciled yet
    assert (await OpsDaily.get(day=DAY)).figures["reconciliation"]["done"] is False
    await Reconciliation.create(day=DAY, matched=5, differences=[{"kind": "held"}, {"kind": "held"}])
    await ops_report.note_reconciliation(DAY)  # what reconcile() calls when it has stored its result
    stored = (await OpsDaily.get(day=DAY)).figures["reconciliation"]
    assert stored["done"] is True and stored["differences"] == 2 and stored["by_kind"] == {"held": 2}
    await Reconciliation.filter(day=DAY).update(differences=[])  # staff fixed them, reconciled again
    await ops_report.note_reconciliation(DAY)
    await ops_report.rollup_day(DAY)  # a recomputed day keeps them too
    report = await ops_report.monthly(MONTH, now=AFTER)
    rec = report["reconciliation"]
    assert (rec["differences"], rec["resolved"], rec["open"]) == (2, 2, 0)
    assert "2026-11-03" not in rec["days_not_reconciled"]

"""The 预约患者 report, its Excel and PDF exports, and confirming patients out of it."""

from __future__ import annotations

import asyncio
import io
import re
import subprocess
import zipfile
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, unquote

from openpyxl import load_workbook

from checkup.db.models import AuditLog, Booking
from checkup.domain.masking import age_band
from support.people import day, new_person, next_id_number, paid_at_window, set_quota
from support.staff import booked_patient, staffer

REPORT = "/api/console/reports/booked-patients"
HEADERS = ["预约号", "体检日期", "姓名", "性别", "年龄段", "手机号", "身份证号", "体检套餐", "金额（元）", "缴费单号", "预约时间"]


def error(r) -> str:
    return r.json()["error"]["code"]


async def _week(app) -> list[Booking]:
    """Six booked patients over three days, one confirmed and one cancelled (both left out)."""
    people = [
        (day(2), "张三", "13812345678", 35800), (day(2), "李四", "13900001111", 12000),
        (day(3), "王五", "13700002222", 9900), (day(4), "赵六", "13600003333", 50000),
        (day(4), "孙七", "13500004444", 35800), (day(3), "周八", "13400005555", 35800),
    ]
    rows = [await booked_patient(app, day=d, name=n, phone=p, amount_fen=a) for d, n, p, a in people]
    await Booking.filter(id=rows[4].id).update(status="confirmed", confirmed_by="someone")
    await Booking.filter(id=rows[5].id).update(status="cancelled", active=None)
    return rows[:4]


async def test_report_rows_fields_order_totals_and_paging(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    booked = await _week(app)
    params = {"from": day(1).isoformat(), "to": day(7).isoformat()}
    r = await clerk.get(REPORT, params=params)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 4 and [i["patient_name"] for i in body["items"]] == ["张三", "李四", "王五", "赵六"]
    first = body["items"][0]
    assert set(first) == {"booking_id", "date", "patient_name", "sex", "age", "phone_masked", "id_number_masked",
                          "package_name", "amount_fen", "bill_no", "booked_at"}
    assert first["booking_id"] == booked[0].id and first["phone_masked"] == "138****5678"
    assert first["sex"] == "male" and first["age"] == age_band(date(1985, 6, 12), day(2))  # on the booked day
    assert re.fullmatch(r"\d{1,2}–\d{1,2}|90\+", first["age"])  # a five-year band beside the masked ID number
    assert len(first["id_number_masked"]) == 18 and "********" in first["id_number_masked"]
    assert first["package_name"] and first["amount_fen"] == 35800 and first["booked_at"].endswith("+08:00")
    assert body["per_day"] == [{"date": day(2).isoformat(), "count": 2, "amount_fen": 47800},
                               {"date": day(3).isoformat(), "count": 1, "amount_fen": 9900},
                               {"date": day(4).isoformat(), "count": 1, "amount_fen": 50000}]
    assert [(g["package_code"], g["count"], g["amount_fen"]) for g in body["per_package"]] == [("RZ001", 4, 107700)]
    assert body["amount_fen"] == 107700
    page2 = (await clerk.get(REPORT, params={**params, "page": 2, "page_size": 3})).json()
    assert [i["patient_name"] for i in page2["items"]] == ["赵六"] and page2["total"] == 4
    assert page2["per_day"] == body["per_day"]  # the totals are of the whole filter, not of the page


async def test_search_by_name_or_exact_phone(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    await _week(app)
    params = {"from": day(1).isoformat(), "to": day(7).isoformat()}
    by_name = (await clerk.get(REPORT, params={**params, "q": "王"})).json()
    assert [i["patient_name"] for i in by_name["items"]] == ["王五"]
    by_phone = (await clerk.get(REPORT, params={**params, "q": "13900001111"})).json()
    assert [i["patient_name"] for i in by_phone["items"]] == ["李四"]
    partial_phone = (await clerk.get(REPORT, params={**params, "q": "1390000"})).json()
    assert partial_phone["total"] == 0  # phones are encrypted: only an exact number is found
    assert (await clerk.get(REPORT, params={**params, "q": "孙七"})).json()["total"] == 0  # confirmed


async def test_excel_export_matches_the_report_row_by_row(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    await _week(app)
    params = {"from": day(1).isoformat(), "to": day(7).isoformat()}
    report = (await clerk.get(REPORT, params={**params, "page_size": 500})).json()
    r = await clerk.get(REPORT, params={**params, "format": "xlsx"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    name = f"预约患者_{params['from']}_{params['to']}.xlsx"
    disposition = r.headers["content-disposition"]
    assert disposition == f"attachment; filename=\"booked-patients.xlsx\"; filename*=UTF-8''{quote(name)}"
    assert unquote(disposition.split("''")[1]) == name
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["预约患者", "每日汇总", "套餐汇总"]
    ws = wb["预约患者"]
    assert ws.freeze_panes == "A3"  # under the title and the header
    rows = list(ws.iter_rows(values_only=True))
    title = rows[0][0]
    assert title.startswith(app.ctx.settings.hospital_name) and f"{params['from']} 至 {params['to']}" in title
    assert list(rows[1]) == HEADERS and ws["A2"].font.b is True and ws["A2"].fill.fgColor.rgb.endswith("2F6DB5")
    assert ws.auto_filter.ref == "A2:K6"
    # fitToWidth 1 is the OOXML default: XlsxWriter leaves the attribute out, openpyxl then reads None
    assert ws.page_setup.orientation == "landscape" and (ws.page_setup.fitToWidth or 1) == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$2:$2"
    assert rows[-1][0] == "合计" and rows[-1][2] == "4 人" and rows[-1][8] == 1077
    assert len(rows) - 3 == report["total"] == 4
    for cells, item in zip(rows[2:-1], report["items"], strict=True):
        assert cells[0] == item["booking_id"]
        assert cells[1].date().isoformat() == item["date"]
        assert cells[2] == item["patient_name"] and cells[3] == {"male": "男", "female": "女"}[item["sex"]]
        assert cells[4] == item["age"]
        assert cells[5] == item["phone_masked"] and cells[6] == item["id_number_masked"]
        assert cells[7] == item["package_name"] and cells[8] == item["amount_fen"] / 100
        assert cells[9] == item["bill_no"]
        assert cells[10] == datetime.fromisoformat(item["booked_at"]).replace(tzinfo=None, microsecond=0)
    for row in ws.iter_rows(min_row=3, max_row=6):
        for cell in (row[5], row[6], row[9]):  # phone, ID and bill numbers are text, never numbers
            assert cell.data_type == "s" and isinstance(cell.value, str) and cell.number_format == "@"
        assert row[8].number_format == "0.00"
    summary = list(wb["每日汇总"].iter_rows(values_only=True))
    assert summary[2:5] == [(d["date"], d["count"], d["amount_fen"] / 100) for d in report["per_day"]]
    assert summary[5] == ("合计", 4, 1077)
    packages = list(wb["套餐汇总"].iter_rows(values_only=True))
    assert packages[2] == (report["per_package"][0]["package_name"], 4, 1077) and packages[3] == ("合计", 4, 1077)
    row = await AuditLog.filter(action="report.export").first()
    assert row.actor == "clerk" and row.detail["format"] == "xlsx" and row.detail["rows"] == 4


async def test_long_id_like_numbers_stay_text_in_excel(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    await booked_patient(app, day=day(2), name="钱九", phone="13812345678")
    r = await clerk.get(REPORT, params={"from": day(2).isoformat(), "to": day(2).isoformat(), "format": "xlsx"})
    xml = _sheet_xml(r.content)
    assert "E+" not in xml and "e+" not in xml


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


async def test_pdf_export_has_the_chinese_names_and_every_row(app, http, tmp_path: Path):
    auditor = await staffer(http, app, "reader", ["auditor"])  # read-only, may export
    await _week(app)
    params = {"from": day(1).isoformat(), "to": day(7).isoformat(), "format": "pdf"}
    r = await auditor.get(REPORT, params=params)
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf" and r.content[:5] == b"%PDF-"
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    path = tmp_path / "report.pdf"
    path.write_bytes(r.content)
    text = await asyncio.to_thread(_pdftotext, path)
    for name in ("张三", "李四", "王五", "赵六"):
        assert text.count(name) == 1, name
    assert "孙七" not in text and "周八" not in text  # confirmed and cancelled are not in it
    flat = re.sub(r"\s+", "", text)  # pdftotext spaces CJK and digits its own way
    hospital = re.sub(r"\s+", "", app.ctx.settings.hospital_name)
    assert f"{hospital}预约患者名单" in flat and "共4人" in flat and "第1页/共3页" in flat and "第3页/共3页" in flat
    assert f"{params['from']}至{params['to']}" in flat and "打印时间" in flat and "每日人数汇总" in flat
    assert "套餐人数汇总" in flat and "合计：1个套餐，4人，1077.00元" in flat
    assert "358.00" in flat and "138****5678" in flat and "合计：3天，4人，1077.00元" in flat
    assert len(re.findall(r"TB\d{6}", text)) == 4  # one line per row
    fonts = await asyncio.to_thread(lambda: subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                                                            check=True).stdout)
    assert "WenQuanYiMicroHei" in fonts and " yes yes " in fonts  # embedded and subset


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


async def test_pdf_without_the_font_says_which_package_to_install(app, http, monkeypatch):
    from checkup.reports import pdf

    clerk = await staffer(http, app, "clerk", ["staff"])
    monkeypatch.setattr(app.ctx.settings, "pdf_font", Path("/nonexistent/wqy-microhei.ttc"))
    monkeypatch.setattr(pdf, "FONT_NAME", "MissingFontForTest")
    r = await clerk.get(REPORT, params={"format": "pdf"})
    assert r.status_code == 503 and error(r) == "EXPORT_UNAVAILABLE"
    assert "fonts-wqy-microhei" in r.json()["error"]["message"]


async def test_confirm_moves_the_patient_to_the_confirmed_view(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    booked = await _week(app)
    params = {"from": day(1).isoformat(), "to": day(7).isoformat()}
    r = await clerk.post(f"/api/console/bookings/{booked[1].id}/confirm")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "confirmed" and r.json()["confirmed_by"] == "clerk" and r.json()["confirmed_at"]
    report = (await clerk.get(REPORT, params=params)).json()
    assert [i["patient_name"] for i in report["items"]] == ["张三", "王五", "赵六"]
    xlsx = await clerk.get(REPORT, params={**params, "format": "xlsx"})
    names = [row[2] for row in load_workbook(io.BytesIO(xlsx.content))["预约患者"].iter_rows(min_row=3, values_only=True)][:-1]
    assert names == ["张三", "王五", "赵六"]
    confirmed = (await clerk.get("/api/console/bookings", params={**params, "status": "confirmed"})).json()
    assert [(i["patient_name"], i["confirmed_by"]) for i in confirmed["items"]] == [("李四", "clerk"),
                                                                                     ("孙七", "someone")]
    assert confirmed["items"][0]["confirmed_at"].endswith("+08:00")
    again = await clerk.post(f"/api/console/bookings/{booked[1].id}/confirm")
    assert again.status_code == 409 and error(again) == "BOOKING_NOT_CONFIRMABLE"
    missing = await clerk.post("/api/console/bookings/999999/confirm")
    assert missing.status_code == 404
    audit = await AuditLog.filter(action="booking.confirm", outcome="success").first()
    assert audit.target == f"booking:{booked[1].id}" and audit.detail["after"] == {"status": "confirmed"}


async def test_bulk_confirm_in_one_transaction(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    booked = await _week(app)
    ids = [b.id for b in booked]
    unknown = await clerk.post("/api/console/bookings/confirm", {"ids": [ids[0], 999999]})
    assert unknown.status_code == 404 and unknown.json()["error"]["details"]["missing"] == [999999]
    assert await Booking.filter(id=ids[0], status="booked").exists()  # nothing changed
    await clerk.post(f"/api/console/bookings/{ids[0]}/confirm")
    r = await clerk.post("/api/console/bookings/confirm", {"ids": ids})
    assert r.status_code == 200 and r.json() == {"confirmed": 3, "already_confirmed": [ids[0]]}
    assert await Booking.filter(id__in=ids, status="confirmed").count() == 4
    report = (await clerk.get(REPORT, params={"from": day(1).isoformat(), "to": day(7).isoformat()})).json()
    assert report["total"] == 0
    assert (await clerk.post("/api/console/bookings/confirm", {"ids": []})).status_code == 422


async def test_unconfirm_is_admin_only_and_audited(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    admin = await staffer(http, app, "boss", ["admin"])
    booked = await _week(app)
    await clerk.post(f"/api/console/bookings/{booked[0].id}/confirm")
    denied = await clerk.post(f"/api/console/bookings/{booked[0].id}/unconfirm")
    assert denied.status_code == 403 and error(denied) == "FORBIDDEN"
    r = await admin.post(f"/api/console/bookings/{booked[0].id}/unconfirm")
    assert r.status_code == 200 and r.json()["status"] == "booked" and r.json()["confirmed_by"] is None
    report = (await clerk.get(REPORT, params={"from": day(1).isoformat(), "to": day(7).isoformat()})).json()
    assert "张三" in [i["patient_name"] for i in report["items"]]
    twice = await admin.post(f"/api/console/bookings/{booked[0].id}/unconfirm")
    assert twice.status_code == 409 and error(twice) == "BOOKING_NOT_CONFIRMED"
    rows = [(a.actor, a.outcome) for a in await AuditLog.filter(action="booking.unconfirm").order_by("id")]
    assert rows == [("clerk", "failure"), ("boss", "success"), ("boss", "failure")]
    assert (await AuditLog.filter(action="booking.unconfirm", outcome="success").first()).detail["before"][
        "confirmed_by"] == "clerk"


async def test_a_booking_made_in_the_mini_program_shows_up_and_is_confirmed(app, http, sandbox):
    clerk = await staffer(http, app, "clerk", ["staff"])
    number = next_id_number(male=False, birth="19900307")
    me = await new_person(http, "console-report", name="陈美丽", male=False, id_number=number)
    bill = await paid_at_window(sandbox, me, number)
    d = day(3)
    await set_quota(d, 5)
    booked = await me.post("/api/me/bookings", {"bill_no": bill, "date": d.isoformat()})
    assert booked.status_code == 201, booked.text
    report = (await clerk.get(REPORT, params={"from": d.isoformat(), "to": d.isoformat(), "q": "陈美丽"})).json()
    assert report["total"] == 1
    row = report["items"][0]
    assert (row["bill_no"], row["sex"], row["phone_masked"]) == (bill, "female", "139****1234")
    assert row["id_number_masked"] == number[:6] + "********" + number[-4:]
    assert (await clerk.post(f"/api/console/bookings/{row['booking_id']}/confirm")).status_code == 200
    mine = (await me.get("/api/me/bookings")).json()["items"][0]
    assert mine["status"] == "confirmed" and mine["can_change"] is False
    refused = await me.post(f"/api/me/bookings/{row['booking_id']}/cancel")
    assert refused.status_code == 409


async def test_filters_by_package_and_status(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    booked = await _week(app)
    await booked_patient(app, day=day(5), name="吴九", package_code="YG001", amount_fen=20000)
    params = {"from": day(1).isoformat(), "to": day(7).isoformat()}
    everything = (await clerk.get(REPORT, params=params)).json()
    assert everything["total"] == 5 and {g["package_code"] for g in everything["per_package"]} == {"RZ001", "YG001"}
    only = (await clerk.get(REPORT, params={**params, "package": "YG001"})).json()
    assert [i["patient_name"] for i in only["items"]] == ["吴九"] and only["per_package"][0]["count"] == 1
    assert only["per_day"] == [{"date": day(5).isoformat(), "count": 1, "amount_fen": 20000}]
    confirmed = (await clerk.get(REPORT, params={**params, "status": "confirmed"})).json()
    assert [i["patient_name"] for i in confirmed["items"]] == ["孙七"]
    bad = await clerk.get(REPORT, params={**params, "status": "cancelled"})
    assert bad.status_code == 422
    xlsx = await clerk.get(REPORT, params={**params, "package": "YG001", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(xlsx.content))["预约患者"].iter_rows(values_only=True))
    assert [r[2] for r in rows[2:-1]] == ["吴九"] and "套餐" in rows[0][0]
    assert booked  # the week's bookings stay untouched


async def test_search_by_the_last_four_digits_of_a_phone(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    await _week(app)
    params = {"from": day(1).isoformat(), "to": day(7).isoformat()}
    found = (await clerk.get(REPORT, params={**params, "q": "1111"})).json()
    assert [i["patient_name"] for i in found["items"]] == ["李四"]
    assert (await clerk.get(REPORT, params={**params, "q": "9999"})).json()["total"] == 0


async def test_full_phones_by_role_and_every_view_audited(app, http, monkeypatch):
    clerk = await staffer(http, app, "caller", ["staff"])
    auditor = await staffer(http, app, "reader", ["auditor"])
    await _week(app)
    params = {"from": day(1).isoformat(), "to": day(7).isoformat()}
    masked = (await clerk.get(REPORT, params=params)).json()
    assert "phone" not in masked["items"][0]
    assert not await AuditLog.filter(action="report.export").exists()  # a masked view is not recorded
    full = await clerk.get(REPORT, params={**params, "phones": "full"})
    assert full.status_code == 200 and full.json()["items"][0]["phone"] == "13812345678"
    row = await AuditLog.filter(action="report.export", outcome="success").first()
    assert row.actor == "caller" and row.detail["full_phone"] is True and row.detail["rows"] == 4
    denied = await auditor.get(REPORT, params={**params, "phones": "full"})
    assert denied.status_code == 403
    assert await AuditLog.filter(action="report.export", outcome="failure", actor="reader").exists()
    monkeypatch.setattr(app.ctx.settings, "report_full_phone_roles", "")
    assert (await clerk.get(REPORT, params={**params, "phones": "full"})).status_code == 403


async def test_empty_pdf_has_one_page_and_no_empty_summary(app, http, tmp_path: Path):
    clerk = await staffer(http, app, "clerk", ["staff"])
    r = await clerk.get(REPORT, params={"from": day(20).isoformat(), "to": day(21).isoformat(), "format": "pdf"})
    assert r.status_code == 200
    path = tmp_path / "empty.pdf"
    path.write_bytes(r.content)
    flat = re.sub(r"\s+", "", await asyncio.to_thread(_pdftotext, path))
    assert "第1页/共1页" in flat and "每日人数汇总" not in flat and "没有待确认的预约患者" in flat

"""The patient side of API.md over real HTTP, against the sandbox HIS/PEIS/WeChat (SQLite and MariaDB)."""

from __future__ import annotations

import pytest

from checkup.db.models import Booking, BookingRulesRow, Charge, DayQuota, Patient
from support.people import (
    day,
    login,
    login_consented,
    new_person,
    next_id_number,
    paid_at_window,
    set_quota,
    verify,
)


async def test_login_same_code_same_user_and_bad_code(http):
    a1 = await login_consented(http, "code-a")
    a2 = await login(http, "code-a")
    r1 = await http.get("/api/me/patients", headers=a1)
    assert r1.status_code == 200 and r1.json() == {"items": [], "total": 0}
    created = await http.post("/api/me/patients", headers=a1,
                              json={"name": "李四", "id_number": next_id_number(), "phone": "13800001111"})
    assert created.status_code == 201
    assert (await http.get("/api/me/patients", headers=a2)).json()["total"] == 1  # same person
    b = await login(http, "code-b")
    assert (await http.get("/api/me/patients", headers=b)).json()["total"] == 0
    bad = await http.post("/api/auth/wechat", json={"code": "invalid"})
    assert bad.status_code == 401 and bad.json()["error"]["code"] == "WECHAT_LOGIN_FAILED"


async def test_packages_listed_from_peis(http):
    r = await http.get("/api/packages")
    assert r.status_code == 200
    codes = {p["code"]: p for p in r.json()["items"]}
    assert {"RZ001", "JC001M", "JC001F", "ZLN001", "XNXG001"} <= set(codes)
    assert codes["JC001M"]["sex"] == "male" and isinstance(codes["RZ001"]["price_fen"], int)
    assert codes["RZ001"]["items"] and codes["RZ001"]["notes"]
    one = await http.get("/api/packages/RZ001")
    assert one.json()["name"] == codes["RZ001"]["name"]
    missing = await http.get("/api/packages/NOPE")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"


async def test_patient_add_derives_sex_and_birth_masks_and_limits(http):
    headers = await login_consented(http, "limits")
    number = next_id_number(male=False, birth="19920229")
    r = await http.post("/api/me/patients", headers=headers,
                        json={"name": "赵敏", "id_number": number, "phone": "13912345678"})
    assert r.status_code == 201, r.text
    p = r.json()
    assert p["sex"] == "female" and p["birth_date"] == "1992-02-29" and p["is_default"] is True
    assert p["phone_masked"] == "139****5678" and p["id_number_masked"] == number[:6] + "********" + number[-4:]
    stored = await Patient.get(id=p["id"])
    assert number not in stored.id_number_enc and "13912345678" not in stored.phone_enc
    assert p["verified"] is False and stored.his_patient_id == ""  # linked to HIS only once verified
    await verify(http, headers, p)
    assert (await Patient.get(id=p["id"])).his_patient_id  # found or registered in HIS
    dup = await http.post("/api/me/patients", headers=headers,
                          json={"name": "赵敏", "id_number": number.lower(), "phone": "13912345678"})
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "PATIENT_EXISTS"
    for _ in range(9):
        ok = await http.post("/api/me/patients", headers=headers,
                             json={"name": "家属", "id_number": next_id_number(), "phone": "13912345678"})
        assert ok.status_code == 201
    eleventh = await http.post("/api/me/patients", headers=headers,
                               json={"name": "家属", "id_number": next_id_number(), "phone": "13912345678"})
    assert eleventh.status_code == 409 and eleventh.json()["error"]["code"] == "PATIENT_LIMIT"
    assert await Patient.filter(active=1).count() == 10


async def test_remove_patient_and_default_moves(http):
    headers = await login_consented(http, "remove")
    first = (await http.post("/api/me/patients", headers=headers,
                             json={"name": "甲乙", "id_number": next_id_number(), "phone": "13800000001"})).json()
    second = (await http.post("/api/me/patients", headers=headers,
                              json={"name": "丙丁", "id_number": next_id_number(), "phone": "13800000002"})).json()
    assert first["is_default"] and not second["is_default"]
    r = await http.delete(f"/api/me/patients/{first['id']}", headers=headers)
    assert r.status_code == 204
    listed = (await http.get("/api/me/patients", headers=headers)).json()["items"]
    assert [p["id"] for p in listed] == [second["id"]] and listed[0]["is_default"] is True
    again = await http.delete(f"/api/me/patients/{first['id']}", headers=headers)
    assert again.status_code == 404


async def test_flow1_order_then_window_payment_then_book(http, sandbox):
    number = next_id_number()
    me = await new_person(http, "flow1", id_number=number)
    r = await me.post("/api/me/orders", {"patient_id": me.patient_id, "package_code": "RZ001"})
    assert r.status_code == 201, r.text
    charge = r.json()["charge"]
    assert charge["status"] == "unpaid" and charge["amount_fen"] > 0 and charge["package_code"] == "RZ001"
    again = await me.post("/api/me/orders", {"patient_id": me.patient_id, "package_code": "RZ001"})
    assert again.json()["charge"]["bill_no"] == charge["bill_no"]  # the unpaid order is reused
    unpaid = (await me.get("/api/me/charges", params={"patient_id": me.patient_id, "status": "unpaid"})).json()
    assert [c["bill_no"] for c in unpaid["items"]] == [charge["bill_no"]]
    # not paid yet: cannot book
    d = day(3)
    await set_quota(d, 5)
    refused = await me.post("/api/me/bookings", {"bill_no": charge["bill_no"], "date": d.isoformat()})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "CHARGE_NOT_PAID"
    # the patient pays it at the window; HIS now reports it paid
    await sandbox.control("his/pay-at-window", {"bill_no": charge["bill_no"]})
    paid = (await me.get("/api/me/charges", params={"patient_id": me.patient_id, "status": "paid"})).json()
    assert [c["status"] for c in paid["items"]] == ["paid"]
    booked = await me.post("/api/me/bookings", {"bill_no": charge["bill_no"], "date": d.isoformat()})
    assert booked.status_code == 201, booked.text
    body = booked.json()
    assert body["status"] == "booked" and body["date"] == d.isoformat() and body["patient_id"] == me.patient_id
    assert (await DayQuota.get(day=d)).booked == 1
    records = (await me.get("/api/me/bookings")).json()
    assert records["total"] == 1 and records["items"][0]["bill_no"] == charge["bill_no"]
    charges = (await me.get("/api/me/charges", params={"patient_id": me.patient_id, "status": "paid"})).json()
    assert charges["items"][0]["booking"]["id"] == body["id"]


async def test_flow2_paid_at_window_book_reschedule_cancel(http, sandbox):
    number = next_id_number()
    me = await new_person(http, "flow2", id_number=number)
    bill = await paid_at_window(sandbox, me, number)
    d1, d2 = day(2), day(4)
    await set_quota(d1, 3)
    await set_quota(d2, 3)
    b = await me.post("/api/me/bookings", {"bill_no": bill, "date": d1.isoformat()})
    assert b.status_code == 201, b.text
    booking_id = b.json()["id"]
    dup = await me.post("/api/me/bookings", {"bill_no": bill, "date": d2.isoformat()})
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "ALREADY_BOOKED"
    moved = await me.post(f"/api/me/bookings/{booking_id}/reschedule", {"date": d2.isoformat()})
    assert moved.status_code == 200 and moved.json()["date"] == d2.isoformat()
    assert (await DayQuota.get(day=d1)).booked == 0 and (await DayQuota.get(day=d2)).booked == 1
    same = await me.post(f"/api/me/bookings/{booking_id}/reschedule", {"date": d2.isoformat()})
    assert same.status_code == 409 and same.json()["error"]["code"] == "SAME_DAY"
    cancelled = await me.post(f"/api/me/bookings/{booking_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert (await DayQuota.get(day=d2)).booked == 0
    twice = await me.post(f"/api/me/bookings/{booking_id}/cancel")
    assert twice.status_code == 409 and (await DayQuota.get(day=d2)).booked == 0
    rebook = await me.post("/api/me/bookings", {"bill_no": bill, "date": d1.isoformat()})
    assert rebook.status_code == 201  # a cancelled booking frees the charge


async def test_calendar_reports_days(http):
    d_open, d_full, d_closed = day(2), day(3), day(4)
    await set_quota(d_open, 10, booked=4)
    await set_quota(d_full, 2, booked=2)
    await set_quota(d_closed, 10, open_=False)
    r = await http.get("/api/calendar", params={"from": day(0).isoformat(), "to": day(40).isoformat()})
    assert r.status_code == 200
    days = {x["date"]: x for x in r.json()["days"]}
    assert len(days) == 41
    assert days[d_open.isoformat()] | {} == {**days[d_open.isoformat()], "open": True, "capacity": 10,
                                              "remaining": 6, "bookable": True}
    assert days[d_full.isoformat()]["bookable"] is False and days[d_full.isoformat()]["reason"] == "full"
    assert days[d_closed.isoformat()]["open"] is False and days[d_closed.isoformat()]["reason"] == "closed"
    assert days[day(0).isoformat()]["reason"] == "too_late"
    assert days[day(5).isoformat()]["reason"] == "closed"  # no quota set
    await set_quota(day(35), 10)
    later = await http.get("/api/calendar", params={"from": day(35).isoformat(), "to": day(35).isoformat()})
    assert later.json()["days"][0]["reason"] == "not_yet_open"
    # it says when it opens: release time 00:00 (the seeded rules), 30 days before the day
    assert later.json()["days"][0]["opens_at"] == f"{day(5).isoformat()}T00:00:00+08:00"
    assert days[d_open.isoformat()]["opens_at"] is None
    bad = await http.get("/api/calendar", params={"from": day(5).isoformat(), "to": day(1).isoformat()})
    assert bad.status_code == 422


async def test_refused_days_change_nothing(http, sandbox):
    number = next_id_number()
    me = await new_person(http, "refusals", id_number=number)
    bill = await paid_at_window(sandbox, me, number)
    full, closed, far = day(2), day(3), day(40)
    await set_quota(full, 1, booked=1)
    await set_quota(closed, 5, open_=False)
    await set_quota(far, 5)
    cases = [(full, "QUOTA_FULL"), (closed, "DAY_CLOSED"), (far, "OUTSIDE_BOOKING_WINDOW"),
             (day(0), "OUTSIDE_BOOKING_WINDOW"), (day(6), "DAY_CLOSED")]
    for when, code in cases:
        r = await me.post("/api/me/bookings", {"bill_no": bill, "date": when.isoformat()})
        assert r.status_code == 409, (when, r.text)
        assert r.json()["error"]["code"] == code
        assert r.json()["error"]["message"]
    assert await Booking.all().count() == 0
    assert (await DayQuota.get(day=full)).booked == 1 and (await DayQuota.get(day=far)).booked == 0


async def test_sex_limit_respected(http, sandbox):
    number = next_id_number(male=True)
    me = await new_person(http, "sexlimit", id_number=number)
    r = await me.post("/api/me/orders", {"patient_id": me.patient_id, "package_code": "JC001F"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "SEX_MISMATCH"
    # a female package opened on site for a male patient by mistake cannot be booked either
    await sandbox.control("onsite-orders", {"name": "王小明", "id_number": number, "phone": "13900001234",
                                            "package_code": "JC001M", "paid": True})
    bill = (await me.get("/api/me/charges", params={"patient_id": me.patient_id, "status": "paid"})).json()
    bill_no = bill["items"][0]["bill_no"]
    await Charge.filter(bill_no=bill_no).update(package_code="JC001F")
    await set_quota(day(2), 5)
    refused = await me.post("/api/me/bookings", {"bill_no": bill_no, "date": day(2).isoformat()})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "SEX_MISMATCH"


async def test_confirmed_booking_cannot_be_changed_by_patient(http, sandbox):
    number = next_id_number()
    me = await new_person(http, "confirmed", id_number=number)
    bill = await paid_at_window(sandbox, me, number)
    await set_quota(day(2), 5)
    await set_quota(day(3), 5)
    booking = (await me.post("/api/me/bookings", {"bill_no": bill, "date": day(2).isoformat()})).json()
    await Booking.filter(id=booking["id"]).update(status="confirmed")
    for path, body in ((f"/api/me/bookings/{booking['id']}/reschedule", {"date": day(3).isoformat()}),
                       (f"/api/me/bookings/{booking['id']}/cancel", None)):
        r = await me.post(path, body)
        assert r.status_code == 409 and r.json()["error"]["code"] == "BOOKING_NOT_CHANGEABLE"
    assert (await DayQuota.get(day=day(2))).booked == 1 and (await DayQuota.get(day=day(3))).booked == 0


async def test_change_cutoff(http, sandbox):
    number = next_id_number()
    me = await new_person(http, "cutoff", id_number=number)
    bill = await paid_at_window(sandbox, me, number)
    await set_quota(day(1), 5)
    await set_quota(day(3), 5)
    booking = (await me.post("/api/me/bookings", {"bill_no": bill, "date": day(1).isoformat()})).json()
    assert booking["can_change"] is True  # cutoff 1 day: changes allowed until the day before
    assert booking["change_deadline"] == day(0).isoformat()
    await BookingRulesRow.filter(id=1).update(change_cutoff_days=2)
    booking = (await me.get(f"/api/me/bookings/{booking['id']}")).json()
    assert booking["can_change"] is False and booking["change_deadline"] == day(-1).isoformat()
    r = await me.post(f"/api/me/bookings/{booking['id']}/cancel")
    assert r.status_code == 409 and r.json()["error"]["code"] == "CHANGE_CUTOFF_PASSED"
    assert (await DayQuota.get(day=day(1))).booked == 1


async def test_someone_elses_records_are_404_and_unchanged(http, sandbox):
    number = next_id_number()
    owner = await new_person(http, "owner", id_number=number)
    bill = await paid_at_window(sandbox, owner, number)
    await set_quota(day(2), 5)
    await set_quota(day(3), 5)
    booking = (await owner.post("/api/me/bookings", {"bill_no": bill, "date": day(2).isoformat()})).json()
    intruder = await new_person(http, "intruder")
    attempts = [
        ("GET", "/api/me/charges", None, {"patient_id": owner.patient_id}),
        ("POST", "/api/me/orders", {"patient_id": owner.patient_id, "package_code": "RZ001"}, None),
        ("DELETE", f"/api/me/patients/{owner.patient_id}", None, None),
        ("POST", "/api/me/bookings", {"bill_no": bill, "date": day(3).isoformat()}, None),
        ("GET", f"/api/me/bookings/{booking['id']}", None, None),
        ("POST", f"/api/me/bookings/{booking['id']}/reschedule", {"date": day(3).isoformat()}, None),
        ("POST", f"/api/me/bookings/{booking['id']}/cancel", None, None),
    ]
    for method, path, body, params in attempts:
        r = await http.request(method, path, headers=intruder.headers, json=body, params=params)
        assert r.status_code == 404, (method, path, r.text)
        assert r.json()["error"]["code"] == "NOT_FOUND"
    assert (await http.get("/api/me/bookings", headers=intruder.headers)).json()["total"] == 0
    b = await Booking.get(id=booking["id"])
    assert b.status == "booked" and b.day == day(2)
    assert (await DayQuota.get(day=day(2))).booked == 1 and (await DayQuota.get(day=day(3))).booked == 0
    assert await Patient.filter(id=owner.patient_id, active=1).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "张三", "id_number": "11010519491231002", "phone": "13812345678"}, "INVALID_ID_NUMBER"),
        ({"name": "张三", "id_number": "110105194912310021", "phone": "13812345678"}, "INVALID_ID_NUMBER"),
        ({"name": "张三", "id_number": "11010519491231002X", "phone": "1234"}, "INVALID_PHONE"),
        ({"name": "张", "id_number": "11010519491231002X", "phone": "13812345678"}, "VALIDATION_ERROR"),
        ({"name": 5, "id_number": "11010519491231002X", "phone": "13812345678"}, "VALIDATION_ERROR"),
        ({"id_number": "11010519491231002X", "phone": "13812345678"}, "VALIDATION_ERROR"),
        ({"name": "张三", "id_number": "11010519491231002X", "phone": "13812345678", "x": 1}, "VALIDATION_ERROR"),
    ],
)
async def test_bad_patient_input(http, body, field):
    headers = await login_consented(http, "badinput")
    r = await http.post("/api/me/patients", headers=headers, json=body)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == field and err["message"] and isinstance(err["details"], dict)
    assert await Patient.all().count() == 0


async def test_bad_requests_shape(http):
    headers = await login(http, "shape")
    cases = [
        ("POST", "/api/me/bookings", b"{not json", 400, "BAD_JSON"),
        ("POST", "/api/me/bookings", b"[]", 422, "VALIDATION_ERROR"),
        ("POST", "/api/me/bookings", b'{"bill_no": 1, "date": "2026-13-01"}', 422, "VALIDATION_ERROR"),
        ("POST", "/api/me/bookings", b'{"bill_no": "X"}', 422, "VALIDATION_ERROR"),
        ("POST", "/api/me/orders", b'{"patient_id": "1", "package_code": "RZ001"}', 422, "VALIDATION_ERROR"),
        ("GET", "/api/me/charges?patient_id=abc", None, 422, "VALIDATION_ERROR"),
        ("GET", "/api/me/charges?patient_id=1&status=weird", None, 422, "VALIDATION_ERROR"),
        ("GET", "/api/nowhere", None, 404, "NOT_FOUND"),
        ("DELETE", "/api/packages", None, 405, "METHOD_NOT_ALLOWED"),
        ("POST", "/api/me/bookings/999999/cancel", None, 404, "NOT_FOUND"),
    ]
    for method, path, content, status, code in cases:
        r = await http.request(method, path, headers=headers, content=content)
        assert r.status_code == status, (path, r.text)
        assert r.json()["error"]["code"] == code, (path, r.text)
    for auth in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic x"}):
        r = await http.get("/api/me/patients", headers=auth)
        assert r.status_code == 401 and r.json()["error"]["code"] == "UNAUTHORIZED"


async def test_his_unavailable_is_503_and_changes_nothing(http, sandbox):
    headers = await login_consented(http, "hisdown")
    await sandbox.control("his-faults", {"operation": "find_patient", "outcome": "unknown", "times": 1,
                                         "applied": False})
    r = await http.post("/api/me/patients", headers=headers,
                        json={"name": "钱七", "id_number": next_id_number(), "phone": "13800009999"})
    assert r.status_code == 503 and r.json()["error"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert await Patient.all().count() == 0


async def test_health_and_openapi(http):
    r = await http.get("/api/health")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["db"] == "ok"
    doc = (await http.get("/api/openapi.json")).json()
    assert doc["openapi"].startswith("3.")
    for path in ("/api/me/bookings", "/api/calendar", "/api/me/patients/{patient_id}", "/api/auth/wechat"):
        assert path in doc["paths"], path
    assert doc["paths"]["/api/me/bookings"]["post"]["security"] == [{"bearer": []}]


async def test_order_timeout_then_retry_reuses_the_bill_peis_opened(http, sandbox):
    me = await new_person(http, "order-timeout")
    await sandbox.control("peis-faults", {"operation": "open_order", "outcome": "unknown", "times": 1,
                                          "applied": True})
    first = await me.post("/api/me/orders", {"patient_id": me.patient_id, "package_code": "RZ001"})
    assert first.status_code == 503 and first.json()["error"]["code"] == "UPSTREAM_UNAVAILABLE"
    retry = await me.post("/api/me/orders", {"patient_id": me.patient_id, "package_code": "RZ001"})
    assert retry.status_code == 201, retry.text
    unpaid = (await me.get("/api/me/charges", params={"patient_id": me.patient_id, "status": "unpaid"})).json()
    assert [c["bill_no"] for c in unpaid["items"]] == [retry.json()["charge"]["bill_no"]]  # one bill, not two

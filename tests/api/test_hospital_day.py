"""The hospital's real day: HIS and PEIS changes reach bookings, only checkup bills, closures with
bookings, make-up workdays, staff reschedule / cancel / no-show, the release schedule (issue 13)."""

from __future__ import annotations

import json

from checkup.db.models import AuditLog, Booking, BookingRulesRow, Charge, DayQuota, Holiday, Job
from checkup.integrations import signing
from checkup.services import his_sync
from support.payments import drain, open_order, pay_in_wechat, start_payment
from support.people import day, new_person, next_id_number, paid_at_window, set_quota
from support.staff import booked_patient, staffer


def code(r) -> str:
    return r.json()["error"]["code"]


async def window_paid(http, sandbox, tag: str):
    id_number = next_id_number()
    me = await new_person(http, tag, id_number=id_number)
    bill = await paid_at_window(sandbox, me, id_number)
    return me, bill


async def app_paid(http, sandbox, app, tag: str):
    me = await new_person(http, tag)
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"])
    await drain(app)
    assert (await Charge.get(bill_no=charge["bill_no"])).status == "paid"
    return me, charge["bill_no"]


# ---- 1. HIS changes reach bookings -----------------------------------------------------------------
async def test_bill_refunded_at_the_window_is_not_bookable(http, sandbox):
    me, bill = await window_paid(http, sandbox, "his-refund-before-booking")
    await set_quota(day(2), 5)
    assert (await me.get("/api/me/charges", params={"patient_id": me.patient_id, "status": "paid"})).json()["items"][0]["status"] == "paid"
    await sandbox.control("his/refund-at-window", {"bill_no": bill})
    r = await me.post("/api/me/bookings", {"bill_no": bill, "date": day(2).isoformat()})
    assert r.status_code == 409 and code(r) in ("CHARGE_CHANGED_IN_HIS", "CHARGE_NOT_BOOKABLE"), r.text
    assert await Booking.all().count() == 0
    assert (await DayQuota.get(day=day(2))).booked == 0
    assert (await Charge.get(bill_no=bill)).status == "refunded"


async def test_refund_at_the_window_found_by_the_sweep_cancels_the_booking(http, sandbox, app):
    me, bill = await window_paid(http, sandbox, "his-refund-sweep")
    await set_quota(day(3), 5)
    booked = await me.post("/api/me/bookings", {"bill_no": bill, "date": day(3).isoformat()})
    assert booked.status_code == 201, booked.text
    assert (await DayQuota.get(day=day(3))).booked == 1
    assert await his_sync.sweep(app.ctx.deps) == 0  # HIS agrees: nothing changes
    await sandbox.control("his/refund-at-window", {"bill_no": bill})
    assert await his_sync.sweep(app.ctx.deps) == 1
    assert await his_sync.sweep(app.ctx.deps) == 0  # idempotent
    booking = await Booking.get(id=booked.json()["id"])
    assert booking.status == "cancelled" and booking.active is None and booking.cancelled_by == "his"
    assert "退费" in booking.cancel_reason
    assert (await DayQuota.get(day=day(3))).booked == 0
    mine = (await me.get("/api/me/bookings")).json()["items"][0]
    assert mine["status"] == "cancelled"
    clerk = await staffer(http, app, "his-sweep-clerk", ["staff"])
    report = await clerk.get("/api/console/reports/booked-patients",
                             params={"from": day(3).isoformat(), "to": day(3).isoformat()})
    assert report.json()["total"] == 0


async def test_sweep_interval_is_configurable(app):
    assert his_sync.sweep_due(None, 100.0, 300)
    assert not his_sync.sweep_due(50.0, 100.0, 300)
    assert his_sync.sweep_due(50.0, 400.0, 300)
    assert not his_sync.sweep_due(None, 100.0, 0)  # 0 switches it off
    assert app.ctx.settings.his_sweep_seconds == app.ctx.deps.his_sweep_seconds


def _his_signed(body: dict, *, secret: str, app_id: str, nonce: str | None = None, timestamp: int | None = None):
    raw = json.dumps(body).encode()
    headers = signing.sign_request(app_id=app_id, secret=secret, method="POST", path="/api/his/notify", body=raw,
                                   nonce=nonce, timestamp=timestamp)
    return raw, {**headers, "Content-Type": "application/json"}


async def test_his_notification_is_signed_and_cancels_the_booking(http, sandbox, app):
    settings = app.ctx.settings
    me, bill = await window_paid(http, sandbox, "his-notify")
    await set_quota(day(4), 5)
    booked = (await me.post("/api/me/bookings", {"bill_no": bill, "date": day(4).isoformat()})).json()
    await sandbox.control("his/refund-at-window", {"bill_no": bill})
    body = {"event": "bill_refunded", "bill_no": bill}
    # forged: wrong secret, wrong app id, stale timestamp, no headers -> 401, nothing changes
    for raw, headers in (
        _his_signed(body, secret="not-the-secret", app_id=settings.his_app_id),
        _his_signed(body, secret=settings.his_secret, app_id="someone-else"),
        _his_signed(body, secret=settings.his_secret, app_id=settings.his_app_id, timestamp=1_000_000_000),
        (json.dumps(body).encode(), {"Content-Type": "application/json"}),
    ):
        r = await http.post("/api/his/notify", content=raw, headers=headers)
        assert r.status_code == 401 and code(r) == "SIGNATURE_INVALID", r.text
    assert (await Booking.get(id=booked["id"])).status == "booked"
    raw, headers = _his_signed(body, secret=settings.his_secret, app_id=settings.his_app_id, nonce="n-his-1")
    r = await http.post("/api/his/notify", content=raw, headers=headers)
    assert r.status_code == 200 and r.json() == {"result": "SUCCESS", "applied": True}, r.text
    assert (await Booking.get(id=booked["id"])).status == "cancelled"
    assert (await DayQuota.get(day=day(4))).booked == 0
    replay = await http.post("/api/his/notify", content=raw, headers=headers)
    assert replay.status_code == 401 and code(replay) == "SIGNATURE_INVALID"
    raw, headers = _his_signed({"event": "nonsense", "bill_no": bill}, secret=settings.his_secret,
                               app_id=settings.his_app_id)
    bad = await http.post("/api/his/notify", content=raw, headers=headers)
    assert bad.status_code == 422


async def test_refund_asks_his_first(http, sandbox, app):
    me, bill = await app_paid(http, sandbox, app, "his-refund-before-refund")
    await sandbox.control("his/refund-at-window", {"bill_no": bill})
    r = await me.post("/api/me/refunds", {"bill_no": bill})
    assert r.status_code == 409 and code(r) == "REFUND_NOT_ALLOWED" and "窗口" in r.json()["error"]["message"]
    assert (await Charge.get(bill_no=bill)).status == "refunded"


# ---- 2. PEIS is part of the lifecycle -------------------------------------------------------------
async def test_booked_day_reported_to_peis_on_book_reschedule_cancel(http, sandbox, app):
    me, bill = await window_paid(http, sandbox, "peis-day")
    await set_quota(day(2), 5)
    await set_quota(day(3), 5)
    booking = (await me.post("/api/me/bookings", {"bill_no": bill, "date": day(2).isoformat()})).json()
    charge = await Charge.get(bill_no=bill)
    assert await Job.filter(kind="peis_booked_day").count() == 1
    await drain(app)
    order = await sandbox.control(f"GET peis/orders/{charge.peis_order_no}")
    assert order["booked_day"] == day(2).isoformat()
    await me.post(f"/api/me/bookings/{booking['id']}/reschedule", {"date": day(3).isoformat()})
    await drain(app)
    assert (await sandbox.control(f"GET peis/orders/{charge.peis_order_no}"))["booked_day"] == day(3).isoformat()
    await me.post(f"/api/me/bookings/{booking['id']}/cancel")
    await drain(app)
    order = await sandbox.control(f"GET peis/orders/{charge.peis_order_no}")
    assert order["booked_day"] is None and order["day_reports"] == 3
    assert all(j.status == "done" for j in await Job.filter(kind="peis_booked_day"))


async def test_peis_unreachable_the_day_report_is_retried(http, sandbox, app):
    me, bill = await window_paid(http, sandbox, "peis-day-retry")
    await set_quota(day(2), 5)
    await me.post("/api/me/bookings", {"bill_no": bill, "date": day(2).isoformat()})
    charge = await Charge.get(bill_no=bill)
    await sandbox.control("peis-faults", {"operation": "report_booked_day", "outcome": "unknown", "times": 1})
    await drain(app)
    job = await Job.get(kind="peis_booked_day")
    assert job.status == "pending" and job.attempts == 1
    await Job.filter(id=job.id).update(run_after=app.ctx.deps.now())
    await drain(app)
    assert (await Job.get(id=job.id)).status == "done"
    assert (await sandbox.control(f"GET peis/orders/{charge.peis_order_no}"))["booked_day"] == day(2).isoformat()


async def test_refund_after_check_in_is_refused(http, sandbox, app):
    me, bill = await app_paid(http, sandbox, app, "peis-checked-in")
    checked = await sandbox.control("peis/check-in", {"bill_no": bill})
    assert checked["status"] == "checked_in"
    r = await me.post("/api/me/refunds", {"bill_no": bill, "reason": "不想体检了"})
    assert r.status_code == 409 and code(r) == "ALREADY_CHECKED_IN", r.text
    assert (await Charge.get(bill_no=bill)).status == "paid"
    assert await Job.filter(kind="refund").count() == 0


async def test_refund_cancels_the_peis_order_before_money_moves(http, sandbox, app):
    me, bill = await app_paid(http, sandbox, app, "peis-cancel-on-refund")
    charge = await Charge.get(bill_no=bill)
    r = await me.post("/api/me/refunds", {"bill_no": bill})
    assert r.status_code == 201, r.text
    order = await sandbox.control(f"GET peis/orders/{charge.peis_order_no}")
    assert order["status"] == "cancelled"
    # PEIS unreachable: no refund, the charge stays paid
    me2, bill2 = await app_paid(http, sandbox, app, "peis-cancel-unknown")
    await sandbox.control("peis-faults", {"operation": "cancel_order", "outcome": "unknown", "times": 1})
    r = await me2.post("/api/me/refunds", {"bill_no": bill2})
    assert r.status_code == 503
    assert (await Charge.get(bill_no=bill2)).status == "paid"


async def test_check_in_control_takes_either_number(sandbox, http):
    bad = await sandbox.control("peis/check-in", {}, expect=400)
    assert bad["error"]["code"] == "INVALID_REQUEST"
    missing = await sandbox.control("peis/check-in", {"bill_no": "SF-NOPE"}, expect=404)
    assert missing["error"]["code"] == "ORDER_NOT_FOUND"


# ---- 3. Only checkup bills ---------------------------------------------------------------------------
async def test_only_checkup_bills_are_listed_paid_and_booked(http, sandbox):
    id_number = next_id_number()
    me = await new_person(http, "checkup-only", id_number=id_number)
    other = await sandbox.control("his/other-bill", {"name": me.patient["name"], "id_number": id_number,
                                                     "dept": "内科门诊", "item_name": "门诊诊查费", "amount_fen": 1200})
    charge = await open_order(me)
    listed = (await me.get("/api/me/charges", params={"patient_id": me.patient_id, "status": "unpaid"})).json()["items"]
    assert [c["bill_no"] for c in listed] == [charge["bill_no"]]
    r = await me.post("/api/me/payments", {"patient_id": me.patient_id, "bill_nos": [other["bill_no"]]})
    assert r.status_code == 409 and code(r) == "CHARGE_UNAVAILABLE"
    await sandbox.control("his/pay-at-window", {"bill_no": other["bill_no"]})
    paid = (await me.get("/api/me/charges", params={"patient_id": me.patient_id, "status": "paid"})).json()["items"]
    assert other["bill_no"] not in [c["bill_no"] for c in paid]
    await set_quota(day(2), 5)
    r = await me.post("/api/me/bookings", {"bill_no": other["bill_no"], "date": day(2).isoformat()})
    assert r.status_code == 404
    assert not await Charge.exists(bill_no=other["bill_no"])


async def test_other_bill_control_validates(sandbox, http):
    bad = await sandbox.control("his/other-bill", {"name": "王", "id_number": "123", "dept": "x", "item_name": "y",
                                                   "amount_fen": 0}, expect=400)
    assert bad["error"]["code"] == "INVALID_REQUEST"


# ---- 4. Closures with bookings -------------------------------------------------------------------
async def test_closing_a_booked_day_needs_a_decision(http, app):
    clerk = await staffer(http, app, "closer", ["staff"])
    d, target = day(5), day(6)
    b1 = await booked_patient(app, day=d)
    b2 = await booked_patient(app, day=d, status="confirmed")
    r = await clerk.put(f"/api/console/quota/{d.isoformat()}", {"capacity": 100, "open": False})
    assert r.status_code == 409 and code(r) == "DAY_HAS_BOOKINGS"
    assert r.json()["error"]["details"]["count"] == 2 and "2" in r.json()["error"]["message"]
    assert (await DayQuota.get(day=d)).open is True
    # target without room: refused, nothing moved
    await set_quota(target, 1)
    r = await clerk.put(f"/api/console/quota/{d.isoformat()}",
                        {"capacity": 100, "open": False, "bookings": {"move_to": target.isoformat()}})
    assert r.status_code == 409 and code(r) == "QUOTA_FULL", r.text
    assert {b.day for b in await Booking.filter(id__in=[b1.id, b2.id])} == {d}
    assert (await DayQuota.get(day=d)).open is True
    await set_quota(target, 10)
    r = await clerk.put(f"/api/console/quota/{d.isoformat()}",
                        {"capacity": 100, "open": False, "bookings": {"move_to": target.isoformat(),
                                                                      "reason": "设备检修"}})
    assert r.status_code == 200, r.text
    assert r.json()["open"] is False and r.json()["bookings"]["moved"] == 2
    assert {b.day for b in await Booking.filter(id__in=[b1.id, b2.id])} == {target}
    assert (await DayQuota.get(day=d)).booked == 0 and (await DayQuota.get(day=target)).booked == 2
    audit = await AuditLog.filter(action="quota.update", outcome="success").order_by("-id").first()
    assert audit.detail["bookings"]["moved"] == 2


async def test_closing_a_booked_day_with_cancel_tells_the_patients(http, app):
    clerk = await staffer(http, app, "closer2", ["staff"])
    d = day(7)
    b1 = await booked_patient(app, day=d)
    r = await clerk.put(f"/api/console/quota/{d.isoformat()}",
                        {"capacity": 100, "open": False, "bookings": {"cancel": True}})
    assert r.status_code == 422  # a reason is needed: patients are told
    r = await clerk.put(f"/api/console/quota/{d.isoformat()}",
                        {"capacity": 100, "open": False, "bookings": {"cancel": True, "reason": "停电"}})
    assert r.status_code == 200 and r.json()["bookings"]["cancelled"] == 1
    booking = await Booking.get(id=b1.id)
    assert booking.status == "cancelled" and "停电" in booking.cancel_reason
    assert booking.cancelled_by == "staff:closer2"
    assert (await DayQuota.get(day=d)).booked == 0


async def test_holiday_over_booked_days_and_ranges(http, app):
    clerk = await staffer(http, app, "holidays", ["staff"])
    d1, d2, target = day(8), day(9), day(12)
    await booked_patient(app, day=d2)
    r = await clerk.post("/api/console/holidays/range", {"from": d1.isoformat(), "to": d2.isoformat(),
                                                         "name": "国庆节"})
    assert r.status_code == 409 and code(r) == "DAY_HAS_BOOKINGS" and r.json()["error"]["details"]["count"] == 1
    assert await Holiday.all().count() == 0
    r = await clerk.post("/api/console/holidays", {"date": d2.isoformat(), "name": "国庆节"})
    assert r.status_code == 409 and code(r) == "DAY_HAS_BOOKINGS"
    await set_quota(target, 10)
    r = await clerk.post("/api/console/holidays/range", {"from": d1.isoformat(), "to": d2.isoformat(),
                                                         "name": "国庆节", "bookings": {"move_to": target.isoformat()}})
    assert r.status_code == 201, r.text
    assert r.json()["total"] == 2 and r.json()["bookings"]["moved"] == 1
    assert [h.name for h in await Holiday.all().order_by("day")] == ["国庆节", "国庆节"]
    assert await Booking.filter(day=target, active=1).count() == 1


async def test_yearly_holiday_import_with_make_up_workdays(http, sandbox, app):
    clerk = await staffer(http, app, "importer", ["staff"])
    year = day(40).year
    h1, h2, work = day(40), day(41), day(43)
    text = (f"日期,名称,类型\n{h1.isoformat()}~{h2.isoformat()},劳动节,休\n"
            f"# 调休\n{work.isoformat()},劳动节调休,班\n")
    if h1.year != h2.year or work.year != h1.year:  # the range straddles a new year: nothing to say here
        return
    await set_quota(work, 0, open_=False)
    r = await clerk.post("/api/console/holidays/import", {"year": year, "content": text, "workday_capacity": 30})
    assert r.status_code == 201, r.text
    assert [h["date"] for h in r.json()["holidays"]] == [h1.isoformat(), h2.isoformat()]
    assert {h.day: h.name for h in await Holiday.all()} == {h1: "劳动节", h2: "劳动节"}
    quota = await DayQuota.get(day=work)
    assert quota.open is True and quota.capacity == 30
    cal = (await http.get("/api/calendar", params={"from": work.isoformat(), "to": work.isoformat()})).json()
    assert cal["days"][0]["open"] is True
    for bad in ({"year": year, "content": "2027-13-01,x,休"}, {"year": year, "content": "nonsense"},
                {"year": year, "content": f"{h1.isoformat()},节,休\n{h1.isoformat()},节,班"},
                {"year": year + 5, "content": f"{h1.isoformat()},节,休"}):
        bad_r = await clerk.post("/api/console/holidays/import", bad)
        assert bad_r.status_code == 422, bad
    assert await Holiday.all().count() == 2
    await booked_patient(app, day=day(45))
    if day(45).year == year:
        r = await clerk.post("/api/console/holidays/import", {"year": year, "content": f"{day(45).isoformat()},节,休"})
        assert r.status_code == 409 and code(r) == "DAY_HAS_BOOKINGS"


# ---- 5. Make-up workdays and the rolling template ---------------------------------------------------
async def test_make_up_workday_on_a_closed_weekday_is_bookable(http, sandbox, app):
    await BookingRulesRow.filter(id=1).update(closed_weekdays=[1, 2, 3, 4, 5, 6, 7])
    clerk = await staffer(http, app, "makeup", ["staff"])
    d = day(4)
    r = await clerk.put(f"/api/console/quota/{d.isoformat()}", {"capacity": 20, "open": True})
    assert r.status_code == 200
    cal = (await http.get("/api/calendar", params={"from": d.isoformat(), "to": d.isoformat()})).json()["days"][0]
    assert cal["open"] is True and cal["bookable"] is True
    me, bill = await window_paid(http, sandbox, "makeup-booker")
    r = await me.post("/api/me/bookings", {"bill_no": bill, "date": d.isoformat()})
    assert r.status_code == 201, r.text


async def test_rolling_template_keeps_quotas_ahead(app, http):
    from checkup.services import quota_template

    await BookingRulesRow.filter(id=1).update(weekly_capacity={"1": 50, "2": 50, "3": 50, "4": 50, "5": 50, "6": 20,
                                                               "7": 0}, closed_weekdays=[7], open_days_ahead=14)
    created = await quota_template.roll(now=app.ctx.deps.now())
    assert created == 15
    assert await quota_template.roll(now=app.ctx.deps.now()) == 0
    rows = {q.day: q for q in await DayQuota.all()}
    for i in range(15):
        q = rows[day(i)]
        expect = {6: 20, 7: 0}.get(day(i).isoweekday(), 50)
        assert q.capacity == expect and q.open is (expect > 0)


# ---- 6. Staff act on bookings -----------------------------------------------------------------------
async def test_staff_reschedule_cancel_and_no_show(http, sandbox, app):
    clerk = await staffer(http, app, "nurse", ["staff"])
    auditor = await staffer(http, app, "eyes", ["auditor"])
    me, bill = await window_paid(http, sandbox, "staff-acts")
    await set_quota(day(1), 5)
    await set_quota(day(2), 5)
    booking = (await me.post("/api/me/bookings", {"bill_no": bill, "date": day(1).isoformat()})).json()
    denied = await auditor.post(f"/api/console/bookings/{booking['id']}/reschedule", {"date": day(2).isoformat()})
    assert denied.status_code == 403
    # staff are not held to the patients' cutoff (day(1) is inside it)
    r = await clerk.post(f"/api/console/bookings/{booking['id']}/reschedule",
                         {"date": day(2).isoformat(), "reason": "患者来电改约"})
    assert r.status_code == 200 and r.json()["date"] == day(2).isoformat(), r.text
    assert (await DayQuota.get(day=day(1))).booked == 0 and (await DayQuota.get(day=day(2))).booked == 1
    for body in ({"date": "2026-02-30"}, {}, {"date": day(-1).isoformat()}):
        bad = await clerk.post(f"/api/console/bookings/{booking['id']}/reschedule", body)
        assert bad.status_code == 422, body
    missing = await clerk.post("/api/console/bookings/999999/reschedule", {"date": day(2).isoformat()})
    assert missing.status_code == 404
    early = await clerk.post(f"/api/console/bookings/{booking['id']}/no-show")
    assert early.status_code == 409 and code(early) == "NO_SHOW_NOT_ALLOWED"
    assert (await clerk.post(f"/api/console/bookings/{booking['id']}/cancel", {})).status_code == 422
    r = await clerk.post(f"/api/console/bookings/{booking['id']}/cancel", {"reason": "患者要求"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled" and "患者要求" in r.json()["cancel_reason"]
    assert (await DayQuota.get(day=day(2))).booked == 0
    again = await clerk.post(f"/api/console/bookings/{booking['id']}/cancel", {"reason": "x"})
    assert again.status_code == 409
    actions = {a.action for a in await AuditLog.filter(action__startswith="booking.staff_")}
    assert actions == {"booking.staff_reschedule", "booking.staff_cancel"}


async def test_no_show_leaves_the_report_and_may_rebook_by_rule(http, sandbox, app):
    clerk = await staffer(http, app, "nurse2", ["staff"])
    me, bill = await window_paid(http, sandbox, "no-show")
    await set_quota(day(2), 5)
    booking = (await me.post("/api/me/bookings", {"bill_no": bill, "date": day(2).isoformat()})).json()
    await set_quota(day(0), 5)
    await Booking.filter(id=booking["id"]).update(day=day(0))  # the day came; the patient did not
    assert (await DayQuota.get(day=day(0))).booked == 1
    r = await clerk.post(f"/api/console/bookings/{booking['id']}/no-show")
    assert r.status_code == 200 and r.json()["status"] == "no_show", r.text
    assert (await DayQuota.get(day=day(0))).booked == 0
    report = await clerk.get("/api/console/reports/booked-patients",
                             params={"from": day(0).isoformat(), "to": day(0).isoformat()})
    assert report.json()["total"] == 0
    assert await AuditLog.filter(action="booking.no_show", outcome="success").exists()
    await BookingRulesRow.filter(id=1).update(no_show_may_rebook=False)
    r = await me.post("/api/me/bookings", {"bill_no": bill, "date": day(3).isoformat()})
    assert r.status_code == 409 and code(r) == "NO_SHOW_MAY_NOT_REBOOK"
    await BookingRulesRow.filter(id=1).update(no_show_may_rebook=True)
    await set_quota(day(3), 5)
    r = await me.post("/api/me/bookings", {"bill_no": bill, "date": day(3).isoformat()})
    assert r.status_code == 201, r.text


# ---- 7. Release schedule by staff -------------------------------------------------------------------
async def test_staff_set_the_release_schedule_and_see_the_next_opening(http, app):
    clerk = await staffer(http, app, "scheduler", ["staff"])
    finance = await staffer(http, app, "money", ["finance"])
    rules = {"open_days_ahead": 14, "release_time": "08:30", "min_days_ahead": 1, "change_cutoff_days": 1,
             "closed_weekdays": [7]}
    assert (await finance.put("/api/console/booking-rules", rules)).status_code == 403
    r = await clerk.put("/api/console/booking-rules", rules)
    assert r.status_code == 200, r.text
    got = (await clerk.get("/api/console/booking-rules")).json()
    assert got["release_time"] == "08:30" and got["next_opening"]["at"].endswith("08:30:00+08:00")
    assert got["next_opening"]["date"] in {day(14).isoformat(), day(15).isoformat()}

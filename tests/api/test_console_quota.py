"""号源管理 over HTTP: day quotas, the guard against capacity below booked, batch, holidays, rules."""

from __future__ import annotations

import asyncio

from tortoise.expressions import F

from checkup.db.models import AuditLog, BookingRulesRow, DayQuota, Holiday
from support.people import day, set_quota
from support.staff import staffer


def error(r) -> str:
    return r.json()["error"]["code"]


async def test_quota_range_lists_every_day_with_missing_ones_closed(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    await set_quota(day(2), 50, booked=12)
    await set_quota(day(3), 40, open_=False)
    r = await clerk.get("/api/console/quota", params={"from": day(1).isoformat(), "to": day(4).isoformat()})
    assert r.status_code == 200
    assert r.json()["days"] == [
        {"date": day(1).isoformat(), "capacity": 0, "booked": 0, "remaining": 0, "open": False, "set": False},
        {"date": day(2).isoformat(), "capacity": 50, "booked": 12, "remaining": 38, "open": True, "set": True},
        {"date": day(3).isoformat(), "capacity": 40, "booked": 0, "remaining": 40, "open": False, "set": True},
        {"date": day(4).isoformat(), "capacity": 0, "booked": 0, "remaining": 0, "open": False, "set": False},
    ]
    bad = await clerk.get("/api/console/quota", params={"from": day(4).isoformat(), "to": day(1).isoformat()})
    assert bad.status_code == 422 and error(bad) == "VALIDATION_ERROR"


async def test_set_a_day_creates_or_updates_it(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    d = day(5).isoformat()
    r = await clerk.put(f"/api/console/quota/{d}", {"capacity": 60, "open": True})
    assert r.status_code == 200 and r.json() == {"date": d, "capacity": 60, "booked": 0, "remaining": 60,
                                                 "open": True, "set": True}
    r = await clerk.put(f"/api/console/quota/{d}", {"capacity": 0, "open": False})
    assert r.json()["capacity"] == 0 and r.json()["open"] is False
    quota = await DayQuota.get(day=day(5))
    assert (quota.capacity, quota.open) == (0, False)
    for body in ({"capacity": -1, "open": True}, {"capacity": "10", "open": True}, {"capacity": 10}):
        bad = await clerk.put(f"/api/console/quota/{d}", body)
        assert bad.status_code == 422, body
    past = await clerk.put(f"/api/console/quota/{day(-1).isoformat()}", {"capacity": 10, "open": True})
    assert past.status_code == 422 and (await DayQuota.get_or_none(day=day(-1))) is None
    for bad_day in ("2026-02-30", "tomorrow"):
        r = await clerk.put(f"/api/console/quota/{bad_day}", {"capacity": 1, "open": True})
        assert r.status_code == 422 and r.json()["error"]["details"]["fields"] == {"date": "应为日期 YYYY-MM-DD"}


async def test_capacity_below_booked_is_refused_unchanged_and_audited(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    d = day(6)
    await set_quota(d, 30, booked=12)
    r = await clerk.put(f"/api/console/quota/{d.isoformat()}", {"capacity": 11, "open": False})
    assert r.status_code == 409 and error(r) == "CAPACITY_BELOW_BOOKED"
    assert r.json()["error"]["details"]["booked"] == 12 and "12" in r.json()["error"]["message"]
    quota = await DayQuota.get(day=d)
    assert (quota.capacity, quota.booked, quota.open) == (30, 12, True)
    row = await AuditLog.filter(action="quota.update").order_by("-id").first()
    assert row.outcome == "failure" and row.detail["error"]["code"] == "CAPACITY_BELOW_BOOKED"
    assert row.detail["before"] == {"capacity": 30, "booked": 12, "open": True}
    assert row.detail["after"] == {"capacity": 11, "open": False}
    ok = await clerk.put(f"/api/console/quota/{d.isoformat()}", {"capacity": 12, "open": True})
    assert ok.status_code == 200 and ok.json()["remaining"] == 0


async def test_concurrent_bookings_cannot_slip_under_a_lowered_capacity(app, http):
    """The guarded UPDATE and the DB check keep booked <= capacity whatever the interleaving."""
    clerk = await staffer(http, app, "clerk", ["staff"])
    d = day(7)
    await set_quota(d, 10, booked=5)

    async def book():
        return await DayQuota.filter(day=d, open=True, booked__lt=F("capacity")).update(booked=F("booked") + 1)

    async def lower():
        return await clerk.put(f"/api/console/quota/{d.isoformat()}", {"capacity": 6, "open": True})

    results = await asyncio.gather(book(), book(), lower(), book())
    quota = await DayQuota.get(day=d)
    assert quota.booked <= quota.capacity
    answer = results[2]
    if answer.status_code == 200:
        assert quota.capacity == 6 and quota.booked <= 6
    else:
        assert error(answer) == "CAPACITY_BELOW_BOOKED" and quota.capacity == 10


async def test_batch_sets_matching_weekdays_and_skips_days_booked_above(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    start, end = day(1), day(14)
    busy = next(day(i) for i in range(1, 15) if day(i).isoweekday() == 2)
    await set_quota(busy, 90, booked=70)
    r = await clerk.post("/api/console/quota/batch", {"from": start.isoformat(), "to": end.isoformat(),
                                                      "weekdays": [1, 2, 3, 4, 5], "capacity": 60, "open": True})
    assert r.status_code == 200, r.text
    body = r.json()
    workdays = [day(i) for i in range(1, 15) if day(i).isoweekday() <= 5]
    assert body["updated"] == len(workdays) - 1
    assert body["skipped"] == [{"date": busy.isoformat(), "booked": 70, "reason": "booked_above"}]
    rows = {q.day: q for q in await DayQuota.filter(day__gte=start, day__lte=end)}
    assert set(rows) == set(workdays)
    assert all(rows[d].capacity == 60 and rows[d].open for d in workdays if d != busy)
    assert rows[busy].capacity == 90
    row = await AuditLog.filter(action="quota.batch").first()
    assert row.outcome == "success" and row.detail["skipped"] == body["skipped"]
    assert row.detail["before"][busy.isoformat()]["capacity"] == 90
    bad = await clerk.post("/api/console/quota/batch", {"from": start.isoformat(), "to": end.isoformat(),
                                                        "weekdays": [0, 8], "capacity": 60, "open": True})
    assert bad.status_code == 422
    backwards = await clerk.post("/api/console/quota/batch", {"from": end.isoformat(), "to": start.isoformat(),
                                                              "weekdays": [1], "capacity": 60, "open": True})
    assert backwards.status_code == 422


async def test_holidays_add_list_rename_delete(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    d = day(20)
    r = await clerk.post("/api/console/holidays", {"date": d.isoformat(), "name": "国庆节"})
    assert r.status_code == 201 and r.json() == {"date": d.isoformat(), "name": "国庆节"}
    await clerk.post("/api/console/holidays", {"date": d.isoformat(), "name": "国庆"})
    listed = (await clerk.get("/api/console/holidays", params={"from": day(1).isoformat()})).json()
    assert listed["items"] == [{"date": d.isoformat(), "name": "国庆"}]
    calendar = (await http.get("/api/calendar", params={"from": d.isoformat(), "to": d.isoformat()})).json()
    assert calendar["days"][0]["bookable"] is False
    assert (await clerk.delete(f"/api/console/holidays/{d.isoformat()}")).status_code == 204
    assert not await Holiday.exists(day=d)
    again = await clerk.delete(f"/api/console/holidays/{d.isoformat()}")
    assert again.status_code == 404
    actions = [(a.action, a.outcome) for a in await AuditLog.filter(action__startswith="holiday").order_by("id")]
    assert actions == [("holiday.add", "success"), ("holiday.add", "success"), ("holiday.delete", "success"),
                       ("holiday.delete", "failure")]


async def test_rules_read_by_staff_changed_by_calendar_staff_and_validated(app, http):
    clerk = await staffer(http, app, "clerk", ["staff"])
    admin = await staffer(http, app, "boss", ["admin"])
    finance = await staffer(http, app, "cash", ["finance"])
    got = (await clerk.get("/api/console/booking-rules")).json()
    assert {k: got[k] for k in ("open_days_ahead", "release_time", "min_days_ahead", "change_cutoff_days",
                                "closed_weekdays")} == {
        "open_days_ahead": 30, "release_time": "00:00", "min_days_ahead": 1, "change_cutoff_days": 1,
        "closed_weekdays": []}
    rules = {"open_days_ahead": 14, "release_time": "08:30", "min_days_ahead": 2, "change_cutoff_days": 1,
             "closed_weekdays": [7, 6, 7]}
    # the hospital's requirement: checkup staff (not only admins) set the release schedule (开放时段)
    assert (await finance.put("/api/console/booking-rules", rules)).status_code == 403
    r = await clerk.put("/api/console/booking-rules", rules)
    assert r.status_code == 200 and r.json()["closed_weekdays"] == [6, 7]
    row = await BookingRulesRow.get(id=1)
    assert (row.open_days_ahead, row.release_time, row.closed_weekdays) == (14, "08:30", [6, 7])
    audit = await AuditLog.filter(action="rules.update", outcome="success").first()
    assert audit.detail["before"]["open_days_ahead"] == 30 and audit.detail["after"]["open_days_ahead"] == 14
    for bad, field in (({**rules, "min_days_ahead": 20}, "min_days_ahead"),
                       ({**rules, "release_time": "25:00"}, "release_time"),
                       ({**rules, "open_days_ahead": 0}, "open_days_ahead"),
                       ({**rules, "closed_weekdays": [8]}, "closed_weekdays.0")):
        r = await admin.put("/api/console/booking-rules", bad)
        assert r.status_code == 422 and field in r.json()["error"]["details"]["fields"], r.text
    assert (await BookingRulesRow.get(id=1)).min_days_ahead == 2
    # API.md's four fields alone leave the closed weekdays as they are
    four = {k: v for k, v in rules.items() if k != "closed_weekdays"}
    r = await admin.put("/api/console/booking-rules", {**four, "open_days_ahead": 20})
    assert r.status_code == 200 and r.json()["closed_weekdays"] == [6, 7] and r.json()["open_days_ahead"] == 20


async def test_batch_skips_closed_days_unless_asked_and_days_with_bookings_when_closing(app, http):
    clerk = await staffer(http, app, "batcher", ["staff"])
    start, end = day(1), day(7)
    closed, booked = day(2), day(3)
    await set_quota(closed, 0, open_=False)
    await set_quota(booked, 50, booked=3)
    body = {"from": start.isoformat(), "to": end.isoformat(), "weekdays": [1, 2, 3, 4, 5, 6, 7], "capacity": 40,
            "open": True}
    r = await clerk.post("/api/console/quota/batch", body)
    assert r.status_code == 200 and r.json()["skipped"] == [{"date": closed.isoformat(), "booked": 0,
                                                             "reason": "closed"}]
    assert (await DayQuota.get(day=closed)).open is False
    r = await clerk.post("/api/console/quota/batch", {**body, "include_closed": True})
    assert r.json()["skipped"] == [] and (await DayQuota.get(day=closed)).open is True
    r = await clerk.post("/api/console/quota/batch", {**body, "open": False})
    assert r.json()["skipped"] == [{"date": booked.isoformat(), "booked": 3, "reason": "has_bookings"}]
    assert (await DayQuota.get(day=booked)).open is True and (await DayQuota.get(day=closed)).open is False

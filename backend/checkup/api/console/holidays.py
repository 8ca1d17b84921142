"""Closed days (holidays): no booking on them whatever the quota."""

from __future__ import annotations

from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import (
    CALENDAR,
    blueprint,
    bookings_action,
    deps,
    path_day,
    staff_actor,
    today,
)
from checkup.api.console.schemas import (
    HolidayImportIn,
    HolidayImportOut,
    HolidayIn,
    HolidayList,
    HolidayOut,
    HolidayRangeIn,
    RangeQuery,
)
from checkup.api.routing import route
from checkup.services import holiday_import, quota_admin

bp = blueprint("holidays")


@route(bp, "GET", "/holidays", auth="staff", roles=CALENDAR, query=RangeQuery, response=HolidayList)
async def list_holidays(request: Request, query: RangeQuery):
    """Closed days, optionally of a range."""
    items = await quota_admin.list_holidays(start=query.from_, end=query.to)
    return {"items": items, "total": len(items)}


@route(bp, "POST", "/holidays", auth="staff", roles=CALENDAR, body=HolidayIn, response=HolidayOut, status=201,
       audit="holiday.add")
async def add_holiday(request: Request, body: HolidayIn):
    """Close a day (or rename a closed day); a day with bookings needs ``bookings`` (DAY_HAS_BOOKINGS)."""
    return await quota_admin.add_holiday(day=body.date, name=body.name.strip() or "休息", entry=audit_entry(request),
                                         deps=deps(request), by=staff_actor(request), today=today(request),
                                         bookings=bookings_action(body.bookings))


@route(bp, "POST", "/holidays/range", auth="staff", roles=CALENDAR, body=HolidayRangeIn, response=HolidayList,
       status=201, audit="holiday.add_range")
async def add_holiday_range(request: Request, body: HolidayRangeIn):
    """Close every day of a range under one name (国庆节 10-01 to 10-07)."""
    return await quota_admin.add_holidays(start=body.from_, end=body.to, name=body.name.strip() or "休息",
                                          entry=audit_entry(request), deps=deps(request), by=staff_actor(request),
                                          today=today(request), bookings=bookings_action(body.bookings))


@route(bp, "DELETE", "/holidays/{day}", auth="staff", roles=CALENDAR, status=204, audit="holiday.delete")
async def delete_holiday(request: Request, day: str):
    """Open a closed day again."""
    await quota_admin.delete_holiday(day=path_day(day), entry=audit_entry(request))


@route(bp, "POST", "/holidays/import", auth="staff", roles=CALENDAR, body=HolidayImportIn,
       response=HolidayImportOut, status=201, audit="holiday.import")
async def import_holidays(request: Request, body: HolidayImportIn):
    """Import a year's holiday schedule (休 = closed day, 班 = make-up workday) from the uploaded file's text."""
    return await holiday_import.import_year(year=body.year, text=body.content, today=today(request),
                                            entry=audit_entry(request), deps=deps(request), by=staff_actor(request),
                                            bookings=bookings_action(body.bookings),
                                            workday_capacity=body.workday_capacity)

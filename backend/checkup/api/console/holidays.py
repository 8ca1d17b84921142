"""Closed days (holidays): no booking on them whatever the quota."""

from __future__ import annotations

from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import CALENDAR, blueprint, path_day
from checkup.api.console.schemas import HolidayIn, HolidayList, HolidayOut, RangeQuery
from checkup.api.routing import route
from checkup.services import quota_admin

bp = blueprint("holidays")


@route(bp, "GET", "/holidays", auth="staff", roles=CALENDAR, query=RangeQuery, response=HolidayList)
async def list_holidays(request: Request, query: RangeQuery):
    """Closed days, optionally of a range."""
    items = await quota_admin.list_holidays(start=query.from_, end=query.to)
    return {"items": items, "total": len(items)}


@route(bp, "POST", "/holidays", auth="staff", roles=CALENDAR, body=HolidayIn, response=HolidayOut, status=201,
       audit="holiday.add")
async def add_holiday(request: Request, body: HolidayIn):
    """Close a day (or rename a closed day)."""
    return await quota_admin.add_holiday(day=body.date, name=body.name.strip() or "休息", entry=audit_entry(request))


@route(bp, "DELETE", "/holidays/{day}", auth="staff", roles=CALENDAR, status=204, audit="holiday.delete")
async def delete_holiday(request: Request, day: str):
    """Open a closed day again."""
    await quota_admin.delete_holiday(day=path_day(day), entry=audit_entry(request))

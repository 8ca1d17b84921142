"""号源: day quotas, one day or a batch over a date range and weekdays."""

from __future__ import annotations

from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import (
    CALENDAR,
    blueprint,
    bookings_action,
    date_range,
    deps,
    path_day,
    staff_actor,
    today,
)
from checkup.api.console.schemas import (
    DayQuotaIn,
    DayQuotaOut,
    QuotaBatchIn,
    QuotaBatchOut,
    QuotaOut,
    RangeQuery,
)
from checkup.api.routing import route
from checkup.services import quota_admin

bp = blueprint("quota")


@route(bp, "GET", "/quota", auth="staff", roles=CALENDAR, query=RangeQuery, response=QuotaOut)
async def list_quota(request: Request, query: RangeQuery):
    """Every day of the range (default today + 30 days) with capacity, booked and remaining."""
    start, end = date_range(request, query.from_, query.to, days=30)
    return {"days": await quota_admin.list_days(start=start, end=end)}


@route(bp, "PUT", "/quota/{day}", auth="staff", roles=CALENDAR, body=DayQuotaIn, response=DayQuotaOut,
       audit="quota.update")
async def set_day(request: Request, day: str, body: DayQuotaIn):
    """Set a day's capacity and open flag (CAPACITY_BELOW_BOOKED below what is booked); closing a day
    with bookings needs ``bookings``: ``{"move_to": day}`` or ``{"cancel": true, "reason"}`` (DAY_HAS_BOOKINGS)."""
    return await quota_admin.set_day(day=path_day(day), capacity=body.capacity, open_=body.open, today=today(request),
                                     entry=audit_entry(request), deps=deps(request), by=staff_actor(request),
                                     bookings=bookings_action(body.bookings))


@route(bp, "POST", "/quota/batch", auth="staff", roles=CALENDAR, body=QuotaBatchIn, response=QuotaBatchOut,
       audit="quota.batch")
async def set_days(request: Request, body: QuotaBatchIn):
    """Set capacity and open flag of the matching weekdays of a range; days booked above it are skipped."""
    return await quota_admin.set_days(start=body.from_, end=body.to, weekdays=list(body.weekdays),
                                      capacity=body.capacity, open_=body.open, today=today(request),
                                      entry=audit_entry(request), include_closed=body.include_closed)

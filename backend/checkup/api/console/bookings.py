"""Confirming booked patients (确认), the confirmed view, and undoing a confirmation (admin)."""

from __future__ import annotations

from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import ADMINS, CONFIRMERS, REPORT_READERS, blueprint, date_range, deps, staff
from checkup.api.console.schemas import (
    BookingsOut,
    BookingsQuery,
    ConfirmManyIn,
    ConfirmManyOut,
    ConsoleBookingOut,
)
from checkup.api.routing import route
from checkup.services import confirmations, reports
from checkup.services.reports import ReportFilter

bp = blueprint("bookings")


@route(bp, "GET", "/bookings", auth="staff", roles=REPORT_READERS, query=BookingsQuery, response=BookingsOut)
async def list_bookings(request: Request, query: BookingsQuery):
    """Bookings of a status (default confirmed) in a date range: the report's rows plus confirmed_at/by."""
    start, end = date_range(request, query.from_, query.to)
    flt = ReportFilter(start=start, end=end, q=query.q.strip(), status=query.status)
    return await reports.report_page(deps(request), flt, page=query.page, page_size=query.page_size)


@route(bp, "POST", "/bookings/confirm", auth="staff", roles=CONFIRMERS, body=ConfirmManyIn,
       response=ConfirmManyOut, audit="booking.confirm_many")
async def confirm_many(request: Request, body: ConfirmManyIn):
    """Confirm several bookings at once (already confirmed ones are left; unknown ids refuse all)."""
    return await confirmations.confirm_many(ids=body.ids, by=staff(request).username, now=deps(request).now(),
                                            entry=audit_entry(request))


@route(bp, "POST", "/bookings/{booking_id:int}/confirm", auth="staff", roles=CONFIRMERS,
       response=ConsoleBookingOut, audit="booking.confirm")
async def confirm(request: Request, booking_id: int):
    """Confirm one booked patient: the row leaves the report."""
    return await confirmations.confirm(booking_id=booking_id, by=staff(request).username, now=deps(request).now(),
                                       entry=audit_entry(request))


@route(bp, "POST", "/bookings/{booking_id:int}/unconfirm", auth="staff", roles=ADMINS,
       response=ConsoleBookingOut, audit="booking.unconfirm")
async def unconfirm(request: Request, booking_id: int):
    """Undo a confirmation (admin): the booking is booked again and back in the report."""
    return await confirmations.unconfirm(booking_id=booking_id, entry=audit_entry(request))

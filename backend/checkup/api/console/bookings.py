"""Confirming booked patients (确认), the confirmed view, and undoing a confirmation (admin)."""

from __future__ import annotations

from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import (
    ADMINS,
    CONFIRMERS,
    REPORT_READERS,
    blueprint,
    date_range,
    deps,
    staff,
    staff_actor,
)
from checkup.api.console.schemas import (
    BookingsOut,
    BookingsQuery,
    ConfirmManyIn,
    ConfirmManyOut,
    ConsoleBookingOut,
    StaffCancelIn,
    StaffRescheduleIn,
)
from checkup.api.routing import route
from checkup.services import confirmations, reports, staff_bookings
from checkup.services.reports import ReportFilter

bp = blueprint("bookings")


@route(bp, "GET", "/bookings", auth="staff", roles=REPORT_READERS, query=BookingsQuery, response=BookingsOut)
async def list_bookings(request: Request, query: BookingsQuery):
    """Bookings of a status (default confirmed) in a date range: the report's rows plus confirmed_at/by."""
    start, end = date_range(request, query.from_, query.to)
    flt = ReportFilter(start=start, end=end, q=query.q.strip(), status=query.status, package=query.package.strip())
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


@route(bp, "POST", "/bookings/{booking_id:int}/reschedule", auth="staff", roles=CONFIRMERS, body=StaffRescheduleIn,
       response=ConsoleBookingOut, audit="booking.staff_reschedule")
async def staff_reschedule(request: Request, booking_id: int, body: StaffRescheduleIn):
    """Move a patient's booking to another day (the patient is told, with the reason)."""
    return await staff_bookings.reschedule(deps(request), booking_id=booking_id, day=body.date,
                                           reason=body.reason.strip(), by=staff_actor(request),
                                           entry=audit_entry(request))


@route(bp, "POST", "/bookings/{booking_id:int}/cancel", auth="staff", roles=CONFIRMERS, body=StaffCancelIn,
       response=ConsoleBookingOut, audit="booking.staff_cancel")
async def staff_cancel(request: Request, booking_id: int, body: StaffCancelIn):
    """Cancel a patient's booking (the place is released, the patient told why)."""
    return await staff_bookings.cancel(deps(request), booking_id=booking_id, reason=body.reason.strip(),
                                       by=staff_actor(request), entry=audit_entry(request))


@route(bp, "POST", "/bookings/{booking_id:int}/no-show", auth="staff", roles=CONFIRMERS,
       response=ConsoleBookingOut, audit="booking.no_show")
async def staff_no_show(request: Request, booking_id: int):
    """The patient did not come: the booking leaves the report and the charge may be rebooked or refunded."""
    return await staff_bookings.no_show(deps(request), booking_id=booking_id, by=staff_actor(request),
                                        entry=audit_entry(request))

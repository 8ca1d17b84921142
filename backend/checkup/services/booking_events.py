"""What follows a booking change whoever made it: PEIS is told the booked day (a durable job), and a
booking the hospital ends (HIS refund, closure, staff) is cancelled with its reason and the patient told."""

from __future__ import annotations

import logging
from datetime import datetime

from checkup.db.models import Booking, Charge
from checkup.domain.booking import BookingStatus
from checkup.integrations.result import Outcome
from checkup.services import messages
from checkup.services.deps import Deps
from checkup.services.jobs import Retry, enqueue

log = logging.getLogger("checkup.bookings")

PEIS_BOOKED_DAY = "peis_booked_day"


async def report_day_later(*, charge_id: int, now: datetime, conn) -> None:
    """Queue telling PEIS the charge's booked day, in the caller's transaction.

    The job reads the charge's active booking when it runs and reports that day (or none), so any
    number of runs, in any order, end with PEIS holding the day of the last committed change.
    """
    await enqueue(kind=PEIS_BOOKED_DAY, payload={"charge_id": charge_id}, now=now, conn=conn)


async def report_booked_day(deps: Deps, payload: dict) -> None:
    """Job handler: tell PEIS the day the charge is booked for now (None when no booking holds one)."""
    charge = await Charge.get_or_none(id=payload["charge_id"])
    if charge is None or not charge.peis_order_no:
        return
    booking = await Booking.filter(charge_id=charge.id, active=1).first()
    day = booking.day if booking else None
    result = await deps.peis.report_booked_day(peis_order_no=charge.peis_order_no, day=day)
    if result.outcome is Outcome.UNKNOWN:
        raise Retry(f"PEIS report_booked_day UNKNOWN {result.code}")
    if result.outcome is Outcome.FAILED:  # e.g. the order was cancelled at the centre: nothing to hold
        log.warning("PEIS refused the booked day of %s (%s): %s", charge.bill_no, result.code, result.message)


async def end_booking(deps: Deps, booking: Booking, *, conn, by: str, reason: str,
                      status: str = BookingStatus.CANCELLED) -> Booking:
    """Cancel (or mark no-show) a locked, active booking for the hospital; the place is released by the
    database trigger in this UPDATE, the patient is told why, PEIS is told no day is held."""
    now = deps.now()
    booking.status = status
    booking.active = None
    fields = ["status", "active", "updated_at"]
    if status == BookingStatus.NO_SHOW:
        booking.no_show_at = now
        booking.no_show_by = by
        fields += ["no_show_at", "no_show_by"]
    else:
        booking.cancelled_at = now
        booking.cancelled_by = by
        booking.cancel_reason = reason[:200]
        fields += ["cancelled_at", "cancelled_by", "cancel_reason"]
    await booking.save(using_db=conn, update_fields=fields)
    await messages.notify_booking(deps, "cancel", booking, conn=conn, tip=reason)
    await report_day_later(charge_id=booking.charge_id, now=now, conn=conn)
    return booking

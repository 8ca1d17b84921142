"""What follows a booking change whoever made it: PEIS is told the booked day (a durable job), and a
booking the hospital ends (HIS refund, closure, staff) is cancelled with its reason and the patient told."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from checkup.db.uow import UnitOfWork
from checkup.domain.booking import BookingStatus
from checkup.integrations.result import Outcome
from checkup.services import messages
from checkup.services.deps import Deps
from checkup.services.jobs import Retry

if TYPE_CHECKING:
    from checkup.db.models import Booking

log = logging.getLogger("checkup.bookings")

PEIS_BOOKED_DAY = "peis_booked_day"


async def report_day_later(uow: UnitOfWork, *, charge_id: int, now: datetime) -> None:
    """Queue telling PEIS the charge's booked day, in the caller's transaction (the outbox).

    The job reads the charge's active booking when it runs and reports that day (or none), so any
    number of runs, in any order, end with PEIS holding the day of the last committed change.
    """
    await uow.jobs.enqueue(kind=PEIS_BOOKED_DAY, payload={"charge_id": charge_id}, now=now)


async def report_booked_day(deps: Deps, payload: dict) -> None:
    """Job handler: tell PEIS the day the charge is booked for now (None when no booking holds one)."""
    reader = deps.uow(write=False)
    charge = await reader.charges.by_id(payload["charge_id"])
    if charge is None or not charge.peis_order_no:
        return
    booking = await reader.bookings.active_for_charge(charge.id)
    day = booking.day if booking else None
    result = await deps.peis.report_booked_day(peis_order_no=charge.peis_order_no, day=day)
    if result.outcome is Outcome.UNKNOWN:
        raise Retry(f"PEIS report_booked_day UNKNOWN {result.code}")
    if result.outcome is Outcome.FAILED:  # e.g. the order was cancelled at the centre: nothing to hold
        log.warning("PEIS refused the booked day of %s (%s): %s", charge.bill_no, result.code, result.message)


async def end_booking(deps: Deps, uow: UnitOfWork, booking: Booking, *, by: str, reason: str,
                      status: str = BookingStatus.CANCELLED) -> Booking:
    """Cancel (or mark no-show) a locked, active booking for the hospital; the place is released by the
    database trigger in this UPDATE, the patient is told why, PEIS is told no day is held."""
    now = deps.now()
    booking.status = status
    booking.active = None
    fields = ["status", "active"]
    if status == BookingStatus.NO_SHOW:
        booking.no_show_at = now
        booking.no_show_by = by
        fields += ["no_show_at", "no_show_by"]
    else:
        booking.cancelled_at = now
        booking.cancelled_by = by
        booking.cancel_reason = reason[:200]
        fields += ["cancelled_at", "cancelled_by", "cancel_reason"]
    await uow.bookings.save(booking, fields)
    await messages.notify_booking(deps, "cancel", booking, uow=uow, tip=reason)
    await report_day_later(uow, charge_id=booking.charge_id, now=now)
    return booking

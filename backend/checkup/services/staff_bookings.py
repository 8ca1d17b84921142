"""Staff act on a patient's booking: reschedule (改约), cancel (取消) and no-show (未到检).

Staff are not held to the patients' change cutoff or booking window (a nurse moves a booking the
day before when the patient calls), but the day's places are: the database trigger takes the place
on the new day or refuses (full, closed). Each change is audited and the patient is told, with
staff's reason. A no-show releases the place and frees the charge: it leaves the report, and may be
booked again (if the rules allow, see BookingRulesRow.no_show_may_rebook) or refunded.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.exceptions import IntegrityError, OperationalError

from checkup.db.models import Booking, Holiday
from checkup.domain.booking import NO_PLACE, BookingStatus
from checkup.domain.clock import shanghai_today
from checkup.domain.errors import (
    BookingNotChangeable,
    DayClosed,
    NoShowNotAllowed,
    NotFound,
    PatientDayTaken,
    QuotaFull,
    SameDay,
    ValidationFailed,
)
from checkup.services import messages
from checkup.services.audit import AuditEntry, audited_change
from checkup.services.booking_events import end_booking, report_day_later
from checkup.services.confirmations import booking_json
from checkup.services.deps import Deps


async def _locked_active(booking_id: int, conn) -> Booking:
    booking = await Booking.filter(id=booking_id).select_for_update().using_db(conn).first()
    if booking is None:
        raise NotFound("预约记录不存在")
    if booking.active != 1:
        text = "该预约已标记为未到检" if booking.status == BookingStatus.NO_SHOW else "该预约已取消"
        raise BookingNotChangeable(text, status=booking.status)
    return booking


async def reschedule(deps: Deps, *, booking_id: int, day: date, reason: str, by: str,
                     entry: AuditEntry) -> dict[str, Any]:
    today = shanghai_today(deps.now())
    entry.change(target=f"booking:{booking_id}", after={"date": day.isoformat()}, reason=reason)
    if day < today:
        raise ValidationFailed("不能改约到已过去的日期", fields={"date": "早于今天"})

    async def change(conn) -> None:
        booking = await _locked_active(booking_id, conn)
        entry.change(before={"date": booking.day.isoformat(), "status": booking.status})
        if booking.day == day:
            raise SameDay()
        if await Holiday.filter(day=day).using_db(conn).exists():
            raise DayClosed("改约日期是休息日", day=day.isoformat())
        old_day = booking.day
        booking.day = day
        booking.reschedule_count += 1
        try:
            await booking.save(using_db=conn, update_fields=["day", "reschedule_count", "updated_at"])
        except (IntegrityError, OperationalError) as exc:
            if NO_PLACE in str(exc):
                raise (DayClosed(day=day.isoformat()) if f"{NO_PLACE}:CLOSED" in str(exc)
                       else QuotaFull(day=day.isoformat())) from None
            if isinstance(exc, IntegrityError):
                raise PatientDayTaken(day=day.isoformat()) from None
            raise
        await messages.notify_booking(deps, "change", booking, conn=conn, old_day=old_day,
                                      tip=reason or "体检中心为您调整了体检日期")
        await report_day_later(charge_id=booking.charge_id, now=deps.now(), conn=conn)

    await audited_change(entry, change)
    return await booking_json(booking_id)


async def cancel(deps: Deps, *, booking_id: int, reason: str, by: str, entry: AuditEntry) -> dict[str, Any]:
    entry.change(target=f"booking:{booking_id}", reason=reason)

    async def change(conn) -> None:
        booking = await _locked_active(booking_id, conn)
        entry.change(before={"date": booking.day.isoformat(), "status": booking.status},
                     after={"status": BookingStatus.CANCELLED})
        await end_booking(deps, booking, conn=conn, by=by, reason=f"体检中心取消：{reason}")

    await audited_change(entry, change)
    return await booking_json(booking_id)


async def no_show(deps: Deps, *, booking_id: int, by: str, entry: AuditEntry) -> dict[str, Any]:
    """The patient did not come on the booked day (only that day or later can say so)."""
    today = shanghai_today(deps.now())
    entry.change(target=f"booking:{booking_id}")

    async def change(conn) -> None:
        booking = await _locked_active(booking_id, conn)
        entry.change(before={"date": booking.day.isoformat(), "status": booking.status},
                     after={"status": BookingStatus.NO_SHOW})
        if booking.day > today:
            raise NoShowNotAllowed(day=booking.day.isoformat())
        await end_booking(deps, booking, conn=conn, by=by, reason="您未按预约日期到检，如需体检请重新预约",
                          status=BookingStatus.NO_SHOW)

    await audited_change(entry, change)
    return await booking_json(booking_id)

"""Staff act on a patient's booking: reschedule (改约), cancel (取消) and no-show (未到检).

Staff are not held to the patients' change cutoff or booking window (a nurse moves a booking the
day before when the patient calls), but the day's places are: the database trigger takes the place
on the new day or refuses (full, closed). Each change is audited and the patient is told, with
staff's reason. A no-show releases the place and frees the charge: it leaves the report, and may be
booked again (if the rules allow, see BookingRulesRow.no_show_may_rebook) or refunded.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from checkup.db.errors import IntegrityError
from checkup.db.repos.bookings import NoPlace
from checkup.db.uow import UnitOfWork
from checkup.domain.booking import BookingStatus
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

if TYPE_CHECKING:
    from checkup.db.models import Booking


async def _locked_active(uow: UnitOfWork, booking_id: int) -> Booking:
    booking = await uow.bookings.lock(booking_id)
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

    async def change(uow: UnitOfWork) -> None:
        booking = await _locked_active(uow, booking_id)
        entry.change(before={"date": booking.day.isoformat(), "status": booking.status})
        if booking.day == day:
            raise SameDay()
        if await uow.quota.is_holiday(day):
            raise DayClosed("改约日期是休息日", day=day.isoformat())
        old_day = booking.day
        booking.day = day
        booking.reschedule_count += 1
        try:
            await uow.bookings.save(booking, ["day", "reschedule_count"])
        except NoPlace as exc:
            raise (DayClosed(day=day.isoformat()) if exc.closed else QuotaFull(day=day.isoformat())) from None
        except IntegrityError:
            raise PatientDayTaken(day=day.isoformat()) from None
        await messages.notify_booking(deps, "change", booking, uow=uow, old_day=old_day,
                                      tip=reason or "体检中心为您调整了体检日期")
        await report_day_later(uow, charge_id=booking.charge_id, now=deps.now())

    await audited_change(entry, change, uow=deps.uow)
    return await booking_json(booking_id, deps.uow(write=False))


async def cancel(deps: Deps, *, booking_id: int, reason: str, by: str, entry: AuditEntry) -> dict[str, Any]:
    entry.change(target=f"booking:{booking_id}", reason=reason)

    async def change(uow: UnitOfWork) -> None:
        booking = await _locked_active(uow, booking_id)
        entry.change(before={"date": booking.day.isoformat(), "status": booking.status},
                     after={"status": BookingStatus.CANCELLED})
        await end_booking(deps, uow, booking, by=by, reason=f"体检中心取消：{reason}")

    await audited_change(entry, change, uow=deps.uow)
    return await booking_json(booking_id, deps.uow(write=False))


async def no_show(deps: Deps, *, booking_id: int, by: str, entry: AuditEntry) -> dict[str, Any]:
    """The patient did not come on the booked day (only that day or later can say so)."""
    today = shanghai_today(deps.now())
    entry.change(target=f"booking:{booking_id}")

    async def change(uow: UnitOfWork) -> None:
        booking = await _locked_active(uow, booking_id)
        entry.change(before={"date": booking.day.isoformat(), "status": booking.status},
                     after={"status": BookingStatus.NO_SHOW})
        if booking.day > today:
            raise NoShowNotAllowed(day=booking.day.isoformat())
        await end_booking(deps, uow, booking, by=by, reason="您未按预约日期到检，如需体检请重新预约",
                          status=BookingStatus.NO_SHOW)

    await audited_change(entry, change, uow=deps.uow)
    return await booking_json(booking_id, deps.uow(write=False))

"""Staff confirm (确认) booked patients whose checkup is arranged; an admin may undo it.

Each change is a guarded UPDATE on the booking's status, so a booking the patient cancelled a
moment earlier cannot be confirmed, and one confirmation cannot be counted twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from checkup.db.uow import UnitOfWork, unit_of_work
from checkup.domain.booking import BookingStatus
from checkup.domain.clock import iso
from checkup.domain.errors import BookingNotConfirmable, BookingNotConfirmed, NotFound
from checkup.services.audit import AuditEntry, audited_change
from checkup.services.calendar import reader

if TYPE_CHECKING:
    from checkup.db.models import Booking


async def booking_json(booking_id: int, uow: UnitOfWork | None = None) -> dict[str, Any]:
    b = await reader(uow).bookings.with_charge_and_patient(booking_id)
    return {
        "id": b.id,
        "bill_no": b.charge.bill_no,
        "patient_id": b.patient_id,
        "patient_name": b.patient.name,
        "date": b.day.isoformat(),
        "status": b.status,
        "confirmed_at": iso(b.confirmed_at),
        "confirmed_by": b.confirmed_by,
        "cancelled_by": b.cancelled_by,
        "cancel_reason": b.cancel_reason or "",
    }


async def _locked(uow: UnitOfWork, booking_id: int) -> Booking:
    booking = await uow.bookings.lock(booking_id)
    if booking is None:
        raise NotFound("预约记录不存在")
    return booking


async def confirm(*, booking_id: int, by: str, now: datetime, entry: AuditEntry) -> dict[str, Any]:
    entry.change(target=f"booking:{booking_id}")

    async def change(uow: UnitOfWork) -> None:
        booking = await _locked(uow, booking_id)
        entry.change(before={"status": booking.status}, date=booking.day)
        changed = await uow.bookings.confirm([booking_id], now=now, by=by)
        if changed == 0:
            raise BookingNotConfirmable(status=booking.status)
        entry.change(after={"status": BookingStatus.CONFIRMED})

    await audited_change(entry, change, uow=unit_of_work)
    return await booking_json(booking_id)


async def confirm_many(*, ids: list[int], by: str, now: datetime, entry: AuditEntry) -> dict[str, Any]:
    """Confirm several bookings in one transaction; already confirmed ones are left as they are."""
    ids = list(dict.fromkeys(ids))
    entry.change(target=f"bookings:{len(ids)}", ids=ids)

    async def change(uow: UnitOfWork) -> dict[str, Any]:
        found = {b.id: b for b in await uow.bookings.lock_many(ids)}
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound("部分预约记录不存在", missing=missing)
        cancelled = [i for i in ids if found[i].status == BookingStatus.CANCELLED]
        if cancelled:
            raise BookingNotConfirmable("已取消的预约不能确认", cancelled=cancelled)
        pending = [i for i in ids if found[i].status == BookingStatus.BOOKED]
        already = [i for i in ids if found[i].status == BookingStatus.CONFIRMED]
        confirmed = 0
        if pending:
            confirmed = await uow.bookings.confirm(pending, now=now, by=by)
        entry.change(confirmed=pending, already_confirmed=already)
        return {"confirmed": confirmed, "already_confirmed": already}

    return await audited_change(entry, change, uow=unit_of_work)


async def unconfirm(*, booking_id: int, entry: AuditEntry) -> dict[str, Any]:
    """Back to booked (the report shows it again, the patient may change it again)."""
    entry.change(target=f"booking:{booking_id}")

    async def change(uow: UnitOfWork) -> None:
        booking = await _locked(uow, booking_id)
        entry.change(before={"status": booking.status, "confirmed_at": booking.confirmed_at,
                             "confirmed_by": booking.confirmed_by}, date=booking.day)
        changed = await uow.bookings.unconfirm(booking_id)
        if changed == 0:
            raise BookingNotConfirmed(status=booking.status)
        entry.change(after={"status": BookingStatus.BOOKED})

    await audited_change(entry, change, uow=unit_of_work)
    return await booking_json(booking_id)

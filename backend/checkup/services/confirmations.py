"""Staff confirm (确认) booked patients whose checkup is arranged; an admin may undo it.

Each change is a guarded UPDATE on the booking's status, so a booking the patient cancelled a
moment earlier cannot be confirmed, and one confirmation cannot be counted twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from checkup.db.models import Booking
from checkup.domain.booking import BookingStatus
from checkup.domain.clock import iso
from checkup.domain.errors import BookingNotConfirmable, BookingNotConfirmed, NotFound
from checkup.services.audit import AuditEntry, audited_change


async def booking_json(booking_id: int) -> dict[str, Any]:
    b = await Booking.get(id=booking_id).prefetch_related("charge", "patient")
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


async def _locked(booking_id: int, conn) -> Booking:
    booking = await Booking.filter(id=booking_id).select_for_update().using_db(conn).first()
    if booking is None:
        raise NotFound("预约记录不存在")
    return booking


async def confirm(*, booking_id: int, by: str, now: datetime, entry: AuditEntry) -> dict[str, Any]:
    entry.change(target=f"booking:{booking_id}")

    async def change(conn) -> None:
        booking = await _locked(booking_id, conn)
        entry.change(before={"status": booking.status}, date=booking.day)
        changed = await Booking.filter(id=booking_id, status=BookingStatus.BOOKED).using_db(conn).update(
            status=BookingStatus.CONFIRMED, confirmed_at=now, confirmed_by=by
        )
        if changed == 0:
            raise BookingNotConfirmable(status=booking.status)
        entry.change(after={"status": BookingStatus.CONFIRMED})

    await audited_change(entry, change)
    return await booking_json(booking_id)


async def confirm_many(*, ids: list[int], by: str, now: datetime, entry: AuditEntry) -> dict[str, Any]:
    """Confirm several bookings in one transaction; already confirmed ones are left as they are."""
    ids = list(dict.fromkeys(ids))
    entry.change(target=f"bookings:{len(ids)}", ids=ids)

    async def change(conn) -> dict[str, Any]:
        found = {b.id: b for b in await Booking.filter(id__in=ids).select_for_update().using_db(conn)}
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
            confirmed = await Booking.filter(id__in=pending, status=BookingStatus.BOOKED).using_db(conn).update(
                status=BookingStatus.CONFIRMED, confirmed_at=now, confirmed_by=by
            )
        entry.change(confirmed=pending, already_confirmed=already)
        return {"confirmed": confirmed, "already_confirmed": already}

    return await audited_change(entry, change)


async def unconfirm(*, booking_id: int, entry: AuditEntry) -> dict[str, Any]:
    """Back to booked (the report shows it again, the patient may change it again)."""
    entry.change(target=f"booking:{booking_id}")

    async def change(conn) -> None:
        booking = await _locked(booking_id, conn)
        entry.change(before={"status": booking.status, "confirmed_at": booking.confirmed_at,
                             "confirmed_by": booking.confirmed_by}, date=booking.day)
        changed = await Booking.filter(id=booking_id, status=BookingStatus.CONFIRMED).using_db(conn).update(
            status=BookingStatus.BOOKED, confirmed_at=None, confirmed_by=None
        )
        if changed == 0:
            raise BookingNotConfirmed(status=booking.status)
        entry.change(after={"status": BookingStatus.BOOKED})

    await audited_change(entry, change)
    return await booking_json(booking_id)

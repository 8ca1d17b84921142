"""Book, reschedule and cancel a day for a paid charge; every count is held by the database.

Capacity: the database keeps day_quota.booked equal to the active bookings of the day. Triggers on
booking (migration 0005) run the guarded UPDATE (booked = booked + 1 WHERE open AND booked < capacity)
in the same statement that inserts, moves or reactivates a booking, and abort it with CHECKUP_NO_PLACE
when no place is left; cancelling or moving releases the old place the same way. The unique keys on
booking refuse a second active booking of a charge or of a person on one day.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from checkup.db.errors import IntegrityError
from checkup.db.repos.bookings import ChargeRow, NoPlace, PatientRow
from checkup.db.uow import UnitOfWork, unit_of_work
from checkup.domain.booking import BOOKING_STATUS_TEXT, BookingStatus, ChargeStatus
from checkup.domain.booking_rules import BookingRules, DayQuotaView, DayReason
from checkup.domain.clock import iso
from checkup.domain.errors import (
    AlreadyBooked,
    BookingNotChangeable,
    ChangeCutoffPassed,
    ChargeChangedInHis,
    ChargeNotBookable,
    ChargeNotPaid,
    DayClosed,
    NoShowMayNotRebook,
    NotFound,
    OutsideWindow,
    PatientDayTaken,
    PatientNotVerified,
    QuotaFull,
    SameDay,
    SexMismatch,
)
from checkup.services import booking_events, messages
from checkup.services.calendar import cached_holiday, cached_rules, day_reason, load_rules, reference
from checkup.services.charges import check_payer, find_own_charge, refresh_paid
from checkup.services.deps import Deps
from checkup.services.tx import retry_deadlocks

if TYPE_CHECKING:
    from checkup.db.models import Booking, Charge, Package, Patient

log = logging.getLogger("checkup.bookings")

_REASON_ERRORS = {
    DayReason.CLOSED: DayClosed,
    DayReason.FULL: QuotaFull,
    DayReason.NOT_YET_OPEN: OutsideWindow,
    DayReason.TOO_LATE: OutsideWindow,
}


def _no_place_error(exc: NoPlace) -> Exception:
    """QUOTA_FULL or DAY_CLOSED, as the trigger said (see migration 0005)."""
    return DayClosed() if exc.closed else QuotaFull()


async def _check_day(uow: UnitOfWork, day: date, *, now: datetime, rules: BookingRules) -> None:
    reason = await day_reason(day, now=now, rules=rules, uow=uow)
    if reason is not DayReason.BOOKABLE:
        raise _REASON_ERRORS[reason](day=day.isoformat(), reason=reason.value)


async def _integrity_error(uow: UnitOfWork, charge_id: int, day: date) -> Exception:
    if await uow.bookings.charge_has_active(charge_id):
        return AlreadyBooked()
    return PatientDayTaken(day=day.isoformat())


@dataclass(slots=True)
class _NewBooking:
    """The booking just inserted, as booking_json and notify_booking read it."""

    id: int
    charge_id: int
    patient_id: int
    his_patient_id: str
    day: date
    booked_at: datetime
    status: str = BookingStatus.BOOKED
    active: int = 1
    reschedule_count: int = 0


async def _own_paid_charge(deps: Deps, uow: UnitOfWork, *, user_id: int, bill_no: str,
                           day: date) -> tuple[Charge | ChargeRow, Patient | PatientRow, DayQuotaView | None]:
    """The user's charge and the day's places in one statement when we already know it is paid; else
    the full path (HIS refresh for bills paid at the window since we last looked)."""
    found = await uow.bookings.own_charge_and_day(user_id=user_id, bill_no=bill_no, day=day)
    if found is not None and found[0].status == ChargeStatus.PAID:
        return found
    charge, patient = await find_own_charge(deps, user_id=user_id, bill_no=bill_no)
    await check_payer(charge, user_id=user_id, uow=deps.uow(write=False))
    if charge.status != ChargeStatus.PAID:
        await refresh_paid(deps, patient)  # paid at the window since we last looked?
        await deps.uow(write=False).charges.refresh(charge)
    if charge.status in (ChargeStatus.UNPAID, ChargeStatus.PAYING):
        raise ChargeNotPaid()
    if charge.status != ChargeStatus.PAID:
        raise ChargeNotBookable(f"该缴费项目{'已退费' if charge.status == 'refunded' else '正在退费'}，不能预约")
    return charge, patient, await uow.quota.day_view(day)


async def _still_paid_in_his(deps: Deps, charge: Charge | ChargeRow, *, doing: str = "预约") -> None:
    """Ask HIS whether the bill is still paid as we saw it (refunded, cancelled or re-priced at the
    window since?); a change ends what the charge held (its booking too) and refuses the booking or change.

    A slow HIS does not slow the booking (issue 17): it waits ``deps.his_booking_check_seconds`` for the
    answer, then goes on; the check finishes in the background and a change HIS reports then ends the
    booking just made (apply_change, as the sweep and HIS's own notifications do)."""
    from checkup.services.his_sync import CAUSE_TEXT, check_paid_bill

    check = asyncio.ensure_future(
        check_paid_bill(deps, charge, source="booking" if doing == "预约" else "reschedule", wait=False))
    try:
        cause = await asyncio.wait_for(asyncio.shield(check), timeout=deps.his_booking_check_seconds)
    except TimeoutError:
        log.info("HIS slow: bill %s checked after the %s", charge.bill_no, doing)
        _CHECKS_AFTER.add(check)
        check.add_done_callback(_check_done)
        return
    if cause is not None:
        raise ChargeChangedInHis(f"{CAUSE_TEXT[cause]}，不能{doing}", cause=cause)


_CHECKS_AFTER: set[asyncio.Future] = set()  # checks still waiting on HIS after their booking was answered


def _check_done(check: asyncio.Future) -> None:
    _CHECKS_AFTER.discard(check)
    if check.cancelled():
        return
    exc = check.exception()
    if exc is not None:  # the sweep asks again; nothing else is waiting for this answer
        log.warning("HIS check after a booking failed: %r", exc)
    elif check.result() is not None:
        log.info("HIS check after a booking: %s (the booking was ended)", check.result())


async def _no_show_rule(uow: UnitOfWork, charge_id: int) -> None:
    """A charge whose booking was marked no-show rebooks only when the rules allow it."""
    if await uow.bookings.charge_had_no_show(charge_id):
        row = await uow.quota.rules_row()
        if row is not None and not row.no_show_may_rebook:
            raise NoShowMayNotRebook()


async def _package(uow: UnitOfWork, code: str | None, ttl: float) -> Package | None:
    if not code:
        return None

    async def read() -> Package | None:
        return await uow.packages.brief(code)

    return await reference(("package", code), ttl, read)


async def book(deps: Deps, *, user_id: int, bill_no: str, day: date) -> dict:
    """Book ``day`` for a paid charge of one of the user's patients.

    The hot path of a booking rush: one SELECT (charge, patient, the day's places), then one INSERT
    in which the database takes the place (trigger) or refuses it. Reference data (rules, holidays,
    package limits) may be read from a short per-process cache (deps.cache_seconds); the count itself
    is only ever decided by the database. With subscription messages on, the message job is written
    in the same transaction as the booking.
    """
    reader = deps.uow(write=False)
    charge, patient, quota = await _own_paid_charge(deps, reader, user_id=user_id, bill_no=bill_no, day=day)
    if isinstance(charge, ChargeRow):  # held as paid already: HIS may have refunded it at the window since
        await _still_paid_in_his(deps, charge)  # (the other path has just read it from HIS)
    await _no_show_rule(reader, charge.id)
    ttl = deps.cache_seconds
    package = await _package(reader, charge.package_code, ttl)
    if package and package.sex != "any" and package.sex != patient.sex:
        raise SexMismatch()
    now = deps.now()
    rules = await cached_rules(ttl, reader)
    reason = rules.day_reason(day=day, now=now, quota=quota, holiday=await cached_holiday(day, ttl, reader))
    if reason is not DayReason.BOOKABLE:
        raise _REASON_ERRORS[reason](day=day.isoformat(), reason=reason.value)
    notify = deps.messages.enabled("booking")
    tell_peis = bool(charge.peis_order_no)
    package_name = package.name if package else charge.item_name

    async def attempt() -> _NewBooking:
        if not notify and not tell_peis:  # one statement: no transaction to open and commit
            return _new_booking(await _insert(reader))
        async with deps.uow() as uow:
            created = _new_booking(await _insert(uow))
            await messages.notify_booking(deps, "booking", created, uow=uow, patient=patient,
                                          package_name=package_name)
            if tell_peis:
                await booking_events.report_day_later(uow, charge_id=charge.id, now=now)
            return created

    async def _insert(uow: UnitOfWork) -> int:
        booking_id = await uow.bookings.insert(patient_id=patient.id, day=day, now=now, charge_id=charge.id)
        if booking_id is None:
            raise ChargeNotBookable("该缴费项目正在退费，不能预约")
        return booking_id

    def _new_booking(booking_id: int) -> _NewBooking:
        return _NewBooking(id=booking_id, charge_id=charge.id, patient_id=patient.id,
                           his_patient_id=charge.his_patient_id, day=day, booked_at=now)

    try:
        booking = await retry_deadlocks(attempt)
    except NoPlace as exc:
        raise _no_place_error(exc) from None
    except IntegrityError:
        raise await _integrity_error(reader, charge.id, day) from None
    return booking_json(booking, charge=charge, patient_name=patient.name, package=package, rules=rules, now=now)


async def _own_booking(uow: UnitOfWork, user_id: int, booking_id: int) -> Booking:
    booking = await uow.bookings.with_patient(booking_id)
    if booking is None or booking.patient.user_id != user_id:
        raise NotFound("预约记录不存在")
    if booking.patient.verified_at is None:
        raise PatientNotVerified()
    return booking


def _check_changeable(booking: Booking, *, rules: BookingRules, now: datetime) -> None:
    if booking.status == BookingStatus.CONFIRMED:
        raise BookingNotChangeable("体检中心已确认该预约，如需修改请联系体检中心")
    if booking.status != BookingStatus.BOOKED:
        raise BookingNotChangeable("该预约已取消")
    if not rules.can_change(booking_day=booking.day, now=now):
        deadline = rules.change_deadline(booking.day)
        raise ChangeCutoffPassed(
            f"已过改约/取消截止日期（{deadline.isoformat()}），如需帮助请联系体检中心",
            deadline=deadline.isoformat(),
        )


async def reschedule(deps: Deps, *, user_id: int, booking_id: int, day: date) -> dict:
    reader = deps.uow(write=False)
    booking = await _own_booking(reader, user_id, booking_id)
    now = deps.now()
    rules = await load_rules(reader)
    _check_changeable(booking, rules=rules, now=now)
    if booking.day == day:
        raise SameDay()
    await _check_day(reader, day, now=now, rules=rules)
    # HIS may have refunded, cancelled or re-priced the bill at the window since: that ends the booking
    await _still_paid_in_his(deps, await reader.bookings.charge(booking.charge_id), doing="改约")

    async def attempt() -> Booking:
        async with deps.uow() as uow:
            locked = await uow.bookings.lock(booking.id)
            if locked is None:
                raise NotFound("预约不存在")
            _check_changeable(locked, rules=rules, now=now)  # state may have moved since we read it
            old_day = locked.day
            # The trigger booking_place_update releases the old day's place and takes one on the new day
            # (in date order) in this UPDATE, or aborts it with CHECKUP_NO_PLACE.
            locked.day = day
            locked.reschedule_count += 1
            await uow.bookings.save(locked, ["day", "reschedule_count"])
            await messages.notify_booking(deps, "change", locked, uow=uow, old_day=old_day)
            await booking_events.report_day_later(uow, charge_id=locked.charge_id, now=now)
            return locked

    try:
        updated = await retry_deadlocks(attempt)
    except NoPlace as exc:
        raise _no_place_error(exc) from None
    except IntegrityError:
        raise PatientDayTaken(day=day.isoformat()) from None
    return (await bookings_json([updated], rules=rules, now=now, uow=reader))[0]


async def cancel(deps: Deps, *, user_id: int, booking_id: int, actor: str = "patient") -> dict:
    reader = deps.uow(write=False)
    booking = await _own_booking(reader, user_id, booking_id)
    now = deps.now()
    rules = await load_rules(reader)
    _check_changeable(booking, rules=rules, now=now)

    async def attempt() -> Booking:
        async with deps.uow() as uow:
            locked = await uow.bookings.lock(booking.id)
            if locked is None:
                raise NotFound("预约不存在")
            _check_changeable(locked, rules=rules, now=now)
            locked.status = BookingStatus.CANCELLED
            locked.active = None
            locked.cancelled_at = now
            locked.cancelled_by = actor
            await uow.bookings.save(locked, ["status", "active", "cancelled_at", "cancelled_by"])
            await messages.notify_booking(deps, "cancel", locked, uow=uow)
            await booking_events.report_day_later(uow, charge_id=locked.charge_id, now=now)
            return locked

    cancelled = await retry_deadlocks(attempt)
    return (await bookings_json([cancelled], rules=rules, now=now, uow=reader))[0]


async def list_bookings(deps: Deps, *, user_id: int) -> list[dict]:
    reader = deps.uow(write=False)
    rows = await reader.bookings.of_user(user_id)
    return await bookings_json(rows, rules=await load_rules(reader), now=deps.now(), uow=reader)


async def get_booking(deps: Deps, *, user_id: int, booking_id: int) -> dict:
    reader = deps.uow(write=False)
    booking = await _own_booking(reader, user_id, booking_id)
    return (await bookings_json([booking], rules=await load_rules(reader), now=deps.now(), uow=reader))[0]


async def bookings_json(rows: list[Booking], *, rules: BookingRules, now: datetime,
                        uow: UnitOfWork | None = None) -> list[dict]:
    if not rows:
        return []
    charges, patients, packages = await (uow or unit_of_work(write=False)).bookings.shown_with(rows)
    out = []
    for b in rows:
        charge = charges[b.charge_id]
        package = packages.get(charge.package_code or "")
        out.append(booking_json(b, charge=charge, patient_name=patients[b.patient_id].name, package=package,
                                rules=rules, now=now))
    return out


def booking_json(b: Booking | _NewBooking, *, charge: Charge | ChargeRow, patient_name: str, package: Package | None,
                 rules: BookingRules, now: datetime) -> dict:
    """One booking as the API shows it, from rows already in hand."""
    changeable = b.status == BookingStatus.BOOKED and rules.can_change(booking_day=b.day, now=now)
    return {
        "id": b.id,
        "bill_no": charge.bill_no,
        "patient_id": b.patient_id,
        "patient_name": patient_name,
        "date": b.day.isoformat(),
        "status": b.status,
        "status_text": BOOKING_STATUS_TEXT[BookingStatus(b.status)],
        "package_code": charge.package_code,
        "package_name": package.name if package else charge.item_name,
        "item_name": charge.item_name,
        "amount_fen": charge.amount_fen,
        "booked_at": iso(b.booked_at),
        "can_change": changeable,
        "change_deadline": rules.change_deadline(b.day).isoformat(),
        "notes": package.notes if package else "",
    }

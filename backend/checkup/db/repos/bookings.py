"""The bookings repository (issue 15): every statement of the booking aggregate, nowhere else.

The booking hot path's two statements bypass the ORM on purpose (a model costs more to build than the
statement costs to run): one SELECT reads the user's charge, its patient and the day's places; one INSERT
writes the booking while the database takes the place (trigger ``booking_place_insert``, migration 0005)
or refuses it with CHECKUP_NO_PLACE. They stay raw SQL written once with dialect rewriting, and this module
turns the drivers' errors into what they mean (``classify``): NoPlace, IntegrityError, OperationalError.
Moving or ending a booking through ``save`` fires the same triggers and reports a refusal the same way.

The few charge and patient reads the booking use cases make beside a booking (the charge a booking holds,
the rows a booking list shows, what HIS changed) are here too, named for that use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

import pymysql
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.expressions import Q

from checkup.db.errors import is_retryable
from checkup.db.models import Booking, Charge, Package, Patient
from checkup.db.repos import Repository, sql_for
from checkup.domain.booking import NO_PLACE, BookingStatus, ChargeStatus
from checkup.domain.booking_rules import DayQuotaView

__all__ = ["BookingsRepository", "ChargeRow", "NoPlace", "PatientRow", "classify"]


class NoPlace(Exception):
    """The database refused the place (trigger CHECKUP_NO_PLACE:FULL or :CLOSED)."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.closed = f"{NO_PLACE}:CLOSED" in text


def classify(exc: Exception) -> Exception:
    """What a driver error of a booking statement means (the raw statements bypass Tortoise's translation)."""
    if NO_PLACE in str(exc):
        return NoPlace(str(exc))
    if isinstance(exc, (IntegrityError, sqlite3.IntegrityError, pymysql.err.IntegrityError)):
        return IntegrityError(exc)
    if is_retryable(exc):
        return OperationalError(exc)
    return exc



# The user's charge, its patient and the day's places, in one statement (the hot path of a rush).
_OWN_CHARGE = (
    "SELECT c.id, c.bill_no, c.his_patient_id, c.status, c.package_code, c.item_name, c.amount_fen, c.peis_order_no,"
    " p.id AS patient_id, p.name AS patient_name, p.sex AS patient_sex,"
    " q.capacity AS q_capacity, q.booked AS q_booked, q.open AS q_open"
    " FROM charge c JOIN patient p ON p.his_patient_id = c.his_patient_id AND p.user_id = %s AND p.active = 1"
    " AND p.verified_at IS NOT NULL"
    " LEFT JOIN day_quota q ON q.day = %s"
    " WHERE c.bill_no = %s AND NOT EXISTS (SELECT 1 FROM payment_bill pb JOIN payment pm ON pm.id = pb.payment_id"
    " WHERE pb.charge_id = c.id AND pb.open = 1 AND pm.user_id <> %s) ORDER BY p.id LIMIT 1"
)

# The booking row, only while the charge is paid; the trigger booking_place_insert takes the place in
# the same statement (or aborts it with CHECKUP_NO_PLACE) and the unique keys refuse a second active
# booking of the charge or of the person on that day. On MySQL/MariaDB the charge row is locked for the
# statement, so a refund requested at the same moment waits and then sees this booking.
_INSERT = (
    "INSERT INTO booking (charge_id, patient_id, his_patient_id, day, status, active, booked_at,"
    " reschedule_count, created_at, updated_at)"
    " SELECT id, %s, his_patient_id, %s, 'booked', 1, %s, 0, %s, %s FROM charge WHERE id = %s AND status = 'paid'"
)

# The columns of a booking the staff report shows, with its patient's and charge's.
REPORT_FIELDS = (
    "id", "day", "booked_at", "status", "confirmed_at", "confirmed_by", "cancelled_at", "cancelled_by", "cancel_reason",
    "patient__name", "patient__sex", "patient__birth_date", "patient__phone_enc", "patient__id_number_enc",
    "charge__bill_no", "charge__amount_fen", "charge__package_code", "charge__item_name",
)


@dataclass(frozen=True, slots=True)
class ChargeRow:
    """The columns of a charge the booking path reads (a Tortoise model costs more to build)."""

    id: int
    bill_no: str
    his_patient_id: str
    status: str
    package_code: str | None
    item_name: str
    amount_fen: int
    peis_order_no: str | None = None


@dataclass(frozen=True, slots=True)
class PatientRow:
    id: int
    name: str
    sex: str
    user_id: int


def booking_stamp(now: datetime) -> Any:
    """``now`` as the booking table stores its times (UTC, as the ORM writes them)."""
    return Booking._meta.fields_map["booked_at"].to_db_value(now, Booking)


class BookingsRepository(Repository):
    __slots__ = ()

    # ---- the hot path (raw SQL) ------------------------------------------------------------------
    async def own_charge_and_day(self, *, user_id: int, bill_no: str,
                                 day: date) -> tuple[ChargeRow, PatientRow, DayQuotaView | None] | None:
        """The user's charge (of a verified patient of theirs, not in another account's open payment), its
        patient and the day's places, in one statement; None when there is no such charge."""
        conn = self._db()
        rows = await conn.execute_query_dict(sql_for(conn, _OWN_CHARGE), [user_id, day, bill_no, user_id])
        if not rows:
            return None
        r = rows[0]
        charge = ChargeRow(id=r["id"], bill_no=r["bill_no"], his_patient_id=r["his_patient_id"], status=r["status"],
                           package_code=r["package_code"], item_name=r["item_name"], amount_fen=r["amount_fen"],
                           peis_order_no=r["peis_order_no"])
        patient = PatientRow(id=r["patient_id"], name=r["patient_name"], sex=r["patient_sex"], user_id=user_id)
        quota = None if r["q_capacity"] is None else DayQuotaView(
            day=day, capacity=r["q_capacity"], booked=r["q_booked"], open=bool(r["q_open"]))
        return charge, patient, quota

    async def insert(self, *, patient_id: int, day: date, now: datetime, charge_id: int) -> int | None:
        """Insert the booking (the place taken by the database in the same statement): the new id, or None
        when the charge is no longer paid. Raises NoPlace, IntegrityError (a second active booking of the
        charge, or of the person that day) or OperationalError (a deadlock: run the transaction again)."""
        conn = self._db()
        stamp = booking_stamp(now)
        values = [patient_id, day, stamp, stamp, stamp, charge_id]
        sqlite = conn.capabilities.dialect == "sqlite"
        query = sql_for(conn, _INSERT) + ("" if sqlite else " FOR UPDATE")
        try:
            async with conn.acquire_connection() as raw:
                if sqlite:
                    cursor = await raw.execute(query, values)
                    return cursor.lastrowid if cursor.rowcount == 1 else None
                async with raw.cursor() as cursor:
                    await cursor.execute(query, values)
                    return cursor.lastrowid if cursor.rowcount == 1 else None
        except Exception as exc:
            raise classify(exc) from exc

    # ---- one booking -------------------------------------------------------------------------------
    async def with_patient(self, booking_id: int) -> Booking | None:
        """The booking with its patient (``booking.patient``) loaded."""
        return await Booking.get_or_none(id=booking_id, using_db=self.conn).prefetch_related("patient")

    async def with_charge_and_patient(self, booking_id: int) -> Booking:
        """The booking with ``charge`` and ``patient`` loaded (DoesNotExist when there is none)."""
        return await Booking.get(id=booking_id, using_db=self.conn).prefetch_related("charge", "patient")

    async def lock(self, booking_id: int) -> Booking | None:
        """The booking, row-locked until the transaction ends."""
        return await Booking.filter(id=booking_id).select_for_update().using_db(self.conn).first()

    async def save(self, booking: Booking, fields: Sequence[str]) -> None:
        """Write ``fields`` of a booking (``updated_at`` too). Moving it to another day or ending it fires the
        place triggers: NoPlace when the new day has no place, IntegrityError when the person already has a
        booking that day."""
        try:
            await booking.save(using_db=self.conn, update_fields=[*fields, "updated_at"])
        except (IntegrityError, OperationalError) as exc:
            if NO_PLACE in str(exc):
                raise NoPlace(str(exc)) from exc
            raise

    async def active_for_charge(self, charge_id: int) -> Booking | None:
        return await Booking.filter(charge_id=charge_id, active=1).using_db(self.conn).first()

    async def lock_active_for_charge(self, charge_id: int) -> Booking | None:
        return await Booking.filter(charge_id=charge_id, active=1).select_for_update().using_db(self.conn).first()

    async def charge_has_active(self, charge_id: int) -> bool:
        return await Booking.filter(charge_id=charge_id, active=1).using_db(self.conn).exists()

    async def charge_had_no_show(self, charge_id: int) -> bool:
        return await Booking.filter(charge_id=charge_id, status=BookingStatus.NO_SHOW).using_db(self.conn).exists()

    # ---- many bookings -----------------------------------------------------------------------------
    async def of_user(self, user_id: int) -> list[Booking]:
        """The bookings of the user's verified patients, newest day first."""
        return await Booking.filter(patient__user_id=user_id, patient__verified_at__isnull=False).using_db(
            self.conn).order_by("-day", "-id")

    async def lock_active_on(self, days: Iterable[date]) -> list[Booking]:
        """The active bookings of ``days``, row-locked, in day order."""
        return await Booking.filter(day__in=list(days), active=1).order_by("day", "id").select_for_update().using_db(
            self.conn)

    async def lock_many(self, ids: Sequence[int]) -> list[Booking]:
        return await Booking.filter(id__in=list(ids)).select_for_update().using_db(self.conn)

    async def confirm(self, ids: Sequence[int], *, now: datetime, by: str) -> int:
        """Booked -> confirmed for those of ``ids`` still booked; how many changed."""
        return await Booking.filter(id__in=list(ids), status=BookingStatus.BOOKED).using_db(self.conn).update(
            status=BookingStatus.CONFIRMED, confirmed_at=now, confirmed_by=by)

    async def unconfirm(self, booking_id: int) -> int:
        """Confirmed -> booked; 0 when it was not confirmed."""
        return await Booking.filter(id=booking_id, status=BookingStatus.CONFIRMED).using_db(self.conn).update(
            status=BookingStatus.BOOKED, confirmed_at=None, confirmed_by=None)

    async def charges_booked_from(self, day: date, *, limit: int) -> list[int]:
        """The charges of active bookings from ``day`` on, nearest day first."""
        ids = await Booking.filter(active=1, day__gte=day).using_db(self.conn).order_by("day").limit(
            limit).values_list("charge_id", flat=True)
        return cast("list[int]", ids)

    async def report(self, *, start: date, end: date, status: str, package: str = "", name_or_bill: str = "",
                     phone_hash: str | None = None) -> list[dict[str, Any]]:
        """The report's rows (REPORT_FIELDS) of bookings of ``status`` between two days, in day order;
        ``name_or_bill``: the patient's name contains it, or the bill number is it, or (``phone_hash``)
        the patient's phone hashes to that."""
        qs = Booking.filter(day__gte=start, day__lte=end, status=status).using_db(self.conn)
        if package:
            qs = qs.filter(charge__package_code=package)
        if name_or_bill:
            clause = Q(patient__name__contains=name_or_bill) | Q(charge__bill_no=name_or_bill)
            if phone_hash is not None:
                clause |= Q(patient__phone_hash=phone_hash)
            qs = qs.filter(clause)
        return await qs.order_by("day", "booked_at", "id").values(*REPORT_FIELDS)

    # ---- what a booking holds and shows --------------------------------------------------------------
    async def charge(self, charge_id: int) -> Charge:
        """The charge a booking holds (DoesNotExist when there is none)."""
        return await Charge.get(id=charge_id, using_db=self.conn)

    async def paid_charges(self, ids: Sequence[int]) -> list[Charge]:
        return await Charge.filter(id__in=list(ids), status=ChargeStatus.PAID).using_db(self.conn)

    async def shown_with(self, rows: Sequence[Booking]) -> tuple[dict[int, Charge], dict[int, Patient],
                                                                 dict[str, Package]]:
        """What a list of bookings shows beside them: their charges and patients by id, packages by code."""
        charges = {c.id: c for c in await Charge.filter(id__in={b.charge_id for b in rows}).using_db(self.conn)}
        patients = {p.id: p for p in await Patient.filter(id__in={b.patient_id for b in rows}).using_db(self.conn)}
        codes = {c.package_code for c in charges.values() if c.package_code}
        packages = ({p.code: p for p in await Package.filter(code__in=codes).using_db(self.conn)}
                    if codes else {})
        return charges, patients, packages

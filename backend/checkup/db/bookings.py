"""The booking hot path's statements (issue 15: SQL, dialects and driver errors live in db/).

Two statements carry a booking rush: one SELECT reads the user's charge, its patient and the day's places;
one INSERT writes the booking while the database takes the place (trigger ``booking_place_insert``,
migration 0005) or refuses it with CHECKUP_NO_PLACE. They bypass the ORM (a model costs more to build than
the statement costs to run), so this module also turns the drivers' errors into what they mean.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pymysql
from tortoise import connections
from tortoise.exceptions import IntegrityError, OperationalError

from checkup.db.errors import is_retryable
from checkup.db.models import Booking
from checkup.domain.booking import NO_PLACE
from checkup.domain.booking_rules import DayQuotaView


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


def _sql(conn: Any, query: str) -> str:
    """The statements are written once with %s; SQLite wants ?."""
    return query.replace("%s", "?") if conn.capabilities.dialect == "sqlite" else query


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


async def own_charge_and_day(*, user_id: int, bill_no: str,
                             day: date) -> tuple[ChargeRow, PatientRow, DayQuotaView | None] | None:
    """The user's charge (of a verified patient of theirs, not in another account's open payment), its
    patient and the day's places, in one statement; None when there is no such charge."""
    conn = connections.get("default")
    rows = await conn.execute_query_dict(_sql(conn, _OWN_CHARGE), [user_id, day, bill_no, user_id])
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


async def day_quota(day: date) -> DayQuotaView | None:
    """The day's places as the database holds them now."""
    conn = connections.get("default")
    rows = await conn.execute_query_dict(_sql(conn, "SELECT capacity, booked, open FROM day_quota WHERE day = %s"),
                                         [day])
    if not rows:
        return None
    r = rows[0]
    return DayQuotaView(day=day, capacity=r["capacity"], booked=r["booked"], open=bool(r["open"]))


def booking_stamp(now: datetime) -> Any:
    """``now`` as the booking table stores its times (UTC, as the ORM writes them)."""
    return Booking._meta.fields_map["booked_at"].to_db_value(now, Booking)


async def insert_booking(conn: Any | None, *, patient_id: int, day: date, now: datetime, charge_id: int) -> int | None:
    """Insert the booking on ``conn`` (a transaction) or on the pool (None): the new id, or None when the
    charge is no longer paid. Driver errors come out classified (NoPlace, IntegrityError, OperationalError)."""
    conn = conn if conn is not None else connections.get("default")
    stamp = booking_stamp(now)
    values = [patient_id, day, stamp, stamp, stamp, charge_id]
    sqlite = conn.capabilities.dialect == "sqlite"
    query = _sql(conn, _INSERT) + ("" if sqlite else " FOR UPDATE")
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

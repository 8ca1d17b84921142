"""In-memory bookings, day quotas and packages (issue 15): what book / reschedule / cancel of
services/bookings.py read and write, with the database's rules the use cases rely on.

What the fake keeps of the database (migration 0005 and the unique keys of booking):
- a booking that holds a place (active) takes one on its day, or the statement is refused with
  ``NoPlace`` (CHECKUP_NO_PLACE:CLOSED when the day is closed or has no quota, :FULL when it is full),
  exactly as the real repository reports it; ending or moving a booking releases its place;
- a second active booking of a charge, or of a person on one day, is refused with IntegrityError;
- a booking is inserted only while its charge is paid (None otherwise);
- rows a repository hands out are copies: changing one changes nothing until ``save``;
- a rolled-back unit of work leaves no trace (FakeUnitOfWork puts every table back, outbox rows of
  ``jobs`` -- the fake of fakes/money.py -- included). A reading unit of work writes at once, as the pool does.

``BookingWorld`` seeds the rows a test needs. ``world.before_write`` callables run at the start of every
booking INSERT or UPDATE: a test puts another patient's booking there to model a concurrent writer
taking the last place between the use case's read and its write (inside a unit of work the fake's
rollback takes that place back too: assert on the use case's own rows).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import fakes.money  # noqa: F401 - registers the jobs (outbox) fake the booking use cases write to
from checkup.db.errors import IntegrityError
from checkup.db.repos.bookings import ChargeRow, NoPlace, PatientRow
from checkup.domain.booking import NO_PLACE, BookingStatus, ChargeStatus
from checkup.domain.booking_rules import DayQuotaView
from fakes.uow import FakeDatabase, FakeUnitOfWork


# ---- rows ------------------------------------------------------------------------------------------
@dataclass
class FakeCharge:
    id: int
    bill_no: str
    his_patient_id: str
    status: str = ChargeStatus.PAID
    package_code: str | None = None
    item_name: str = "体检费"
    amount_fen: int = 50000
    peis_order_no: str | None = None


@dataclass
class FakePatient:
    id: int
    user_id: int
    his_patient_id: str
    name: str = "张三"
    sex: str = "male"
    active: int = 1
    verified_at: datetime | None = datetime(2026, 1, 1)  # noqa: DTZ001 - only compared with None


@dataclass
class FakeBooking:
    id: int
    charge_id: int
    patient_id: int
    his_patient_id: str
    day: date
    booked_at: datetime
    status: str = BookingStatus.BOOKED
    active: int | None = 1
    reschedule_count: int = 0
    confirmed_at: datetime | None = None
    confirmed_by: str | None = None
    cancelled_at: datetime | None = None
    cancelled_by: str | None = None
    cancel_reason: str | None = None
    no_show_at: datetime | None = None
    no_show_by: str | None = None
    patient: FakePatient | None = None  # loaded by with_patient


@dataclass
class FakeDay:
    day: date
    capacity: int
    booked: int = 0
    open: bool = True


@dataclass
class FakePackage:
    id: int
    code: str
    name: str
    sex: str = "any"
    notes: str = ""


# ---- the repositories ----------------------------------------------------------------------------------
class FakeRepository:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db


class FakeBookingsRepository(FakeRepository):
    """The statements of db/repos/bookings.py that book / reschedule / cancel run."""

    @property
    def _bookings(self) -> dict[int, FakeBooking]:
        return self.db.table("booking")

    def _charge(self, charge_id: int) -> FakeCharge | None:
        return self.db.table("charge").get(charge_id)

    # the triggers of migration 0005
    def _take(self, day: date) -> None:
        quota: FakeDay | None = self.db.table("day_quota").get(day)
        if quota is None or not quota.open:
            raise NoPlace(f"{NO_PLACE}:CLOSED")
        if quota.booked >= quota.capacity:
            raise NoPlace(f"{NO_PLACE}:FULL")
        quota.booked += 1

    def _release(self, day: date) -> None:
        quota: FakeDay | None = self.db.table("day_quota").get(day)
        if quota is not None and quota.booked > 0:
            quota.booked -= 1

    # the unique keys (charge, active) and (his_patient_id, day, active)
    def _check_unique(self, row: FakeBooking) -> None:
        if row.active != 1:
            return
        for other in self._bookings.values():
            if other.id == row.id or other.active != 1:
                continue
            if other.charge_id == row.charge_id or (other.his_patient_id == row.his_patient_id
                                                    and other.day == row.day):
                raise IntegrityError(f"Duplicate entry for booking {other.id}")

    def _before_write(self) -> None:
        for hook in list(self.db.table("before_write").values()):
            hook()

    async def own_charge_and_day(self, *, user_id: int, bill_no: str,
                                 day: date) -> tuple[ChargeRow, PatientRow, DayQuotaView | None] | None:
        charge = next((c for c in self.db.table("charge").values() if c.bill_no == bill_no), None)
        if charge is None:
            return None
        patient = min((p for p in self.db.table("patient").values()
                       if p.his_patient_id == charge.his_patient_id and p.user_id == user_id and p.active == 1
                       and p.verified_at is not None), key=lambda p: p.id, default=None)
        if patient is None:
            return None
        quota = self.db.table("day_quota").get(day)
        view = None if quota is None else DayQuotaView(day=day, capacity=quota.capacity, booked=quota.booked,
                                                       open=quota.open)
        row = ChargeRow(id=charge.id, bill_no=charge.bill_no, his_patient_id=charge.his_patient_id,
                        status=charge.status, package_code=charge.package_code, item_name=charge.item_name,
                        amount_fen=charge.amount_fen, peis_order_no=charge.peis_order_no)
        return row, PatientRow(id=patient.id, name=patient.name, sex=patient.sex, user_id=user_id), view

    async def insert(self, *, patient_id: int, day: date, now: datetime, charge_id: int) -> int | None:
        self._before_write()
        charge = self._charge(charge_id)
        if charge is None or charge.status != ChargeStatus.PAID:
            return None
        row = FakeBooking(id=self.db.new_id("booking"), charge_id=charge_id, patient_id=patient_id,
                          his_patient_id=charge.his_patient_id, day=day, booked_at=now)
        self._check_unique(row)
        self._take(day)
        self._bookings[row.id] = row
        return row.id

    async def with_patient(self, booking_id: int) -> FakeBooking | None:
        row = self._bookings.get(booking_id)
        if row is None:
            return None
        return dataclasses.replace(row, patient=dataclasses.replace(self.db.table("patient")[row.patient_id]))

    async def lock(self, booking_id: int) -> FakeBooking | None:
        row = self._bookings.get(booking_id)
        return None if row is None else dataclasses.replace(row)

    async def save(self, booking: FakeBooking, fields: Sequence[str]) -> None:
        self._before_write()
        old = self._bookings[booking.id]
        new = dataclasses.replace(old, **{f: getattr(booking, f) for f in fields}, patient=None)
        self._check_unique(new)
        held, holds = old.active == 1, new.active == 1
        moved = new.day != old.day
        if holds and (not held or moved):
            self._take(new.day)
        if held and (not holds or moved):
            self._release(old.day)
        self._bookings[new.id] = new

    async def charge_has_active(self, charge_id: int) -> bool:
        return any(b.charge_id == charge_id and b.active == 1 for b in self._bookings.values())

    async def charge_had_no_show(self, charge_id: int) -> bool:
        return any(b.charge_id == charge_id and b.status == BookingStatus.NO_SHOW for b in self._bookings.values())

    async def charge(self, charge_id: int) -> FakeCharge:
        return dataclasses.replace(self.db.table("charge")[charge_id])

    async def of_user(self, user_id: int) -> list[FakeBooking]:
        patients = {p.id for p in self.db.table("patient").values() if p.user_id == user_id and p.verified_at}
        rows = [dataclasses.replace(b) for b in self._bookings.values() if b.patient_id in patients]
        return sorted(rows, key=lambda b: (b.day, b.id), reverse=True)

    async def shown_with(self, rows: Sequence[FakeBooking]) -> tuple[dict[int, FakeCharge], dict[int, FakePatient],
                                                                     dict[str, FakePackage]]:
        charges = {b.charge_id: self.db.table("charge")[b.charge_id] for b in rows}
        patients = {b.patient_id: self.db.table("patient")[b.patient_id] for b in rows}
        codes = {c.package_code for c in charges.values() if c.package_code}
        packages = {p.code: p for p in self.db.table("package").values() if p.code in codes}
        return charges, patients, packages


class FakeQuotaRepository(FakeRepository):
    """Day quotas, closed days and the rules row (None: the default rules)."""

    async def day_view(self, day: date) -> DayQuotaView | None:
        q = self.db.table("day_quota").get(day)
        return None if q is None else DayQuotaView(day=day, capacity=q.capacity, booked=q.booked, open=q.open)

    async def days_between(self, start: date, end: date) -> list[FakeDay]:
        return [dataclasses.replace(q) for d, q in self.db.table("day_quota").items() if start <= d <= end]

    async def is_holiday(self, day: date) -> bool:
        return day in self.db.table("holiday")

    async def holidays(self, start: date | None = None, end: date | None = None) -> list[Any]:
        return [h for d, h in sorted(self.db.table("holiday").items())
                if (start is None or d >= start) and (end is None or d <= end)]

    async def rules_row(self) -> Any:
        return self.db.table("booking_rules").get(1)


class FakePackagesRepository(FakeRepository):

    async def brief(self, code: str) -> FakePackage | None:
        return next((p for p in self.db.table("package").values() if p.code == code), None)


FakeUnitOfWork.repositories.update(bookings=FakeBookingsRepository, quota=FakeQuotaRepository,
                                   packages=FakePackagesRepository)


# ---- seeding -------------------------------------------------------------------------------------------
@dataclass
class BookingWorld:
    """The rows of one use-case test, in a FakeDatabase."""

    db: FakeDatabase = field(default_factory=FakeDatabase)

    def patient(self, *, user_id: int, his_patient_id: str, name: str = "张三", sex: str = "male") -> FakePatient:
        row = FakePatient(id=self.db.new_id("patient"), user_id=user_id, his_patient_id=his_patient_id, name=name,
                          sex=sex)
        self.db.table("patient")[row.id] = row
        return row

    def charge(self, patient: FakePatient, *, bill_no: str, status: str = ChargeStatus.PAID,
               peis_order_no: str | None = None, package_code: str | None = None) -> FakeCharge:
        row = FakeCharge(id=self.db.new_id("charge"), bill_no=bill_no, his_patient_id=patient.his_patient_id,
                         status=status, peis_order_no=peis_order_no, package_code=package_code)
        self.db.table("charge")[row.id] = row
        return row

    def open_day(self, day: date, capacity: int, *, booked: int = 0) -> None:
        self.db.table("day_quota")[day] = FakeDay(day=day, capacity=capacity, booked=booked)

    def quota(self, day: date) -> FakeDay:
        return self.db.table("day_quota")[day]

    def bookings(self) -> list[FakeBooking]:
        return list(self.db.table("booking").values())

    def active(self) -> list[FakeBooking]:
        return [b for b in self.bookings() if b.active == 1]

    def jobs(self) -> list[Any]:
        """The committed outbox rows (the jobs fake of fakes/money.py writes table ``job``)."""
        return list(self.db.table("job").values())

    def before_write(self, hook: Callable[[], None]) -> None:
        self.db.table("before_write")[len(self.db.table("before_write"))] = hook

    def take_place(self, day: date) -> None:
        """Another patient's booking committed on ``day`` (a concurrent writer)."""
        q = self.quota(day)
        q.booked += 1

    def his_bills(self, his_patient_id: str) -> Iterable[FakeCharge]:
        return [c for c in self.db.table("charge").values() if c.his_patient_id == his_patient_id]

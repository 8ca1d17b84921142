"""Book, reschedule and cancel (services/bookings.py) on an in-memory unit of work (issue 15).

No database and no network: the repositories are the fakes of tests/fakes/bookings.py, which keep the
database's place rules (migration 0005) and unique keys, undo a rolled-back unit of work and hold the
outbox until commit. The HTTP + database tests (tests/api/test_patient_flow.py, the concurrency tests)
remain the proof that the real repositories behave the same.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from checkup.domain.booking import BookingStatus, ChargeStatus
from checkup.domain.clock import SHANGHAI
from checkup.domain.errors import AlreadyBooked, DayClosed, PatientDayTaken, QuotaFull
from checkup.integrations.his import HisCharge
from checkup.integrations.result import CallResult
from checkup.services import booking_events, bookings
from checkup.services.calendar import clear_reference_cache
from checkup.services.deps import Deps
from fakes.bookings import BookingWorld, FakeCharge
from fakes.uow import fake_uow_factory

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI).astimezone(UTC)  # after the day's release time
DAY = date(2026, 12, 10)
OTHER_DAY = date(2026, 12, 11)
USER = 7


class FakeHis:
    """HIS agrees with what we hold: every charge of the person is paid, at our amount."""

    def __init__(self, world: BookingWorld) -> None:
        self.world = world

    async def paid_charges(self, *, his_patient_id: str) -> CallResult[list[HisCharge]]:
        return CallResult.success([_his(c) for c in self.world.his_bills(his_patient_id)])


def _his(c: FakeCharge) -> HisCharge:
    return HisCharge(bill_no=c.bill_no, his_patient_id=c.his_patient_id, amount_fen=c.amount_fen, billed_at=NOW,
                     dept="体检中心", fee_category="体检费", item_name=c.item_name, status=ChargeStatus.PAID)


class Boom(Exception):
    """A step after the booking's write failed."""


@pytest.fixture
def world() -> BookingWorld:
    clear_reference_cache()  # the rules, holidays and packages of another test must not be read from it
    return BookingWorld()


def deps_for(world: BookingWorld) -> Deps:
    return Deps(his=FakeHis(world), peis=None, wechat_login=None, pii=None, tokens=None,  # type: ignore[arg-type]
                wechatpay=None, now=lambda: NOW, uow=fake_uow_factory(world.db))


def paid_bill(world: BookingWorld, bill_no: str = "B1", *, his_patient_id: str = "H1",
              peis_order_no: str | None = None) -> FakeCharge:
    patient = world.patient(user_id=USER, his_patient_id=his_patient_id)
    return world.charge(patient, bill_no=bill_no, peis_order_no=peis_order_no)


async def test_a_booking_takes_a_place(world: BookingWorld) -> None:
    paid_bill(world)
    world.open_day(DAY, 2)
    out = await bookings.book(deps_for(world), user_id=USER, bill_no="B1", day=DAY)
    assert out["date"] == DAY.isoformat() and out["status"] == BookingStatus.BOOKED and out["bill_no"] == "B1"
    assert world.quota(DAY).booked == 1
    [booking] = world.active()
    assert booking.id == out["id"] and booking.day == DAY


async def test_a_full_day_is_refused_before_the_write(world: BookingWorld) -> None:
    paid_bill(world)
    world.open_day(DAY, 1, booked=1)
    with pytest.raises(QuotaFull):
        await bookings.book(deps_for(world), user_id=USER, bill_no="B1", day=DAY)
    assert world.bookings() == [] and world.quota(DAY).booked == 1


async def test_the_database_refuses_the_last_place_taken_a_moment_earlier(world: BookingWorld) -> None:
    """The day looked open when read; another booking took its last place before our INSERT: the
    repository reports NoPlace (CHECKUP_NO_PLACE:FULL) and the patient is told QUOTA_FULL."""
    paid_bill(world)
    world.open_day(DAY, 1)
    world.before_write(lambda: world.take_place(DAY))
    with pytest.raises(QuotaFull):
        await bookings.book(deps_for(world), user_id=USER, bill_no="B1", day=DAY)
    assert world.bookings() == [] and world.quota(DAY).booked == 1


async def test_a_closed_day_refused_by_the_database_answers_day_closed(world: BookingWorld) -> None:
    paid_bill(world)
    world.open_day(DAY, 5)

    def close() -> None:
        world.quota(DAY).open = False

    world.before_write(close)
    with pytest.raises(DayClosed):
        await bookings.book(deps_for(world), user_id=USER, bill_no="B1", day=DAY)
    assert world.bookings() == []


async def test_a_second_active_booking_of_the_same_charge_is_refused(world: BookingWorld) -> None:
    paid_bill(world)
    world.open_day(DAY, 5)
    world.open_day(OTHER_DAY, 5)
    deps = deps_for(world)
    await bookings.book(deps, user_id=USER, bill_no="B1", day=DAY)
    with pytest.raises(AlreadyBooked):
        await bookings.book(deps, user_id=USER, bill_no="B1", day=OTHER_DAY)
    assert len(world.active()) == 1
    assert world.quota(DAY).booked == 1 and world.quota(OTHER_DAY).booked == 0


async def test_a_person_books_one_charge_per_day(world: BookingWorld) -> None:
    first = paid_bill(world, "B1")
    world.charge(world.db.table("patient")[1], bill_no="B2")
    assert first.his_patient_id == "H1"
    world.open_day(DAY, 5)
    deps = deps_for(world)
    await bookings.book(deps, user_id=USER, bill_no="B1", day=DAY)
    with pytest.raises(PatientDayTaken):
        await bookings.book(deps, user_id=USER, bill_no="B2", day=DAY)
    assert world.quota(DAY).booked == 1


async def test_cancel_frees_the_place(world: BookingWorld) -> None:
    paid_bill(world)
    world.open_day(DAY, 1)
    deps = deps_for(world)
    booked = await bookings.book(deps, user_id=USER, bill_no="B1", day=DAY)
    out = await bookings.cancel(deps, user_id=USER, booking_id=booked["id"])
    assert out["status"] == BookingStatus.CANCELLED
    assert world.active() == [] and world.quota(DAY).booked == 0
    [row] = world.bookings()
    assert row.cancelled_by == "patient" and row.cancelled_at == NOW
    assert [j.payload for j in world.jobs()] == [{"charge_id": row.charge_id}]  # PEIS told no day is held
    # the freed place books again
    await bookings.book(deps, user_id=USER, bill_no="B1", day=DAY)
    assert world.quota(DAY).booked == 1


async def test_reschedule_moves_the_place(world: BookingWorld) -> None:
    paid_bill(world)
    world.open_day(DAY, 1)
    world.open_day(OTHER_DAY, 1)
    deps = deps_for(world)
    booked = await bookings.book(deps, user_id=USER, bill_no="B1", day=DAY)
    out = await bookings.reschedule(deps, user_id=USER, booking_id=booked["id"], day=OTHER_DAY)
    assert out["date"] == OTHER_DAY.isoformat()
    assert world.quota(DAY).booked == 0 and world.quota(OTHER_DAY).booked == 1
    [row] = world.active()
    assert row.day == OTHER_DAY and row.reschedule_count == 1
    assert world.db.commits == 1 and len(world.jobs()) == 1


async def test_reschedule_to_a_day_filled_meanwhile_keeps_the_old_place(world: BookingWorld) -> None:
    paid_bill(world)
    world.open_day(DAY, 1)
    world.open_day(OTHER_DAY, 1)
    deps = deps_for(world)
    booked = await bookings.book(deps, user_id=USER, bill_no="B1", day=DAY)
    world.before_write(lambda: world.take_place(OTHER_DAY))
    with pytest.raises(QuotaFull):
        await bookings.reschedule(deps, user_id=USER, booking_id=booked["id"], day=OTHER_DAY)
    [row] = world.active()
    assert row.day == DAY and row.reschedule_count == 0 and world.quota(DAY).booked == 1
    assert world.db.rollbacks == 1 and world.jobs() == []


async def test_a_booking_told_to_peis_commits_with_its_job(world: BookingWorld) -> None:
    paid_bill(world, peis_order_no="P1")
    world.open_day(DAY, 2)
    await bookings.book(deps_for(world), user_id=USER, bill_no="B1", day=DAY)
    assert world.db.commits == 1 and world.db.rollbacks == 0
    assert [j.kind for j in world.jobs()] == [booking_events.PEIS_BOOKED_DAY]


async def test_a_failing_step_rolls_the_booking_back(world: BookingWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """The booking is written, its PEIS job queued, then a later step fails: nothing of it stays --
    no booking, the place free again, no job (the outbox row goes with the transaction)."""
    paid_bill(world, peis_order_no="P1")
    world.open_day(DAY, 1)
    tell_peis = booking_events.report_day_later

    async def queued_then_failed(uow, *, charge_id: int, now: datetime) -> None:
        await tell_peis(uow, charge_id=charge_id, now=now)
        assert len(world.jobs()) == 1 and len(world.active()) == 1  # written in the transaction
        raise Boom()

    monkeypatch.setattr(booking_events, "report_day_later", queued_then_failed)
    with pytest.raises(Boom):
        await bookings.book(deps_for(world), user_id=USER, bill_no="B1", day=DAY)
    assert world.db.rollbacks == 1 and world.db.commits == 0
    assert world.bookings() == [] and world.quota(DAY).booked == 0 and world.jobs() == []


async def test_a_failing_cancel_keeps_the_booking(world: BookingWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    paid_bill(world)
    world.open_day(DAY, 1)
    deps = deps_for(world)
    booked = await bookings.book(deps, user_id=USER, bill_no="B1", day=DAY)

    async def fails(uow, *, charge_id: int, now: datetime) -> None:
        raise Boom()

    monkeypatch.setattr(booking_events, "report_day_later", fails)
    with pytest.raises(Boom):
        await bookings.cancel(deps, user_id=USER, booking_id=booked["id"])
    [row] = world.active()
    assert row.status == BookingStatus.BOOKED and world.quota(DAY).booked == 1 and world.db.rollbacks == 1


async def test_the_use_cases_run_in_milliseconds(world: BookingWorld) -> None:
    """No database, no network: a hundred bookings and cancellations well inside a second."""
    world.open_day(DAY, 1)
    deps = deps_for(world)
    for i in range(50):
        paid_bill(world, f"B{i}", his_patient_id=f"H{i}")
    started = datetime.now(UTC)
    for i in range(50):
        booked = await bookings.book(deps, user_id=USER, bill_no=f"B{i}", day=DAY)
        await bookings.cancel(deps, user_id=USER, booking_id=booked["id"])
    assert datetime.now(UTC) - started < timedelta(seconds=5)  # generous: the machine may be busy
    assert world.quota(DAY).booked == 0

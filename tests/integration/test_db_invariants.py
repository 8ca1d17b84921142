"""The database itself refuses what would break the invariants, whatever the code does (both backends)."""

from __future__ import annotations

import pytest
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.expressions import F

from checkup.db.models import Booking, Charge, DayQuota, Patient, WechatUser
from support.people import day

DB_ERRORS = (IntegrityError, OperationalError)


async def _patient_and_charges(n: int = 2):
    user = await WechatUser.create(openid="o-invariant")
    patient = await Patient.create(
        user=user, name="约束测试", sex="female", birth_date="1990-01-01", id_number_enc="x", id_number_hash="h",
        phone_enc="x", phone_hash="h", pii_key_id="k1", his_patient_id="HPINV",
    )
    charges = [
        await Charge.create(bill_no=f"INV{i}", his_patient_id="HPINV", patient=patient, item_name="体检中心体检费",
                            amount_fen=100, source="onsite", status="paid")
        for i in range(n)
    ]
    return patient, charges


async def test_booked_can_never_exceed_capacity_or_go_negative(db):
    await DayQuota.create(day=day(2), capacity=1, booked=1)
    with pytest.raises(DB_ERRORS):
        await DayQuota.filter(day=day(2)).update(booked=F("booked") + 1)
    with pytest.raises(DB_ERRORS):
        await DayQuota.filter(day=day(2)).update(booked=-1)
    with pytest.raises(DB_ERRORS):
        await DayQuota.filter(day=day(2)).update(capacity=0)
    assert (await DayQuota.get(day=day(2))).booked == 1


async def test_guarded_update_takes_only_free_places(db):
    await DayQuota.create(day=day(2), capacity=2, booked=0)
    taken = [
        await DayQuota.filter(day=day(2), open=True, booked__lt=F("capacity")).update(booked=F("booked") + 1)
        for _ in range(3)
    ]
    assert taken == [1, 1, 0]


async def test_one_active_booking_per_charge_and_per_person_per_day(db):
    patient, (c1, c2) = await _patient_and_charges()
    for d in (day(2), day(3)):
        await DayQuota.create(day=d, capacity=5, booked=0)
    await Booking.create(charge=c1, patient=patient, his_patient_id="HPINV", day=day(2), status="booked", active=1)
    with pytest.raises(IntegrityError):  # same charge again
        await Booking.create(charge=c1, patient=patient, his_patient_id="HPINV", day=day(3), status="booked",
                             active=1)
    with pytest.raises(IntegrityError):  # same person, same day, other charge
        await Booking.create(charge=c2, patient=patient, his_patient_id="HPINV", day=day(2), status="booked",
                             active=1)
    # cancelled bookings do not count
    await Booking.create(charge=c1, patient=patient, his_patient_id="HPINV", day=day(3), status="cancelled",
                         active=None)
    await Booking.create(charge=c1, patient=patient, his_patient_id="HPINV", day=day(3), status="cancelled",
                         active=None)
    assert await Booking.filter(charge=c1).count() == 3


async def test_status_and_active_flag_must_agree(db):
    patient, (c1, _c2) = await _patient_and_charges()
    await DayQuota.create(day=day(2), capacity=5, booked=0)
    with pytest.raises(DB_ERRORS):
        await Booking.create(charge=c1, patient=patient, his_patient_id="HPINV", day=day(2), status="cancelled",
                             active=1)
    with pytest.raises(DB_ERRORS):
        await Booking.create(charge=c1, patient=patient, his_patient_id="HPINV", day=day(2), status="booked",
                             active=None)
    with pytest.raises(DB_ERRORS):
        await Booking.create(charge=c1, patient=patient, his_patient_id="HPINV", day=day(2), status="weird",
                             active=1)
    assert await Booking.all().count() == 0


async def _booked(d) -> int:
    return (await DayQuota.get(day=d)).booked


async def test_booked_follows_the_active_bookings_whoever_writes_them(db):
    """Triggers on booking (migration 0005) take and release places in the same statement."""
    patient, (c1, c2, c3) = await _patient_and_charges(3)
    await DayQuota.create(day=day(2), capacity=2, booked=0)
    await DayQuota.create(day=day(3), capacity=1, booked=0)
    b1 = await Booking.create(charge=c1, patient=patient, his_patient_id="HPINV", day=day(2), status="booked", active=1)
    assert (await _booked(day(2)), await _booked(day(3))) == (1, 0)
    # a move releases the old day and takes the new one
    await Booking.filter(id=b1.id).update(day=day(3))
    assert (await _booked(day(2)), await _booked(day(3))) == (0, 1)
    # the new day is full: the move is refused and nothing changes
    b2 = await Booking.create(charge=c2, patient=patient, his_patient_id="HPINV-2", day=day(2), status="booked",
                              active=1)
    with pytest.raises(DB_ERRORS, match="CHECKUP_NO_PLACE:FULL"):
        await Booking.filter(id=b2.id).update(day=day(3))
    assert (await Booking.get(id=b2.id)).day == day(2)
    assert (await _booked(day(2)), await _booked(day(3))) == (1, 1)
    # a full day refuses an insert: no row, no count
    with pytest.raises(DB_ERRORS, match="CHECKUP_NO_PLACE:FULL"):
        await Booking.create(charge=c3, patient=patient, his_patient_id="HPINV-3", day=day(3), status="booked",
                             active=1)
    assert await Booking.filter(charge=c3).count() == 0 and await _booked(day(3)) == 1
    # confirming keeps the place, cancelling gives it back, a cancelled row holds none
    await Booking.filter(id=b1.id).update(status="confirmed")
    assert await _booked(day(3)) == 1
    await Booking.filter(id=b1.id).update(status="cancelled", active=None)
    assert await _booked(day(3)) == 0
    await Booking.create(charge=c3, patient=patient, his_patient_id="HPINV-3", day=day(3), status="cancelled",
                         active=None)
    assert await _booked(day(3)) == 0
    # deleting an active row gives its place back
    await Booking.filter(id=b2.id).delete()
    assert await _booked(day(2)) == 0


async def test_closed_day_and_day_without_quota_take_no_booking(db):
    patient, (c1, _c2) = await _patient_and_charges()
    await DayQuota.create(day=day(2), capacity=5, booked=0, open=False)
    for d in (day(2), day(4)):  # closed; no quota row at all
        with pytest.raises(DB_ERRORS, match="CHECKUP_NO_PLACE:CLOSED"):
            await Booking.create(charge=c1, patient=patient, his_patient_id="HPINV", day=d, status="booked", active=1)
    assert await Booking.all().count() == 0 and await _booked(day(2)) == 0

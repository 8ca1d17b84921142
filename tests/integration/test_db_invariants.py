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

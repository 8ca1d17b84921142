"""就诊人 of a WeChat user: at most 10, each ID number once, found or registered in HIS."""

from __future__ import annotations

import re

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from checkup.db.models import Booking, Patient, WechatUser
from checkup.domain.clock import shanghai_today
from checkup.domain.errors import (
    NotFound,
    PatientExists,
    PatientHasBookings,
    PatientLimitReached,
    ValidationFailed,
)
from checkup.domain.idcard import parse_id_number
from checkup.domain.masking import mask_id_number, mask_phone, normalise_phone
from checkup.services.deps import Deps
from checkup.services.upstream import unwrap

MAX_PATIENTS = 10
_NAME = re.compile(r"^[\u4e00-\u9fa5A-Za-z·•. ]{2,30}$")


class NameMismatch(ValidationFailed):
    code = "NAME_MISMATCH"
    default_message = "姓名与医院登记的身份证信息不一致，请核对"


def patient_json(patient: Patient, deps: Deps) -> dict:
    return {
        "id": patient.id,
        "name": patient.name,
        "sex": patient.sex,
        "birth_date": patient.birth_date.isoformat(),
        "id_number_masked": mask_id_number(deps.pii.decrypt(patient.id_number_enc)),
        "phone_masked": mask_phone(deps.pii.decrypt(patient.phone_enc)),
        "is_default": patient.is_default,
    }


async def own_patient(user_id: int, patient_id: int) -> Patient:
    """The user's listed patient, or 404 (someone else's id looks exactly like a missing one)."""
    patient = await Patient.get_or_none(id=patient_id, user_id=user_id, active=1)
    if patient is None:
        raise NotFound("就诊人不存在")
    return patient


async def list_patients(deps: Deps, *, user_id: int) -> list[dict]:
    rows = await Patient.filter(user_id=user_id, active=1).order_by("-is_default", "id")
    return [patient_json(p, deps) for p in rows]


async def add_patient(deps: Deps, *, user_id: int, name: str, id_number: str, phone: str) -> dict:
    """Validate, find or register in HIS, then store encrypted; the first patient becomes default."""
    name = re.sub(r"\s+", " ", name.strip())
    if not _NAME.match(name):
        raise ValidationFailed("姓名应为2到30个汉字或字母", fields={"name": "姓名格式不正确"})
    info = parse_id_number(id_number, today=shanghai_today(deps.now()))
    phone = normalise_phone(phone)
    id_hash = deps.pii.lookup_hash(info.number)
    if await Patient.exists(user_id=user_id, id_number_hash=id_hash, active=1):
        raise PatientExists()
    if await Patient.filter(user_id=user_id, active=1).count() >= MAX_PATIENTS:
        raise PatientLimitReached()
    his_patient = unwrap(
        await deps.his.find_patient(id_type="01", id_number=info.number, name=name, phone=phone, register=True),
        system="HIS",
        failed={"NAME_MISMATCH": NameMismatch()},
    )
    try:
        async with in_transaction() as conn:
            # The user row lock serialises concurrent additions by one user, so the limit holds.
            await WechatUser.filter(id=user_id).select_for_update().using_db(conn).first()
            listed = await Patient.filter(user_id=user_id, active=1).using_db(conn).count()
            if listed >= MAX_PATIENTS:
                raise PatientLimitReached()
            patient = await Patient.create(
                using_db=conn,
                user_id=user_id,
                name=name,
                sex=info.sex,
                birth_date=info.birth_date,
                id_number_enc=deps.pii.encrypt(info.number),
                id_number_hash=id_hash,
                phone_enc=deps.pii.encrypt(phone),
                phone_hash=deps.pii.lookup_hash(phone),
                pii_key_id=deps.pii.key_id,
                his_patient_id=his_patient.his_patient_id,
                is_default=listed == 0,
            )
    except IntegrityError:
        raise PatientExists() from None
    return patient_json(patient, deps)


async def remove_patient(deps: Deps, *, user_id: int, patient_id: int) -> None:
    """Unlist a patient (history stays); refused while the patient has an active booking."""
    async with in_transaction() as conn:
        patient = (
            await Patient.filter(id=patient_id, user_id=user_id, active=1)
            .select_for_update()
            .using_db(conn)
            .first()
        )
        if patient is None:
            raise NotFound("就诊人不存在")
        if await Booking.filter(patient_id=patient.id, active=1).using_db(conn).exists():
            raise PatientHasBookings()
        was_default = patient.is_default
        patient.active = None
        patient.is_default = False
        await patient.save(using_db=conn, update_fields=["active", "is_default", "updated_at"])
        if was_default:
            nxt = await Patient.filter(user_id=user_id, active=1).order_by("id").using_db(conn).first()
            if nxt:
                await Patient.filter(id=nxt.id).using_db(conn).update(is_default=True)


async def set_default(deps: Deps, *, user_id: int, patient_id: int) -> dict:
    async with in_transaction() as conn:
        patient = await own_patient(user_id, patient_id)
        await Patient.filter(user_id=user_id, active=1).exclude(id=patient.id).using_db(conn).update(
            is_default=False
        )
        await Patient.filter(id=patient.id).using_db(conn).update(is_default=True)
    patient.is_default = True
    return patient_json(patient, deps)

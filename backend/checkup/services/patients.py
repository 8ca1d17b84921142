"""就诊人 of a WeChat user: at most 10, each ID number once, found or registered in HIS."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from checkup.db.errors import UniqueViolation
from checkup.db.uow import unit_of_work
from checkup.domain import privacy
from checkup.domain.clock import shanghai_today
from checkup.domain.documents import DOC_TYPES, ID_CARD, DocumentInfo, key_of_code, parse_document
from checkup.domain.errors import (
    ConsentRequired,
    NotFound,
    PatientExists,
    PatientHasBookings,
    PatientLimitReached,
    PatientNotVerified,
    ValidationFailed,
)
from checkup.domain.masking import mask_id_number, mask_phone, normalise_phone
from checkup.domain.names import name_problem, normalise_name
from checkup.integrations.result import Outcome
from checkup.services.deps import Deps
from checkup.services.upstream import unwrap
from checkup.services.verification import MATCH_FOUND, MATCH_MISMATCH, MATCH_NEW, verification_json

if TYPE_CHECKING:
    from checkup.db.models import Consent, Patient, PatientVerification

MAX_PATIENTS = 10
UowFactory = Callable[..., Any]  # Deps.uow


def patient_json(patient: Patient, deps: Deps, verification: PatientVerification | None = None) -> dict:
    return {
        "id": patient.id,
        "name": patient.name,
        "sex": patient.sex,
        "birth_date": patient.birth_date.isoformat(),
        "doc_type": doc_type_of(patient),
        "id_number_masked": mask_id_number(deps.pii.decrypt(patient.id_number_enc)),
        "phone_masked": mask_phone(deps.pii.decrypt(patient.phone_enc)),
        "is_default": patient.is_default,
        "verified": patient.verified_at is not None,
        "verification": None if patient.verified_at is not None else verification_json(verification, deps),
    }


def doc_type_of(patient: Patient) -> str:
    """The API's doc_type of a row (rows from before document types hold 01, the ID card)."""
    return key_of_code(patient.id_type)


def his_doc_code(deps: Deps, patient_or_type: Patient | str) -> str:
    """The document type code HIS uses (setting CHECKUP_HIS_DOC_TYPE_CODES)."""
    key = patient_or_type if isinstance(patient_or_type, str) else doc_type_of(patient_or_type)
    return deps.his_doc_type_codes[key]


def id_number_key(info: DocumentInfo) -> str:
    """What the ID number hash is taken of: the bare number for the ID card (as before document types),
    the type and number otherwise (a passport number may equal another country's or a permit's)."""
    return info.number if info.doc_type == ID_CARD else f"{info.code}:{info.number}"


async def own_patient(user_id: int, patient_id: int, *, uow: UowFactory = unit_of_work) -> Patient:
    """The user's listed patient, or 404 (someone else's id looks exactly like a missing one)."""
    async with uow(write=False) as work:
        patient = await work.patients.listed_of_user(user_id, patient_id)
    if patient is None:
        raise NotFound("就诊人不存在")
    return patient


async def verified_patient(user_id: int, patient_id: int, *, uow: UowFactory = unit_of_work) -> Patient:
    """The user's listed patient once verified: 404 for someone else's, 403 PATIENT_NOT_VERIFIED before."""
    patient = await own_patient(user_id, patient_id, uow=uow)
    if patient.verified_at is None or not patient.his_patient_id:
        raise PatientNotVerified()
    return patient


async def list_patients(deps: Deps, *, user_id: int) -> list[dict]:
    async with deps.uow(write=False) as work:
        rows = await work.patients.listed(user_id)
        pending = {v.patient_id: v for v in await work.patients.verifications_of(
            [p.id for p in rows if p.verified_at is None])}
    return [patient_json(p, deps, pending.get(p.id)) for p in rows]


async def patient_view(deps: Deps, patient: Patient) -> dict:
    async with deps.uow(write=False) as work:
        verification = await work.patients.verification_of(patient.id)
    return patient_json(patient, deps, verification)


async def has_consented(user_id: int, *, uow: UowFactory = unit_of_work) -> bool:
    async with uow(write=False) as work:
        return await work.patients.has_consent(user_id, privacy.VERSION)


def _consent_json(consent: Consent) -> dict:
    return {"version": consent.version, "purposes": consent.purposes,
            "consented_at": consent.consented_at.isoformat()}


async def list_consents(*, user_id: int, uow: UowFactory = unit_of_work) -> list[dict]:
    async with uow(write=False) as work:
        return [_consent_json(c) for c in await work.patients.consents(user_id)]


async def record_consent(*, user_id: int, version: str, ip: str, now, uow: UowFactory = unit_of_work) -> dict:
    """Consent to the current notice (201); a consent to an older version is refused."""
    if version != privacy.VERSION:
        raise ValidationFailed("隐私政策已更新，请阅读最新版本后再同意", fields={"version": "不是当前版本"})
    async with uow(write=False) as work:
        consent = await work.patients.consent(user_id, version)
        if consent is None:
            try:
                consent = await work.patients.add_consent(user_id=user_id, version=version,
                                                          purposes=list(privacy.PURPOSES), ip=ip[:64], now=now)
            except UniqueViolation:  # the same consent twice at once
                consent = await work.patients.consent(user_id, version)
    assert consent is not None  # noqa: S101 - the row the unique key refused exists
    return _consent_json(consent)


async def _his_lookup(deps: Deps, *, id_type: str, id_number: str, name: str, phone: str) -> tuple[str, str | None, str]:
    """(match, HIS patient id, the phone a code goes to) without registering anyone.

    Every answer leads to the same 201 (see add_patient): a name HIS knows differently is only noted."""
    result = await deps.his.find_patient(id_type=id_type, id_number=id_number, name=name, phone=phone, register=False)
    if result.outcome is Outcome.SUCCESS:
        found = result.success_value()
        return MATCH_FOUND, found.his_patient_id, found.phone or phone
    if result.outcome is Outcome.FAILED and result.code == "NOT_FOUND":
        return MATCH_NEW, None, phone
    if result.outcome is Outcome.FAILED and result.code == "NAME_MISMATCH":
        return MATCH_MISMATCH, None, phone
    unwrap(result, system="HIS")
    raise AssertionError("unreachable")


async def add_patient(deps: Deps, *, user_id: int, name: str, id_number: str, phone: str,
                      doc_type: str = ID_CARD, sex: str | None = None, birth_date=None) -> dict:
    """Validate, look the person up in HIS (registering no one), store encrypted and unverified.

    ``doc_type`` is one of domain/documents.py (the ID card by default); ``sex`` and ``birth_date`` are
    required where the number does not carry them and ignored where it does.

    The first patient becomes the default. The row reaches nothing of the person until verified.
    """
    if not await has_consented(user_id, uow=deps.uow):
        raise ConsentRequired(version=privacy.VERSION)
    name = normalise_name(name)
    problem = name_problem(name)
    if problem:
        raise ValidationFailed(problem, fields={"name": problem})
    if doc_type not in DOC_TYPES:
        raise ValidationFailed("证件类型无效", fields={"doc_type": "证件类型无效"})
    info = parse_document(doc_type, id_number, sex=sex, birth_date=birth_date, today=shanghai_today(deps.now()))
    phone = normalise_phone(phone)
    id_hash = deps.pii.lookup_hash(id_number_key(info))
    async with deps.uow(write=False) as work:
        if await work.patients.document_listed(user_id, id_hash):
            raise PatientExists()
        if await work.patients.count_listed(user_id) >= MAX_PATIENTS:
            raise PatientLimitReached()
    match, his_patient_id, target = await _his_lookup(deps, id_type=his_doc_code(deps, info.doc_type),
                                                      id_number=info.number, name=name, phone=phone)
    try:
        async with deps.uow() as work:
            # The user row lock serialises concurrent additions by one user, so the limit holds.
            await work.patients.lock_account(user_id)
            listed = await work.patients.count_listed(user_id)
            if listed >= MAX_PATIENTS:
                raise PatientLimitReached()
            patient = await work.patients.add(
                user_id=user_id,
                name=name,
                sex=info.sex,
                birth_date=info.birth_date,
                id_type=info.code,
                id_number_enc=deps.pii.encrypt(info.number),
                id_number_hash=id_hash,
                phone_enc=deps.pii.encrypt(phone),
                phone_hash=deps.pii.lookup_hash(phone),
                pii_key_id=deps.pii.key_id,
                his_patient_id="",  # set when verified
                is_default=listed == 0,
            )
            verification = await work.patients.add_verification(
                patient_id=patient.id,
                target_phone_enc=deps.pii.encrypt(target),
                target_phone_hash=deps.pii.lookup_hash(target),
                his_match=match,
                his_patient_id=his_patient_id,
            )
    except UniqueViolation:
        raise PatientExists() from None
    return patient_json(patient, deps, verification)


async def remove_patient(deps: Deps, *, user_id: int, patient_id: int) -> None:
    """Unlist a patient (history stays); refused while the patient has an active booking."""
    async with deps.uow() as work:
        patient = await work.patients.listed_of_user(user_id, patient_id, lock=True)
        if patient is None:
            raise NotFound("就诊人不存在")
        if await work.patients.has_active_booking(patient.id):
            raise PatientHasBookings()
        was_default = patient.is_default
        await work.patients.unlist(patient)
        if was_default:
            nxt = await work.patients.first_listed(user_id)
            if nxt:
                await work.patients.make_default(user_id, nxt.id)


async def set_default(deps: Deps, *, user_id: int, patient_id: int) -> dict:
    async with deps.uow() as work:
        patient = await own_patient(user_id, patient_id, uow=deps.uow)
        await work.patients.make_default(user_id, patient.id)
    patient.is_default = True
    return await patient_view(deps, patient)

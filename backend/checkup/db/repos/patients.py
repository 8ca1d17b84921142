"""The patients repository (issue 15): the statements of this aggregate, nowhere else.

A WeChat identity (WechatUser, the account), its 就诊人 (Patient) with their verification (PatientVerification,
SmsSend) and the privacy consents (Consent)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from tortoise.expressions import F, Q

from checkup.db.models import Booking, Consent, Patient, PatientVerification, SmsSend, WechatUser
from checkup.db.repos import Repository


class PatientsRepository(Repository):
    __slots__ = ()

    # ---- WeChat identities (the accounts) ----------------------------------------------------------
    async def identity(self, appid: str, openid: str) -> WechatUser | None:
        return await WechatUser.get_or_none(appid=appid, openid=openid, using_db=self.conn)

    async def add_identity(self, *, appid: str, openid: str, unionid: str | None, account_id: int | None,
                           now: datetime) -> WechatUser:
        """A new identity; a concurrent first login of the same one raises UniqueViolation (db/errors.py)."""
        return await WechatUser.create(using_db=self.conn, appid=appid, openid=openid, unionid=unionid,
                                       account_id=account_id, last_login_at=now)

    async def save_identity(self, user: WechatUser, fields: Iterable[str]) -> None:
        await user.save(using_db=self.conn, update_fields=list(fields))

    async def first_identity_of_unionid(self, unionid: str, *, other_than_appid: str) -> WechatUser | None:
        """The oldest identity of the person ``unionid`` under another app."""
        return await WechatUser.filter(unionid=unionid).exclude(appid=other_than_appid).order_by("id").using_db(
            self.conn).first()

    async def identity_has_records(self, user_id: int) -> bool:
        """The identity holds patients, or other identities joined its account."""
        return (await Patient.filter(user_id=user_id).using_db(self.conn).exists()
                or await WechatUser.filter(account_id=user_id).using_db(self.conn).exists())

    async def account_identity_under(self, account_id: int, appid: str) -> WechatUser | None:
        """The account's oldest identity under ``appid`` (the account row itself or one joined to it)."""
        return await WechatUser.filter(Q(id=account_id) | Q(account_id=account_id), appid=appid).order_by(
            "id").using_db(self.conn).first()

    async def lock_account(self, user_id: int) -> None:
        """The account row's lock serialises concurrent additions of patients by one user."""
        await WechatUser.filter(id=user_id).select_for_update().using_db(self.conn).first()

    # ---- patients ----------------------------------------------------------------------------------
    async def by_id(self, patient_id: int) -> Patient | None:
        """Listed or removed (a removed patient's history stays)."""
        return await Patient.get_or_none(id=patient_id, using_db=self.conn)

    async def get(self, patient_id: int) -> Patient:
        return await Patient.get(id=patient_id, using_db=self.conn)

    async def listed_of_user(self, user_id: int, patient_id: int, *, lock: bool = False) -> Patient | None:
        """The user's listed (not removed) patient ``patient_id``."""
        query = Patient.filter(id=patient_id, user_id=user_id, active=1).using_db(self.conn)
        return await (query.select_for_update() if lock else query).first()

    async def listed(self, user_id: int) -> list[Patient]:
        """The user's listed patients, the default first."""
        return await Patient.filter(user_id=user_id, active=1).order_by("-is_default", "id").using_db(self.conn)

    async def count_listed(self, user_id: int) -> int:
        return await Patient.filter(user_id=user_id, active=1).using_db(self.conn).count()

    async def document_listed(self, user_id: int, id_number_hash: str) -> bool:
        return await Patient.filter(user_id=user_id, id_number_hash=id_number_hash, active=1).using_db(
            self.conn).exists()

    async def add(self, **values: Any) -> Patient:
        """A new patient row (values: the columns of Patient); a listed document twice raises UniqueViolation."""
        return await Patient.create(using_db=self.conn, **values)

    async def has_active_booking(self, patient_id: int) -> bool:
        return await Booking.filter(patient_id=patient_id, active=1).using_db(self.conn).exists()

    async def unlist(self, patient: Patient) -> None:
        """Remove the patient from the user's list (the row and its history stay)."""
        patient.active = None
        patient.is_default = False
        await patient.save(using_db=self.conn, update_fields=["active", "is_default", "updated_at"])

    async def first_listed(self, user_id: int) -> Patient | None:
        return await Patient.filter(user_id=user_id, active=1).order_by("id").using_db(self.conn).first()

    async def make_default(self, user_id: int, patient_id: int) -> None:
        """``patient_id`` becomes the user's default patient, no other listed one is."""
        await Patient.filter(user_id=user_id, active=1).exclude(id=patient_id).using_db(self.conn).update(
            is_default=False)
        await Patient.filter(id=patient_id).using_db(self.conn).update(is_default=True)

    async def mark_verified(self, patient_id: int, *, his_patient_id: str, now: datetime, by: str) -> int:
        """Link an unverified row to its HIS patient; answers 0 when it was verified meanwhile."""
        return await Patient.filter(id=patient_id, verified_at__isnull=True).using_db(self.conn).update(
            his_patient_id=his_patient_id, verified_at=now, verified_by=by)

    # ---- verification ------------------------------------------------------------------------------
    async def verification_of(self, patient_id: int) -> PatientVerification | None:
        return await PatientVerification.get_or_none(patient_id=patient_id, using_db=self.conn)

    async def verifications_of(self, patient_ids: list[int]) -> list[PatientVerification]:
        return await PatientVerification.filter(patient_id__in=patient_ids).using_db(self.conn)

    async def add_verification(self, **values: Any) -> PatientVerification:
        return await PatientVerification.create(using_db=self.conn, **values)

    async def lock_verification(self, verification_id: int) -> PatientVerification | None:
        return await PatientVerification.filter(id=verification_id).select_for_update().using_db(self.conn).first()

    async def set_code(self, verification_id: int, *, code_hash: str, expires_at: datetime, now: datetime) -> None:
        """A new code was made: its hash, its expiry, no tries yet."""
        await PatientVerification.filter(id=verification_id).using_db(self.conn).update(
            code_hash=code_hash, code_expires_at=expires_at, tries=0, last_sent_at=now)

    async def void_code(self, verification_id: int) -> None:
        await PatientVerification.filter(id=verification_id).using_db(self.conn).update(code_hash=None)

    async def take_code(self, verification_id: int, code_hash: str | None) -> int:
        """Consume the code (a guarded update: it works once); answers 0 when it was used or replaced."""
        return await PatientVerification.filter(id=verification_id, code_hash=code_hash).using_db(self.conn).update(
            code_hash=None)

    async def count_wrong_try(self, verification_id: int, *, max_tries: int, locked_until: datetime) -> None:
        """One more wrong try; the ``max_tries``-th voids the code and locks the row until ``locked_until``."""
        await PatientVerification.filter(id=verification_id, tries__lt=max_tries).using_db(self.conn).update(
            tries=F("tries") + 1)
        await PatientVerification.filter(id=verification_id, tries__gte=max_tries,
                                         code_hash__isnull=False).using_db(self.conn).update(
            code_hash=None, locked_until=locked_until)

    async def lock_out(self, verification_id: int, *, max_tries: int, locked_until: datetime) -> None:
        """After ``max_tries`` failures with no code to void: lock the row, the tries start again."""
        await PatientVerification.filter(id=verification_id, tries__gte=max_tries).using_db(self.conn).update(
            tries=0, code_hash=None, locked_until=locked_until)

    # ---- texts sent (the send limits) --------------------------------------------------------------
    async def texts_since(self, *, patient_id: int | None = None, phone_hash: str | None = None,
                          id_number_hash: str | None = None, since: datetime) -> int:
        """How many codes went (per patient row, per phone or per ID number) after ``since``."""
        key = ({"patient_id": patient_id} if patient_id is not None
               else {"phone_hash": phone_hash} if phone_hash is not None else {"id_number_hash": id_number_hash})
        return await SmsSend.filter(**key, sent_at__gt=since).using_db(self.conn).count()

    async def text_since(self, *, patient_id: int | None = None, phone_hash: str | None = None,
                         id_number_hash: str | None = None, since: datetime) -> bool:
        key = ({"patient_id": patient_id} if patient_id is not None
               else {"phone_hash": phone_hash} if phone_hash is not None else {"id_number_hash": id_number_hash})
        return await SmsSend.filter(**key, sent_at__gt=since).using_db(self.conn).exists()

    async def add_text(self, *, patient_id: int, phone_hash: str, id_number_hash: str, now: datetime) -> SmsSend:
        return await SmsSend.create(using_db=self.conn, patient_id=patient_id, phone_hash=phone_hash,
                                    id_number_hash=id_number_hash, sent_at=now)

    async def set_text_serial(self, send_id: int, serial: str) -> None:
        await SmsSend.filter(id=send_id).using_db(self.conn).update(provider_serial=serial)

    async def drop_text(self, send_id: int) -> None:
        """A text that never went out: it does not count."""
        await SmsSend.filter(id=send_id).using_db(self.conn).delete()

    # ---- consents ----------------------------------------------------------------------------------
    async def has_consent(self, user_id: int, version: str) -> bool:
        return await Consent.filter(user_id=user_id, version=version).using_db(self.conn).exists()

    async def consents(self, user_id: int) -> list[Consent]:
        return await Consent.filter(user_id=user_id).order_by("-consented_at", "-id").using_db(self.conn)

    async def consent(self, user_id: int, version: str) -> Consent | None:
        return await Consent.get_or_none(user_id=user_id, version=version, using_db=self.conn)

    async def add_consent(self, *, user_id: int, version: str, purposes: list[str], ip: str,
                          now: datetime) -> Consent:
        """The consent; the same one twice at once raises UniqueViolation."""
        return await Consent.create(using_db=self.conn, user_id=user_id, version=version, purposes=purposes, ip=ip,
                                    consented_at=now)


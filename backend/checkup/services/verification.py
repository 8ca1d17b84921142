"""Verification of a 就诊人: an SMS code to the phone HIS holds for the person (else the one typed).

One answer for every failure (VERIFICATION_FAILED): a wrong, expired or used code, and an identity HIS
does not confirm (the name differs from HIS's record) all look the same, so nothing tells an account
typing someone else's ID number whether it guessed the name. A new person is registered in HIS only
after their code was entered. See docs/patient-identity.md.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from checkup.domain import verification as rules
from checkup.domain.documents import ID_CARD, carries_sex_and_birth, key_of_code
from checkup.domain.errors import (
    AlreadyVerified,
    NotFound,
    RealNameUnavailable,
    SmsTooFrequent,
    SmsUnavailable,
    VerificationFailed,
    VerificationLocked,
)
from checkup.domain.masking import mask_phone
from checkup.integrations.result import Outcome
from checkup.services.deps import Deps
from checkup.services.upstream import unwrap

if TYPE_CHECKING:
    from checkup.db.models import Patient, PatientVerification

log = logging.getLogger("checkup.verification")

MATCH_FOUND, MATCH_NEW, MATCH_MISMATCH = "found", "new", "mismatch"


class SmsLatency:
    """How long texts take lately (a moving average of successful sends, in this process): a code withheld
    for a wrong name waits as long, so the answer's timing does not tell a wrong name from a right one."""

    def __init__(self, initial: float = 0.2, weight: float = 0.2, ceiling: float = 5.0) -> None:
        self.seconds = initial
        self._weight = weight
        self._ceiling = ceiling

    def observe(self, seconds: float) -> None:
        seconds = min(max(seconds, 0.0), self._ceiling)
        self.seconds += self._weight * (seconds - self.seconds)


sms_latency = SmsLatency()
_pause = asyncio.sleep  # tests record the wait instead of timing it


def verification_json(v: PatientVerification | None, deps: Deps) -> dict | None:
    if v is None:
        return None
    return {"channel": "sms", "phone_masked": mask_phone(deps.pii.decrypt(v.target_phone_enc))}


async def _patient_and_verification(deps: Deps, user_id: int,
                                    patient_id: int) -> tuple[Patient, PatientVerification]:
    async with deps.uow(write=False) as work:
        patient = await work.patients.listed_of_user(user_id, patient_id)
        if patient is None:
            raise NotFound("就诊人不存在")
        if patient.verified_at is not None:
            raise AlreadyVerified()
        v = await work.patients.verification_of(patient.id)
    if v is None:  # a row from before verification existed: it gets one on its first send
        raise NotFound("就诊人不存在")
    return patient, v


def _locked(v: PatientVerification, now: datetime) -> bool:
    return v.locked_until is not None and v.locked_until > now


def _lock_error(v: PatientVerification, now: datetime) -> VerificationLocked:
    """The 429 of a locked row (``_locked``): retry once the lock ends."""
    until = v.locked_until or now
    return VerificationLocked(retry_after=int((until - now).total_seconds()) + 1)


async def _check_send_limits(v: PatientVerification, patient: Patient, now: datetime,
                             limits: rules.SendLimits, work: Any) -> None:
    # On the transaction's own connection: a second one from the pool per request can exhaust the pool.
    # Per 就诊人 row, per phone, and per ID number (every account's rows of one person together).
    keys: tuple[dict[str, Any], ...] = ({"patient_id": patient.id}, {"phone_hash": v.target_phone_hash},
                                        {"id_number_hash": patient.id_number_hash})
    for key in keys:
        if limits.interval and await work.patients.text_since(**key, since=now - limits.interval):
            raise SmsTooFrequent("验证码已发送，请稍后再试", retry_after=int(limits.interval.total_seconds()))
        if await work.patients.texts_since(**key, since=now - timedelta(days=1)) >= limits.per_day:
            raise SmsTooFrequent("今日验证码发送次数已达上限，请明天再试")


async def send_code(deps: Deps, *, user_id: int, patient_id: int, secret: str) -> dict:
    """Send a new code (202): one a minute and ten a day per patient, per phone and per ID number."""
    patient, v = await _patient_and_verification(deps, user_id, patient_id)
    now = deps.now()
    if _locked(v, now):
        raise _lock_error(v, now)
    if deps.sms is None:
        raise SmsUnavailable()
    code = rules.new_code()
    async with deps.uow() as work:
        locked = await work.patients.lock_verification(v.id)
        if locked is None:
            raise RuntimeError(f"verification {v.id} vanished while sending a code")
        await _check_send_limits(locked, patient, now, deps.verification_limits, work)
        await work.patients.set_code(v.id, code_hash=rules.code_hash(secret, patient.id, code),
                                     expires_at=now + rules.CODE_TTL, now=now)
        send = await work.patients.add_text(patient_id=patient.id, phone_hash=locked.target_phone_hash,
                                            id_number_hash=patient.id_number_hash, now=now)
    pool = deps.uow(write=False)  # each statement below commits on its own, as before
    phone = deps.pii.decrypt(v.target_phone_enc)
    if v.his_match == MATCH_MISMATCH:
        # HIS knows this ID number under another name: no text goes out, and the answer looks like any other,
        # and takes as long: as long as texts take lately, then the same write as after a text.
        log.info("verification code withheld: name differs from HIS (patient %s)", patient.id)
        await _pause(sms_latency.seconds)
        await pool.patients.set_text_serial(send.id, "")
    else:
        started = time.monotonic()
        result = await deps.sms.send_code(phone=phone, code=code,
                                          minutes=int(rules.CODE_TTL.total_seconds() // 60))
        if result.outcome is Outcome.SUCCESS:
            sms_latency.observe(time.monotonic() - started)
        if result.outcome is not Outcome.SUCCESS:
            log.warning("SMS send %s: %s %s", result.outcome, result.code, result.message)
            if result.outcome is Outcome.FAILED:
                await pool.patients.drop_text(send.id)  # never sent: it does not count
                await pool.patients.void_code(v.id)
            raise SmsUnavailable()
        await pool.patients.set_text_serial(send.id, result.success_value().serial_no[:100])
    return {"channel": "sms", "phone_masked": mask_phone(phone),
            "expires_in": int(rules.CODE_TTL.total_seconds()),
            "resend_after": int(deps.verification_limits.interval.total_seconds())}


def _code_matches(v: PatientVerification, patient: Patient, code: str, *, secret: str, now: datetime) -> bool:
    if not (len(code) == rules.CODE_LENGTH and code.isascii() and code.isdigit()):
        return False
    return (v.tries < rules.MAX_TRIES and v.code_expires_at is not None and v.code_expires_at > now
            and rules.codes_equal(v.code_hash, rules.code_hash(secret, patient.id, code)))


async def _count_wrong(deps: Deps, v: PatientVerification, now: datetime, lock_for: timedelta) -> None:
    async with deps.uow(write=False) as work:  # each statement on its own, as before
        await work.patients.count_wrong_try(v.id, max_tries=rules.MAX_TRIES, locked_until=now + lock_for)


async def _his_patient_for(deps: Deps, patient: Patient, v: PatientVerification, now: datetime) -> str:
    """The HIS patient of a row whose holder has just proved themselves: the one found when it was added, or
    a person new to HIS registered now (never before)."""
    if v.his_match != MATCH_NEW:
        if not v.his_patient_id:
            raise RuntimeError(f"verification {v.id} matched HIS but kept no HIS patient id")
        return v.his_patient_id
    number = deps.pii.decrypt(patient.id_number_enc)
    doc_type = key_of_code(patient.id_type)
    given = not carries_sex_and_birth(doc_type, number)  # passports, permits: sex and birth date sent
    result = await deps.his.find_patient(
        id_type=deps.his_doc_type_codes[doc_type], id_number=number, name=patient.name,
        phone=deps.pii.decrypt(patient.phone_enc), register=True,
        sex=patient.sex if given else None, birth_date=patient.birth_date if given else None)
    if result.outcome is Outcome.FAILED:  # registered meanwhile under another name
        await _count_wrong(deps, v, now, deps.verification_limits.lock_for)
        raise VerificationFailed()
    return unwrap(result, system="HIS").his_patient_id


async def verify(deps: Deps, *, user_id: int, patient_id: int, code: str, secret: str) -> Patient:
    """Check the code; on success link the row to the HIS patient (registering a new person now)."""
    patient, v = await _patient_and_verification(deps, user_id, patient_id)
    now = deps.now()
    if _locked(v, now):
        raise _lock_error(v, now)
    if not _code_matches(v, patient, code, secret=secret, now=now) or v.his_match == MATCH_MISMATCH:
        await _count_wrong(deps, v, now, deps.verification_limits.lock_for)
        raise VerificationFailed()
    his_patient_id = await _his_patient_for(deps, patient, v, now)
    async with deps.uow() as work:
        # The code works once: consumed by a guarded update in the transaction that verifies the row.
        taken = await work.patients.take_code(v.id, v.code_hash)
        updated = await work.patients.mark_verified(patient.id, his_patient_id=his_patient_id, now=now, by="sms")
        if not (taken and updated):
            raise VerificationFailed()
    async with deps.uow(write=False) as work:
        return await work.patients.get(patient.id)


async def _miniprogram_openid(deps: Deps, user_id: int, appid: str) -> str | None:
    """The account's openid under the mini-program (the identity WeChat's real-name check is about)."""
    async with deps.uow(write=False) as work:
        identity = await work.patients.account_identity_under(user_id, appid)
    return identity.openid if identity else None


async def verify_realname(deps: Deps, *, user_id: int, patient_id: int, code: str, appid: str) -> Patient:
    """The account holder's own 就诊人 verified against their WeChat real name instead of a texted code.

    ``code`` is the one-time code WeChat hands back after the user agreed on its consent page. Only the
    resident ID card can be checked (WeChat's limit), and only the holder's own identity: a family member's
    name and number are not the holder's real name, so they stay with SMS. Any mismatch answers like a wrong
    code (VERIFICATION_FAILED) and counts as one (five lock the row). A name HIS knows differently fails too.
    """
    patient, v = await _patient_and_verification(deps, user_id, patient_id)  # someone else's row: 404 first
    if deps.realname is None:
        raise RealNameUnavailable()
    now = deps.now()
    if _locked(v, now):
        raise _lock_error(v, now)
    openid = await _miniprogram_openid(deps, user_id, appid)
    if key_of_code(patient.id_type) != ID_CARD or openid is None:
        raise RealNameUnavailable("该证件类型不支持微信实名验证，请使用短信验证码验证")
    result = await deps.realname.check(openid=openid, name=patient.name,
                                       id_number=deps.pii.decrypt(patient.id_number_enc), code=code)
    if result.outcome is Outcome.UNKNOWN:
        unwrap(result, system="微信")
    matched = result.outcome is Outcome.SUCCESS and result.success_value().matches
    if not matched or v.his_match == MATCH_MISMATCH:
        if result.outcome is Outcome.FAILED:
            log.info("real-name check refused by WeChat: %s %s (patient %s)", result.code, result.message, patient.id)
        await _count_wrong(deps, v, now, deps.verification_limits.lock_for)
        # the fifth failure locks the row here too (no texted code to void): five more after the lock
        async with deps.uow(write=False) as work:
            await work.patients.lock_out(v.id, max_tries=rules.MAX_TRIES,
                                         locked_until=now + deps.verification_limits.lock_for)
        raise VerificationFailed("微信实名信息与该就诊人不一致，请使用短信验证码验证")
    his_patient_id = await _his_patient_for(deps, patient, v, now)
    async with deps.uow() as work:
        updated = await work.patients.mark_verified(patient.id, his_patient_id=his_patient_id, now=now,
                                                    by="wechat_realname")
        await work.patients.void_code(v.id)
        if not updated:
            raise VerificationFailed()
    async with deps.uow(write=False) as work:
        return await work.patients.get(patient.id)

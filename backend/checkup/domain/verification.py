"""Rules of 就诊人 verification by SMS code: lengths, lifetimes and limits, no I/O."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=5)
MAX_TRIES = 5  # wrong entries of one code; the fifth locks the patient's verification


@dataclass(frozen=True, slots=True)
class SendLimits:
    """How often codes may be texted, per patient row and per phone (settings CHECKUP_VERIFICATION_*)."""

    interval: timedelta = timedelta(minutes=1)  # at most one text a minute
    per_day: int = 10  # in a rolling 24 hours
    lock_for: timedelta = timedelta(minutes=30)  # after MAX_TRIES wrong codes


def new_code() -> str:
    """Six random ASCII digits."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def code_hash(secret: str, patient_id: int, code: str) -> str:
    """The stored form of a code: keyed and bound to the patient row, so a table dump reveals nothing."""
    return hmac.new(secret.encode(), f"verify:{patient_id}:{code}".encode(), hashlib.sha256).hexdigest()


def codes_equal(stored: str | None, given: str) -> bool:
    return stored is not None and hmac.compare_digest(stored, given)

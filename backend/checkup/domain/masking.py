"""Masking of personal data wherever the full value is not needed."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from checkup.domain.errors import InvalidPhone

_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits only

# Personal data inside free text (logs, audit details): ID numbers and mainland mobile numbers in every
# written form: 13812345678, 138-1234-5678, 138 1234 5678, 138.1234.5678, +86 138..., 0086-138...,
# (+86)138..., 86 138... The lookarounds keep longer numbers (order numbers, timestamps) whole.
_ALNUM_BEFORE = r"(?<![0-9A-Za-z])"
_ALNUM_AFTER = r"(?![0-9A-Za-z])"
_ID_IN_TEXT = re.compile(_ALNUM_BEFORE + r"(\d{6})\d{8}(\d{3}[\dXx])" + _ALNUM_AFTER)
_SEP = r"[ \t.\-\u00a0]?"
_MOBILE_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z+])((?:\(?(?:\+|00)86\)?|86)[ \t.\-\u00a0]*)?(1[3-9]\d)" + _SEP + r"(\d{4})" + _SEP
    + r"(\d{4})" + _ALNUM_AFTER)


def mask_personal_text(text: str) -> str:
    """``text`` with ID numbers (110101********1234) and mobile numbers (138****5678) masked."""
    if not text:
        return text
    text = _ID_IN_TEXT.sub(r"\1********\2", text)
    return _MOBILE_IN_TEXT.sub(lambda m: (m.group(1) or "") + m.group(2) + "****" + m.group(4), text)


def mask_personal_data(value: Any) -> Any:
    """The same for every string inside a JSON-like value (audit details)."""
    if isinstance(value, str):
        return mask_personal_text(value)
    if isinstance(value, dict):
        return {k: mask_personal_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_personal_data(v) for v in value]
    return value


def normalise_phone(raw: str) -> str:
    """A mainland mobile number, 11 digits; raise InvalidPhone."""
    phone = re.sub(r"[\s-]", "", raw or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not _MOBILE.match(phone):
        raise InvalidPhone(field="phone")
    return phone


def mask_phone(phone: str | None) -> str:
    """138****5678."""
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


AGE_BAND_YEARS = 5
AGE_BAND_TOP = 90  # from here one open band ("90+"): the very old are few


def age_band(birth_date: date, day: date) -> str:
    """The five-year band of the age on ``day`` ("40–44"): shown instead of the exact age wherever a masked
    ID number is (an exact age narrows the birth date that the masked digits hide, and with the checksum the
    full number could be rebuilt from a short list)."""
    years = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
    if years >= AGE_BAND_TOP:
        return f"{AGE_BAND_TOP}+"
    low = max(0, years) // AGE_BAND_YEARS * AGE_BAND_YEARS
    return f"{low}–{low + AGE_BAND_YEARS - 1}"


def mask_id_number(number: str | None) -> str:
    """110101********1234."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_name(name: str | None) -> str:
    """张*丰 / 李*: for logs and places where a full name is not needed."""
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]

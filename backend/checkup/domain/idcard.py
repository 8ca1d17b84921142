"""Chinese resident ID numbers (GB 11643-1999): checksum ISO 7064 MOD 11-2, sex and birth date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from checkup.domain.errors import InvalidIdNumber

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^[1-9][0-9]{16}[0-9X]$")  # ASCII digits only (\d would take ٣ or ３ too)


@dataclass(frozen=True, slots=True)
class IdCardInfo:
    number: str  # normalised: upper-case X
    sex: str  # "male" | "female"
    birth_date: date
    region: str


def check_digit(first17: str) -> str:
    """The 18th character for the first 17 digits."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def parse_id_number(raw: str, *, today: date | None = None) -> IdCardInfo:
    """Validate an 18-character ID number and derive sex and birth date; raise InvalidIdNumber."""
    number = (raw or "").strip().upper()
    if not _PATTERN.match(number):
        raise InvalidIdNumber("身份证号码应为18位", field="id_number")
    if check_digit(number[:17]) != number[17]:
        raise InvalidIdNumber("身份证号码校验位不正确，请核对", field="id_number")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("身份证号码中的出生日期无效", field="id_number") from None
    if birth.year < 1900 or (today is not None and birth > today):
        raise InvalidIdNumber("身份证号码中的出生日期无效", field="id_number")
    sex = "male" if int(number[16]) % 2 == 1 else "female"
    return IdCardInfo(number=number, sex=sex, birth_date=birth, region=number[:6])


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))

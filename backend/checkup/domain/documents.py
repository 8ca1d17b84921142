"""Identity documents a 就诊人 may be added with, each validated as far as its number's format allows.

Six types (``doc_type`` in the API): 居民身份证 (the default), 港澳台居民居住证, 外国人永久居留身份证,
港澳居民来往内地通行证, 台湾居民来往大陆通行证 and 护照. A patient row keeps the type's ``code`` (its
``id_type`` column); HIS receives the code the hospital's HIS uses for it (setting
CHECKUP_HIS_DOC_TYPE_CODES, defaults in DEFAULT_HIS_CODES). Where the number carries sex and birth date
(the ID card, the residence permit, the foreigner's card of the 2023 format) they are read from it;
elsewhere they must be given. ASCII characters only, like every number the app takes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from checkup.domain.errors import InvalidIdNumber, ValidationFailed
from checkup.domain.idcard import check_digit, parse_id_number

ID_CARD = "id_card"
RESIDENCE_PERMIT = "residence_permit"  # 港澳台居民居住证
FOREIGN_PERMANENT = "foreign_permanent_resident"  # 外国人永久居留身份证
HK_MACAU_PERMIT = "hk_macau_permit"  # 港澳居民来往内地通行证
TAIWAN_PERMIT = "taiwan_permit"  # 台湾居民来往大陆通行证
PASSPORT = "passport"  # 护照


@dataclass(frozen=True, slots=True)
class DocType:
    key: str  # the API's doc_type
    code: str  # stored in patient.id_type (at most 4 characters)
    label: str


DOC_TYPES: dict[str, DocType] = {
    t.key: t
    for t in (
        DocType(ID_CARD, "01", "居民身份证"),
        DocType(RESIDENCE_PERMIT, "RP", "港澳台居民居住证"),
        DocType(FOREIGN_PERMANENT, "FPR", "外国人永久居留身份证"),
        DocType(HK_MACAU_PERMIT, "06", "港澳居民来往内地通行证"),
        DocType(TAIWAN_PERMIT, "07", "台湾居民来往大陆通行证"),
        DocType(PASSPORT, "03", "护照"),
    )
}
BY_CODE: dict[str, DocType] = {t.code: t for t in DOC_TYPES.values()}

# The codes sent to HIS unless the hospital's HIS uses others (CHECKUP_HIS_DOC_TYPE_CODES). 01, 03, 06 and
# 07 follow the 身份证件类别代码 of WS 364.3 (CV02.01.101); that table has no code for the residence
# permit or the foreigner's permanent residence card, so 08 and 09 are placeholders to be confirmed
# with the HIS vendor.
DEFAULT_HIS_CODES: dict[str, str] = {
    ID_CARD: "01",
    PASSPORT: "03",
    HK_MACAU_PERMIT: "06",
    TAIWAN_PERMIT: "07",
    FOREIGN_PERMANENT: "08",
    RESIDENCE_PERMIT: "09",
}


def key_of_code(code: str | None) -> str:
    """The doc_type of a stored code (rows from before document types hold 01, the ID card)."""
    kind = BY_CODE.get(code or "01")
    return kind.key if kind else ID_CARD


def his_code_map(text: str | None) -> dict[str, str]:
    """The HIS codes: the defaults overridden by a JSON object {"passport": "14", ...}; raise ValueError."""
    codes = dict(DEFAULT_HIS_CODES)
    if text and text.strip():
        given = json.loads(text)
        if not isinstance(given, dict):
            raise ValueError("CHECKUP_HIS_DOC_TYPE_CODES must be a JSON object")
        for key, value in given.items():
            if key not in DOC_TYPES:
                raise ValueError(f"unknown document type {key!r}; known: {', '.join(DOC_TYPES)}")
            if not isinstance(value, str) or not value.strip() or len(value) > 16:
                raise ValueError(f"the HIS code of {key} must be a non-empty string of at most 16 characters")
            codes[key] = value.strip()
    return codes


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    doc_type: str
    number: str  # normalised: ASCII upper case, no spaces
    sex: str  # male | female
    birth_date: date

    @property
    def code(self) -> str:
        return DOC_TYPES[self.doc_type].code


_DIGITS18 = re.compile(r"^[0-9]{17}[0-9X]$")
_FOREIGN_NEW = re.compile(r"^9[0-9]{16}[0-9X]$")
_FOREIGN_OLD = re.compile(r"^[A-Z]{3}[0-9]{12}$")
_HK_MACAU = re.compile(r"^[HM](?:[0-9]{8}|[0-9]{10})$")
_TAIWAN = re.compile(r"^[0-9]{8}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,17}$")

_FORMATS = {
    RESIDENCE_PERMIT: "港澳台居民居住证号码应为18位，以81、82或83开头",
    FOREIGN_PERMANENT: "外国人永久居留身份证号码应为以9开头的18位，或旧版15位（3个字母加12位数字）",
    HK_MACAU_PERMIT: "港澳居民来往内地通行证号码应为H或M加8位或10位数字",
    TAIWAN_PERMIT: "台湾居民来往大陆通行证号码应为8位数字",
    PASSPORT: "护照号码应为5至17位字母或数字",
}


def _checked18(number: str, label: str) -> None:
    if check_digit(number[:17]) != number[17]:
        raise InvalidIdNumber(f"{label}号码校验位不正确，请核对", field="id_number")


def _sex_birth_from18(number: str, label: str, today: date | None) -> tuple[str, date]:
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(f"{label}号码中的出生日期无效", field="id_number") from None
    if birth.year < 1900 or (today is not None and birth > today):
        raise InvalidIdNumber(f"{label}号码中的出生日期无效", field="id_number")
    return ("male" if int(number[16]) % 2 == 1 else "female"), birth


def _given_sex_birth(sex: str | None, birth_date: date | None, label: str, today: date | None) -> tuple[str, date]:
    fields: dict[str, str] = {}
    if sex not in ("male", "female"):
        fields["sex"] = "请选择性别"
    if birth_date is None:
        fields["birth_date"] = "请填写出生日期"
    elif birth_date.year < 1900 or (today is not None and birth_date > today):
        fields["birth_date"] = "出生日期无效"
    if fields:
        raise ValidationFailed(f"使用{label}时请填写性别和出生日期", fields=fields)
    if sex is None or birth_date is None:  # unreachable: both were required above
        raise ValidationFailed(f"使用{label}时请填写性别和出生日期", fields={"sex": "请选择性别"})
    return sex, birth_date


def parse_document(doc_type: str, raw: str, *, sex: str | None = None, birth_date: date | None = None,
                   today: date | None = None) -> DocumentInfo:
    """Validate a document number; sex and birth date from the number where it carries them, else the
    given ones (required then). Raise InvalidIdNumber (the number) or ValidationFailed (sex, birth date)."""
    kind = DOC_TYPES.get(doc_type)
    if kind is None:
        raise ValidationFailed("证件类型无效", fields={"doc_type": "证件类型无效"})
    if doc_type == ID_CARD:
        info = parse_id_number(raw, today=today)
        return DocumentInfo(ID_CARD, info.number, info.sex, info.birth_date)
    number = re.sub(r"[ \t]", "", raw or "").upper()
    if not number.isascii():  # no full-width or other scripts' digits or letters
        raise InvalidIdNumber(_FORMATS[doc_type], field="id_number")
    label = kind.label
    if doc_type == RESIDENCE_PERMIT:
        if not (_DIGITS18.match(number) and number[:2] in ("81", "82", "83")):
            raise InvalidIdNumber(_FORMATS[doc_type], field="id_number")
        _checked18(number, label)
        got_sex, got_birth = _sex_birth_from18(number, label, today)
        return DocumentInfo(doc_type, number, got_sex, got_birth)
    if doc_type == FOREIGN_PERMANENT:
        if _FOREIGN_NEW.match(number):  # 2023 format: 9, place, nationality, birth date, sequence, check
            _checked18(number, label)
            got_sex, got_birth = _sex_birth_from18(number, label, today)
            return DocumentInfo(doc_type, number, got_sex, got_birth)
        if not _FOREIGN_OLD.match(number):  # 2004 format: nationality letters, place, yymmdd, sequence, check
            raise InvalidIdNumber(_FORMATS[doc_type], field="id_number")
    elif doc_type == HK_MACAU_PERMIT:
        if not _HK_MACAU.match(number):
            raise InvalidIdNumber(_FORMATS[doc_type], field="id_number")
    elif doc_type == TAIWAN_PERMIT:
        if not _TAIWAN.match(number):
            raise InvalidIdNumber(_FORMATS[doc_type], field="id_number")
    elif not _PASSPORT.match(number):
        raise InvalidIdNumber(_FORMATS[doc_type], field="id_number")
    got_sex, got_birth = _given_sex_birth(sex, birth_date, label, today)
    return DocumentInfo(doc_type, number, got_sex, got_birth)


def carries_sex_and_birth(doc_type: str, number: str = "") -> bool:
    """Whether a number of this type carries sex and birth date (the pages then do not ask for them)."""
    if doc_type in (ID_CARD, RESIDENCE_PERMIT):
        return True
    return doc_type == FOREIGN_PERMANENT and bool(_FOREIGN_NEW.match(number.strip().upper()))

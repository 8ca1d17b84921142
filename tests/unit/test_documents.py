"""Identity documents beside the resident ID card (issue 11 point 5): formats, checksums, sex and birth date."""

from __future__ import annotations

from datetime import date

import pytest

from checkup.domain import documents as d
from checkup.domain.errors import InvalidIdNumber, ValidationFailed
from support.sandbox import make_id_number

BORN = date(1980, 5, 6)


def checked(first17: str) -> str:
    return make_id_number(region=first17[:6], birth=first17[6:14], seq=first17[14:17])


def test_the_id_card_is_the_default_and_carries_sex_and_birth():
    info = d.parse_document(d.ID_CARD, make_id_number(birth="19900307", seq="124"))
    assert (info.doc_type, info.code, info.sex, info.birth_date) == ("id_card", "01", "female", date(1990, 3, 7))
    with pytest.raises(InvalidIdNumber):
        d.parse_document(d.ID_CARD, "110105199003071230")


@pytest.mark.parametrize("prefix", ["810000", "820000", "830000"])
def test_residence_permits_have_the_id_card_checksum_and_an_81_82_83_prefix(prefix):
    number = checked(prefix + "19750102" + "125")
    info = d.parse_document(d.RESIDENCE_PERMIT, number.lower())
    assert (info.number, info.sex, info.birth_date) == (number, "male", date(1975, 1, 2))
    wrong_check = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(InvalidIdNumber, match="校验位"):
        d.parse_document(d.RESIDENCE_PERMIT, wrong_check)


def test_a_resident_id_number_is_not_a_residence_permit():
    with pytest.raises(InvalidIdNumber, match="81、82或83"):
        d.parse_document(d.RESIDENCE_PERMIT, make_id_number())


def test_the_new_foreigners_card_has_a_checksum_and_carries_sex_and_birth():
    number = checked("911156" + "19880909" + "012")
    info = d.parse_document(d.FOREIGN_PERMANENT, number)
    assert (info.sex, info.birth_date) == ("female", date(1988, 9, 9))
    with pytest.raises(InvalidIdNumber, match="校验位"):
        d.parse_document(d.FOREIGN_PERMANENT, number[:17] + ("0" if number[17] != "0" else "1"))
    assert d.carries_sex_and_birth(d.FOREIGN_PERMANENT, number)


def test_the_old_foreigners_card_asks_for_sex_and_birth():
    with pytest.raises(ValidationFailed) as err:
        d.parse_document(d.FOREIGN_PERMANENT, "USA110880909012")
    assert set(err.value.details["fields"]) == {"sex", "birth_date"}
    info = d.parse_document(d.FOREIGN_PERMANENT, "usa110880909012", sex="male", birth_date=BORN)
    assert (info.number, info.sex, info.birth_date) == ("USA110880909012", "male", BORN)
    assert not d.carries_sex_and_birth(d.FOREIGN_PERMANENT, "USA110880909012")
    for bad in ("US1110880909012", "USA11088090901", "811156198809090123"):
        with pytest.raises(InvalidIdNumber):
            d.parse_document(d.FOREIGN_PERMANENT, bad, sex="male", birth_date=BORN)


@pytest.mark.parametrize(("doc_type", "good", "bad"), [
    (d.HK_MACAU_PERMIT, ["H12345678", "M1234567890", "h 1234 5678"], ["H1234567", "X12345678", "H123456789",
                                                                     "H1234567８"]),
    (d.TAIWAN_PERMIT, ["12345678"], ["1234567", "123456789", "T1234567", "１2345678"]),
    (d.PASSPORT, ["E12345678", "G1234", "AB1234567890CDEFG"], ["E123", "AB1234567890CDEFGH", "E-1234567",
                                                              "Е12345678"]),  # Cyrillic Е
])
def test_permits_and_passports_take_their_format_and_need_sex_and_birth(doc_type, good, bad):
    for number in good:
        info = d.parse_document(doc_type, number, sex="female", birth_date=BORN, today=date(2026, 1, 1))
        assert info.number == number.replace(" ", "").upper() and info.sex == "female"
        assert not d.carries_sex_and_birth(doc_type, number)
    for number in bad:
        with pytest.raises(InvalidIdNumber):
            d.parse_document(doc_type, number, sex="female", birth_date=BORN)
    with pytest.raises(ValidationFailed):
        d.parse_document(doc_type, good[0], birth_date=BORN)
    with pytest.raises(ValidationFailed):
        d.parse_document(doc_type, good[0], sex="male")
    with pytest.raises(ValidationFailed):
        d.parse_document(doc_type, good[0], sex="male", birth_date=date(2030, 1, 1), today=date(2026, 1, 1))


def test_an_unknown_type_is_refused():
    with pytest.raises(ValidationFailed):
        d.parse_document("driving_licence", "12345678", sex="male", birth_date=BORN)


def test_his_codes_come_from_a_configurable_map():
    assert d.his_code_map("") == d.DEFAULT_HIS_CODES
    codes = d.his_code_map('{"passport": "14", "residence_permit": "16"}')
    assert codes["passport"] == "14" and codes["residence_permit"] == "16" and codes["id_card"] == "01"
    for bad in ('{"licence": "05"}', '["01"]', '{"passport": ""}', '{"passport": 3}'):
        with pytest.raises(ValueError):
            d.his_code_map(bad)
    assert {t.code for t in d.DOC_TYPES.values()} == set(d.BY_CODE) and all(len(c) <= 4 for c in d.BY_CODE)

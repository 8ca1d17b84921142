"""Rules of patient identity without I/O: names (shared with the mini-program), ASCII digits, codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkup.domain import verification
from checkup.domain.errors import InvalidIdNumber, InvalidPhone
from checkup.domain.idcard import parse_id_number
from checkup.domain.masking import normalise_phone
from checkup.domain.names import name_problem, normalise_name

CASES = json.loads((Path(__file__).parents[1] / "fixtures" / "names.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("raw", "stored"), CASES["accepted"])
def test_names_people_have_are_accepted(raw, stored):
    assert normalise_name(raw) == stored
    assert name_problem(stored) == ""


@pytest.mark.parametrize("raw", CASES["refused"])
def test_names_that_are_not_names_are_refused(raw):
    assert name_problem(normalise_name(raw)) != ""


def test_rare_characters_count_as_one():
    assert name_problem("𠮷" * 50) == "" and name_problem("𠮷" * 51) != ""


@pytest.mark.parametrize("digits", ["١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "１１０１０５１９４９１２３１００２X", "11010519491231002X".replace("1", "𝟏")])
def test_id_numbers_take_ascii_digits_only(digits):
    with pytest.raises(InvalidIdNumber):
        parse_id_number(digits)
    assert parse_id_number("11010519491231002x").number == "11010519491231002X"


@pytest.mark.parametrize("phone", ["１３８１２３４５６７８", "138١٢٣٤٥٦٧٨", "13８12345678"])
def test_phones_take_ascii_digits_only(phone):
    with pytest.raises(InvalidPhone):
        normalise_phone(phone)
    assert normalise_phone("+86 138-1234-5678") == "13812345678"


def test_codes_are_six_ascii_digits_and_stored_keyed():
    codes = {verification.new_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isascii() and c.isdigit() for c in codes) and len(codes) > 150
    stored = verification.code_hash("secret", 7, "123456")
    assert "123456" not in stored and stored != verification.code_hash("secret", 8, "123456")
    assert verification.codes_equal(stored, verification.code_hash("secret", 7, "123456"))
    assert not verification.codes_equal(None, stored)

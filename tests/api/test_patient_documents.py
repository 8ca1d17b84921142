"""Issue 11 point 5: 就诊人 with documents beside the resident ID card, over real HTTP against the sandbox HIS."""

from __future__ import annotations

import itertools

import pytest

from support.payments import open_order
from support.people import Person, login, login_consented, next_id_number, next_phone, verify
from support.sandbox import make_id_number

_n = itertools.count(1)


def fresh(doc_type: str) -> str:
    """A fresh valid number of this document type."""
    n = next(_n)
    if doc_type == "residence_permit":
        return make_id_number(region="810000", birth="19760203", seq=f"{(n * 2 + 1) % 1000:03d}")
    if doc_type == "foreign_permanent_resident":
        return make_id_number(region="911156", birth="19880909", seq=f"{(n * 2) % 1000:03d}")
    if doc_type == "hk_macau_permit":
        return f"M{40000000 + n:08d}"
    if doc_type == "taiwan_permit":
        return f"{50000000 + n:08d}"
    return f"E{60000000 + n:08d}"  # passport


async def add(http, headers, **body):
    body = {"name": "测试人", "phone": next_phone(), **body}
    return await http.post("/api/me/patients", headers=headers, json=body)


@pytest.mark.parametrize(("doc_type", "his_code", "sex", "birth"), [
    ("residence_permit", "09", "male", "1976-02-03"),
    ("foreign_permanent_resident", "08", "female", "1988-09-09"),
])
async def test_documents_that_carry_sex_and_birth(http, sandbox, doc_type, his_code, sex, birth):
    headers = await login_consented(http, f"doc-{doc_type}")
    number = fresh(doc_type)
    # sex and birth date typed by the user are ignored: the number says them
    r = await add(http, headers, name="陈大文", doc_type=doc_type, id_number=number, sex="female" if sex == "male"
                  else "male", birth_date="2000-01-01")
    assert r.status_code == 201, r.text
    assert (r.json()["doc_type"], r.json()["sex"], r.json()["birth_date"]) == (doc_type, sex, birth)
    assert r.json()["id_number_masked"] == number[:6] + "********" + number[-4:]
    assert sandbox.state.patient_by_id_number(number) is None  # not before the code
    await verify(http, headers, r.json())
    his = sandbox.state.patient_by_id_number(number)
    assert (his.id_type, his.name, his.sex, his.birth_date) == (his_code, "陈大文", sex, birth)


@pytest.mark.parametrize(("doc_type", "his_code"), [
    ("hk_macau_permit", "06"), ("taiwan_permit", "07"), ("passport", "03"),
])
async def test_documents_without_sex_and_birth_ask_for_them_and_send_them_to_his(http, sandbox, doc_type, his_code):
    headers = await login(http, f"doc-{doc_type}")
    await login_consented(http, f"doc-{doc_type}")
    number = fresh(doc_type)
    missing = await add(http, headers, doc_type=doc_type, id_number=number)
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "VALIDATION_ERROR"
    assert set(missing.json()["error"]["details"]["fields"]) == {"sex", "birth_date"}
    r = await add(http, headers, name="John Smith", doc_type=doc_type, id_number=number.lower(), sex="female",
                  birth_date="1979-11-30")
    assert r.status_code == 201, r.text
    assert (r.json()["doc_type"], r.json()["sex"], r.json()["birth_date"]) == (doc_type, "female", "1979-11-30")
    patient = await verify(http, headers, r.json())
    his = sandbox.state.patient_by_id_number(number)
    assert (his.id_type, his.sex, his.birth_date) == (his_code, "female", "1979-11-30")
    # a verified passport holder orders like anyone else (PEIS gets the sex and birth date we hold)
    charge = await open_order(Person(http=http, headers=headers, patient=patient))
    assert charge["amount_fen"] > 0


@pytest.mark.parametrize(("doc_type", "number"), [
    ("residence_permit", make_id_number()),  # a resident ID number is not a residence permit
    ("foreign_permanent_resident", "ABCD12345678901"),
    ("hk_macau_permit", "H1234567"),
    ("taiwan_permit", "T1234567"),
    ("passport", "E1２3456"),
])
async def test_malformed_numbers_are_refused_per_type(http, doc_type, number):
    headers = await login_consented(http, f"doc-bad-{doc_type}")
    r = await add(http, headers, doc_type=doc_type, id_number=number, sex="male", birth_date="1980-01-01")
    assert r.status_code == 422 and r.json()["error"]["code"] == "INVALID_ID_NUMBER", r.text
    unknown = await add(http, headers, doc_type="driving_licence", id_number="12345678", sex="male",
                        birth_date="1980-01-01")
    assert unknown.status_code == 422


async def test_the_id_card_stays_the_default_and_his_codes_come_from_the_setting(http, sandbox, app):
    headers = await login_consented(http, "doc-default")
    number = next_id_number()
    r = await add(http, headers, name="李默认", id_number=number)
    assert r.status_code == 201 and r.json()["doc_type"] == "id_card"
    await verify(http, headers, r.json())
    assert sandbox.state.patient_by_id_number(number).id_type == "01"
    deps = app.ctx.deps
    saved = deps.his_doc_type_codes
    deps.his_doc_type_codes = {**saved, "passport": "14"}  # CHECKUP_HIS_DOC_TYPE_CODES='{"passport": "14"}'
    try:
        passport = fresh("passport")
        r = await add(http, headers, name="李护照", doc_type="passport", id_number=passport, sex="male",
                      birth_date="1990-01-01")
        assert r.status_code == 201, r.text
        await verify(http, headers, r.json())
    finally:
        deps.his_doc_type_codes = saved
    assert sandbox.state.patient_by_id_number(passport).id_type == "14"
    listed = (await http.get("/api/me/patients", headers=headers)).json()["items"]
    assert sorted(p["doc_type"] for p in listed) == ["id_card", "passport"]


async def test_the_same_number_of_two_document_types_is_two_people(http):
    headers = await login_consented(http, "doc-two-types")
    number = f"{70000000 + next(_n):08d}"
    first = await add(http, headers, doc_type="taiwan_permit", id_number=number, sex="male", birth_date="1970-01-01")
    again = await add(http, headers, doc_type="taiwan_permit", id_number=number, sex="male", birth_date="1970-01-01")
    passport = await add(http, headers, doc_type="passport", id_number=number, sex="male", birth_date="1970-01-01")
    assert (first.status_code, again.status_code, passport.status_code) == (201, 409, 201)

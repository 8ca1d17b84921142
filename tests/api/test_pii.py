"""Personal data at rest: key rotation, the audited staff view of a full value, and no full value
in any other answer (patient routes, console lists, the report and its Excel export)."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from checkup.db.models import AuditLog, Patient
from checkup.pii import PiiCipher, UnknownPiiKey
from checkup.services.pii_rotation import RotationError, key_status, rotate
from support.people import day, new_person, next_id_number
from support.staff import booked_patient, staffer

NEW_MATERIAL = "rotated-material-0123456789abcdef0123456789"


def rotated_cipher(app) -> PiiCipher:
    """The app's key (k1) kept as an old key, k2 current, lookup hashes under the k1 material."""
    settings = app.ctx.settings
    return PiiCipher(keys={settings.pii_key_id: settings.pii_key, "k2": NEW_MATERIAL}, current_id="k2",
                     hash_key=settings.pii_key)


@pytest.fixture
def swap_pii(app):
    """Run the app with another cipher for one test."""
    original = app.ctx.deps.pii

    def swap(cipher: PiiCipher) -> None:
        app.ctx.deps.pii = cipher

    yield swap
    app.ctx.deps.pii = original


async def test_rotation_reencrypts_in_resumable_batches_and_lookups_still_work(app, http, swap_pii):
    numbers = [next_id_number() for _ in range(5)]
    people = [await new_person(http, f"rot-{i}", id_number=n) for i, n in enumerate(numbers)]
    before = {p.patient_id: p.patient for p in people}
    ring = rotated_cipher(app)
    status = await key_status(ring)
    assert status.counts == {"k1": 5} and status.pending == 5 and status.unknown == {}

    progress: list[tuple[int, int]] = []
    first = await rotate(ring, batch=2, max_batches=1, progress=lambda done, left: progress.append((done, left)))
    assert (first.rotated, first.batches, first.remaining) == (2, 1, 3)  # stopped after one batch
    assert progress == [(2, 3)]
    assert (await key_status(ring)).counts == {"k1": 3, "k2": 2}
    rest = await rotate(ring, batch=2)  # resumes with the rows still under k1
    assert (rest.rotated, rest.remaining) == (3, 0)
    again = await rotate(ring, batch=2)  # idempotent: nothing left to do
    assert (again.rotated, again.batches) == (0, 0)
    assert (await key_status(ring)).counts == {"k2": 5}

    app_key_only = app.ctx.deps.pii
    for row, number in zip(await Patient.filter(id__in=list(before)).order_by("id"), numbers, strict=True):
        assert row.pii_key_id == "k2" and row.id_number_enc.startswith("k2:") and row.phone_enc.startswith("k2:")
        assert ring.decrypt(row.id_number_enc) == number and ring.decrypt(row.phone_enc) == "13900001234"
        assert row.id_number_hash == app_key_only.lookup_hash(number)  # hashes untouched
        with pytest.raises(UnknownPiiKey):
            app_key_only.decrypt(row.id_number_enc)

    swap_pii(ring)
    person = people[0]
    r = await person.get("/api/me/patients")
    assert r.status_code == 200 and r.json()["items"][0] == before[person.patient_id]
    dup = await person.post("/api/me/patients", json={"name": "王小明", "id_number": numbers[0], "phone": "13900001234"})
    assert dup.status_code == 409 and dup.json()["error"]["code"] == "PATIENT_EXISTS"
    added = await person.post("/api/me/patients", json={"name": "王小红", "id_number": next_id_number(male=False),
                                                        "phone": "13900004321"})
    assert added.status_code == 201
    assert (await Patient.get(id=added.json()["id"])).pii_key_id == "k2"  # new rows under the current key
    admin = await staffer(http, app, "rot-admin", ["admin"])
    found = await admin.get("/api/console/reports/booked-patients",
                            params={"from": day(1).isoformat(), "to": day(1).isoformat(), "q": "13900001234"})
    assert found.status_code == 200


async def test_unknown_key_ids_are_reported_and_left_alone(app, http):
    person = await new_person(http, "rot-unknown")
    other = await new_person(http, "rot-known")
    stranger = PiiCipher(key_material="someone-elses-material-0123456789", key_id="k9")
    await Patient.filter(id=person.patient_id).update(pii_key_id="k9", id_number_enc=stranger.encrypt("x"),
                                                      phone_enc=stranger.encrypt("y"))
    ring = rotated_cipher(app)
    status = await key_status(ring)
    assert status.unknown == {"k9": 1} and status.counts == {"k1": 1, "k9": 1} and status.pending == 1
    result = await rotate(ring)
    assert (result.rotated, result.unknown) == (1, {"k9": 1})
    assert (await Patient.get(id=person.patient_id)).pii_key_id == "k9"
    assert (await Patient.get(id=other.patient_id)).pii_key_id == "k2"


async def test_a_wrong_hash_key_stops_the_rotation_before_it_writes(app, http):
    person = await new_person(http, "rot-wrong-hash")
    settings = app.ctx.settings
    wrong = PiiCipher(keys={"k1": settings.pii_key, "k2": NEW_MATERIAL}, current_id="k2")  # hash key from k2
    with pytest.raises(RotationError, match="lookup hash"):
        await rotate(wrong)
    row = await Patient.get(id=person.patient_id)
    assert row.pii_key_id == "k1" and row.id_number_enc.startswith("k1:")


# ---- the staff view of a full value ----------------------------------------------------------------------
def reveal_url(patient_id: int) -> str:
    return f"/api/console/patients/{patient_id}/reveal"


async def test_admin_sees_a_full_value_with_a_reason_and_the_view_is_audited_without_it(app, http):
    number = next_id_number()
    person = await new_person(http, "reveal-1", id_number=number)
    admin = await staffer(http, app, "reveal-admin", ["admin"])
    r = await admin.post(reveal_url(person.patient_id), json={"field": "id_number", "reason": "核对医保身份"})
    assert r.status_code == 200 and r.json() == {"field": "id_number", "value": number}
    r = await admin.post(reveal_url(person.patient_id), json={"field": "phone", "reason": "电话回访"})
    assert r.json() == {"field": "phone", "value": "13900001234"}

    rows = await AuditLog.filter(action="patient.reveal_pii").order_by("id")
    assert [(a.actor, a.outcome, a.target, a.detail["field"], a.detail["reason"]) for a in rows] == [
        ("reveal-admin", "success", f"patient:{person.patient_id}", "id_number", "核对医保身份"),
        ("reveal-admin", "success", f"patient:{person.patient_id}", "phone", "电话回访"),
    ]
    stored = json.dumps([a.detail for a in rows], ensure_ascii=False)
    assert number not in stored and "13900001234" not in stored


async def test_only_the_permitted_role_may_reveal(app, http):
    person = await new_person(http, "reveal-2")
    for role in ("staff", "finance", "auditor"):
        other = await staffer(http, app, f"reveal-{role}", [role])
        r = await other.post(reveal_url(person.patient_id), json={"field": "phone", "reason": "想看看"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN", role
        assert "13900001234" not in r.text
    refused = await AuditLog.filter(action="patient.reveal_pii", outcome="failure").count()
    assert refused == 3


async def test_reveal_refuses_unknown_patients_and_missing_reasons(app, http):
    person = await new_person(http, "reveal-3")
    admin = await staffer(http, app, "reveal-admin-3", ["admin"])
    r = await admin.post(reveal_url(999999), json={"field": "phone", "reason": "核对"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND"
    for body in ({"field": "phone"}, {"field": "phone", "reason": "   "}, {"field": "name", "reason": "核对"},
                 {"field": "phone", "reason": "核对", "value": "x"}):
        r = await admin.post(reveal_url(person.patient_id), json=body)
        assert r.status_code == 422, body
        assert "13900001234" not in r.text
    failures = await AuditLog.filter(action="patient.reveal_pii", outcome="failure").order_by("id")
    assert [a.detail["error"]["code"] for a in failures] == ["NOT_FOUND"] + ["VALIDATION_ERROR"] * 4


async def test_reveal_is_rate_limited_per_staff_member(app, http):
    person = await new_person(http, "reveal-4")
    admin = await staffer(http, app, "reveal-admin-4", ["admin"])
    limiter = app.ctx.rate_limiter
    saved = limiter.rates["pii_reveal"]
    limiter.rates["pii_reveal"] = (2, 3600)
    try:
        codes = [(await admin.post(reveal_url(person.patient_id), json={"field": "phone", "reason": "核对"})).status_code
                 for _ in range(3)]
    finally:
        limiter.rates["pii_reveal"] = saved
    assert codes == [200, 200, 429]


# ---- no full value anywhere else -------------------------------------------------------------------------
def full_value_patterns(values: list[str]) -> list[re.Pattern]:
    return [re.compile(rf"(?<![0-9]){re.escape(v)}(?![0-9])") for v in values]


async def test_no_answer_carries_a_full_id_number_or_phone(app, http):
    numbers = [next_id_number(), next_id_number(male=False)]
    person = await new_person(http, "mask-1", id_number=numbers[0])
    second = await person.post("/api/me/patients", json={"name": "李小花", "id_number": numbers[1],
                                                         "phone": "13712345678"})
    assert second.status_code == 201
    booked_number = next_id_number()
    await booked_patient(app, day=day(2), name="张三", phone="13612345678", id_number=booked_number)
    values = [*numbers, booked_number, "13900001234", "13712345678", "13612345678"]
    patterns = full_value_patterns(values)
    admin = await staffer(http, app, "mask-admin", ["admin", "finance"])
    span = {"from": day(0).isoformat(), "to": day(30).isoformat()}

    answers = {
        "patients": await person.get("/api/me/patients"),
        "charges": await person.get("/api/me/charges", params={"patient_id": person.patient_id}),
        "bookings": await person.get("/api/me/bookings"),
        "report": await admin.get("/api/console/reports/booked-patients", params=span),
        "report-search": await admin.get("/api/console/reports/booked-patients",
                                          params={**span, "q": "13612345678"}),
        "booked": await admin.get("/api/console/bookings", params={**span, "status": "booked"}),
        "payments": await admin.get("/api/console/payments"),
        "audit": await admin.get("/api/console/audit-logs"),
    }
    for name, r in answers.items():
        assert r.status_code == 200, (name, r.text[:200])
    assert answers["report"].json()["total"] >= 1 and "136****5678" in answers["report"].text
    assert "139****1234" in answers["patients"].text
    excel = await admin.get("/api/console/reports/booked-patients", params={**span, "format": "xlsx"})
    assert excel.status_code == 200
    with zipfile.ZipFile(io.BytesIO(excel.content)) as book:
        answers_text = {"xlsx": "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))}
    answers_text.update({name: r.text for name, r in answers.items()})
    assert "136****5678" in answers_text["xlsx"]
    leaks = [(name, p.pattern) for name, text in answers_text.items() for p in patterns if p.search(text)]
    assert leaks == []

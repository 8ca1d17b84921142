"""Every patient route, called with another user's ids, answers 404 and changes nothing.

The cases are checked against the route table: a new patient route that takes an id, a bill or a
patient without a case here makes this test fail.
"""

from __future__ import annotations

import re

from checkup.api.routing import ROUTES
from checkup.db.models import Booking, Charge, DayQuota, Patient, Payment, Refund
from support.payments import drain, open_order, pay_in_wechat, start_payment
from support.people import day, new_person, next_id_number, paid_at_window, set_quota

# Routes of the patient side that name no record of anyone (nothing to steal).
NO_FOREIGN_RECORD = {
    ("GET", "/api/me/patients"),
    ("POST", "/api/me/patients"),
    ("GET", "/api/me/bookings"),
    ("POST", "/api/me/consents"),
    ("GET", "/api/me/consents"),
}


def patient_routes() -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in ROUTES if r.auth == "patient"}


async def snapshot() -> dict:
    return {
        "bookings": sorted((b.id, b.status, b.day) for b in await Booking.all()),
        "quota": sorted((q.day, q.booked) for q in await DayQuota.all()),
        "patients": sorted((p.id, p.active, p.is_default) for p in await Patient.all()),
        "charges": sorted((c.bill_no, c.status) for c in await Charge.all()),
        "payments": sorted((p.payment_no, p.status) for p in await Payment.all()),
        "refunds": await Refund.all().count(),
    }


async def test_foreign_ids_are_404_on_every_patient_route(http, sandbox, app):
    number = next_id_number()
    owner = await new_person(http, "matrix-owner", id_number=number)
    await set_quota(day(2), 5)
    await set_quota(day(3), 5)
    window_bill = await paid_at_window(sandbox, owner, number)
    booking = (await owner.post("/api/me/bookings", {"bill_no": window_bill, "date": day(2).isoformat()})).json()
    unpaid = await open_order(owner, "XNXG001")
    payment = await start_payment(owner, [unpaid["bill_no"]])
    paid = await open_order(owner, "RZ001")
    paid_payment = await start_payment(owner, [paid["bill_no"]])
    await pay_in_wechat(sandbox, paid_payment["payment_no"])
    await drain(app)
    intruder = await new_person(http, "matrix-intruder")

    cases = {
        ("GET", "/api/me/charges"): dict(params={"patient_id": owner.patient_id}),
        ("POST", "/api/me/orders"): dict(json={"patient_id": owner.patient_id, "package_code": "RZ001"}),
        ("DELETE", "/api/me/patients/{patient_id:int}"): dict(path={"patient_id": owner.patient_id}),
        ("PUT", "/api/me/patients/{patient_id:int}/default"): dict(path={"patient_id": owner.patient_id}),
        ("POST", "/api/me/patients/{patient_id:int}/verification-code"): dict(path={"patient_id": owner.patient_id}),
        ("POST", "/api/me/patients/{patient_id:int}/verify"): dict(path={"patient_id": owner.patient_id},
                                                                  json={"code": "123456"}),
        ("POST", "/api/me/patients/{patient_id:int}/verify-realname"): dict(path={"patient_id": owner.patient_id},
                                                                           json={"code": "consent-code"}),
        ("POST", "/api/me/bookings"): dict(json={"bill_no": window_bill, "date": day(3).isoformat()}),
        ("GET", "/api/me/bookings/{booking_id:int}"): dict(path={"booking_id": booking["id"]}),
        ("POST", "/api/me/bookings/{booking_id:int}/reschedule"): dict(path={"booking_id": booking["id"]},
                                                                       json={"date": day(3).isoformat()}),
        ("POST", "/api/me/bookings/{booking_id:int}/cancel"): dict(path={"booking_id": booking["id"]}),
        ("POST", "/api/me/payments"): dict(json={"patient_id": owner.patient_id, "bill_nos": [unpaid["bill_no"]]}),
        ("GET", "/api/me/payments/{payment_no}"): dict(path={"payment_no": payment["payment_no"]}),
        ("POST", "/api/me/refunds"): dict(json={"bill_no": paid["bill_no"], "reason": "x"}),
    }
    assert set(cases) | NO_FOREIGN_RECORD == patient_routes(), "a patient route has no access case"

    before = await snapshot()
    for (method, template), case in cases.items():
        path = template
        for name, value in case.get("path", {}).items():
            path = re.sub(r"\{" + name + r"(:\w+)?\}", str(value), path)
        r = await http.request(method, path, headers=intruder.headers, params=case.get("params"),
                               json=case.get("json"))
        assert r.status_code == 404, (method, template, r.status_code, r.text)
        assert r.json()["error"]["code"] == "NOT_FOUND"
    assert await snapshot() == before

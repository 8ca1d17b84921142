"""Acting as patients through the real HTTP API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta

import httpx

from checkup.db.models import DayQuota
from checkup.domain.clock import shanghai_today
from support.sandbox import RunningSandbox, make_id_number

_seq = itertools.count(101)
_phones = itertools.count(1)


def next_phone() -> str:
    """A fresh mainland mobile number (so concurrent verifications never read each other's texts)."""
    return f"137{next(_phones) % 10**8:08d}"


def next_id_number(*, male: bool = True, birth: str = "19850612") -> str:
    """A fresh valid ID number; odd sequence digit = male."""
    n = next(_seq)
    seq = n * 2 + (1 if male else 0)
    return make_id_number(birth=birth, seq=f"{seq % 1000:03d}", region=f"{110101 + n // 500}")


def day(offset: int) -> date:
    return shanghai_today() + timedelta(days=offset)


async def set_quota(on: date, capacity: int, *, booked: int = 0, open_: bool = True) -> None:
    await DayQuota.update_or_create(day=on, defaults={"capacity": capacity, "booked": booked, "open": open_})


@dataclass
class Person:
    http: httpx.AsyncClient
    headers: dict[str, str]
    patient: dict

    @property
    def patient_id(self) -> int:
        return self.patient["id"]

    async def get(self, path: str, **kw) -> httpx.Response:
        return await self.http.get(path, headers=self.headers, **kw)

    async def post(self, path: str, json: object | None = None, **kw) -> httpx.Response:
        return await self.http.post(path, headers=self.headers, json=json, **kw)

    async def delete(self, path: str) -> httpx.Response:
        return await self.http.delete(path, headers=self.headers)


async def login(http: httpx.AsyncClient, code: str) -> dict[str, str]:
    r = await http.post("/api/auth/wechat", json={"code": code})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


# Where the sandbox's SMS control lives (tests/conftest.py sets it to the session sandbox).
SANDBOX_URL: str | None = None


def masked(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


async def consent(http: httpx.AsyncClient, headers: dict[str, str]) -> None:
    """Read the privacy notice and consent to its current version (before adding a 就诊人)."""
    notice = await http.get("/api/privacy-notice")
    assert notice.status_code == 200, notice.text
    r = await http.post("/api/me/consents", headers=headers, json={"version": notice.json()["version"]})
    assert r.status_code == 201, r.text


async def login_consented(http: httpx.AsyncClient, code: str) -> dict[str, str]:
    """Log in and consent to the privacy notice: ready to add 就诊人."""
    headers = await login(http, code)
    await consent(http, headers)
    return headers


async def latest_code(phone_masked: str, *, sandbox_url: str | None = None) -> str:
    """The newest code the sandbox SMS service delivered to a phone with this mask."""
    async with httpx.AsyncClient(base_url=sandbox_url or SANDBOX_URL or "", timeout=10) as control:
        r = await control.get("/sandbox/control/sms/messages")
        assert r.status_code == 200, r.text
    for message in r.json()["items"]:
        if masked(message["phone"]) == phone_masked:
            return message["code"]
    raise AssertionError(f"no text to {phone_masked}")


async def verify(http: httpx.AsyncClient, headers: dict[str, str], patient: dict, *,
                 sandbox_url: str | None = None) -> dict:
    """Send the code, read it from the sandbox SMS service, enter it: the verified patient."""
    sent = await http.post(f"/api/me/patients/{patient['id']}/verification-code", headers=headers)
    assert sent.status_code == 202, sent.text
    code = await latest_code(sent.json()["phone_masked"], sandbox_url=sandbox_url)
    r = await http.post(f"/api/me/patients/{patient['id']}/verify", headers=headers, json={"code": code})
    assert r.status_code == 200, r.text
    assert r.json()["verified"] is True
    return r.json()


async def add_verified(http: httpx.AsyncClient, headers: dict[str, str], *, name: str, id_number: str,
                       phone: str = "13900001234", sandbox_url: str | None = None) -> dict:
    """Consent (once), add a 就诊人 and verify them through the real API."""
    r = await http.post("/api/me/patients", headers=headers, json={"name": name, "id_number": id_number, "phone": phone})
    if r.status_code == 409 and r.json()["error"]["code"] == "CONSENT_REQUIRED":
        await consent(http, headers)
        r = await http.post("/api/me/patients", headers=headers,
                            json={"name": name, "id_number": id_number, "phone": phone})
    assert r.status_code == 201, r.text
    return await verify(http, headers, r.json(), sandbox_url=sandbox_url)


async def new_person(
    http: httpx.AsyncClient, code: str, *, name: str = "王小明", male: bool = True, id_number: str | None = None,
    phone: str = "13900001234",
) -> Person:
    """A logged-in account with one verified 就诊人."""
    headers = await login(http, code)
    patient = await add_verified(http, headers, name=name, id_number=id_number or next_id_number(male=male),
                                 phone=phone)
    return Person(http=http, headers=headers, patient=patient)


async def paid_at_window(sandbox: RunningSandbox, person: Person, id_number: str, *, package: str = "RZ001") -> str:
    """Flow 2 paid at the window: the center opens the order on site and the patient pays there."""
    order = await sandbox.control(
        "onsite-orders",
        {"name": person.patient["name"], "id_number": id_number, "phone": "13900001234",
         "package_code": package, "paid": True},
    )
    return order["bill_no"]

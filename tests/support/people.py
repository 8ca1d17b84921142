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


async def new_person(
    http: httpx.AsyncClient, code: str, *, name: str = "王小明", male: bool = True, id_number: str | None = None
) -> Person:
    headers = await login(http, code)
    r = await http.post(
        "/api/me/patients",
        headers=headers,
        json={"name": name, "id_number": id_number or next_id_number(male=male), "phone": "13900001234"},
    )
    assert r.status_code == 201, r.text
    return Person(http=http, headers=headers, patient=r.json())


async def paid_at_window(sandbox: RunningSandbox, person: Person, id_number: str, *, package: str = "RZ001") -> str:
    """Flow 2 paid at the window: the center opens the order on site and the patient pays there."""
    order = await sandbox.control(
        "onsite-orders",
        {"name": person.patient["name"], "id_number": id_number, "phone": "13900001234",
         "package_code": package, "paid": True},
    )
    return order["bill_no"]

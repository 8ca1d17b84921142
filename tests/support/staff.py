"""Acting as console staff, and putting booked patients straight into the database."""

from __future__ import annotations

import functools
import itertools
import secrets
from dataclasses import dataclass
from datetime import date

import httpx
from sanic import Sanic

from checkup.db.models import Booking, Charge, DayQuota, Patient, StaffSession, StaffUser, WechatUser
from checkup.domain.clock import utcnow
from checkup.domain.idcard import parse_id_number
from checkup.services.staff import hash_password
from checkup.services.staff_sessions import SESSION_TTL, STAFF_TOKEN
from support.people import next_id_number

PASSWORD = "Checkup-2026!"
ROLES = ("admin", "staff", "finance", "auditor")
_seq = itertools.count(1)


@functools.cache
def password_hash(password: str = PASSWORD) -> str:
    return hash_password(password)  # argon2 is slow on purpose: hash each test password once


async def make_staff(username: str, roles: list[str], *, password: str = PASSWORD, name: str = "测试员",
                     active: bool = True) -> StaffUser:
    return await StaffUser.create(username=username, name=name, password_hash=password_hash(password),
                                  roles=roles, is_active=active)


async def session_headers(app: Sanic, user: StaffUser) -> dict[str, str]:
    """A fresh session of ``user`` without the argon2 work of a login (for tests that need many)."""
    deps = app.ctx.deps
    session = await StaffSession.create(id=secrets.token_urlsafe(32), staff_id=user.id, last_seen_at=deps.now())
    token = deps.tokens.issue(kind=STAFF_TOKEN, subject=str(user.id), ttl=SESSION_TTL, now=deps.now(),
                              session=session.id)
    return {"Authorization": f"Bearer {token}"}


async def login(http: httpx.AsyncClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    r = await http.post("/api/console/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


@dataclass
class Staffer:
    """A logged-in staff member with a client bound to their token."""

    http: httpx.AsyncClient
    headers: dict[str, str]
    user: StaffUser

    async def get(self, path: str, **kw) -> httpx.Response:
        return await self.http.get(path, headers=self.headers, **kw)

    async def post(self, path: str, json: object | None = None, **kw) -> httpx.Response:
        return await self.http.post(path, headers=self.headers, json=json, **kw)

    async def put(self, path: str, json: object | None = None) -> httpx.Response:
        return await self.http.put(path, headers=self.headers, json=json)

    async def delete(self, path: str) -> httpx.Response:
        return await self.http.delete(path, headers=self.headers)


async def staffer(http: httpx.AsyncClient, app: Sanic, username: str, roles: list[str]) -> Staffer:
    user = await make_staff(username, roles)
    return Staffer(http=http, headers=await session_headers(app, user), user=user)


async def booked_patient(app: Sanic, *, day: date, name: str = "张三", phone: str = "13812345678",
                         id_number: str | None = None, package_code: str = "RZ001", amount_fen: int = 35800,
                         status: str = "booked") -> Booking:
    """A patient with a paid charge booked on ``day`` (rows written directly; the database counts the place)."""
    pii = app.ctx.deps.pii
    n = next(_seq)
    number = id_number or next_id_number()
    info = parse_id_number(number)
    user = await WechatUser.create(openid=f"staff-test-{n}-{secrets.token_hex(4)}")
    patient = await Patient.create(
        user=user, name=name, sex=info.sex, birth_date=info.birth_date,
        id_number_enc=pii.encrypt(number), id_number_hash=pii.lookup_hash(number),
        phone_enc=pii.encrypt(phone), phone_hash=pii.lookup_hash(phone), pii_key_id=pii.key_id,
        his_patient_id=f"HIS-T{n:05d}-{secrets.token_hex(2)}", verified_at=utcnow(), verified_by="sms",
    )
    charge = await Charge.create(
        bill_no=f"TB{n:06d}{secrets.token_hex(3).upper()}", his_patient_id=patient.his_patient_id, patient=patient,
        item_name="体检中心体检费", amount_fen=amount_fen, source="onsite", status="paid", package_code=package_code,
    )
    await DayQuota.get_or_create(day=day, defaults={"capacity": 100, "booked": 0, "open": True})
    return await Booking.create(charge=charge, patient=patient, his_patient_id=patient.his_patient_id, day=day,
                                status=status, active=1)

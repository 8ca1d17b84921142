"""Rows for the bench, written directly in the database with the product's own models and ciphers."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from checkup.db.models import (
    Booking,
    BookingRulesRow,
    Charge,
    DayQuota,
    Package,
    Patient,
    Payment,
    PaymentBill,
    WechatUser,
)
from checkup.domain.clock import utcnow
from checkup.pii import PiiCipher
from checkup.services.auth import PATIENT_TOKEN
from checkup.services.tokens import TokenSigner

BATCH = 1000
AMOUNT_FEN = 23000
RUSH_BASE = 1  # ids 1..n of users / patients / charges of the rush
REPORT_BASE = 100_000  # ids of the report's people
NOTIFY_CHARGE_BASE = 300_000  # charges and payments of the notification run
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 3) % len(GIVEN)]


def _id_number(i: int, birth: date) -> str:
    body = f"110101{birth:%Y%m%d}{i % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


async def _people(pii: PiiCipher, base: int, n: int, tag: str, package_code: str | None) -> list[Charge]:
    """n WeChat users, each with one patient and one charge paid at the window."""
    now = utcnow()
    users, patients, charges = [], [], []
    for k in range(n):
        i = base + k
        birth = date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
        number = _id_number(i, birth)
        phone = f"139{i:08d}"[-11:]
        users.append(WechatUser(id=i, openid=f"o-bench-{tag}-{i}", created_at=now, updated_at=now))
        patients.append(Patient(
            id=i, user_id=i, name=_name(i), sex="male" if i % 2 else "female", birth_date=birth,
            id_number_enc=pii.encrypt(number), id_number_hash=pii.lookup_hash(number),
            phone_enc=pii.encrypt(phone), phone_hash=pii.lookup_hash(phone), pii_key_id=pii.key_id,
            his_patient_id=f"HPB{i:08d}", is_default=True, active=1, created_at=now, updated_at=now,
            verified_at=now, verified_by="sms",
        ))
        charges.append(Charge(
            id=i, bill_no=f"BENCH{tag.upper()}{i:08d}", his_patient_id=f"HPB{i:08d}", patient_id=i,
            item_name="体检中心体检费", amount_fen=AMOUNT_FEN, source="onsite", status="paid",
            package_code=package_code, dept="体检中心", billed_at=now, paid_at=now, paid_channel="WINDOW",
            created_at=now, updated_at=now,
        ))
    for model, rows in ((WechatUser, users), (Patient, patients), (Charge, charges)):
        await model.bulk_create(rows, batch_size=BATCH)
    return charges


async def package_code() -> str | None:
    """An online package for both sexes, as synced from the sandbox PEIS (None when none synced)."""
    package = await Package.filter(sex="any", online=True).order_by("code").first()
    return package.code if package else None


async def rush_people(pii: PiiCipher, tokens: TokenSigner, n: int, code: str | None) -> list[tuple[str, str]]:
    """(token, bill_no) of n patients with a paid charge."""
    charges = await _people(pii, RUSH_BASE, n, "r", code)
    now = utcnow()
    return [(tokens.issue(kind=PATIENT_TOKEN, subject=str(c.patient_id), ttl=3 * 3600, now=now), c.bill_no)
            for c in charges]


async def set_quota(day: date, capacity: int, booked: int = 0) -> None:
    await DayQuota.update_or_create(day=day, defaults={"capacity": capacity, "booked": booked, "open": True})


async def report_bookings(pii: PiiCipher, *, n: int, first_day: date, per_day: int, code: str | None) -> tuple[date, date]:
    """n booked (not confirmed) bookings, per_day a day from first_day; quotas say the same."""
    charges = await _people(pii, REPORT_BASE, n, "p", code)
    now = utcnow()
    rows = []
    days = (n + per_day - 1) // per_day
    for d in range(days):  # the booking triggers count the rows into the quota as they are inserted
        await set_quota(first_day + timedelta(days=d), per_day, booked=0)
    for k, c in enumerate(charges):
        day = first_day + timedelta(days=k // per_day)
        rows.append(Booking(
            charge_id=c.id, patient_id=c.patient_id, his_patient_id=c.his_patient_id, day=day,
            status="booked", active=1, booked_at=now - timedelta(seconds=n - k), created_at=now, updated_at=now,
        ))
    await Booking.bulk_create(rows, batch_size=BATCH)
    return first_day, first_day + timedelta(days=days - 1)


async def pending_payments(n: int, *, patients: int) -> list[tuple[str, int, str]]:
    """n pending WeChat payments (Payment + PaymentBill of one unpaid charge each, same amount): their
    number, amount and the payer's openid (the notification's payer must be the account that ordered)."""
    now = utcnow()
    charges, payments, bills, out = [], [], [], []
    for k in range(n):
        i = NOTIFY_CHARGE_BASE + k
        pid = RUSH_BASE + k % patients
        amount = AMOUNT_FEN + k % 7 * 100
        bill_no = f"BENCHN{i:08d}"
        charges.append(Charge(
            id=i, bill_no=bill_no, his_patient_id=f"HPB{pid:08d}", patient_id=pid, item_name="体检中心体检费",
            amount_fen=amount, source="online", status="unpaid", dept="体检中心", billed_at=now,
            created_at=now, updated_at=now,
        ))
        payment_no = f"TJBENCH{now:%Y%m%d}{k:09d}"
        payments.append(Payment(
            id=i, payment_no=payment_no, user_id=pid, patient_id=pid, his_patient_id=f"HPB{pid:08d}",
            amount_fen=amount, description="体检中心体检费", status="pending",
            prepay_id=f"wx{secrets.token_hex(14)}", expires_at=now + timedelta(minutes=15),
            created_at=now, updated_at=now,
        ))
        bills.append(PaymentBill(id=i, payment_id=i, charge_id=i, bill_no=bill_no, amount_fen=amount, open=1))
        out.append((payment_no, amount, f"o-bench-r-{pid}"))  # the openid rush_people gave user pid
    for model, rows in ((Charge, charges), (Payment, payments), (PaymentBill, bills)):
        await model.bulk_create(rows, batch_size=BATCH)
    return out


async def bookable_day(today: date, *, at_least: int = 2) -> date:
    """The first day from today + at_least that the rules let patients book (not a closed weekday)."""
    rules = await BookingRulesRow.get(id=1)
    day = today + timedelta(days=at_least)
    while day.isoweekday() in (rules.closed_weekdays or []):
        day += timedelta(days=1)
    return day


HIS_BASE = 400_000  # ids of the his scenario's people


def his_identity(k: int) -> tuple[str, str, str]:
    """(name, ID number, phone) of the k-th patient of the his scenario."""
    i = HIS_BASE + k
    birth = date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
    body = f"3201{k // 1000 % 100:02d}{birth:%Y%m%d}{k % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    number = body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return _name(i), number, f"137{i:08d}"[-11:]


async def his_people(pii: PiiCipher, tokens: TokenSigner, made: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """Our side of the his scenario's patients: (his_patient_id, bill_no) each, as the sandbox HIS holds
    them (their bills are in HIS only, as for a patient whose order the center opened on site).
    Answers (token, patient id) per patient."""
    now = utcnow()
    users, patients = [], []
    for k, (his_patient_id, _bill) in enumerate(made):
        i = HIS_BASE + k
        name, number, phone = his_identity(k)
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        users.append(WechatUser(id=i, openid=f"o-bench-h-{i}", created_at=now, updated_at=now))
        patients.append(Patient(
            id=i, user_id=i, name=name, sex="male" if int(number[16]) % 2 else "female", birth_date=birth,
            id_number_enc=pii.encrypt(number), id_number_hash=pii.lookup_hash(number),
            phone_enc=pii.encrypt(phone), phone_hash=pii.lookup_hash(phone), pii_key_id=pii.key_id,
            his_patient_id=his_patient_id, is_default=True, active=1, created_at=now, updated_at=now,
            verified_at=now, verified_by="sms",  # verified 就诊人 (issue 11): records are theirs to reach
        ))
    for model, rows in ((WechatUser, users), (Patient, patients)):
        await model.bulk_create(rows, batch_size=BATCH)
    return [(tokens.issue(kind=PATIENT_TOKEN, subject=str(p.user_id), ttl=3 * 3600, now=now), p.id) for p in patients]

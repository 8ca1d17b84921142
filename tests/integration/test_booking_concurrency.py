"""Invariants of DESIGN.md section 4 under real concurrent HTTP requests against MariaDB."""

from __future__ import annotations

import asyncio
import secrets

import httpx
import pytest

from checkup.db.models import Booking, Charge, DayQuota, Patient, WechatUser
from checkup.domain.clock import utcnow
from support.people import day, next_id_number, set_quota

pytestmark = pytest.mark.parametrize("db_url", ["mariadb"], indirect=True)


async def make_people(app, n: int) -> list[tuple[dict[str, str], str]]:
    """n WeChat users, each with one patient and one charge paid at the window: (headers, bill_no)."""
    deps = app.ctx.deps
    people = []
    for i in range(n):
        user = await WechatUser.create(openid=f"o-conc-{secrets.token_hex(6)}")
        number = next_id_number()
        patient = await Patient.create(
            user=user, name="并发测试", sex="male", birth_date="1985-06-12",
            id_number_enc=deps.pii.encrypt(number), id_number_hash=deps.pii.lookup_hash(number),
            phone_enc=deps.pii.encrypt("13900001234"), phone_hash=deps.pii.lookup_hash("13900001234"),
            pii_key_id=deps.pii.key_id, his_patient_id=f"HP{secrets.token_hex(5)}", is_default=True,
            verified_at=utcnow(), verified_by="sms",
        )
        charge = await Charge.create(
            bill_no=f"CONC{secrets.token_hex(6)}", his_patient_id=patient.his_patient_id, patient=patient,
            item_name="体检中心体检费", amount_fen=23000, source="onsite", status="paid", package_code="RZ001",
            paid_at=utcnow(), paid_channel="WINDOW",
        )
        token = deps.tokens.issue(kind="patient", subject=str(user.id), ttl=600, now=utcnow())
        people.append(({"Authorization": f"Bearer {token}"}, charge.bill_no))
        if i == 0:
            people[0] = people[0]
    return people


def client(base_url: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=base_url, timeout=60,
                             limits=httpx.Limits(max_connections=250, max_keepalive_connections=250))


async def test_rush_of_200_for_50_places_books_exactly_50(app, base_url, seeded):
    target = day(3)
    await set_quota(target, 50)
    people = await make_people(app, 200)
    async with client(base_url) as http:
        answers = await asyncio.gather(*[
            http.post("/api/me/bookings", headers=h, json={"bill_no": bill, "date": target.isoformat()})
            for h, bill in people
        ])
    statuses = [r.status_code for r in answers]
    assert statuses.count(201) == 50, statuses
    assert all(s == 409 for s in statuses if s != 201), statuses
    assert all(r.json()["error"]["code"] == "QUOTA_FULL" for r in answers if r.status_code == 409)
    assert (await DayQuota.get(day=target)).booked == 50
    assert await Booking.filter(day=target, active=1).count() == 50


async def test_two_concurrent_bookings_of_one_charge_end_with_one(app, base_url, seeded):
    d1, d2 = day(2), day(3)
    await set_quota(d1, 10)
    await set_quota(d2, 10)
    (headers, bill), = await make_people(app, 1)
    for _ in range(5):  # several rounds, both orders of arrival
        async with client(base_url) as http:
            answers = await asyncio.gather(
                http.post("/api/me/bookings", headers=headers, json={"bill_no": bill, "date": d1.isoformat()}),
                http.post("/api/me/bookings", headers=headers, json={"bill_no": bill, "date": d2.isoformat()}),
            )
        codes = sorted(r.status_code for r in answers)
        assert codes == [201, 409], [r.text for r in answers]
        assert await Booking.filter(charge__bill_no=bill, active=1).count() == 1
        q1, q2 = await DayQuota.get(day=d1), await DayQuota.get(day=d2)
        assert q1.booked + q2.booked == 1
        booked = next(r for r in answers if r.status_code == 201).json()
        async with client(base_url) as http:
            r = await http.post(f"/api/me/bookings/{booked['id']}/cancel", headers=headers)
            assert r.status_code == 200
    assert (await DayQuota.get(day=d1)).booked == 0 and (await DayQuota.get(day=d2)).booked == 0


async def test_concurrent_reschedules_keep_counts_exact(app, base_url, seeded):
    days = [day(i) for i in range(2, 7)]
    for d in days:
        await set_quota(d, 12)
    people = await make_people(app, 40)
    bookings = []
    async with client(base_url) as http:
        for i, (headers, bill) in enumerate(people):
            r = await http.post("/api/me/bookings", headers=headers,
                                json={"bill_no": bill, "date": days[i % len(days)].isoformat()})
            assert r.status_code == 201, r.text
            bookings.append((headers, r.json()["id"]))
        # every patient moves at once, in crossing directions (a→b while b→a), three rounds
        for round_no in range(3):
            answers = await asyncio.gather(*[
                http.post(f"/api/me/bookings/{bid}/reschedule", headers=h,
                          json={"date": days[(i * 3 + round_no + 1) % len(days)].isoformat()})
                for i, (h, bid) in enumerate(bookings)
            ])
            assert all(r.status_code in (200, 409) for r in answers), [r.text for r in answers if r.status_code >= 500]
            assert all(r.json()["error"]["code"] in ("QUOTA_FULL", "SAME_DAY") for r in answers
                       if r.status_code == 409)
    for d in days:
        quota = await DayQuota.get(day=d)
        actual = await Booking.filter(day=d, active=1).count()
        assert quota.booked == actual, (d, quota.booked, actual)
        assert quota.booked <= quota.capacity
    assert await Booking.filter(active=1).count() == 40


async def test_closing_a_day_during_a_rush_refuses_the_rest_and_counts_stay_exact(app, base_url, seeded):
    """Staff close the day while 200 patients book it: every answer is 201 or 409 DAY_CLOSED (from the
    calendar check, or the trigger's CHECKUP_NO_PLACE:CLOSED when the close lands between a patient's
    read and insert), never a 5xx, and day_quota.booked equals the active bookings."""
    from support.staff import staffer

    target = day(4)
    await set_quota(target, 300)
    people = await make_people(app, 200)
    async with client(base_url) as http:
        clerk = await staffer(http, app, f"close-{secrets.token_hex(3)}", ["staff"])

        tasks = [asyncio.create_task(http.post("/api/me/bookings", headers=h,
                                               json={"bill_no": bill, "date": target.isoformat()}))
                 for h, bill in people]
        under_way = asyncio.Event()  # close once ten answers are back
        done = 0

        def count(_task: asyncio.Task) -> None:
            nonlocal done
            done += 1
            if done >= 10:
                under_way.set()

        for task in tasks:
            task.add_done_callback(count)
        await under_way.wait()
        # The day has bookings by now: closing it says what happens to them (here: cancelled, patients told).
        closed = await clerk.put(f"/api/console/quota/{target.isoformat()}",
                                 {"capacity": 300, "open": False, "bookings": {"cancel": True, "reason": "停诊"}})
        assert closed.status_code == 200, closed.text
        answers = await asyncio.gather(*tasks)
    codes = [r.status_code if r.status_code != 409 else r.json()["error"]["code"] for r in answers]
    assert set(codes) <= {201, "DAY_CLOSED"}, codes  # room for everyone: only the closing refuses
    quota = await DayQuota.get(day=target)
    active = await Booking.filter(day=target, active=1).count()
    cancelled = await Booking.filter(day=target, status="cancelled", cancelled_by__startswith="staff:").count()
    # How many got in before the close depends on the machine; whatever the interleaving, every one of them
    # was cancelled by the closure (none slipped in after it) and the counts agree.
    assert quota.open is False and quota.booked == active == 0
    assert cancelled == codes.count(201) == closed.json()["bookings"]["cancelled"]

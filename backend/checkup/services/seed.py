"""Demo and default data: booking rules, 60 days of quotas, the first admin."""

from __future__ import annotations

from datetime import date, timedelta

from checkup.db.uow import unit_of_work
from checkup.services.staff import ensure_admin

WEEKDAY_CAPACITY = 80
SATURDAY_CAPACITY = 40


async def ensure_rules() -> None:
    async with unit_of_work(write=False) as work:
        await work.ops.ensure_rules({
            "open_days_ahead": 30,
            "release_time": "08:00",
            "min_days_ahead": 1,
            "change_cutoff_days": 1,
            "closed_weekdays": [7],
            "weekly_capacity": {"1": WEEKDAY_CAPACITY, "2": WEEKDAY_CAPACITY, "3": WEEKDAY_CAPACITY,
                                "4": WEEKDAY_CAPACITY, "5": WEEKDAY_CAPACITY, "6": SATURDAY_CAPACITY, "7": 0},
        })


async def seed_quotas(*, start: date, days: int = 60) -> int:
    """Weekdays 80, Saturdays 40, Sundays closed; days that already have a quota are left alone."""
    work = unit_of_work(write=False)
    existing = await work.ops.quota_days(start, start + timedelta(days=days))
    rows = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        if day in existing:
            continue
        weekday = day.isoweekday()
        capacity = 0 if weekday == 7 else SATURDAY_CAPACITY if weekday == 6 else WEEKDAY_CAPACITY
        rows.append({"day": day, "capacity": capacity, "booked": 0, "open": weekday != 7})
    if rows:
        await work.ops.add_quotas(rows)
    return len(rows)


async def seed(*, today: date, admin_password: str | None) -> dict:
    await ensure_rules()
    created = await seed_quotas(start=today)
    generated = await ensure_admin(password=admin_password)
    return {"quota_days": created, "admin_password": generated}

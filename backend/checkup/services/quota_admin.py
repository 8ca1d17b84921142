"""Staff side of the calendar: day quotas (号源), closed days (holidays) and the booking rules.

A day's capacity never drops below what is booked: the change is a guarded UPDATE
(... WHERE booked <= new capacity), so a booking committed a moment earlier cannot slip under it,
and the database CHECK (booked <= capacity) holds whatever happens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any, TypeVar

from tortoise.exceptions import IntegrityError

from checkup.db.models import BookingRulesRow, DayQuota, Holiday
from checkup.domain.booking_rules import BookingRules, parse_release_time
from checkup.domain.errors import CapacityBelowBooked, NotFound, ValidationFailed
from checkup.services.audit import AuditEntry, audited_change
from checkup.services.calendar import check_range, load_rules, rules_from_row

MAX_BATCH_DAYS = 366
T = TypeVar("T")


def day_json(day: date, quota: DayQuota | None) -> dict[str, Any]:
    if quota is None:
        return {"date": day.isoformat(), "capacity": 0, "booked": 0, "remaining": 0, "open": False}
    return {
        "date": day.isoformat(),
        "capacity": quota.capacity,
        "booked": quota.booked,
        "remaining": max(quota.capacity - quota.booked, 0),
        "open": quota.open,
    }


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


async def list_days(*, start: date, end: date) -> list[dict[str, Any]]:
    """Every day of the range; a day without a quota row shows capacity 0, closed."""
    check_range(start, end)
    rows = {q.day: q for q in await DayQuota.filter(day__gte=start, day__lte=end)}
    return [day_json(d, rows.get(d)) for d in _days(start, end)]


async def _change(entry: AuditEntry, op: Callable[[Any], Awaitable[T]]) -> T:
    """An audited change; a row created concurrently (duplicate key) means: look again, once."""
    try:
        return await audited_change(entry, op)
    except IntegrityError:
        return await audited_change(entry, op)


def _not_past(day: date, today: date, field: str = "date") -> None:
    if day < today:
        raise ValidationFailed("不能修改已过去的日期", fields={field: "早于今天"})


async def set_day(*, day: date, capacity: int, open_: bool, today: date, entry: AuditEntry) -> dict[str, Any]:
    """Set one day's capacity and open flag; refused (CAPACITY_BELOW_BOOKED) below what is booked."""
    _not_past(day, today)
    entry.change(target=f"quota:{day.isoformat()}", after={"capacity": capacity, "open": open_})

    async def change(conn) -> DayQuota:
        current = await DayQuota.filter(day=day).select_for_update().using_db(conn).first()
        if current is None:
            return await DayQuota.create(using_db=conn, day=day, capacity=capacity, booked=0, open=open_)
        entry.change(before={"capacity": current.capacity, "booked": current.booked, "open": current.open})
        changed = await DayQuota.filter(day=day, booked__lte=capacity).using_db(conn).update(
            capacity=capacity, open=open_
        )
        if changed == 0:
            booked = (await DayQuota.filter(day=day).using_db(conn).first()).booked  # type: ignore[union-attr]
            raise CapacityBelowBooked(f"号源数不能少于已预约人数（{booked}）", booked=booked, capacity=capacity)
        return await DayQuota.get(day=day).using_db(conn)

    saved = await _change(entry, change)
    return day_json(day, saved)


async def set_days(*, start: date, end: date, weekdays: list[int], capacity: int, open_: bool, today: date,
                   entry: AuditEntry) -> dict[str, Any]:
    """Set every matching day of the range; days already booked above ``capacity`` are skipped."""
    if end < start:
        raise ValidationFailed("结束日期不能早于开始日期", fields={"to": "早于开始日期"})
    if (end - start).days >= MAX_BATCH_DAYS:
        raise ValidationFailed(f"批量设置范围不能超过{MAX_BATCH_DAYS}天", fields={"to": "范围过大"})
    _not_past(start, today, "from")
    wanted = [d for d in _days(start, end) if d.isoweekday() in set(weekdays)]
    entry.change(target=f"quota:{start.isoformat()}..{end.isoformat()}",
                 request={"weekdays": sorted(set(weekdays)), "capacity": capacity, "open": open_})

    async def change(conn) -> dict[str, Any]:
        existing = {q.day: q for q in await DayQuota.filter(day__in=wanted).select_for_update().using_db(conn)}
        updated = 0
        if existing:
            updated = await DayQuota.filter(day__in=list(existing), booked__lte=capacity).using_db(conn).update(
                capacity=capacity, open=open_
            )
        skipped = [
            {"date": d.isoformat(), "booked": q.booked} for d, q in sorted(existing.items()) if q.booked > capacity
        ]
        missing = [d for d in wanted if d not in existing]
        if missing:
            await DayQuota.bulk_create(
                [DayQuota(day=d, capacity=capacity, booked=0, open=open_) for d in missing], using_db=conn
            )
        entry.change(
            before={d.isoformat(): {"capacity": q.capacity, "booked": q.booked, "open": q.open}
                    for d, q in sorted(existing.items())},
            updated=updated + len(missing), created=len(missing), skipped=skipped,
        )
        return {"updated": updated + len(missing), "created": len(missing), "skipped": skipped}

    return await _change(entry, change)


# ---- closed days ---------------------------------------------------------------------------------
def holiday_json(h: Holiday) -> dict[str, Any]:
    return {"date": h.day.isoformat(), "name": h.name}


async def list_holidays(*, start: date | None, end: date | None) -> list[dict[str, Any]]:
    qs = Holiday.all()
    if start:
        qs = qs.filter(day__gte=start)
    if end:
        qs = qs.filter(day__lte=end)
    return [holiday_json(h) for h in await qs.order_by("day")]


async def add_holiday(*, day: date, name: str, entry: AuditEntry) -> dict[str, Any]:
    """Close a day (or rename a closed day). Bookings already made for it stay; staff contact them."""
    entry.change(target=f"holiday:{day.isoformat()}", after={"name": name})

    async def change(conn) -> None:
        current = await Holiday.filter(day=day).select_for_update().using_db(conn).first()
        if current is None:
            await Holiday.create(using_db=conn, day=day, name=name)
        else:
            entry.change(before={"name": current.name})
            await Holiday.filter(day=day).using_db(conn).update(name=name)

    await _change(entry, change)
    return {"date": day.isoformat(), "name": name}


async def delete_holiday(*, day: date, entry: AuditEntry) -> None:
    entry.change(target=f"holiday:{day.isoformat()}")

    async def change(conn) -> None:
        current = await Holiday.filter(day=day).select_for_update().using_db(conn).first()
        if current is None:
            raise NotFound("该日期不是休息日")
        entry.change(before={"name": current.name})
        await Holiday.filter(day=day).using_db(conn).delete()

    await _change(entry, change)


# ---- booking rules -------------------------------------------------------------------------------
def rules_json(rules: BookingRules) -> dict[str, Any]:
    return {
        "open_days_ahead": rules.open_days_ahead,
        "release_time": rules.release_time.strftime("%H:%M"),
        "min_days_ahead": rules.min_days_ahead,
        "change_cutoff_days": rules.change_cutoff_days,
        "closed_weekdays": sorted(rules.closed_weekdays),
    }


async def get_rules() -> dict[str, Any]:
    return rules_json(await load_rules())


async def set_rules(*, values: dict[str, Any], entry: AuditEntry) -> dict[str, Any]:
    """Validate (BookingRules checks itself) and save the single rules row."""
    if values.get("closed_weekdays") is None:  # API.md's four fields alone keep the closed weekdays
        values = {**values, "closed_weekdays": (await load_rules()).closed_weekdays}
    rules = BookingRules(
        open_days_ahead=values["open_days_ahead"],
        release_time=parse_release_time(values["release_time"]),
        min_days_ahead=values["min_days_ahead"],
        change_cutoff_days=values["change_cutoff_days"],
        closed_weekdays=frozenset(values["closed_weekdays"]),
    )
    after = rules_json(rules)
    entry.change(target="booking_rules", after=after)

    async def change(conn) -> None:
        current = await BookingRulesRow.filter(id=1).select_for_update().using_db(conn).first()
        if current is None:
            await BookingRulesRow.create(using_db=conn, id=1, **after)
        else:
            entry.change(before=rules_json(rules_from_row(current)))
            await BookingRulesRow.filter(id=1).using_db(conn).update(**after)

    await _change(entry, change)
    return after

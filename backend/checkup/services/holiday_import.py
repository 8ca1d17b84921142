"""The yearly import of the State Council's holiday schedule (国务院办公厅关于节假日安排的通知), from a
file staff upload: holidays (休) become closed days with their name, make-up workdays (班) become open
days with a quota. One transaction; days with bookings follow the closure rules (DAY_HAS_BOOKINGS).

File format (UTF-8 text, CSV or tab-separated, one line per holiday or range; blank lines and lines
starting with # are skipped; a header line starting with 日期 is skipped):

    日期,名称,类型
    2027-01-01,元旦,休
    2027-02-06~2027-02-12,春节,休
    2027-02-14,春节调休,班
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from checkup.db.uow import UnitOfWork
from checkup.domain.errors import ValidationFailed
from checkup.services.audit import AuditEntry
from checkup.services.deps import Deps

if TYPE_CHECKING:
    from checkup.services.quota_admin import BookingsAction

KINDS = {"休": "holiday", "休息": "holiday", "放假": "holiday", "holiday": "holiday",
         "班": "workday", "上班": "workday", "调休上班": "workday", "workday": "workday"}
MAX_LINES = 200
DEFAULT_WORKDAY_CAPACITY = 80


def parse(text: str, *, year: int) -> list[tuple[date, str, str]]:
    """(day, name, "holiday" | "workday") for every day of the file; 422 naming the bad lines."""
    out: list[tuple[date, str, str]] = []
    problems: dict[str, str] = {}
    lines = text.replace("\r\n", "\n").split("\n")
    if len(lines) > MAX_LINES:
        raise ValidationFailed(f"文件不能超过{MAX_LINES}行", fields={"content": "行数过多"})
    for number, raw in enumerate(lines, start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#") or line.startswith("日期"):
            continue
        parts = [p.strip() for p in re.split(r"[,\t，]", line)]
        if len(parts) != 3 or not parts[1] or parts[2] not in KINDS:
            problems[f"line {number}"] = "应为“日期,名称,类型（休/班）”"
            continue
        try:
            ends = re.split(r"~|至|/", parts[0])
            start = date.fromisoformat(ends[0].strip())
            end = date.fromisoformat(ends[-1].strip()) if len(ends) > 1 else start
        except ValueError:
            problems[f"line {number}"] = "日期应为 YYYY-MM-DD 或 YYYY-MM-DD~YYYY-MM-DD"
            continue
        if end < start or (end - start).days > 31 or start.year != year or end.year != year:
            problems[f"line {number}"] = f"日期应在{year}年内，区间不超过31天"
            continue
        day = start
        while day <= end:
            out.append((day, parts[1][:50], KINDS[parts[2]]))
            day += timedelta(days=1)
    seen: dict[date, str] = {}
    for day, _name, kind in out:
        if seen.get(day, kind) != kind:
            problems[day.isoformat()] = "同一天既是休息日又是上班日"
        seen[day] = kind
    if problems:
        raise ValidationFailed("节假日文件有误", fields=problems)
    if not out:
        raise ValidationFailed("文件中没有节假日", fields={"content": "为空"})
    return out


async def import_year(*, year: int, text: str, today: date, entry: AuditEntry, deps: Deps, by: str,
                      bookings: BookingsAction | None = None, workday_capacity: int | None = None) -> dict[str, Any]:
    """Apply a year's schedule; past days are left alone. Answers what was set."""
    from checkup.services.quota_admin import change_with_retry, settle_bookings

    rows = [(d, n, k) for d, n, k in parse(text, year=year) if d >= today]
    holidays = {d: n for d, n, k in rows if k == "holiday"}
    workdays = sorted(d for d, _n, k in rows if k == "workday")
    entry.change(target=f"holiday:{year}", year=year, holidays=len(holidays), workdays=len(workdays))
    rules = await deps.uow(write=False).quota.rules_row()
    template = (rules.weekly_capacity if rules else {}) or {}
    capacity = workday_capacity if workday_capacity is not None else int(
        template.get("1") or DEFAULT_WORKDAY_CAPACITY)

    async def change(uow: UnitOfWork) -> dict | None:
        settled = None
        if holidays:
            settled = await settle_bookings(uow, days=sorted(holidays), action=bookings, deps=deps, by=by,
                                            today=today, entry=entry)
            existing = await uow.quota.holiday_days_in(holidays)
            for d in existing:
                await uow.quota.rename_holidays([d], holidays[d])
            await uow.quota.create_holidays({d: n for d, n in holidays.items() if d not in existing})
        for d in workdays:
            await uow.quota.delete_holiday(d)
            current = await uow.quota.lock_day(d)
            if current is None:
                await uow.quota.create_day(d, capacity=capacity, open_=True)
            elif not current.open or current.capacity == 0:
                await uow.quota.open_day(d, capacity=max(capacity, current.booked))
        return settled

    settled = await change_with_retry(entry, change, deps)
    out: dict[str, Any] = {
        "year": year,
        "holidays": [{"date": d.isoformat(), "name": n} for d, n in sorted(holidays.items())],
        "workdays": [{"date": d.isoformat(), "capacity": capacity} for d in workdays],
    }
    if settled:
        out["bookings"] = settled
    return out

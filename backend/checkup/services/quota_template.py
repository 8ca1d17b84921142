"""The rolling weekly template (每周号源模板): quotas are generated open_days_ahead days ahead from a
capacity per weekday, by the worker, so the calendar never runs out because nobody ran seed.

Only missing days are created: a day staff set by hand (a closure, a make-up workday, a changed
capacity) is never overwritten. A weekday with capacity 0, or a closed weekday, is created closed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from checkup.db.repos.quota import NewDay
from checkup.db.uow import UnitOfWork
from checkup.domain.clock import shanghai_today
from checkup.domain.errors import ValidationFailed
from checkup.services.calendar import reader, rules_from_row

DEFAULT_TEMPLATE = {"1": 80, "2": 80, "3": 80, "4": 80, "5": 80, "6": 40, "7": 0}


def clean_template(value: dict | None) -> dict[str, int]:
    """A template as stored: ISO weekday "1".."7" -> capacity 0..9999; an empty one switches rolling off."""
    if not value:
        return {}
    out: dict[str, int] = {}
    for key, capacity in value.items():
        if str(key) not in DEFAULT_TEMPLATE or not isinstance(capacity, int) or isinstance(capacity, bool) \
                or not 0 <= capacity <= 9999:
            raise ValidationFailed("每周号源模板有误", fields={"weekly_capacity": "星期应为1到7，号源数0到9999"})
        out[str(key)] = capacity
    return out


def template_day(day: date, template: dict[str, int], closed_weekdays: frozenset[int]) -> NewDay:
    capacity = int(template.get(str(day.isoweekday()), 0))
    open_ = capacity > 0 and day.isoweekday() not in closed_weekdays
    return NewDay(day=day, capacity=capacity if open_ else 0, open=open_)


async def roll(*, now: datetime, uow: UnitOfWork | None = None) -> int:
    """Create the missing days from today to today + open_days_ahead; answers how many were created."""
    uow = reader(uow)
    row = await uow.quota.rules_row()
    if row is None or not row.weekly_capacity:
        return 0
    rules = rules_from_row(row)
    today = shanghai_today(now)
    end = today + timedelta(days=rules.open_days_ahead)
    existing = await uow.quota.days_set_between(today, end)
    missing = [today + timedelta(days=i) for i in range((end - today).days + 1)]
    rows = [template_day(d, row.weekly_capacity, rules.closed_weekdays) for d in missing if d not in existing]
    if not rows:
        return 0
    # another worker may roll the same days a moment ago: then they are created one by one
    return await uow.quota.create_missing_days(rows)

"""The booking calendar: per day open/closed, capacity, remaining and whether it can be booked now."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from checkup.db.uow import UnitOfWork, unit_of_work
from checkup.domain.booking_rules import (
    REASON_TEXT,
    BookingRules,
    DayQuotaView,
    DayReason,
    parse_release_time,
)
from checkup.domain.clock import SHANGHAI
from checkup.domain.errors import ValidationFailed

if TYPE_CHECKING:
    from checkup.db.models import BookingRulesRow

V = TypeVar("V")  # what a TtlCache keeps

MAX_RANGE_DAYS = 92


def reader(uow: UnitOfWork | None) -> UnitOfWork:
    """``uow`` or, when the caller has none, the repositories on the pool (reads only)."""
    return uow if uow is not None else unit_of_work(write=False)


def rules_from_row(row: BookingRulesRow | None) -> BookingRules:
    if row is None:
        return BookingRules()
    return BookingRules(
        open_days_ahead=row.open_days_ahead,
        release_time=parse_release_time(row.release_time),
        min_days_ahead=row.min_days_ahead,
        change_cutoff_days=row.change_cutoff_days,
        closed_weekdays=frozenset(row.closed_weekdays or []),
    )


async def load_rules(uow: UnitOfWork | None = None) -> BookingRules:
    return rules_from_row(await reader(uow).quota.rules_row())


def check_range(start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed("结束日期不能早于开始日期", fields={"to": "早于开始日期"})
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValidationFailed(f"查询范围不能超过{MAX_RANGE_DAYS}天", fields={"to": "范围过大"})


async def quota_views(start: date, end: date, uow: UnitOfWork | None = None) -> dict[date, DayQuotaView]:
    rows = await reader(uow).quota.days_between(start, end)
    return {r.day: DayQuotaView(day=r.day, capacity=r.capacity, booked=r.booked, open=r.open) for r in rows}


async def holidays_between(start: date, end: date, uow: UnitOfWork | None = None) -> dict[date, str]:
    return {h.day: h.name for h in await reader(uow).quota.holidays(start, end)}


async def day_reason(day: date, *, now: datetime, rules: BookingRules | None = None,
                     uow: UnitOfWork | None = None) -> DayReason:
    uow = reader(uow)
    rules = rules or await load_rules(uow)
    quota = (await quota_views(day, day, uow)).get(day)
    holiday = await uow.quota.is_holiday(day)
    return rules.day_reason(day=day, now=now, quota=quota, holiday=holiday)


async def calendar(*, start: date, end: date, now: datetime, uow: UnitOfWork | None = None) -> list[dict]:
    check_range(start, end)
    uow = reader(uow)
    rules = await load_rules(uow)
    quotas = await quota_views(start, end, uow)
    holidays = await holidays_between(start, end, uow)
    days = []
    day = start
    while day <= end:
        quota = quotas.get(day)
        reason = rules.day_reason(day=day, now=now, quota=quota, holiday=day in holidays)
        closed = quota is None or not quota.open or day in holidays  # as the console shows it
        days.append(
            {
                "date": day.isoformat(),
                "open": not closed,
                "capacity": quota.capacity if quota else 0,
                "remaining": quota.remaining if quota else 0,
                "bookable": reason is DayReason.BOOKABLE,
                "reason": reason.value,
                "reason_text": holidays.get(day) or REASON_TEXT[reason],
                # a day not open yet says when it opens: release_time, open_days_ahead days before it
                "opens_at": (datetime.combine(day - timedelta(days=rules.open_days_ahead), rules.release_time,
                                              tzinfo=SHANGHAI).isoformat()
                             if reason is DayReason.NOT_YET_OPEN else None),
            }
        )
        day += timedelta(days=1)
    return days


class TtlCache(Generic[V]):
    """A small per-process cache of computed answers, each kept ``ttl`` seconds.

    Concurrent misses of one key share a single computation (no stampede when an entry expires under
    load). Errors are not kept. At most ``max_entries`` keys: past that, the whole cache is dropped.
    """

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, V]] = {}
        self._pending: dict[Hashable, asyncio.Future[V]] = {}

    def clear(self) -> None:
        self._entries.clear()

    async def get(self, key: Hashable, ttl: float, compute: Callable[[], Awaitable[V]]) -> V:
        if ttl <= 0:
            return await compute()
        hit = self._entries.get(key)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        pending = self._pending.get(key)
        if pending is None:
            pending = asyncio.ensure_future(compute())
            self._pending[key] = pending
            pending.add_done_callback(lambda fut: self._done(key, ttl, fut))
        return await asyncio.shield(pending)

    def _done(self, key: Hashable, ttl: float, fut: asyncio.Future[V]) -> None:
        self._pending.pop(key, None)
        if fut.cancelled() or fut.exception() is not None:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (time.monotonic() + ttl, fut.result())


_reference: TtlCache[Any] = TtlCache(max_entries=512)  # values of every kind, each read back by its key


async def cached_rules(ttl: float, uow: UnitOfWork | None = None) -> BookingRules:
    """The booking rules, at most ``ttl`` seconds old (0: read now)."""

    async def read() -> BookingRules:
        return await load_rules(uow)

    rules: BookingRules = await _reference.get("rules", ttl, read)
    return rules


async def cached_holiday(day: date, ttl: float, uow: UnitOfWork | None = None) -> bool:
    async def read() -> bool:
        return await reader(uow).quota.is_holiday(day)

    holiday: bool = await _reference.get(("holiday", day), ttl, read)
    return holiday


async def reference(key: Hashable, ttl: float, compute: Callable[[], Awaitable[Any]]) -> Any:
    """Any slowly changing reference value (a package's sex limit, ...), at most ``ttl`` seconds old."""
    return await _reference.get(key, ttl, compute)


def clear_reference_cache() -> None:
    _reference.clear()

"""The quota repository (issue 15): the calendar's statements -- day quotas (号源), closed days (holidays)
and the single row of booking rules -- nowhere else.

A day's ``booked`` only moves by the booking triggers (migration 0005); staff changes of capacity are
guarded UPDATEs (``... WHERE booked <= capacity``) so a booking committed a moment earlier cannot slip under.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from tortoise.exceptions import IntegrityError

from checkup.db.models import BookingRulesRow, DayQuota, Holiday
from checkup.db.repos import Repository
from checkup.domain.booking_rules import DayQuotaView

__all__ = ["NewDay", "QuotaRepository"]


@dataclass(frozen=True, slots=True)
class NewDay:
    """A day quota to create (nothing booked yet)."""

    day: date
    capacity: int
    open: bool


class QuotaRepository(Repository):
    __slots__ = ()

    # ---- day quotas --------------------------------------------------------------------------------
    async def day_view(self, day: date) -> DayQuotaView | None:
        """The day's places as the database holds them now (raw: read on the booking path)."""
        rows = await self._rows("SELECT capacity, booked, open FROM day_quota WHERE day = %s", [day])
        if not rows:
            return None
        r = rows[0]
        return DayQuotaView(day=day, capacity=r["capacity"], booked=r["booked"], open=bool(r["open"]))

    async def days_between(self, start: date, end: date) -> list[DayQuota]:
        return await DayQuota.filter(day__gte=start, day__lte=end).using_db(self.conn)

    async def days_set_between(self, start: date, end: date) -> set[date]:
        """The days of the range that have a quota row."""
        days = await DayQuota.filter(day__gte=start, day__lte=end).using_db(self.conn).values_list("day", flat=True)
        return set(cast("list[date]", days))

    async def day(self, day: date) -> DayQuota | None:
        return await DayQuota.filter(day=day).using_db(self.conn).first()

    async def lock_day(self, day: date) -> DayQuota | None:
        return await DayQuota.filter(day=day).select_for_update().using_db(self.conn).first()

    async def lock_days(self, days: Iterable[date]) -> list[DayQuota]:
        return await DayQuota.filter(day__in=list(days)).select_for_update().using_db(self.conn)

    async def create_day(self, day: date, *, capacity: int, open_: bool) -> DayQuota:
        return await DayQuota.create(using_db=self.conn, day=day, capacity=capacity, booked=0, open=open_)

    async def create_days(self, days: Sequence[NewDay]) -> None:
        """Create day quotas in one statement (IntegrityError when one exists already)."""
        await DayQuota.bulk_create([DayQuota(day=d.day, capacity=d.capacity, booked=0, open=d.open) for d in days],
                                   using_db=self.conn)

    async def create_missing_days(self, days: Sequence[NewDay]) -> int:
        """Create the day quotas that do not exist yet, in one statement, or one by one when another writer
        created some a moment ago; answers how many this call created."""
        try:
            await self.create_days(days)
            return len(days)
        except IntegrityError:
            created = 0
            for d in days:
                try:
                    await DayQuota(day=d.day, capacity=d.capacity, booked=0, open=d.open).save(
                        using_db=self.conn, force_create=True)
                    created += 1
                except IntegrityError:
                    continue
            return created

    async def set_capacity_if_fits(self, days: Iterable[date], *, capacity: int, open_: bool) -> int:
        """Set capacity and open flag of those ``days`` where no more than ``capacity`` are booked; how many."""
        return await DayQuota.filter(day__in=list(days), booked__lte=capacity).using_db(self.conn).update(
            capacity=capacity, open=open_)

    async def open_day(self, day: date, *, capacity: int) -> None:
        """Open a day with ``capacity`` places (the caller keeps it at or above what is booked)."""
        await DayQuota.filter(day=day).using_db(self.conn).update(open=True, capacity=capacity)

    # ---- closed days ---------------------------------------------------------------------------------
    async def is_holiday(self, day: date) -> bool:
        return await Holiday.filter(day=day).using_db(self.conn).exists()

    async def holidays(self, start: date | None = None, end: date | None = None) -> list[Holiday]:
        """The closed days of the range (either end open), in date order."""
        qs = Holiday.all().using_db(self.conn)
        if start:
            qs = qs.filter(day__gte=start)
        if end:
            qs = qs.filter(day__lte=end)
        return await qs.order_by("day")

    async def holiday_days_in(self, days: Iterable[date]) -> set[date]:
        found = await Holiday.filter(day__in=list(days)).using_db(self.conn).values_list("day", flat=True)
        return set(cast("list[date]", found))

    async def lock_holiday(self, day: date) -> Holiday | None:
        return await Holiday.filter(day=day).select_for_update().using_db(self.conn).first()

    async def lock_holidays(self, days: Iterable[date]) -> list[Holiday]:
        return await Holiday.filter(day__in=list(days)).select_for_update().using_db(self.conn)

    async def rename_holidays(self, days: Iterable[date], name: str) -> None:
        await Holiday.filter(day__in=list(days)).using_db(self.conn).update(name=name)

    async def create_holidays(self, names: Mapping[date, str]) -> None:
        await Holiday.bulk_create([Holiday(day=d, name=n) for d, n in names.items()], using_db=self.conn)

    async def delete_holiday(self, day: date) -> None:
        await Holiday.filter(day=day).using_db(self.conn).delete()

    # ---- booking rules ---------------------------------------------------------------------------------
    async def rules_row(self) -> BookingRulesRow | None:
        """The single rules row (None: the defaults hold)."""
        return await BookingRulesRow.get_or_none(id=1, using_db=self.conn)

    async def lock_rules_row(self) -> BookingRulesRow | None:
        return await BookingRulesRow.filter(id=1).select_for_update().using_db(self.conn).first()

    async def save_rules(self, values: Mapping[str, Any], *, exists: bool) -> None:
        """Write the rules row (create it when it does not exist yet)."""
        if exists:
            await BookingRulesRow.filter(id=1).using_db(self.conn).update(**values)
        else:
            await BookingRulesRow.create(using_db=self.conn, id=1, **values)

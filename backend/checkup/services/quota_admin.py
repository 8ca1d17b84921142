"""Staff side of the calendar: day quotas (号源), closed days (holidays) and the booking rules.

A day's capacity never drops below what is booked: the change is a guarded UPDATE
(... WHERE booked <= new capacity), so a booking committed a moment earlier cannot slip under it,
and the database CHECK (booked <= capacity) holds whatever happens.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from checkup.db.errors import IntegrityError
from checkup.db.repos.bookings import NoPlace
from checkup.db.repos.quota import NewDay
from checkup.db.uow import UnitOfWork, unit_of_work
from checkup.domain.booking_rules import BookingRules, parse_release_time
from checkup.domain.clock import SHANGHAI
from checkup.domain.errors import (
    CapacityBelowBooked,
    DayClosed,
    DayHasBookings,
    NotFound,
    PatientDayTaken,
    QuotaFull,
    ValidationFailed,
)
from checkup.services import messages
from checkup.services.audit import AuditEntry, audited_change
from checkup.services.booking_events import end_booking, report_day_later
from checkup.services.calendar import check_range, load_rules, reader, rules_from_row
from checkup.services.deps import Deps
from checkup.services.quota_template import clean_template

if TYPE_CHECKING:
    from checkup.db.models import BookingRulesRow, DayQuota, Holiday

MAX_BATCH_DAYS = 366
T = TypeVar("T")


def day_json(day: date, quota: DayQuota | None) -> dict[str, Any]:
    """A day as the console shows it; ``set`` says whether staff (or the template) set it at all."""
    if quota is None:
        return {"date": day.isoformat(), "capacity": 0, "booked": 0, "remaining": 0, "open": False, "set": False}
    return {
        "date": day.isoformat(),
        "capacity": quota.capacity,
        "booked": quota.booked,
        "remaining": max(quota.capacity - quota.booked, 0),
        "open": quota.open,
        "set": True,
    }


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


async def list_days(*, start: date, end: date, uow: UnitOfWork | None = None) -> list[dict[str, Any]]:
    """Every day of the range; a day without a quota row shows capacity 0, closed."""
    check_range(start, end)
    rows = {q.day: q for q in await reader(uow).quota.days_between(start, end)}
    return [day_json(d, rows.get(d)) for d in _days(start, end)]


async def change_with_retry(entry: AuditEntry, op: Callable[[UnitOfWork], Awaitable[T]],
                            deps: Deps | None = None) -> T:
    """An audited change in a unit of work (``deps.uow``, or the application's when there are no deps);
    a row created concurrently (duplicate key) means: look again, once."""
    factory = deps.uow if deps is not None else unit_of_work
    try:
        return await audited_change(entry, op, uow=factory)
    except IntegrityError:
        return await audited_change(entry, op, uow=factory)


def _not_past(day: date, today: date, field: str = "date") -> None:
    if day < today:
        raise ValidationFailed("不能修改已过去的日期", fields={field: "早于今天"})


@dataclass(frozen=True, slots=True)
class BookingsAction:
    """What staff said to do with the active bookings of days they close: move them, or cancel them."""

    move_to: date | None = None
    cancel: bool = False
    reason: str = ""


async def settle_bookings(uow: UnitOfWork, *, days: list[date], action: BookingsAction | None, deps: Deps, by: str,
                          today: date, entry: AuditEntry) -> dict[str, Any] | None:
    """The active bookings of ``days`` (being closed): none -> None; else moved or cancelled as ``action``
    says, in the caller's transaction, each patient told; without an action 409 DAY_HAS_BOOKINGS."""
    active = await uow.bookings.lock_active_on(days)
    if not active:
        return None
    if action is None:
        per_day: dict[str, int] = {}
        for b in active:
            per_day[b.day.isoformat()] = per_day.get(b.day.isoformat(), 0) + 1
        raise DayHasBookings(f"所选日期已有{len(active)}个预约，请选择改约到其他日期或取消这些预约",
                             count=len(active), days=per_day)
    reason = action.reason.strip()
    if action.move_to is not None:
        target = action.move_to
        if target in days or target <= today:
            raise ValidationFailed("改约日期应为今天以后、且不是要关闭的日期", fields={"bookings.move_to": "日期不可用"})
        if await uow.quota.is_holiday(target):
            raise DayClosed("改约日期是休息日", day=target.isoformat())
        tip = reason or "体检中心调整了您的体检日期"
        for b in active:
            old_day = b.day
            b.day = target
            b.reschedule_count += 1
            try:  # the trigger takes the place on the target day or refuses (full, closed): all roll back
                await uow.bookings.save(b, ["day", "reschedule_count"])
            except NoPlace as exc:
                raise (DayClosed("改约日期未开放", day=target.isoformat()) if exc.closed
                       else QuotaFull(f"改约日期号源不足，需要{len(active)}个", day=target.isoformat(),
                                      count=len(active))) from None
            except IntegrityError:
                raise PatientDayTaken("有患者在改约日期已有其他预约", day=target.isoformat()) from None
            await messages.notify_booking(deps, "change", b, uow=uow, old_day=old_day, tip=tip)
            await report_day_later(uow, charge_id=b.charge_id, now=deps.now())
        result = {"moved": len(active), "move_to": target.isoformat(), "booking_ids": [b.id for b in active]}
    elif action.cancel:
        if not reason:
            raise ValidationFailed("请填写取消原因（会告知患者）", fields={"bookings.reason": "必填"})
        for b in active:
            await end_booking(deps, uow, b, by=by, reason=f"体检中心停诊：{reason}")
        result = {"cancelled": len(active), "reason": reason, "booking_ids": [b.id for b in active]}
    else:
        raise ValidationFailed("请选择改约日期或取消预约", fields={"bookings": "move_to 或 cancel 必填其一"})
    entry.change(bookings=result)
    return result


async def set_day(*, day: date, capacity: int, open_: bool, today: date, entry: AuditEntry,
                  deps: Deps | None = None, by: str = "", bookings: BookingsAction | None = None) -> dict[str, Any]:
    """Set one day's capacity and open flag; refused (CAPACITY_BELOW_BOOKED) below what is booked.

    Closing a day that has active bookings answers DAY_HAS_BOOKINGS (with their count) unless
    ``bookings`` says to move them to another day (in this transaction, when it has room) or cancel them.
    """
    _not_past(day, today)
    entry.change(target=f"quota:{day.isoformat()}", after={"capacity": capacity, "open": open_})

    async def change(uow: UnitOfWork) -> tuple[DayQuota | None, dict | None]:
        current = await uow.quota.lock_day(day)
        if current is None:
            return await uow.quota.create_day(day, capacity=capacity, open_=open_), None
        entry.change(before={"capacity": current.capacity, "booked": current.booked, "open": current.open})
        settled = None
        if not open_ and deps is not None:
            settled = await settle_bookings(uow, days=[day], action=bookings, deps=deps, by=by, today=today,
                                            entry=entry)
        changed = await uow.quota.set_capacity_if_fits([day], capacity=capacity, open_=open_)
        if changed == 0:
            booked = (await uow.quota.day(day)).booked  # type: ignore[union-attr]
            raise CapacityBelowBooked(f"号源数不能少于已预约人数（{booked}）", booked=booked, capacity=capacity)
        return await uow.quota.day(day), settled

    saved, settled = await change_with_retry(entry, change, deps)
    out = day_json(day, saved)
    if settled:
        out["bookings"] = settled
    return out


async def set_days(*, start: date, end: date, weekdays: list[int], capacity: int, open_: bool, today: date,
                   entry: AuditEntry, include_closed: bool = False) -> dict[str, Any]:
    """Set every matching day of the range. Skipped, and listed with the reason: days already booked
    above ``capacity``; when opening, days staff closed (unless ``include_closed``: a closure is not
    undone without asking); when closing, days with bookings (close them one by one: DAY_HAS_BOOKINGS)."""
    if end < start:
        raise ValidationFailed("结束日期不能早于开始日期", fields={"to": "早于开始日期"})
    if (end - start).days >= MAX_BATCH_DAYS:
        raise ValidationFailed(f"批量设置范围不能超过{MAX_BATCH_DAYS}天", fields={"to": "范围过大"})
    _not_past(start, today, "from")
    wanted = [d for d in _days(start, end) if d.isoweekday() in set(weekdays)]
    entry.change(target=f"quota:{start.isoformat()}..{end.isoformat()}",
                 request={"weekdays": sorted(set(weekdays)), "capacity": capacity, "open": open_,
                          "include_closed": include_closed})

    def skip_reason(q: DayQuota) -> str | None:
        if q.booked > capacity:
            return "booked_above"
        if open_ and not q.open and not include_closed:
            return "closed"
        if not open_ and q.booked > 0:
            return "has_bookings"
        return None

    async def change(uow: UnitOfWork) -> dict[str, Any]:
        existing = {q.day: q for q in await uow.quota.lock_days(wanted)}
        skipped = [{"date": d.isoformat(), "booked": q.booked, "reason": skip_reason(q)}
                   for d, q in sorted(existing.items()) if skip_reason(q)]
        changing = [d for d, q in existing.items() if not skip_reason(q)]
        updated = 0
        if changing:
            updated = await uow.quota.set_capacity_if_fits(changing, capacity=capacity, open_=open_)
        missing = [d for d in wanted if d not in existing]
        if missing:
            await uow.quota.create_days([NewDay(day=d, capacity=capacity, open=open_) for d in missing])
        entry.change(
            before={d.isoformat(): {"capacity": q.capacity, "booked": q.booked, "open": q.open}
                    for d, q in sorted(existing.items())},
            updated=updated + len(missing), created=len(missing), skipped=skipped,
        )
        return {"updated": updated + len(missing), "created": len(missing), "skipped": skipped}

    return await change_with_retry(entry, change)


# ---- closed days ---------------------------------------------------------------------------------
def holiday_json(h: Holiday) -> dict[str, Any]:
    return {"date": h.day.isoformat(), "name": h.name}


async def list_holidays(*, start: date | None, end: date | None,
                        uow: UnitOfWork | None = None) -> list[dict[str, Any]]:
    return [holiday_json(h) for h in await reader(uow).quota.holidays(start, end)]


async def add_holiday(*, day: date, name: str, entry: AuditEntry, deps: Deps | None = None, by: str = "",
                      today: date | None = None, bookings: BookingsAction | None = None) -> dict[str, Any]:
    """Close a day (or rename a closed day); its active bookings as for closing a day (DAY_HAS_BOOKINGS)."""
    out = await add_holidays(start=day, end=day, name=name, entry=entry, deps=deps, by=by, today=today,
                             bookings=bookings)
    result = {"date": day.isoformat(), "name": name}
    if out.get("bookings"):
        result["bookings"] = out["bookings"]
    return result


async def add_holidays(*, start: date, end: date, name: str, entry: AuditEntry, deps: Deps | None = None,
                       by: str = "", today: date | None = None,
                       bookings: BookingsAction | None = None) -> dict[str, Any]:
    """Close every day of a range under one name (a holiday: 国庆节 10-01..10-07), in one transaction."""
    if end < start:
        raise ValidationFailed("结束日期不能早于开始日期", fields={"to": "早于开始日期"})
    if (end - start).days >= 60:
        raise ValidationFailed("一次最多设置60天休息日", fields={"to": "范围过大"})
    days = list(_days(start, end))
    target = f"holiday:{start.isoformat()}" if start == end else f"holiday:{start.isoformat()}..{end.isoformat()}"
    entry.change(target=target, after={"name": name})

    async def change(uow: UnitOfWork) -> dict | None:
        current = {h.day: h for h in await uow.quota.lock_holidays(days)}
        if current:
            entry.change(before={d.isoformat(): h.name for d, h in sorted(current.items())})
        settled = None
        if deps is not None:
            settled = await settle_bookings(uow, days=days, action=bookings, deps=deps, by=by,
                                            today=today or start, entry=entry)
        if current:
            await uow.quota.rename_holidays(current, name)
        missing = [d for d in days if d not in current]
        if missing:
            await uow.quota.create_holidays({d: name for d in missing})
        return settled

    settled = await change_with_retry(entry, change, deps)
    out: dict[str, Any] = {"items": [{"date": d.isoformat(), "name": name} for d in days], "total": len(days)}
    if settled:
        out["bookings"] = settled
    return out


async def delete_holiday(*, day: date, entry: AuditEntry) -> None:
    entry.change(target=f"holiday:{day.isoformat()}")

    async def change(uow: UnitOfWork) -> None:
        current = await uow.quota.lock_holiday(day)
        if current is None:
            raise NotFound("该日期不是休息日")
        entry.change(before={"name": current.name})
        await uow.quota.delete_holiday(day)

    await change_with_retry(entry, change)


# ---- booking rules -------------------------------------------------------------------------------
def rules_json(rules: BookingRules) -> dict[str, Any]:
    return {
        "open_days_ahead": rules.open_days_ahead,
        "release_time": rules.release_time.strftime("%H:%M"),
        "min_days_ahead": rules.min_days_ahead,
        "change_cutoff_days": rules.change_cutoff_days,
        "closed_weekdays": sorted(rules.closed_weekdays),
    }


def next_opening(rules: BookingRules, now: datetime) -> dict[str, Any]:
    """When the next day opens for booking (开放时段): the day and the moment, Asia/Shanghai."""
    local = now.astimezone(SHANGHAI)
    release_day = local.date() if local.time() < rules.release_time else local.date() + timedelta(days=1)
    at = datetime.combine(release_day, rules.release_time, tzinfo=SHANGHAI)
    return {"date": (release_day + timedelta(days=rules.open_days_ahead)).isoformat(), "at": at.isoformat()}


def _row_extra(row: BookingRulesRow | None) -> dict[str, Any]:
    return {"weekly_capacity": dict(row.weekly_capacity or {}) if row else {},
            "no_show_may_rebook": row.no_show_may_rebook if row else True}


async def get_rules(*, now: datetime | None = None, uow: UnitOfWork | None = None) -> dict[str, Any]:
    row = await reader(uow).quota.rules_row()
    rules = rules_from_row(row)
    out = {**rules_json(rules), **_row_extra(row)}
    if now is not None:
        out["next_opening"] = next_opening(rules, now)
    return out


async def set_rules(*, values: dict[str, Any], entry: AuditEntry, now: datetime | None = None) -> dict[str, Any]:
    """Validate (BookingRules checks itself) and save the single rules row."""
    rows = reader(None)
    if values.get("closed_weekdays") is None:  # API.md's four fields alone keep the closed weekdays
        values = {**values, "closed_weekdays": (await load_rules(rows)).closed_weekdays}
    current_row = await rows.quota.rules_row()
    extra = _row_extra(current_row)
    if values.get("weekly_capacity") is not None:
        extra["weekly_capacity"] = clean_template(values["weekly_capacity"])
    if values.get("no_show_may_rebook") is not None:
        extra["no_show_may_rebook"] = bool(values["no_show_may_rebook"])
    rules = BookingRules(
        open_days_ahead=values["open_days_ahead"],
        release_time=parse_release_time(values["release_time"]),
        min_days_ahead=values["min_days_ahead"],
        change_cutoff_days=values["change_cutoff_days"],
        closed_weekdays=frozenset(values["closed_weekdays"]),
    )
    after = {**rules_json(rules), **extra}
    entry.change(target="booking_rules", after=after)

    async def change(uow: UnitOfWork) -> None:
        current = await uow.quota.lock_rules_row()
        if current is not None:
            entry.change(before={**rules_json(rules_from_row(current)), **_row_extra(current)})
        await uow.quota.save_rules(after, exists=current is not None)

    await change_with_retry(entry, change)
    if now is not None:
        return {**after, "next_opening": next_opening(rules, now)}
    return after

"""The booking window, closed days and the change cutoff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from checkup.domain.clock import SHANGHAI
from checkup.domain.errors import ValidationFailed


class DayReason(StrEnum):
    BOOKABLE = "bookable"
    CLOSED = "closed"  # closed by staff, closed weekday, holiday, or no quota set
    FULL = "full"
    NOT_YET_OPEN = "not_yet_open"  # beyond the booking window (opens later)
    TOO_LATE = "too_late"  # today / past / inside min_days_ahead


REASON_TEXT = {
    DayReason.BOOKABLE: "可预约",
    DayReason.CLOSED: "休息",
    DayReason.FULL: "已约满",
    DayReason.NOT_YET_OPEN: "未开放",
    DayReason.TOO_LATE: "已截止",
}


@dataclass(frozen=True, slots=True)
class DayQuotaView:
    day: date
    capacity: int
    booked: int
    open: bool

    @property
    def remaining(self) -> int:
        return max(self.capacity - self.booked, 0)


@dataclass(frozen=True, slots=True)
class BookingRules:
    open_days_ahead: int = 30  # the furthest day that can be booked is today + open_days_ahead
    release_time: time = time(8, 0)  # the newest day opens at this time (Asia/Shanghai)
    min_days_ahead: int = 1  # 1 = no same-day booking
    change_cutoff_days: int = 1  # reschedule/cancel allowed until day - change_cutoff_days (inclusive)
    # ISO 1=Mon..7=Sun: days generated closed (template, seed); an explicit open quota still opens one
    closed_weekdays: frozenset[int] = field(default_factory=lambda: frozenset({7}))

    def __post_init__(self) -> None:
        problems = {}
        if not 1 <= self.open_days_ahead <= 365:
            problems["open_days_ahead"] = "应在1到365之间"
        if not 0 <= self.min_days_ahead <= self.open_days_ahead:
            problems["min_days_ahead"] = "应在0到可预约天数之间"
        if not 0 <= self.change_cutoff_days <= 30:
            problems["change_cutoff_days"] = "应在0到30之间"
        if any(d not in range(1, 8) for d in self.closed_weekdays):
            problems["closed_weekdays"] = "星期应为1到7"
        if problems:
            raise ValidationFailed("预约规则设置有误", fields=problems)

    def window(self, now: datetime) -> tuple[date, date]:
        """First and last bookable day at ``now`` (the window may be empty: first > last)."""
        local = now.astimezone(SHANGHAI)
        today = local.date()
        last_ahead = self.open_days_ahead if local.time() >= self.release_time else self.open_days_ahead - 1
        return today + timedelta(days=self.min_days_ahead), today + timedelta(days=last_ahead)

    def day_reason(
        self, *, day: date, now: datetime, quota: DayQuotaView | None, holiday: bool = False
    ) -> DayReason:
        first, last = self.window(now)
        if day < first:
            return DayReason.TOO_LATE
        # The day's quota row decides: closed weekdays shape the rows the template and seed create
        # (closed), and a row staff opened on one is a make-up workday (调休), bookable like any other.
        if quota is None or not quota.open or holiday:
            return DayReason.CLOSED
        if day > last:
            return DayReason.NOT_YET_OPEN
        if quota.remaining <= 0:
            return DayReason.FULL
        return DayReason.BOOKABLE

    def change_deadline(self, booking_day: date) -> date:
        """The last Asia/Shanghai day on which a booking of ``booking_day`` may be changed or cancelled."""
        return booking_day - timedelta(days=self.change_cutoff_days)

    def can_change(self, *, booking_day: date, now: datetime) -> bool:
        return now.astimezone(SHANGHAI).date() <= self.change_deadline(booking_day)


def parse_release_time(text: str) -> time:
    try:
        hh, mm = text.split(":")
        return time(int(hh), int(mm))
    except (ValueError, AttributeError):
        raise ValidationFailed("开放时间格式应为 HH:MM", fields={"release_time": "格式应为 HH:MM"}) from None

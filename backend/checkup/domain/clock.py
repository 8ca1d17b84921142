"""Time: timestamps are aware UTC; days are Asia/Shanghai dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def shanghai_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(SHANGHAI).date()


def to_shanghai(ts: datetime) -> datetime:
    return ts.astimezone(SHANGHAI)


def iso(ts: datetime | None) -> str | None:
    """ISO 8601 with the Asia/Shanghai offset, as the API shows timestamps."""
    return ts.astimezone(SHANGHAI).isoformat(timespec="seconds") if ts else None

"""Small helpers shared by the console blueprints (one blueprint per feature)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sanic import Blueprint, Request

from checkup.domain.clock import shanghai_today
from checkup.domain.errors import ValidationFailed
from checkup.domain.roles import ADMIN, AUDITOR, FINANCE, STAFF
from checkup.services.deps import Deps

PREFIX = "/api/console"

# Who may call what (docs/console-api.md shows the whole matrix). Admin is named on every route.
EVERYONE = (ADMIN, STAFF, FINANCE, AUDITOR)
CALENDAR = (ADMIN, STAFF)  # quotas, closed days, reading the rules
REPORT_READERS = (ADMIN, STAFF, AUDITOR)  # the booked-patient report, its exports, the confirmed view
CONFIRMERS = (ADMIN, STAFF)
ADMINS = (ADMIN,)
AUDIT_READERS = (ADMIN, AUDITOR)
FINANCIAL = (ADMIN, FINANCE)  # payments, refunds, reconciliation, durable jobs, finance alerts


def blueprint(name: str) -> Blueprint:
    return Blueprint(f"console_{name}", url_prefix=PREFIX)


def deps(request: Request) -> Deps:
    return request.app.ctx.deps


def staff(request: Request) -> Any:
    """The signed-in staff member (the account row services/staff_sessions.authenticate found)."""
    return request.ctx.staff


def today(request: Request) -> date:
    return shanghai_today(deps(request).now())


def path_day(text: str) -> date:
    """A YYYY-MM-DD path segment (an impossible date is a 422, not a missing route)."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValidationFailed("日期格式应为 YYYY-MM-DD", fields={"date": "应为日期 YYYY-MM-DD"})


def date_range(request: Request, start: date | None, end: date | None, *, days: int = 0) -> tuple[date, date]:
    """``from`` defaults to today and ``to`` to ``from`` + days."""
    start = start or today(request)
    return start, end or start + timedelta(days=days)


def staff_actor(request: Request) -> str:
    """How a booking remembers the staff member who changed it."""
    return f"staff:{staff(request).username}"


def bookings_action(body):
    """The service's BookingsAction from a request's ``bookings`` object (None when absent)."""
    from checkup.services.quota_admin import BookingsAction

    if body is None:
        return None
    return BookingsAction(move_to=body.move_to, cancel=body.cancel, reason=body.reason)

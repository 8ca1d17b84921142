"""The staff console API (/api/console/...): one blueprint per feature, grouped for app.py."""

from __future__ import annotations

from sanic import Blueprint

from checkup.api import audit as _audit  # noqa: F401  (registers the audit hook of the route table)
from checkup.api.console import (
    audit,
    auth,
    bookings,
    holidays,
    open_clients,
    packages,
    patients,
    quota,
    reports,
    rules,
    selfcheck,
    staff,
)

group = Blueprint.group(
    auth.bp, quota.bp, holidays.bp, rules.bp, reports.bp, bookings.bp, packages.bp, staff.bp, audit.bp, patients.bp,
    open_clients.bp, selfcheck.bp,
)

"""The staff console API (/api/console/...): one blueprint per feature, grouped for app.py."""

from __future__ import annotations

from sanic import Blueprint

from checkup.api.console import (
    audit,
    auth,
    bookings,
    finance,
    holidays,
    packages,
    patients,
    quota,
    reports,
    rules,
    selfcheck,
    sharing_clients,
    staff,
)

group = Blueprint.group(
    auth.bp, quota.bp, holidays.bp, rules.bp, reports.bp, bookings.bp, packages.bp, staff.bp, audit.bp, patients.bp,
    sharing_clients.bp, selfcheck.bp, finance.bp,
)

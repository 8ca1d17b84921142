"""Payments in tests can only be made today, and a day is reconciled only once it has ended
(Asia/Shanghai): let today count as ended while a test reconciles it (the app runs in this process)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from checkup.services import reconciliation


@contextmanager
def today_reconcilable() -> Iterator[None]:
    real = reconciliation.day_has_ended
    reconciliation.day_has_ended = lambda day, now: real(day, now + timedelta(days=1))
    try:
        yield
    finally:
        reconciliation.day_has_ended = real

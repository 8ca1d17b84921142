"""What a database error means, whichever driver raised it (issue 15: db/ is the only package that knows
Tortoise and the drivers; services catch these names, never a driver's or the ORM's classes)."""

from __future__ import annotations

from tortoise.exceptions import (
    DBConnectionError,
    DoesNotExist,
    IntegrityError,
    OperationalError,
    TransactionManagementError,
)

__all__ = [
    "DatabaseUnavailable",
    "DoesNotExist",
    "IntegrityError",
    "OperationalError",
    "UniqueViolation",
    "is_retryable",
    "is_retryable_error",
]

# A unique key or a foreign key refused the row (any driver: Tortoise translates; the raw booking
# statements of db/bookings.py translate with classify()).
UniqueViolation = IntegrityError
# The database cannot be reached or answered with a connection-level failure (api/ answers 503).
DatabaseUnavailable = DBConnectionError


def is_retryable(exc: BaseException) -> bool:
    """A deadlock or lock wait (MySQL/MariaDB 1213, 1205) or a busy SQLite file: run the transaction again."""
    text = str(exc)
    return "Deadlock" in text or "1213" in text or "Lock wait timeout" in text or "database is locked" in text


def is_retryable_error(exc: BaseException) -> bool:
    """``exc`` ended a transaction that may simply run again (the database chose it as a deadlock victim)."""
    return isinstance(exc, (OperationalError, TransactionManagementError)) and is_retryable(exc)

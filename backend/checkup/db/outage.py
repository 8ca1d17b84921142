"""Whether an error means the database cannot be reached right now (issue 15: the drivers' and the ORM's
error classes are known here only; api/errors.py answers 503 through services/health.py)."""

from __future__ import annotations

import sqlite3

from tortoise.exceptions import DBConnectionError, OperationalError

# What a driver says when the database cannot be reached (as opposed to a query the database refused).
_OUTAGE_WORDS = ("can't connect", "lost connection", "not connected", "server has gone away", "unable to open database",
                 "connection refused", "connection reset", "(2003", "(2006", "(2013", "disk i/o error")


def is_database_outage(exc: BaseException | None) -> bool:
    """True for errors that mean the database is unreachable right now (a retry later may work)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DBConnectionError):
            return True
        if isinstance(exc, (OperationalError, sqlite3.OperationalError, ConnectionError, OSError)) or \
                type(exc).__module__.startswith("pymysql"):
            text = str(exc).lower()
            if any(word in text for word in _OUTAGE_WORDS) or isinstance(exc, ConnectionError):
                return True
        exc = exc.__cause__ or exc.__context__
    return False

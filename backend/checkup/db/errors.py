"""What a database error means, whichever driver raised it (db/ is where drivers are known)."""

from __future__ import annotations


def is_retryable(exc: Exception) -> bool:
    """A deadlock or lock wait (MySQL/MariaDB 1213, 1205) or a busy SQLite file: run the transaction again."""
    text = str(exc)
    return "Deadlock" in text or "1213" in text or "Lock wait timeout" in text or "database is locked" in text

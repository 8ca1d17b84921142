"""Running a transaction again when the database chose it as a deadlock victim."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from checkup.db.errors import is_retryable, is_retryable_error

__all__ = ["is_retryable", "retry_deadlocks"]

log = logging.getLogger("checkup.tx")
T = TypeVar("T")


async def retry_deadlocks(op: Callable[[], Awaitable[T]], *, attempts: int = 8) -> T:
    """Run ``op`` (one whole transaction) again after a deadlock, with a random pause so that
    the transactions that collided do not collide again."""
    for attempt in range(attempts):
        try:
            return await op()
        except Exception as exc:
            if attempt == attempts - 1 or not is_retryable_error(exc):
                raise
            log.info("transaction retried after %s", exc)
            await asyncio.sleep(random.uniform(0.005, 0.02) * (attempt + 1))  # noqa: S311 - jitter, not a secret
    raise AssertionError("unreachable")

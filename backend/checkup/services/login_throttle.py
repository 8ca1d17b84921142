"""Progressive delays for console logins instead of locking the account.

A lock on the account would let anyone lock the only admin out forever by sending five wrong
passwords now and then. Instead:

- per (account name, client address): after ``FREE_FAILURES`` consecutive failures the next attempt
  from that address for that name must wait 1 s, then 2, 4, 8 ... up to 15 minutes
  (429 RATE_LIMITED with Retry-After, before any password check); a success from that address
  clears it. Attempts from other addresses are not delayed by it, so the admin at their own
  workstation still gets in while someone elsewhere keeps guessing.
- per account name, every address together: beyond ``ACCOUNT_FREE_FAILURES`` failures within
  ``ACCOUNT_WINDOW`` each attempt waits a little longer before the password is checked (at most
  ``ACCOUNT_MAX_WAIT``): a guesser spread over many addresses slows down, the owner still gets in.

The counters are keyed by the name as typed (hashed), whether or not the account exists, so the
answers are the same for unknown, stopped and existing accounts. They live in Redis when the app has
one (shared by every process), in the process otherwise. `checkup staff unlock USER` clears them.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections.abc import Callable
from typing import Any

from checkup.domain.errors import RateLimited

PREFIX = "checkup:lt:"
FREE_FAILURES = 3
MAX_DELAY = 15 * 60
PAIR_MEMORY = 3600  # a pair's failures are forgotten an hour after the last one
ACCOUNT_WINDOW = 15 * 60
ACCOUNT_FREE_FAILURES = 10
ACCOUNT_STEP = 0.2  # seconds of wait per failure beyond the free ones
ACCOUNT_MAX_WAIT = 3.0


def account_key(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:24]


def delay_after(failures: int) -> int:
    """Seconds an address waits after its ``failures``-th consecutive failure for one account."""
    if failures < FREE_FAILURES:
        return 0
    return min(MAX_DELAY, 2 ** (failures - FREE_FAILURES))


class LoginThrottle:
    def __init__(self, redis: Callable[[], Any], *, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], Any] = asyncio.sleep) -> None:
        self._redis = redis
        self._clock = clock
        self._sleep = sleep
        self._local: dict[str, tuple[float, int, float]] = {}  # key -> (expires at, count, not before)

    # -- storage: Redis hash {n, nb} with an expiry, or this process ------------------------------
    async def _get(self, key: str) -> tuple[int, float]:
        redis = self._redis()
        if redis is not None:
            try:
                values = await redis.hmget(key, "n", "nb")
                return int(values[0] or 0), float(values[1] or 0)
            except Exception:  # noqa: BLE001, S110 - a Redis outage must not refuse logins
                pass
        entry = self._local.get(key)
        if entry is None or entry[0] <= self._clock():
            return 0, 0.0
        return entry[1], entry[2]

    async def _bump(self, key: str, ttl: int, delay_of: Callable[[int], float]) -> int:
        now = self._clock()
        redis = self._redis()
        if redis is not None:
            try:
                count = int(await redis.hincrby(key, "n", 1))
                await redis.hset(key, "nb", now + delay_of(count))
                await redis.expire(key, ttl)
                return count
            except Exception:  # noqa: BLE001, S110 - as above: the per-process count takes over
                pass
        entry = self._local.get(key)
        count = 1 if entry is None or entry[0] <= now else entry[1] + 1
        self._local[key] = (now + ttl, count, now + delay_of(count))
        if len(self._local) > 50_000:
            for stale in [k for k, v in self._local.items() if v[0] <= now]:
                del self._local[stale]
        return count

    async def _delete(self, *keys: str) -> None:
        redis = self._redis()
        if redis is not None:
            try:
                await redis.delete(*keys)
            except Exception:  # noqa: BLE001, S110 - as above: the per-process count takes over
                pass
        for key in keys:
            self._local.pop(key, None)

    # -- the rules -------------------------------------------------------------------------------
    @staticmethod
    def _pair(username: str, ip: str) -> str:
        return f"{PREFIX}{account_key(username)}:{ip}"

    @staticmethod
    def _account(username: str) -> str:
        return f"{PREFIX}{account_key(username)}"

    async def before_attempt(self, username: str, ip: str) -> None:
        """Refuse (RateLimited) while this address must wait; otherwise wait the account-wide delay."""
        _, not_before = await self._get(self._pair(username, ip))
        now = self._clock()
        if not_before > now:
            raise RateLimited("登录失败次数过多，请稍后再试", retry_after=max(1, math.ceil(not_before - now)))
        failures, _ = await self._get(self._account(username))
        if failures > ACCOUNT_FREE_FAILURES:
            await self._sleep(min(ACCOUNT_MAX_WAIT, ACCOUNT_STEP * (failures - ACCOUNT_FREE_FAILURES)))

    async def failed(self, username: str, ip: str) -> int:
        """Count a failure; answers the address's consecutive failures for this name."""
        await self._bump(self._account(username), ACCOUNT_WINDOW, lambda n: 0)
        return await self._bump(self._pair(username, ip), PAIR_MEMORY, delay_after)

    async def succeeded(self, username: str, ip: str) -> None:
        await self._delete(self._pair(username, ip))

    def reset(self) -> None:
        """Forget this process's counters (tests start each case clean)."""
        self._local.clear()

    async def clear(self, username: str) -> int:
        """Forget every delay of ``username`` (break-glass unlock); answers the keys removed from Redis."""
        removed = 0
        prefix = self._pair(username, "")
        redis = self._redis()
        if redis is not None:
            keys = [k async for k in redis.scan_iter(match=prefix + "*", count=500)]
            keys.append(self._account(username))
            removed = int(await redis.delete(*keys))
        for key in [k for k in self._local if k.startswith(prefix) or k == self._account(username)]:
            del self._local[key]
        return removed

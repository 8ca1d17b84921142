"""Rate limits, declared per route in the route table (``route(..., limit=("login_ip", ...))``).

Fixed-window counters: in Redis when the app has one (INCR + EXPIRE in one round trip, keys
``checkup:rl:<rule>:<subject>:<window>``, so every process and instance shares the count), in this
process otherwise. When Redis fails, counting falls back to this process rather than failing the
request. Every attempt counts, refused ones included; a refused request reaches no handler.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from sanic import Request

from checkup.domain.errors import RateLimited

log = logging.getLogger("checkup.ratelimit")

KEY_PREFIX = "checkup:rl:"
_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}

Subject = Literal["ip", "user", "account", "id_number"]


@dataclass(frozen=True)
class Rule:
    name: str
    subject: Subject  # what is counted: the client address, the patient user, the account named in the body
    # (or, on a route without one, the signed-in staff member's own account) from one client address
    # "id_number": the ID number in the body (any document type), as a keyed hash: one person's number is
    # limited however many accounts and addresses type it.
    setting: str  # the Settings field holding "N/period"


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule("login_ip", "ip", "rate_limit_login_ip"),
        Rule("login_account", "account", "rate_limit_login_account"),
        Rule("wechat_login_ip", "ip", "rate_limit_wechat_login_ip"),
        Rule("patient_create", "user", "rate_limit_patient_create"),
        Rule("patient_create_ip", "ip", "rate_limit_patient_create_ip"),
        Rule("patient_create_id", "id_number", "rate_limit_patient_create_id"),  # whoever types this number
        Rule("verification", "user", "rate_limit_verification"),  # codes sent and entered
        Rule("verification_ip", "ip", "rate_limit_verification_ip"),
        # Per ID number, codes are also limited where they are counted: services/verification.py (sms_send).
        Rule("order", "user", "rate_limit_order"),
        Rule("payment", "user", "rate_limit_payment"),
        Rule("booking", "user", "rate_limit_booking"),
        Rule("charges", "user", "rate_limit_charges"),  # bill lists: each may reach HIS
        Rule("refund", "user", "rate_limit_refund"),
        Rule("staff_upstream", "user", "rate_limit_staff_upstream"),  # console pages that ask HIS / PEIS, per staff
        Rule("pii_reveal", "user", "rate_limit_pii_reveal"),  # a staff member seeing a full ID number/phone
    )
}


def parse_rate(text: str) -> tuple[int, int]:
    """"20/minute" -> (20, 60)."""
    count, _, period = text.partition("/")
    return int(count.strip()), _PERIODS[period.strip()]


def client_ip(request: Request) -> str:
    """The socket peer, or the forwarded address when Sanic trusts proxies (CHECKUP_PROXIES_COUNT)."""
    return request.remote_addr or request.ip or "-"


def _id_number_subject(request: Request, body: Any) -> str | None:
    number = "".join(str(getattr(body, "id_number", "") or "").split()).upper()
    if not number:
        return None
    deps = getattr(request.app.ctx, "deps", None)
    # Keyed (the PII hash key): ID numbers are few enough that a plain hash in Redis could be reversed.
    digest = deps.pii.lookup_hash(number) if deps is not None else hashlib.sha256(number.encode()).hexdigest()
    return digest[:24]


def _subject(rule: Rule, request: Request, body: Any) -> str | None:
    if rule.subject == "ip":
        return client_ip(request)
    if rule.subject == "id_number":
        return _id_number_subject(request, body)
    if rule.subject == "user":
        user = getattr(request.ctx, "user_id", None)
        if user is None and getattr(request.ctx, "staff", None) is not None:
            return f"staff-{request.ctx.staff.id}"  # console routes: the staff member
        return None if user is None else str(user)
    account = str(getattr(body, "username", "") or "").strip().lower()
    if not account and getattr(request.ctx, "staff", None) is not None:
        account = request.ctx.staff.username.strip().lower()  # a signed-in member's own account (password change)
    # Hashed: the counter key names no account, in Redis or anywhere else. Counted per account *and*
    # address: a limit on the account alone would let anyone lock its owner out (login_throttle.py).
    return hashlib.sha256(account.encode()).hexdigest()[:24] + ":" + client_ip(request) if account else None


class RateLimiter:
    """Counts hits per (rule, subject) in fixed windows; ``redis`` is looked up on every hit."""

    def __init__(self, settings: Any, redis: Callable[[], Any], *, max_keys: int = 50_000,
                 clock: Callable[[], float] = time.time) -> None:
        self.enabled = bool(settings.rate_limits)
        self.rates = {name: parse_rate(getattr(settings, rule.setting)) for name, rule in RULES.items()}
        self._redis = redis
        self._clock = clock
        self._max_keys = max_keys
        self._local: OrderedDict[str, tuple[float, int]] = OrderedDict()  # key -> (expires at, count)
        self._warned_at = 0.0

    async def check(self, names: tuple[str, ...], request: Request, body: Any = None) -> None:
        """Count one hit on each rule; raise RateLimited (with retry_after) when one is over its limit."""
        if not self.enabled:
            return
        retry_after = 0
        for name in names:
            subject = _subject(RULES[name], request, body)
            if subject is None:
                continue
            limit, period = self.rates[name]
            now = self._clock()
            window = int(now // period)
            key = f"{KEY_PREFIX}{name}:{subject}:{window}"
            count = await self._hit(key, period, expires_at=(window + 1) * period, now=now)
            if count > limit:
                retry_after = max(retry_after, max(1, math.ceil((window + 1) * period - now)))
        if retry_after:
            log.warning("rate limited: %s %s rules=%s retry_after=%d", request.method, request.path,
                        ",".join(names), retry_after)
            raise RateLimited(retry_after=retry_after)

    async def check_limit(self, name: str, subject: str, *, limit: int, period: int, request: Request) -> None:
        """Count one hit of ``subject`` against a limit the caller holds (e.g. one stored per open API
        client) rather than a setting; raise RateLimited (with retry_after) when it is over."""
        if not self.enabled:
            return
        now = self._clock()
        window = int(now // period)
        key = f"{KEY_PREFIX}{name}:{subject}:{window}"
        count = await self._hit(key, period, expires_at=(window + 1) * period, now=now)
        if count > limit:
            retry_after = max(1, math.ceil((window + 1) * period - now))
            log.warning("rate limited: %s %s rule=%s retry_after=%d", request.method, request.path, name, retry_after)
            raise RateLimited(retry_after=retry_after)

    def _window_key(self, name: str, subject: str, period: int) -> tuple[str, float, float]:
        now = self._clock()
        window = int(now // period)
        return f"{KEY_PREFIX}{name}:{subject}:{window}", (window + 1) * period, now

    async def count(self, name: str, subject: str, *, period: int) -> int:
        """Count one event of ``subject`` in this window (no limit); answers the window's count (0 when off)."""
        if not self.enabled:
            return 0
        key, expires_at, now = self._window_key(name, subject, period)
        return await self._hit(key, period, expires_at=expires_at, now=now)

    async def peek(self, name: str, subject: str, *, period: int) -> tuple[int, int]:
        """This window's count of ``subject`` without counting, and the seconds until the window ends."""
        if not self.enabled:
            return 0, 0
        key, expires_at, now = self._window_key(name, subject, period)
        left = max(1, math.ceil(expires_at - now))
        redis = self._redis()
        if redis is not None:
            try:
                return int(await redis.get(key) or 0), left
            except Exception:  # noqa: BLE001, S110 - fall back like _hit
                pass
        entry = self._local.get(key)
        return (0 if entry is None or entry[0] <= now else entry[1]), left

    async def _hit(self, key: str, period: int, *, expires_at: float, now: float) -> int:
        redis = self._redis()
        if redis is not None:
            try:
                # One round trip per hit: the key names its window, so it only needs an expiry when it
                # is created (a crash between the two commands leaves one counter of a past window).
                count = int(await redis.incr(key))
                if count == 1:
                    await redis.expire(key, period + 1)
                return count
            except Exception as exc:  # noqa: BLE001 - a Redis outage must not refuse or fail requests
                if now - self._warned_at > 60:
                    self._warned_at = now
                    log.warning("rate limit counters fall back to this process: Redis failed (%s)",
                                exc.__class__.__name__)
        return self._hit_local(key, expires_at=expires_at, now=now)

    def _hit_local(self, key: str, *, expires_at: float, now: float) -> int:
        entry = self._local.get(key)
        count = 1 if entry is None or entry[0] <= now else entry[1] + 1
        self._local[key] = (expires_at, count)
        self._local.move_to_end(key)
        if len(self._local) > self._max_keys:
            for stale in [k for k, (exp, _) in self._local.items() if exp <= now]:
                del self._local[stale]
            while len(self._local) > self._max_keys:
                self._local.popitem(last=False)  # the least recently hit
        return count


def limiter_of(request: Request) -> RateLimiter | None:
    return getattr(request.app.ctx, "rate_limiter", None)

"""Patient-side security events in the audit trail without flooding it (issue 16, point 3).

Recorded: a patient token refused (bad signature, another kind of token, unreadable; an expired token
is the ordinary end of a session and is not an event), a wrong or expired verification code, and a
verification locked after too many wrong codes. Like the open API's failed signatures, events are
counted per kind and subject (the address for tokens, the WeChat account for codes) in windows of
WINDOW seconds: the first ONE_BY_ONE of a window are audited one by one (action
``patient_security.<kind>``, outcome failure, detail.count 1), the rest become one aggregate row (detail
count, the addresses seen) when the window ends (written by the process's periodic flush, the same
loop as the operation counters). Beyond MAX_KEYS subjects in a window, new subjects are counted under
"*". The monthly report sums detail.count.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from checkup.domain.clock import iso, utcnow

log = logging.getLogger("checkup.security")

WINDOW = timedelta(minutes=10)
ONE_BY_ONE = 3
MAX_KEYS = 10_000
MAX_ADDRESSES = 20  # addresses kept in an aggregate row
KINDS = {"token_refused": "患者端登录凭证被拒绝", "verification_failed": "就诊人验证码错误",
         "verification_locked": "就诊人验证因错误过多被锁定"}


@dataclass
class _Window:
    start: datetime
    seen: int = 0
    pending: int = 0
    ips: set[str] = field(default_factory=set)
    codes: Counter = field(default_factory=Counter)


class SecurityEvents:
    def __init__(self) -> None:
        self._windows: dict[tuple[str, str], _Window] = {}
        self._lock = asyncio.Lock()

    def reset(self) -> None:
        self._windows.clear()

    async def note(self, kind: str, *, subject: str, ip: str, code: str, target: str = "",
                   now: datetime | None = None) -> None:
        """Count one event; audit it at once while the window's first ONE_BY_ONE."""
        now = now or utcnow()
        ended: list[tuple[tuple[str, str], _Window]] = []
        async with self._lock:
            key = (kind, subject[:64])
            if key not in self._windows and len(self._windows) >= MAX_KEYS:
                key = (kind, "*")
            window = self._windows.get(key)
            if window is not None and now - window.start >= WINDOW:
                ended.append((key, window))
                window = None
            if window is None:
                window = self._windows[key] = _Window(start=now)
            window.seen += 1
            one_by_one = window.seen <= ONE_BY_ONE
            if not one_by_one:
                window.pending += 1
                if len(window.ips) < MAX_ADDRESSES:
                    window.ips.add(ip)
                window.codes[code] += 1
        for k, w in ended:
            await self._aggregate(k, w, now)
        if one_by_one:
            await _write(kind, subject=key[1], ip=ip, target=target,
                         detail={"error": {"code": code}, "count": 1, "kind_text": KINDS.get(kind, kind)})

    async def flush(self, *, now: datetime | None = None, final: bool = False) -> int:
        """Write the aggregate rows of ended windows (every window when ``final``); answers rows written."""
        now = now or utcnow()
        async with self._lock:
            done = [(k, w) for k, w in self._windows.items() if final or now - w.start >= WINDOW]
            for k, _ in done:
                del self._windows[k]
        written = 0
        for k, w in done:
            written += await self._aggregate(k, w, now)
        return written

    async def _aggregate(self, key: tuple[str, str], window: _Window, now: datetime) -> int:
        if not window.pending:
            return 0
        kind, subject = key
        try:
            await _write(kind, subject=subject, ip=sorted(window.ips)[0] if window.ips else "", target="",
                         detail={"error": {"code": window.codes.most_common(1)[0][0]}, "count": window.pending,
                                 "aggregated": True, "window_start": iso(window.start), "window_end": iso(now),
                                 "addresses": sorted(window.ips), "codes": dict(window.codes),
                                 "kind_text": KINDS.get(kind, kind)})
        except Exception as exc:  # noqa: BLE001 - the count is lost, the one-by-one rows stay
            log.warning("patient security events (%s, %d) not written: %s", kind, window.pending, exc)
            return 0
        return 1


async def _write(kind: str, *, subject: str, ip: str, target: str, detail: dict) -> None:
    from checkup.services.audit import FAILURE, AuditEntry, record

    try:
        await record(AuditEntry(action=f"patient_security.{kind}", actor=subject, ip=ip[:64], target=target,
                                detail=detail), outcome=FAILURE)
    except Exception as exc:  # noqa: BLE001 - a refused request stays refused when the trail is unavailable
        log.warning("patient security event %s not audited: %s", kind, exc)


SECURITY_EVENTS = SecurityEvents()

"""Finance alerts: what finance must act on that the system cannot fix itself, shown on the 首页 and the
任务 page. Raised once per episode (one open row per kind); each repeat while it lasts only counts."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from checkup.db.errors import UniqueViolation
from checkup.db.uow import UnitOfWork
from checkup.domain.clock import iso

if TYPE_CHECKING:
    from checkup.db.models import FinanceAlert

log = logging.getLogger("checkup.alerts")

WECHAT_NOT_ENOUGH = "WECHAT_NOT_ENOUGH"
ALERT_TEXT = {
    WECHAT_NOT_ENOUGH: "商户号余额不足，退款将自动重试。请尽快为微信支付商户号充值（或调整自动提现）",
}


def _repos(uow: UnitOfWork | None) -> UnitOfWork:
    """The caller's repositories, or ones outside any transaction (each statement commits on its own)."""
    return uow if uow is not None else UnitOfWork(write=False)


async def raise_alert(kind: str, *, now: datetime, refund_no: str = "", uow: UnitOfWork | None = None) -> bool:
    """Open ``kind``'s alert, or count one more occurrence of the open one; True when this opened it."""
    alerts = _repos(uow).refunds
    text = ALERT_TEXT.get(kind, kind)[:200]
    for _ in range(3):
        if await alerts.count_alert(kind, now=now, refund_no=refund_no):
            return False
        try:
            await alerts.open_alert(kind, text=text, now=now, refund_no=refund_no)
        except UniqueViolation:  # opened at the same moment by another worker: count on it
            continue
        log.error("ALERT finance: %s (%s)", text, refund_no)
        return True
    return False


async def end_alert(kind: str, *, now: datetime, uow: UnitOfWork | None = None) -> bool:
    """The episode is over (e.g. WeChat accepted a refund again): True when an open alert ended."""
    ended = await _repos(uow).refunds.close_alert(kind, now=now)
    if ended:
        log.warning("alert %s ended", kind)
    return bool(ended)


def alert_json(alert: FinanceAlert) -> dict:
    return {"kind": alert.kind, "text": alert.text, "times": alert.times, "refund_no": alert.refund_no,
            "first_at": iso(alert.first_at), "last_at": iso(alert.last_at)}


async def open_alerts(uow: UnitOfWork | None = None) -> list[dict]:
    return [alert_json(a) for a in await _repos(uow).refunds.open_alerts()]

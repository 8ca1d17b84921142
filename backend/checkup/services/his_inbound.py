"""What an inbound HIS notification asks of the database (api/his_notify.py; issue 15): its nonce recorded
once, and the charge of the bill it names."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from checkup.db.errors import UniqueViolation
from checkup.db.uow import unit_of_work
from checkup.domain.errors import SignatureInvalid

if TYPE_CHECKING:
    from checkup.db.models import Charge


async def claim_nonce(nonce: str, *, now: datetime, ttl: timedelta) -> None:
    """Record the nonce as used (forgetting those whose window is over); a nonce seen before is refused."""
    try:
        await unit_of_work(write=False).ops.claim_his_nonce(nonce, now=now, expires_at=now + ttl)
    except UniqueViolation:
        raise SignatureInvalid("重复的请求（nonce 已使用）") from None


async def charge_of_bill(bill_no: str) -> Charge | None:
    async with unit_of_work(write=False) as work:
        return await work.ops.charge_by_bill_no(bill_no)

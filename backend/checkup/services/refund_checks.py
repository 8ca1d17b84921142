"""What a patient's refund asks the hospital's systems before any money moves.

1. HIS: is the bill still paid as we saw it? Refunded or cancelled at the window already: nothing to
   refund online (the booking it held is ended, see his_sync).
2. PEIS: the order is cancelled first. PEIS refuses once the patient checked in (到检): the checkup
   is under way, so the refund is refused with ALREADY_CHECKED_IN and the centre handles it on site.

The local state is checked first (without locks; the refund's own transaction checks it again), so
a refund that will be refused anyway does not cancel the PEIS order.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from checkup.domain.booking import ChargeStatus
from checkup.domain.errors import AlreadyCheckedIn, RefundNotAllowed, UpstreamUnavailable
from checkup.integrations.result import Outcome
from checkup.services.deps import Deps
from checkup.services.his_sync import CAUSE_TEXT, check_paid_bill

if TYPE_CHECKING:
    from checkup.db.models import Charge

log = logging.getLogger("checkup.refunds")

PEIS_CHECKED_IN = "CHECKED_IN"


async def before_refund(deps: Deps, charge: Charge) -> None:
    """Raise when the refund must not go on; on return the PEIS order (if any) is cancelled."""
    if charge.status != ChargeStatus.PAID:
        raise RefundNotAllowed("该项目当前状态不能退费")
    async with deps.uow(write=False) as uow:
        booked = await uow.charges.booked(charge.id)
    if booked:
        raise RefundNotAllowed("该项目已预约，请先取消预约再申请退费")
    cause = await check_paid_bill(deps, charge, source="refund")
    if cause is not None:
        raise RefundNotAllowed(f"{CAUSE_TEXT[cause]}，不能再在线退费", cause=cause)
    await cancel_peis_order(deps, charge)


async def cancel_peis_order(deps: Deps, charge: Charge) -> None:
    """Cancel the charge's PEIS order (idempotent at PEIS); refused once the patient checked in."""
    if not charge.peis_order_no:
        return
    result = await deps.peis.cancel_order(peis_order_no=charge.peis_order_no)
    if result.outcome is Outcome.SUCCESS:
        return
    if result.outcome is Outcome.FAILED and result.code == PEIS_CHECKED_IN:
        raise AlreadyCheckedIn(bill_no=charge.bill_no)
    if result.outcome is Outcome.FAILED and result.code == "ORDER_NOT_FOUND":
        log.warning("PEIS has no order %s for bill %s: refund goes on", charge.peis_order_no, charge.bill_no)
        return
    raise UpstreamUnavailable("体检系统暂时无法访问，请稍后再试", system="PEIS", code=result.code)

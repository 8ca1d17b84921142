"""HIS changes reaching bookings: a bill refunded, cancelled or re-priced in HIS after we saw it paid.

Found three ways: (a) before a booking or a refund, by asking HIS about that bill; (b) by the worker's
sweep of paid bills with future bookings (CHECKUP_HIS_SWEEP_SECONDS); (c) by HIS itself, for
hospitals whose HIS can push, through the signed inbound notification (api/his_notify.py). Whichever
sees it first ends the booking (the place released, the patient told, the reason kept for staff);
the others then find the charge no longer paid and do nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from checkup.domain.booking import ChargeStatus
from checkup.domain.clock import shanghai_today
from checkup.integrations.his import HisCharge
from checkup.services.booking_events import end_booking
from checkup.services.deps import Deps

if TYPE_CHECKING:
    from checkup.db.models import Charge

log = logging.getLogger("checkup.his_sync")

# Why HIS no longer holds the bill as we saw it, in the words staff and patients read.
CAUSE_TEXT = {
    "refunded": "该缴费项目已在医院收费窗口退费",
    "cancelled": "该缴费项目已在医院作废",
    "repriced": "该缴费项目金额已在医院变更",
}
SWEEP_BATCH = 200


class PaidBill(Protocol):
    """What is read of a charge held as paid (a Charge, or the booking path's ChargeRow)."""

    @property
    def id(self) -> int: ...
    @property
    def bill_no(self) -> str: ...
    @property
    def his_patient_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def amount_fen(self) -> int: ...


def his_change(charge: PaidBill, hc: HisCharge | None) -> str | None:
    """What happened in HIS to a bill we hold as paid, or None when HIS agrees."""
    if hc is None or hc.status == "cancelled":
        return "cancelled"
    if hc.status in ("refunded", "unpaid"):  # unpaid again: the settlement was reversed at the window
        return "refunded"
    if hc.amount_fen != charge.amount_fen:
        return "repriced"
    return None


async def apply_change(deps: Deps, *, charge_id: int, cause: str, source: str) -> bool:
    """End what a paid charge held after HIS changed it: the charge is refunded or cancelled, its active
    booking cancelled with the reason. True when this call changed it (idempotent)."""
    text = CAUSE_TEXT[cause]
    async with deps.uow() as uow:
        charge = await uow.charges.lock(charge_id)
        if charge is None or charge.status != ChargeStatus.PAID:
            return False
        status = ChargeStatus.REFUNDED if cause == "refunded" else ChargeStatus.CANCELLED
        await uow.charges.set_status(charge_id, status)
        booking = await uow.bookings.lock_active_for_charge(charge_id)
        if booking is not None:
            await end_booking(deps, uow, booking, by="his", reason=f"{text}，预约已取消")
    log.warning("bill %s %s in HIS (seen by %s): charge %s%s", charge.bill_no, cause, source, status,
                f", booking {booking.id} cancelled" if booking else "")
    return True


def his_has_room(deps: Deps) -> bool:
    """Whether HIS can be asked now without waiting for a slot of the bulkhead (integrations/guard.py):
    a pre-check never makes a booking wait behind a slow HIS; the sweep and HIS's notifications remain."""
    guard = getattr(deps.his, "guard", None)
    if guard is None:
        return True
    return guard.state != "open" and guard.in_flight < guard.policy.max_concurrent


async def check_paid_bill(deps: Deps, charge: PaidBill, *, source: str, wait: bool = True) -> str | None:
    """Ask HIS about one bill we hold as paid and apply a change; the cause, or None when HIS agrees
    (or cannot be reached: the sweep asks again later, and the refund itself goes through HIS).
    With ``wait=False`` HIS is asked only when it has room at once (the booking path)."""
    if charge.status != ChargeStatus.PAID:
        return None
    if not wait and not his_has_room(deps):
        log.info("HIS busy: bill %s not checked before %s (the sweep will)", charge.bill_no, source)
        return None
    result = await deps.his.paid_charges(his_patient_id=charge.his_patient_id)
    if not result.ok or result.value is None:
        log.info("HIS not reachable to check bill %s (%s): %s", charge.bill_no, source, result.code)
        return None
    hc = next((h for h in result.value if h.bill_no == charge.bill_no), None)
    cause = his_change(charge, hc)
    if cause is not None:
        await apply_change(deps, charge_id=charge.id, cause=cause, source=source)
    return cause


async def sweep(deps: Deps) -> int:
    """Ask HIS about every paid bill with a booking from today on, one call per person; answers how
    many changes were applied."""
    today = shanghai_today(deps.now())
    reader = deps.uow(write=False)
    ids = await reader.bookings.charges_booked_from(today, limit=SWEEP_BATCH)
    charges = await reader.bookings.paid_charges(ids)
    by_person: dict[str, list[Charge]] = {}
    for charge in charges:
        by_person.setdefault(charge.his_patient_id, []).append(charge)
    changed = 0
    for his_patient_id, held in by_person.items():
        result = await deps.his.paid_charges(his_patient_id=his_patient_id)
        if not result.ok or result.value is None:
            log.info("HIS sweep: paid bills of %s not readable now (%s)", his_patient_id, result.code)
            continue
        seen = {h.bill_no: h for h in result.value}
        for charge in held:
            cause = his_change(charge, seen.get(charge.bill_no))
            if cause and await apply_change(deps, charge_id=charge.id, cause=cause, source="sweep"):
                changed += 1
    return changed


def sweep_due(last_run: float | None, now: float, interval: float) -> bool:
    """Whether the sweep should run at ``now`` (monotonic seconds); interval 0 = never."""
    return interval > 0 and (last_run is None or now - last_run >= interval)



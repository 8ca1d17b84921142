"""Charges (HIS bills) of a patient, read live from HIS and mirrored locally for booking."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checkup.db.errors import UniqueViolation
from checkup.db.uow import UnitOfWork
from checkup.domain.booking import BOOKING_STATUS_TEXT, CHARGE_STATUS_TEXT, ChargeStatus, merge_charge_status
from checkup.domain.clock import iso
from checkup.domain.errors import PaidByAnotherAccount
from checkup.integrations.his import HisCharge
from checkup.integrations.his.guard import BillList, GuardedHisClient
from checkup.services.deps import Deps
from checkup.services.upstream import unwrap

if TYPE_CHECKING:
    from checkup.db.models import Charge, Patient

PAID_VIEW = (ChargeStatus.PAID, ChargeStatus.REFUNDING, ChargeStatus.REFUNDED)
UNPAID_VIEW = (ChargeStatus.UNPAID, ChargeStatus.PAYING)


def _reads(deps: Deps | None) -> UnitOfWork:
    """Repositories outside any transaction (each statement on a pooled connection)."""
    return deps.uow(write=False) if deps is not None else UnitOfWork(write=False)


async def upsert_from_his(patient: Patient, hc: HisCharge, *, update: bool = True, deps: Deps | None = None) -> Charge:
    """Create or update our mirror of a HIS bill; bills we did not open count as on-site (flow 2).

    ``update=False`` (an answer remembered from a few seconds ago) only adds bills we have not seen:
    an older answer must not undo a write-back or refund recorded since.
    """
    charges = _reads(deps).charges
    charge = await charges.by_bill_no(hc.bill_no)
    if charge is not None and not update:
        return charge
    fields: dict[str, Any] = {
        "item_name": hc.item_name,
        "amount_fen": hc.amount_fen,
        "dept": hc.dept,
        "billed_at": hc.billed_at,
        "peis_order_no": hc.peis_order_no,
        "paid_at": hc.paid_at,
        "his_settle_no": hc.settle_no,
    }
    if hc.status in ("paid", "refunded"):
        fields["paid_channel"] = "WECHAT" if hc.trade_no else "WINDOW"
    if charge is None:
        try:
            return await charges.add(
                bill_no=hc.bill_no,
                his_patient_id=hc.his_patient_id,
                patient_id=patient.id,
                source="onsite",
                status=merge_charge_status(None, hc.status),
                package_code=hc.package_code,
                **fields,
            )
        except UniqueViolation:  # seen concurrently by another request
            charge = await charges.by_bill_no(hc.bill_no)
            if charge is None:  # pragma: no cover - the row that refused ours is there
                raise
    fields["status"] = merge_charge_status(charge.status, hc.status)
    if hc.package_code and not charge.package_code:
        fields["package_code"] = hc.package_code
    changed = {k: v for k, v in fields.items() if getattr(charge, k) != v}
    if changed:
        for key, value in changed.items():
            setattr(charge, key, value)
        await charges.save(charge, changed)
    return charge


def checkup_only(deps: Deps, bills: list[HisCharge]) -> list[HisCharge]:
    """The checkup centre's bills among a person's HIS bills (outpatient bills are not ours to show)."""
    return [hc for hc in bills if deps.checkup_bills.accepts(dept=hc.dept, item_name=hc.item_name)]


async def refresh_paid(deps: Deps, patient: Patient) -> list[Charge]:
    his = unwrap(await deps.his.paid_charges(his_patient_id=patient.his_patient_id), system="HIS")
    return [await upsert_from_his(patient, hc, deps=deps) for hc in checkup_only(deps, his)]


async def refresh_unpaid(deps: Deps, patient: Patient) -> list[Charge]:
    his = unwrap(await deps.his.pending_charges(his_patient_id=patient.his_patient_id), system="HIS")
    return [await upsert_from_his(patient, hc, deps=deps) for hc in checkup_only(deps, his)]


async def _shown(deps: Deps, which: BillList, patient: Patient) -> list[Charge]:
    """A bill list for showing: HIS's answer of the last few seconds when the client remembers one."""
    if isinstance(deps.his, GuardedHisClient):
        result, remembered = await deps.his.recent_charges(which, his_patient_id=patient.his_patient_id)
    else:
        read = deps.his.pending_charges if which == "pending" else deps.his.paid_charges
        result, remembered = await read(his_patient_id=patient.his_patient_id), False
    his = unwrap(result, system="HIS")
    return [await upsert_from_his(patient, hc, update=not remembered, deps=deps) for hc in checkup_only(deps, his)]


async def list_charges(deps: Deps, *, patient: Patient, status: str | None) -> list[dict]:
    """Unpaid ones come from HIS (or its answer of the last few seconds); paid ones (app or window)
    from HIS too, with our booking. Paying, refunding and booking decide on a fresh read, never on this."""
    charges: dict[str, Charge] = {}
    if status in (None, "unpaid"):
        for c in await _shown(deps, "pending", patient):
            charges[c.bill_no] = c
        for c in await _reads(deps).charges.of_person(patient.his_patient_id, status=ChargeStatus.PAYING):
            charges[c.bill_no] = c
    if status in (None, "paid"):
        for c in await _shown(deps, "paid", patient):
            charges[c.bill_no] = c
        for c in await _reads(deps).charges.of_person(patient.his_patient_id, status=ChargeStatus.REFUNDING):
            charges[c.bill_no] = c
    wanted = {"unpaid": UNPAID_VIEW, "paid": PAID_VIEW}.get(status or "", None)
    rows = [c for c in charges.values() if wanted is None or c.status in wanted]
    rows.sort(key=lambda c: (c.billed_at is None, c.billed_at), reverse=True)
    return await charges_json(rows, patient_id=patient.id, user_id=patient.user_id, deps=deps)


async def payers(charge_ids: list[int], *, uow: UnitOfWork) -> dict[int, int]:
    """charge id -> the WeChat user whose open payment holds it (paid or paying through the app), read through
    ``uow`` (in its transaction, or from the pool for a read-only one)."""
    return await uow.payments.payers(charge_ids)


async def check_payer(charge: Charge, *, user_id: int, uow: UnitOfWork) -> None:
    """A bill paid through the app is booked and refunded only by the account that paid it."""
    payer = (await payers([charge.id], uow=uow)).get(charge.id)
    if payer is not None and payer != user_id:
        raise PaidByAnotherAccount()


async def charges_json(rows: list[Charge], *, patient_id: int, user_id: int | None = None,
                       deps: Deps | None = None) -> list[dict]:
    """Charges as the patient sees them; another account's booking shows only its date and status."""
    if not rows:
        return []
    reads = _reads(deps)
    bookings = await reads.charges.active_bookings([c.id for c in rows])
    paid_by = await reads.payments.payers([c.id for c in rows])
    codes = {c.package_code for c in rows if c.package_code}
    names = await reads.charges.package_names(codes)
    out = []
    for c in rows:
        booking = bookings.get(c.id)
        mine = booking is not None and (user_id is None or booking.patient.user_id == user_id)
        out.append(
            {
                "bill_no": c.bill_no,
                "patient_id": patient_id,
                "item_name": c.item_name,
                "amount_fen": c.amount_fen,
                "status": c.status,
                "status_text": CHARGE_STATUS_TEXT.get(ChargeStatus(c.status), c.status),
                "source": c.source,
                "package_code": c.package_code,
                "package_name": names.get(c.package_code or ""),
                "dept": c.dept,
                "billed_at": iso(c.billed_at),
                "paid_at": iso(c.paid_at),
                "booking": (
                    {"id": booking.id if mine else None, "date": booking.day.isoformat(), "status": booking.status,
                     "status_text": BOOKING_STATUS_TEXT.get(booking.status, booking.status), "mine": mine}
                    if booking
                    else None
                ),
                "paid_by_other_account": user_id is not None and paid_by.get(c.id, user_id) != user_id,
            }
        )
    return out


async def find_own_charge(deps: Deps, *, user_id: int, bill_no: str) -> tuple[Charge, Patient]:
    """A charge of one of the user's patients, looking in HIS for bills paid at the window that were
    never listed through the app; 404 otherwise (someone else's bill looks like a missing one)."""
    from checkup.domain.errors import NotFound

    reads = _reads(deps)
    charge = await reads.charges.by_bill_no(bill_no)
    if charge is None:  # one HIS lookup of the bill, however many 就诊人 the user has
        found = unwrap(await deps.his.bill(bill_no=bill_no), system="HIS")
        if found is not None and found.status in ("paid", "refunded") and checkup_only(deps, [found]):
            owner = await reads.charges.verified_patient(user_id=user_id, his_patient_id=found.his_patient_id)
            if owner is not None:
                charge = await upsert_from_his(owner, found, deps=deps)
    patient = None
    if charge is not None:
        patient = await reads.charges.verified_patient(user_id=user_id, his_patient_id=charge.his_patient_id)
    if charge is None or patient is None:
        raise NotFound("缴费项目不存在")
    return charge, patient

"""Flow 1: the patient opens an order online; PEIS pushes the charge to HIS."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from checkup.domain.booking import ChargeStatus
from checkup.domain.clock import SHANGHAI
from checkup.domain.errors import PackageUnavailable, SexMismatch
from checkup.integrations.peis import PeisPatient
from checkup.services import packages as package_service
from checkup.services.charges import charges_json, refresh_unpaid
from checkup.services.deps import Deps
from checkup.services.upstream import unwrap

if TYPE_CHECKING:
    from checkup.db.models import Patient


def new_order_no(now: datetime) -> str:
    return "OD" + now.astimezone(SHANGHAI).strftime("%Y%m%d%H%M%S") + secrets.token_hex(4).upper()


async def open_order(deps: Deps, *, patient: Patient, package_code: str) -> tuple[dict, bool]:
    """Open (or reuse an unpaid) order; answers the charge and whether it is new."""
    package = await package_service.get_online(package_code)
    if package.sex != "any" and package.sex != patient.sex:
        raise SexMismatch()
    # One unpaid order per patient and package: reuse any bill of this package HIS still lists unpaid,
    # whether we opened it (flow 1), the center did (flow 2), or an earlier attempt timed out after
    # PEIS had in fact opened it.
    pending = [c for c in await refresh_unpaid(deps, patient) if c.package_code == package.code]
    if pending:
        return (await charges_json(pending[:1], patient_id=patient.id, user_id=patient.user_id, deps=deps))[0], False
    peis_patient = PeisPatient(
        name=patient.name,
        sex=patient.sex,  # type: ignore[arg-type]
        birth_date=patient.birth_date,
        id_number=deps.pii.decrypt(patient.id_number_enc),
        phone=deps.pii.decrypt(patient.phone_enc),
        his_patient_id=patient.his_patient_id,
    )
    order = unwrap(
        await deps.peis.open_order(
            patient=peis_patient, package_code=package.code, order_no=new_order_no(deps.now())
        ),
        system="PEIS",
        failed={"SEX_MISMATCH": SexMismatch(), "PACKAGE_NOT_FOUND": PackageUnavailable()},
    )
    async with deps.uow(write=False) as uow:
        charge, _ = await uow.charges.add_once(order.bill_no, {
            "his_patient_id": patient.his_patient_id,
            "patient_id": patient.id,
            "item_name": order.item_name,
            "amount_fen": order.amount_fen,
            "source": "online",
            "status": ChargeStatus.UNPAID,
            "package_code": package.code,
            "peis_order_no": order.peis_order_no,
            "billed_at": deps.now(),
        })
    return (await charges_json([charge], patient_id=patient.id, user_id=patient.user_id, deps=deps))[0], True

"""The rare staff view of a full ID number or phone (permission roles.REVEAL_PII).

The audit row (who, from where, which patient, which field, the reason; never the value) is
committed before the value is returned: a view that could not be recorded is not answered.
"""

from __future__ import annotations

from checkup.domain.errors import NotFound
from checkup.services.audit import SUCCESS, AuditEntry, record
from checkup.services.deps import Deps

FIELDS = {"id_number": "id_number_enc", "phone": "phone_enc"}


async def reveal(deps: Deps, *, patient_id: int, field: str, reason: str, entry: AuditEntry) -> dict:
    entry.change(target=f"patient:{patient_id}", field=field, reason=reason)
    async with deps.uow(write=False) as work:
        patient = await work.patients.by_id(patient_id)  # removed patients too: their history stays
    if patient is None:
        raise NotFound("就诊人不存在")
    value = deps.pii.decrypt(getattr(patient, FIELDS[field]))
    await record(entry, outcome=SUCCESS, uow=deps.uow)
    return {"field": field, "value": value}

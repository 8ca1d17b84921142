"""Patients seen by staff: the audited view of a full ID number or phone (everything else is masked)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import blueprint, deps
from checkup.api.routing import route
from checkup.api.schemas import In, Out
from checkup.domain.roles import REVEAL_PII, holders
from checkup.services.pii_reveal import reveal as reveal_value

bp = blueprint("patients")


class RevealIn(In):
    field: Literal["id_number", "phone"]
    reason: str = Field(min_length=2, max_length=200, pattern=r"\S.*\S")  # why the full value is needed


class RevealOut(Out):
    field: Literal["id_number", "phone"]
    value: str


@route(bp, "POST", "/patients/{patient_id:int}/reveal", auth="staff", roles=holders(REVEAL_PII), body=RevealIn,
       response=RevealOut, audit="patient.reveal_pii", limit=("pii_reveal",))
async def reveal(request: Request, patient_id: int, body: RevealIn):
    """The full ID number or phone of a patient (admin; reason required; audited without the value)."""
    return await reveal_value(deps(request), patient_id=patient_id, field=body.field, reason=body.reason.strip(),
                              entry=audit_entry(request))

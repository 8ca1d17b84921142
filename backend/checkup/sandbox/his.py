"""Sandbox HIS: the reference HTTP JSON protocol, one signed POST per operation under /sandbox/his."""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field, StringConstraints
from sanic import Blueprint

from checkup.sandbox import hospital
from checkup.sandbox.envelope import Incoming, Operation, signed_operation
from checkup.sandbox.signing import RequestVerifier
from checkup.sandbox.state import SandboxState

Text = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Fen = Annotated[int, Field(gt=0, le=100_000_000)]


class FindPatientIn(Incoming):
    id_type: Text
    id_number: Text
    name: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    phone: Annotated[str, StringConstraints(max_length=20)] | None = None
    register_patient: bool = Field(False, alias="register")  # "register" would shadow ABCMeta.register
    # Sent for documents whose number does not carry them (passports, permits): used when registering.
    sex: Literal["male", "female"] | None = None
    birth_date: date | None = None


class PatientIn(Incoming):
    his_patient_id: Text


class BillIn(Incoming):
    bill_no: Text


class ConfirmPaymentIn(Incoming):
    his_patient_id: Text
    bill_nos: Annotated[list[Text], Field(min_length=1, max_length=50)]
    amount_fen: Fen
    trade_no: Text
    transaction_id: Text
    paid_at: AwareDatetime
    channel: Text = "WECHAT"


class TradeIn(Incoming):
    trade_no: Text


class RefundIn(Incoming):
    trade_no: Text
    refund_no: Text
    amount_fen: Fen
    refunded_at: AwareDatetime


class SettlementsIn(Incoming):
    day: date = Field(alias="date")
    page: Annotated[int, Field(ge=1)] = 1
    page_size: Annotated[int, Field(ge=1, le=500)] = 100


async def find_patient(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = FindPatientIn.model_validate_json(body)
    find = functools.partial(hospital.find_patient, state, id_type=req.id_type, id_number=req.id_number,
                             name=req.name, phone=req.phone, sex=req.sex, birth_date=req.birth_date)
    if req.register_patient:
        async with state.mutation():
            patient = find(register=True)
    else:
        patient = find(register=False)
    return {"patient": patient.wire()}


async def pending_charges(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = PatientIn.model_validate_json(body)
    return {"charges": [b.wire() for b in hospital.bills_of(state, req.his_patient_id, ("unpaid",))]}


async def paid_charges(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = PatientIn.model_validate_json(body)
    bills = hospital.bills_of(state, req.his_patient_id, ("paid", "refunded"))
    return {"charges": [b.wire() for b in bills]}


async def bill(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = BillIn.model_validate_json(body)
    found = state.bills.get(req.bill_no)
    return {"charge": found.wire() if found else None}


async def charge_lines(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = BillIn.model_validate_json(body)
    bill = hospital.bill_or_refuse(state, req.bill_no)
    return {"lines": [_line(line) for line in bill.lines]}


def _line(line: Any) -> dict[str, Any]:
    return {
        "item_code": line.item_code,
        "item_name": line.item_name,
        "spec": line.spec,
        "qty": line.qty,
        "unit_price_fen": line.unit_price_fen,
        "amount_fen": line.amount_fen,
        "dept": line.dept,
        "doctor": line.doctor,
    }


async def confirm_payment(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = ConfirmPaymentIn.model_validate_json(body)
    async with state.mutation():
        settlement = hospital.confirm_payment(
            state,
            his_patient_id=req.his_patient_id,
            bill_nos=req.bill_nos,
            amount_fen=req.amount_fen,
            trade_no=req.trade_no,
            transaction_id=req.transaction_id,
            paid_at=req.paid_at,
            channel=req.channel,
        )
    return {"settlement": settlement.wire()}


async def query_trade(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = TradeIn.model_validate_json(body)
    settlement = state.settlement_by_trade(req.trade_no)
    if settlement is None:
        return {"settlement": None}
    # the trade's refunds (退费) are part of what HIS knows about it: a caller whose refund answer was
    # lost learns here whether that refund stands
    refunds = [r.wire() for r in state.refunds.values() if r.trade_no == req.trade_no]
    return {"settlement": {**settlement.wire(), "refunds": refunds}}


async def refund(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = RefundIn.model_validate_json(body)
    async with state.mutation():
        record = hospital.refund(
            state,
            trade_no=req.trade_no,
            refund_no=req.refund_no,
            amount_fen=req.amount_fen,
            refunded_at=req.refunded_at,
        )
    return {"refund": record.wire()}


async def settlements(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = SettlementsIn.model_validate_json(body)
    rows = hospital.settlement_rows(state, req.day)
    start = (req.page - 1) * req.page_size
    return {
        "items": rows[start : start + req.page_size],
        "total": len(rows),
        "page": req.page,
        "page_size": req.page_size,
    }


OPERATIONS: dict[str, Operation] = {
    "find_patient": find_patient,
    "pending_charges": pending_charges,
    "paid_charges": paid_charges,
    "bill": bill,
    "charge_lines": charge_lines,
    "confirm_payment": confirm_payment,
    "query_trade": query_trade,
    "refund": refund,
    "settlements": settlements,
}


def create_his_blueprint(*, state: SandboxState, credentials: dict[str, str]) -> Blueprint:
    """HIS operations at /sandbox/his/{operation}, accepting the given app ids and secrets."""
    bp = Blueprint("sandbox_his", url_prefix="/sandbox/his")
    verifier = RequestVerifier(credentials=dict(credentials))
    for name, handler in OPERATIONS.items():
        endpoint = signed_operation(
            system="his", operation=name, handler=handler, verifier=verifier, state=state
        )
        bp.add_route(endpoint, f"/{name}", methods=["POST"], name=name)
    return bp

"""Sandbox PEIS: packages and orders under /sandbox/peis; opening an order pushes the bill to HIS."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import StringConstraints
from sanic import Blueprint

from checkup.sandbox import hospital
from checkup.sandbox.envelope import Incoming, Operation, signed_operation
from checkup.sandbox.signing import RequestVerifier
from checkup.sandbox.state import SandboxState

Text = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class PatientIn(Incoming):
    name: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    sex: Literal["male", "female"]
    birth_date: date
    id_number: Text
    phone: Annotated[str, StringConstraints(max_length=20)] | None = None
    his_patient_id: Text


class OpenOrderIn(Incoming):
    patient: PatientIn
    package_code: Text
    order_no: Text


class OrderIn(Incoming):
    peis_order_no: Text


class BookedDayIn(Incoming):
    peis_order_no: Text
    day: date | None  # null: the booking was cancelled, no day is held any more


def package_wire(package: dict[str, Any]) -> dict[str, Any]:
    """The protocol's package object."""
    return {
        "code": package["code"],
        "name": package["name"],
        "type": package["type"],
        "sex": package["sex"],
        "price_fen": package["price_fen"],
        "summary": package["summary"],
        "items": [dict(item) for item in package["items"]],
        "notes": package["notes"],
    }


async def list_packages(state: SandboxState, body: bytes) -> dict[str, Any]:
    Incoming.model_validate_json(body or b"{}")
    return {"packages": [package_wire(p) for p in state.packages.values()]}


async def open_order(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = OpenOrderIn.model_validate_json(body)
    patient = req.patient.model_dump(mode="json")
    async with state.mutation():
        order = hospital.open_order(
            state, patient=patient, package_code=req.package_code, order_no=req.order_no
        )
    return {"order": order.wire()}


async def cancel_order(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = OrderIn.model_validate_json(body)
    async with state.mutation():
        hospital.cancel_order(state, req.peis_order_no)
    return {}


async def report_booked_day(state: SandboxState, body: bytes) -> dict[str, Any]:
    req = BookedDayIn.model_validate_json(body)
    async with state.mutation():
        hospital.report_booked_day(state, req.peis_order_no, req.day)
    return {}


OPERATIONS: dict[str, Operation] = {
    "list_packages": list_packages,
    "open_order": open_order,
    "cancel_order": cancel_order,
    "report_booked_day": report_booked_day,
}


def create_peis_blueprint(*, state: SandboxState, credentials: dict[str, str]) -> Blueprint:
    """PEIS operations at /sandbox/peis/{operation}, accepting the given app ids and secrets."""
    bp = Blueprint("sandbox_peis", url_prefix="/sandbox/peis")
    verifier = RequestVerifier(credentials=dict(credentials))
    for name, handler in OPERATIONS.items():
        endpoint = signed_operation(
            system="peis", operation=name, handler=handler, verifier=verifier, state=state
        )
        bp.add_route(endpoint, f"/{name}", methods=["POST"], name=name)
    return bp

"""Sandbox control API under /sandbox/control: tests and demos drive the outside world through it."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Coroutine
from dataclasses import asdict
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator
from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from checkup.sandbox import hospital, peis
from checkup.sandbox.envelope import validation_details
from checkup.sandbox.his_push import HisPusher
from checkup.sandbox.hospital import Refusal
from checkup.sandbox.records import Fault
from checkup.sandbox.state import SandboxState

HIS_OPERATIONS = (
    "find_patient",
    "pending_charges",
    "paid_charges",
    "bill",
    "charge_lines",
    "confirm_payment",
    "query_trade",
    "refund",
    "settlements",
)
PEIS_OPERATIONS = tuple(peis.OPERATIONS)
ONSITE_ID_TYPE = "01"  # 居民身份证 (身份证件类别代码)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]


class ControlIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


BodyT = TypeVar("BodyT", bound=BaseModel)


class OnsiteOrderIn(ControlIn):
    name: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    id_number: Annotated[str, StringConstraints(to_upper=True, pattern=r"^\d{17}[\dX]$")]
    phone: Annotated[str, StringConstraints(pattern=r"^1\d{10}$")]
    package_code: Text
    paid: bool = False

    @field_validator("id_number")
    @classmethod
    def _checksum(cls, value: str) -> str:
        total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
        if _ID_CHECK[total % 11] != value[17]:
            raise ValueError("身份证号校验位不正确")
        return value


class FaultIn(ControlIn):
    operation: str
    outcome: Literal["failed", "unknown", "processing"]
    times: Annotated[int, Field(ge=1, le=1000)] = 1
    applied: bool = True
    delay_seconds: Annotated[float, Field(ge=0, le=120)] = 0.0


class PlatformIn(ControlIn):
    system: Literal["his", "peis"]
    latency_ms: Annotated[int, Field(ge=0, le=60_000)] | None = None
    max_concurrent: Annotated[int, Field(ge=0, le=10_000)] | None = None  # 0: no cap
    reset_counts: bool = False


class BillNoIn(ControlIn):
    bill_no: Text


class ChangeAmountIn(ControlIn):
    bill_no: Text
    amount_fen: Annotated[int, Field(ge=1, le=100_000_000)]


class PushIn(ControlIn):
    url: Annotated[str, StringConstraints(max_length=500, pattern=r"^https?://[^\s]+$")] | None


class CheckInIn(ControlIn):
    peis_order_no: Text | None = None
    bill_no: Text | None = None


class OtherBillIn(ControlIn):
    name: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    id_number: Annotated[str, StringConstraints(to_upper=True, pattern=r"^\d{17}[\dX]$")]
    dept: Text
    item_name: Text
    amount_fen: Annotated[int, Field(ge=1, le=100_000_000)]


def _json(data: Any, status: int = 200) -> HTTPResponse:
    body = json.dumps(data, ensure_ascii=False).encode()
    return HTTPResponse(body, status=status, content_type="application/json; charset=utf-8")


def _error(status: int, code: str, message: str, details: Any = None) -> HTTPResponse:
    return _json({"error": {"code": code, "message": message, "details": details or {}}}, status)


def _answers_errors(handler: Handler) -> Handler:
    """Turn bad input into 400, a missing record into 404 and a refusal into 409, one error shape."""

    @functools.wraps(handler)
    async def wrapped(request: Request, **path_args: str) -> HTTPResponse:
        try:
            return await handler(request, **path_args)
        except ValidationError as exc:
            return _error(400, "INVALID_REQUEST", "请求参数不正确", {"errors": validation_details(exc)})
        except Refusal as refusal:
            status = 404 if refusal.code.endswith("NOT_FOUND") else 409
            return _error(status, refusal.code, refusal.message, refusal.details)

    return wrapped


def _body(model: type[BodyT], request: Request) -> BodyT:
    """The request's JSON body validated as ``model`` (an empty body is {})."""
    return model.model_validate_json(request.body or b"{}")


def _bill_view(bill: Any) -> dict[str, Any]:
    return asdict(bill)


def create_control_blueprint(*, state: SandboxState, pusher: HisPusher | None = None) -> Blueprint:
    """The control API, for tests and demos only; with ``pusher``, HIS window changes are pushed to the app."""
    bp = Blueprint("sandbox_control", url_prefix="/sandbox/control")
    pusher = pusher or HisPusher(app_id="", secret="")

    async def push(event: Any, bill_no: str) -> None:
        # after the change is made and the state unlocked: the app asks HIS about the bill when told
        await pusher.push(event, bill_no, occurred_at=state.now_iso())

    def route(path: str, method: str = "POST") -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            bp.add_route(_answers_errors(handler), path, methods=[method], name=handler.__name__)
            return handler

        return register

    @route("/onsite-orders")
    async def onsite_orders(request: Request) -> HTTPResponse:
        """The center opens an order on site (flow 2); with ``paid`` the patient also paid at the window."""
        req = _body(OnsiteOrderIn, request)
        async with state.mutation():
            hospital.package_or_refuse(state, req.package_code)
            patient = hospital.find_patient(
                state,
                id_type=ONSITE_ID_TYPE,
                id_number=req.id_number,
                name=req.name,
                phone=req.phone,
                register=True,
            )
            order = hospital.open_order(
                state,
                patient={
                    "name": patient.name,
                    "sex": patient.sex,
                    "birth_date": patient.birth_date,
                    "id_number": patient.id_number,
                    "phone": req.phone,
                    "his_patient_id": patient.his_patient_id,
                },
                package_code=req.package_code,
                order_no=None,
            )
            settlement = hospital.pay_at_window(state, order.bill_no) if req.paid else None
        return _json(
            {
                "bill_no": order.bill_no,
                "amount_fen": order.amount_fen,
                "peis_order_no": order.peis_order_no,
                "his_patient_id": patient.his_patient_id,
                "package_code": order.package_code,
                "status": "paid" if settlement else "unpaid",
                "settle_no": settlement.settle_no if settlement else None,
            }
        )

    async def add_fault(request: Request, system: str, operations: tuple[str, ...]) -> HTTPResponse:
        req = _body(FaultIn, request)
        if req.operation not in operations:
            return _error(
                400, "INVALID_REQUEST", "不支持的操作", {"operation": req.operation, "allowed": operations}
            )
        fault = Fault(outcome=req.outcome, applied=req.applied, delay_seconds=req.delay_seconds)
        pending = state.add_fault(f"{system}.{req.operation}", fault, req.times)
        return _json({**req.model_dump(), "pending": pending})

    @route("/his-faults")
    async def his_faults(request: Request) -> HTTPResponse:
        """The next ``times`` calls of a HIS operation fail (failed, unknown or processing)."""
        return await add_fault(request, "his", HIS_OPERATIONS)

    @route("/peis-faults")
    async def peis_faults(request: Request) -> HTTPResponse:
        """The next ``times`` calls of a PEIS operation fail."""
        return await add_fault(request, "peis", PEIS_OPERATIONS)

    @route("/his/bills/<bill_no:str>", "GET")
    async def his_bill(request: Request, bill_no: str) -> HTTPResponse:
        """A bill as HIS holds it, with its lines."""
        return _json(_bill_view(hospital.bill_or_refuse(state, bill_no)))

    @route("/his/trades/<trade_no:str>", "GET")
    async def his_trade(request: Request, trade_no: str) -> HTTPResponse:
        """The settlement of one of our trades, how often it was applied, and its refunds."""
        settlement = state.settlement_by_trade(trade_no)
        if settlement is None:
            raise Refusal("TRADE_NOT_FOUND", "HIS 中没有该交易", trade_no=trade_no)
        refunds = [asdict(r) for r in state.refunds.values() if r.trade_no == trade_no]
        return _json(
            {
                "trade_no": trade_no,
                "settlement": asdict(settlement),
                "applied": settlement.applied,
                "confirm_calls": settlement.confirm_calls,
                "refunds": refunds,
            }
        )

    @route("/his/cancel-bill")
    async def his_cancel_bill(request: Request) -> HTTPResponse:
        """The window cancels (作废) an unpaid bill."""
        req = _body(BillNoIn, request)
        async with state.mutation():
            was = hospital.bill_or_refuse(state, req.bill_no).status
            bill = hospital.cancel_bill(state, req.bill_no)
        if was != bill.status:
            await push("bill_cancelled", bill.bill_no)
        return _json(_bill_view(bill))

    @route("/his/change-amount")
    async def his_change_amount(request: Request) -> HTTPResponse:
        """The window changes the amount of an unpaid bill."""
        req = _body(ChangeAmountIn, request)
        async with state.mutation():
            was = hospital.bill_or_refuse(state, req.bill_no).amount_fen
            bill = hospital.change_amount(state, req.bill_no, req.amount_fen)
        if was != bill.amount_fen:
            await push("bill_repriced", bill.bill_no)
        return _json(_bill_view(bill))

    @route("/his/reprice-paid")
    async def his_reprice_paid(request: Request) -> HTTPResponse:
        """The window re-prices a bill after it was paid (HIS changes without the app being asked)."""
        req = _body(ChangeAmountIn, request)
        async with state.mutation():
            was = hospital.bill_or_refuse(state, req.bill_no).amount_fen
            bill = hospital.reprice_paid(state, req.bill_no, req.amount_fen)
        if was != bill.amount_fen:
            await push("bill_repriced", bill.bill_no)
        return _json(_bill_view(bill))

    @route("/his/pay-at-window")
    async def his_pay_at_window(request: Request) -> HTTPResponse:
        """The patient pays an existing unpaid bill at the window."""
        req = _body(BillNoIn, request)
        async with state.mutation():
            settlement = hospital.pay_at_window(state, req.bill_no)
        return _json(asdict(settlement))

    @route("/his/refund-at-window")
    async def his_refund_at_window(request: Request) -> HTTPResponse:
        """The cashier refunds a paid bill at the window (HIS changes without the app being asked)."""
        req = _body(BillNoIn, request)
        async with state.mutation():
            record = hospital.refund_at_window(state, req.bill_no)
        await push("bill_refunded", req.bill_no)
        return _json(asdict(record))

    @route("/his/push")
    async def his_push(request: Request) -> HTTPResponse:
        """Where HIS pushes its window changes (the app's /api/his/notify); ``null`` turns pushing off."""
        pusher.url = _body(PushIn, request).url
        return _json(pusher.view())

    @route("/his/push", "GET")
    async def his_push_view(request: Request) -> HTTPResponse:
        """The push URL (null: off) and the recent deliveries with the app's answers."""
        return _json(pusher.view())

    @route("/his/other-bill")
    async def his_other_bill(request: Request) -> HTTPResponse:
        """Another department bills the patient (not a checkup charge)."""
        req = _body(OtherBillIn, request)
        async with state.mutation():
            bill = hospital.open_other_bill(state, name=req.name, id_number=req.id_number, dept=req.dept,
                                            item_name=req.item_name, amount_fen=req.amount_fen)
        return _json(_bill_view(bill))

    @route("/peis/check-in")
    async def peis_check_in(request: Request) -> HTTPResponse:
        """The patient checks in at the center (orders can no longer be cancelled); by order or bill number."""
        req = _body(CheckInIn, request)
        if (req.peis_order_no is None) == (req.bill_no is None):
            return _error(400, "INVALID_REQUEST", "请提供 peis_order_no 或 bill_no 其中之一")
        async with state.mutation():
            if req.bill_no is not None:
                number = hospital.order_of_bill(state, req.bill_no).peis_order_no
            elif req.peis_order_no is not None:  # exactly one of the two is given (checked above)
                number = req.peis_order_no
            order = hospital.check_in(state, number)
        return _json(asdict(order))

    @route("/platform")
    async def set_platform(request: Request) -> HTTPResponse:
        """Latency per call and concurrency cap of HIS or PEIS (the hospital's interface platform)."""
        req = _body(PlatformIn, request)
        platform = state.platforms[req.system]
        if req.latency_ms is not None:
            platform.latency_seconds = req.latency_ms / 1000
        if req.max_concurrent is not None:
            platform.max_concurrent = req.max_concurrent
        if req.reset_counts:
            platform.reset_counts()
        return _json({req.system: platform.view()})

    @route("/platform", "GET")
    async def platform_view(request: Request) -> HTTPResponse:
        """Each system's latency, cap, calls per operation, peak concurrent calls and refused calls."""
        return _json({name: platform.view() for name, platform in state.platforms.items()})

    @route("/peis/orders/<peis_order_no:str>", "GET")
    async def peis_order(request: Request, peis_order_no: str) -> HTTPResponse:
        """A PEIS order as PEIS holds it (status, booked day)."""
        return _json(asdict(hospital.order_or_refuse(state, peis_order_no)))

    @route("/state", "GET")
    async def snapshot(request: Request) -> HTTPResponse:
        """Everything the sandbox holds (for debugging)."""
        return _json(state.snapshot())

    @route("/reset")
    async def reset(request: Request) -> HTTPResponse:
        """Forget every patient, bill, payment, order and injected fault."""
        await state.reset()
        return _json({"reset": True})

    return bp

"""Patient payments and refunds."""

from __future__ import annotations

from sanic import Request

from checkup.api.patient import bp
from checkup.api.routing import route
from checkup.api.schemas import PaymentCreatedOut, PaymentIn, PaymentOut, RefundIn, RefundOut
from checkup.services import patients, payments, refunds


@route(bp, "POST", "/me/payments", auth="patient", body=PaymentIn, response=PaymentCreatedOut, status=201,
       limit=("payment",))
async def create_payment(request: Request, body: PaymentIn):
    """Open a WeChat Pay order for unpaid bills; answers the wx.requestPayment parameters."""
    deps = request.app.ctx.deps
    patient = await patients.verified_patient(request.ctx.user_id, body.patient_id)
    return await payments.create_payment(deps, user_id=request.ctx.user_id, patient=patient, bill_nos=body.bill_nos,
                                         identity_id=request.ctx.identity_id)


@route(bp, "GET", "/me/payments/{payment_no}", auth="patient", response=PaymentOut)
async def get_payment(request: Request, payment_no: str):
    """A payment's state, confirmed with WeChat when still pending."""
    return await payments.get_payment(request.app.ctx.deps, user_id=request.ctx.user_id, payment_no=payment_no)


@route(bp, "POST", "/me/refunds", auth="patient", body=RefundIn, response=RefundOut, status=201,
       limit=("refund",))
async def request_refund(request: Request, body: RefundIn):
    """Ask for a refund of a paid charge that has no active booking."""
    return await refunds.request_refund(
        request.app.ctx.deps, user_id=request.ctx.user_id, bill_no=body.bill_no, reason=body.reason or ""
    )

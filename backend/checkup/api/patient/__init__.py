"""Patient side of the HTTP contract (the mini-program)."""

from __future__ import annotations

import json
from datetime import timedelta

from sanic import Blueprint, Request
from sanic.response import raw

from checkup.api.ratelimit import client_ip
from checkup.api.routing import route
from checkup.api.schemas import (
    BookingIn,
    BookingList,
    BookingOut,
    CalendarOut,
    CalendarQuery,
    CentreOut,
    ChargeList,
    ChargesQuery,
    CodeSentOut,
    ConsentIn,
    ConsentList,
    ConsentOut,
    OAuthLoginIn,
    OAuthStartOut,
    OrderIn,
    OrderOut,
    PackageList,
    PackageOut,
    PatientIn,
    PatientList,
    PatientOut,
    PrivacyNoticeOut,
    RealNameVerifyIn,
    RescheduleIn,
    TokenOut,
    VerifyIn,
    WechatLoginIn,
)
from checkup.domain import privacy
from checkup.domain.clock import shanghai_today
from checkup.domain.errors import VerificationFailed, VerificationLocked
from checkup.services import auth, bookings, calendar, charges, orders, packages, patients, verification
from checkup.services.security_events import SECURITY_EVENTS

bp = Blueprint("patient", url_prefix="/api")


def _deps(request: Request):
    return request.app.ctx.deps


def _user(request: Request) -> int:
    return request.ctx.user_id


def _list(items: list) -> dict:
    return {"items": items, "total": len(items)}


@route(bp, "POST", "/auth/wechat", auth="public", body=WechatLoginIn, response=TokenOut,
       limit=("wechat_login_ip",))
async def wechat_login(request: Request, body: WechatLoginIn):
    """Log in with a wx.login code."""
    return await auth.login_with_code(_deps(request), code=body.code, ttl=request.app.ctx.settings.patient_token_ttl)


@route(bp, "GET", "/auth/wechat-oa/authorize", auth="public", response=OAuthStartOut)
async def wechat_oa_authorize(request: Request):
    """Official account pages: the web-authorisation URL to open, with the state to check on return."""
    return auth.oauth_start(_deps(request))


@route(bp, "POST", "/auth/wechat-oa", auth="public", body=OAuthLoginIn, response=TokenOut,
       limit=("wechat_login_ip",))
async def wechat_oa_login(request: Request, body: OAuthLoginIn):
    """Official account pages: log in with the code and state WeChat's authorisation came back with."""
    return await auth.login_with_oauth(_deps(request), code=body.code, state=body.state,
                                       ttl=request.app.ctx.settings.patient_token_ttl)


@route(bp, "GET", "/packages", auth="public", response=PackageList)
async def list_packages(request: Request):
    """Online packages (个人体检)."""
    return _list(await packages.list_online())


@route(bp, "GET", "/packages/{code}", auth="public", response=PackageOut)
async def get_package(request: Request, code: str):
    """One online package."""
    return packages.package_json(await packages.get_online(code))


@route(bp, "GET", "/me/patients", auth="patient", response=PatientList)
async def list_patients(request: Request):
    """My 就诊人."""
    return _list(await patients.list_patients(_deps(request), user_id=_user(request)))


@route(bp, "POST", "/me/patients", auth="patient", body=PatientIn, response=PatientOut, status=201,
       limit=("patient_create_ip", "patient_create", "patient_create_id"))
async def add_patient(request: Request, body: PatientIn):
    """Add a 就诊人 with one of the identity documents (居民身份证 by default); verified before use."""
    return await patients.add_patient(
        _deps(request), user_id=_user(request), name=body.name, id_number=body.id_number, phone=body.phone,
        doc_type=body.doc_type, sex=body.sex, birth_date=body.birth_date,
    )


@route(bp, "GET", "/centre", auth="public", response=CentreOut)
async def centre(request: Request):
    """The centre's name, phone number and centre-wide 体检须知 (package notes come with each package)."""
    settings = request.app.ctx.settings
    return {"name": settings.hospital_name, "phone": settings.centre_phone, "notice": settings.centre_notice_text,
            "realname_verification": settings.wechat_realname_enabled}


@route(bp, "GET", "/privacy-notice", auth="public", response=PrivacyNoticeOut)
async def privacy_notice(request: Request):
    """The privacy notice (个人信息处理规则) and its version."""
    return privacy.notice()


@route(bp, "GET", "/me/consents", auth="patient", response=ConsentList)
async def list_consents(request: Request):
    """My consents, newest first, and the notice version now in force."""
    items = await patients.list_consents(user_id=_user(request))
    return {"items": items, "total": len(items), "current_version": privacy.VERSION}


@route(bp, "POST", "/me/consents", auth="patient", body=ConsentIn, response=ConsentOut, status=201)
async def give_consent(request: Request, body: ConsentIn):
    """Separate consent to processing ID and health data under this notice version."""
    deps = _deps(request)
    return await patients.record_consent(user_id=_user(request), version=body.version, ip=client_ip(request),
                                         now=deps.now())


@route(bp, "POST", "/me/patients/{patient_id:int}/verification-code", auth="patient", response=CodeSentOut,
       status=202, limit=("verification_ip", "verification"))
async def send_verification_code(request: Request, patient_id: int):
    """Text a 6-digit code to the phone HIS holds for the person (else the one typed)."""
    return await verification.send_code(_deps(request), user_id=_user(request), patient_id=patient_id,
                                        secret=request.app.ctx.settings.secret_key)


@route(bp, "POST", "/me/patients/{patient_id:int}/verify", auth="patient", body=VerifyIn, response=PatientOut,
       limit=("verification_ip", "verification"))
async def verify_patient(request: Request, patient_id: int, body: VerifyIn):
    """Enter the code: the 就诊人 is verified (and a person new to HIS registered there)."""
    deps = _deps(request)
    try:
        patient = await verification.verify(deps, user_id=_user(request), patient_id=patient_id, code=body.code,
                                            secret=request.app.ctx.settings.secret_key)
    except (VerificationFailed, VerificationLocked) as exc:  # audited, aggregated (services/security_events.py)
        kind = "verification_locked" if isinstance(exc, VerificationLocked) else "verification_failed"
        await SECURITY_EVENTS.note(kind, subject=f"user:{_user(request)}", ip=client_ip(request), code=exc.code,
                                   target=f"patient:{patient_id}", now=deps.now())
        raise
    return await patients.patient_view(deps, patient)


@route(bp, "POST", "/me/patients/{patient_id:int}/verify-realname", auth="patient", body=RealNameVerifyIn,
       response=PatientOut, limit=("verification_ip", "verification"))
async def verify_patient_realname(request: Request, patient_id: int, body: RealNameVerifyIn):
    """The account holder's own 就诊人 verified against their WeChat real name (the code WeChat's consent page
    hands back); 409 REALNAME_UNAVAILABLE when switched off or for a document other than the ID card."""
    deps = _deps(request)
    patient = await verification.verify_realname(deps, user_id=_user(request), patient_id=patient_id,
                                                 code=body.code, appid=request.app.ctx.settings.wechat_appid)
    return await patients.patient_view(deps, patient)


@route(bp, "DELETE", "/me/patients/{patient_id:int}", auth="patient", status=204)
async def remove_patient(request: Request, patient_id: int):
    """Remove a 就诊人."""
    await patients.remove_patient(_deps(request), user_id=_user(request), patient_id=patient_id)


@route(bp, "PUT", "/me/patients/{patient_id:int}/default", auth="patient", response=PatientOut)
async def set_default_patient(request: Request, patient_id: int):
    """Make a 就诊人 the default."""
    return await patients.set_default(_deps(request), user_id=_user(request), patient_id=patient_id)


@route(bp, "POST", "/me/orders", auth="patient", body=OrderIn, response=OrderOut, status=201,
       limit=("order",))
async def open_order(request: Request, body: OrderIn):
    """Flow 1: PEIS opens the order; the new unpaid charge comes back."""
    patient = await patients.verified_patient(_user(request), body.patient_id)
    charge, _new = await orders.open_order(_deps(request), patient=patient, package_code=body.package_code)
    return {"charge": charge}


@route(bp, "GET", "/me/charges", auth="patient", query=ChargesQuery, response=ChargeList,
       limit=("charges",))
async def list_charges(request: Request, query: ChargesQuery):
    """Charges of one 就诊人: unpaid ones read from HIS, paid ones with their booking."""
    patient = await patients.verified_patient(_user(request), query.patient_id)
    return _list(await charges.list_charges(_deps(request), patient=patient, status=query.status))


_calendar_cache: calendar.TtlCache[bytes] = calendar.TtlCache()


@route(bp, "GET", "/calendar", auth="public", query=CalendarQuery, response=CalendarOut)
async def get_calendar(request: Request, query: CalendarQuery):
    """Bookable days with remaining places."""
    deps = _deps(request)
    now = deps.now()
    today = shanghai_today(now)

    async def answer() -> bytes:
        start = query.from_ or today
        end = query.to or start + timedelta(days=(await calendar.load_rules()).open_days_ahead)
        days = await calendar.calendar(start=start, end=end, now=now)
        return json.dumps({"days": days}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    # With CHECKUP_CALENDAR_CACHE_SECONDS > 0 (1 s in prod) the encoded answer is shared for that long
    # within this process: the read path of a booking rush. Booking itself never trusts it.
    ttl = request.app.ctx.settings.calendar_cache_seconds or 0
    body = await _calendar_cache.get((query.from_, query.to, today), ttl, answer)
    return raw(body, content_type="application/json")


@route(bp, "POST", "/me/bookings", auth="patient", body=BookingIn, response=BookingOut, status=201,
       limit=("booking",))
async def create_booking(request: Request, body: BookingIn):
    """Book a day for a paid charge."""
    return await bookings.book(_deps(request), user_id=_user(request), bill_no=body.bill_no, day=body.date)


@route(bp, "GET", "/me/bookings", auth="patient", response=BookingList)
async def list_bookings(request: Request):
    """预约记录."""
    return _list(await bookings.list_bookings(_deps(request), user_id=_user(request)))


@route(bp, "GET", "/me/bookings/{booking_id:int}", auth="patient", response=BookingOut)
async def get_booking(request: Request, booking_id: int):
    """One booking with its 须知."""
    return await bookings.get_booking(_deps(request), user_id=_user(request), booking_id=booking_id)


@route(bp, "POST", "/me/bookings/{booking_id:int}/reschedule", auth="patient", body=RescheduleIn, response=BookingOut,
       limit=("booking",))
async def reschedule_booking(request: Request, booking_id: int, body: RescheduleIn):
    """Move a booking to another day."""
    return await bookings.reschedule(_deps(request), user_id=_user(request), booking_id=booking_id, day=body.date)


@route(bp, "POST", "/me/bookings/{booking_id:int}/cancel", auth="patient", response=BookingOut,
       limit=("booking",))
async def cancel_booking(request: Request, booking_id: int):
    """Cancel a booking."""
    return await bookings.cancel(_deps(request), user_id=_user(request), booking_id=booking_id)

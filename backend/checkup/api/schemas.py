"""Request and response schemas of the HTTP contract (API.md); they also feed the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from checkup.domain.booking import BookingStatus, ChargeStatus
from checkup.domain.money import RefundStatus

MAX_ID = 2**63 - 1  # ids are BIGINT: a larger one names no record (and overflows the database drivers)
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
BillNo = Annotated[str, Field(min_length=1, max_length=64)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Out(BaseModel):
    """An answer: the fields it really carries, no others (every route's JSON answer is validated against its
    response model: api/routing.py check_response, CHECKUP_RESPONSE_CHECK)."""

    model_config = ConfigDict(extra="forbid")


# What the patient reads of a payment (services.payments.patient_status; domain.money.PAYMENT_PATIENT_STATUS_TEXT)
PatientPaymentStatus = Literal["pending", "paying", "paid", "refunding", "refunded", "closed"]


# ---- inputs -----------------------------------------------------------------------------------
class WechatLoginIn(In):
    code: str = Field(min_length=1, max_length=128)


class OAuthLoginIn(In):
    code: str = Field(min_length=1, max_length=128)
    state: str = Field(min_length=1, max_length=512)


DocType = Literal["id_card", "residence_permit", "foreign_permanent_resident", "hk_macau_permit", "taiwan_permit",
                  "passport"]  # domain/documents.py


class PatientIn(In):
    name: str = Field(min_length=1, max_length=64)  # the name rule (domain/names.py) allows 50 characters
    id_number: str = Field(min_length=1, max_length=32)  # the document's number
    phone: str = Field(min_length=1, max_length=20)
    doc_type: DocType = "id_card"  # 居民身份证 unless another document is chosen
    # Required where the number does not carry them (passports, permits, the old foreigner's card);
    # ignored for the ID card, the residence permit and the new foreigner's card.
    sex: Literal["male", "female"] | None = None
    birth_date: date | None = None


class VerifyIn(In):
    code: str = Field(min_length=1, max_length=12)


class RealNameVerifyIn(In):
    code: str = Field(min_length=1, max_length=128)  # from extraData after WeChat's consent page


class ConsentIn(In):
    version: str = Field(min_length=1, max_length=32)


class OrderIn(In):
    patient_id: Id
    package_code: str = Field(min_length=1, max_length=32)


class ChargesQuery(In):
    patient_id: Id
    status: Literal["unpaid", "paid"] | None = None


class CalendarQuery(In):
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None


class BookingIn(In):
    bill_no: str = Field(min_length=1, max_length=64)
    date: date


class RescheduleIn(In):
    date: date


# ---- outputs ----------------------------------------------------------------------------------
class ErrorBody(Out):
    code: str
    message: str
    details: dict


class ErrorOut(Out):
    error: ErrorBody


class TokenOut(Out):
    token: str
    expires_in: int


class OAuthStartOut(Out):
    authorize_url: str
    state: str
    appid: str


class PackageItemOut(Out):
    code: str
    name: str
    kind: str
    note: str = ""


class PackageOut(Out):
    code: str
    name: str
    type: str  # PEIS's package type ("" when it sends none)
    price_fen: int
    sex: Literal["any", "male", "female"]
    summary: str
    items: list[PackageItemOut]
    notes: str


class PackageList(Out):
    items: list[PackageOut]
    total: int


class VerificationOut(Out):
    channel: Literal["sms"]
    phone_masked: str


class CodeSentOut(VerificationOut):
    expires_in: int
    resend_after: int


class CentreOut(Out):
    """The checkup centre as the patient pages show it (settings CHECKUP_HOSPITAL_NAME, CHECKUP_CENTRE_PHONE,
    CHECKUP_CENTRE_NOTICE)."""
    name: str
    phone: str  # empty when not set: the pages then show no number
    notice: str  # the centre-wide 体检须知, one note a line; a package's own notes are its `notes`
    # CHECKUP_WECHAT_REALNAME_ENABLED: the verification page offers 用微信实名信息验证 for the holder's own 就诊人
    realname_verification: bool = False


class PrivacyNoticeOut(Out):
    version: str
    text: str


class ConsentOut(Out):
    version: str
    purposes: list[str]
    consented_at: str


class ConsentList(Out):
    items: list[ConsentOut]
    total: int
    current_version: str


class PatientOut(Out):
    id: int
    name: str
    sex: Literal["male", "female"]
    birth_date: date
    doc_type: DocType
    id_number_masked: str
    phone_masked: str
    is_default: bool
    verified: bool
    verification: VerificationOut | None = None


class PatientList(Out):
    items: list[PatientOut]
    total: int


class ChargeBookingOut(Out):
    id: int | None  # None: another account's booking of the bill (only its date and status show)
    date: date
    status: BookingStatus
    status_text: str  # domain.booking.BOOKING_STATUS_TEXT
    mine: bool


class ChargeOut(Out):
    bill_no: str
    patient_id: int
    item_name: str
    amount_fen: int
    status: ChargeStatus
    status_text: str  # domain.booking.CHARGE_STATUS_TEXT
    source: Literal["online", "onsite"]
    package_code: str | None = None
    package_name: str | None = None
    dept: str
    billed_at: str | None
    paid_at: str | None
    booking: ChargeBookingOut | None = None
    paid_by_other_account: bool


class ChargeList(Out):
    items: list[ChargeOut]
    total: int


class OrderOut(Out):
    charge: ChargeOut


class CalendarDayOut(Out):
    date: date
    open: bool
    capacity: int
    remaining: int
    bookable: bool
    reason: str
    reason_text: str
    opens_at: str | None = None  # not_yet_open: when the day opens for booking (Asia/Shanghai)


class CalendarOut(Out):
    days: list[CalendarDayOut]


class BookingOut(Out):
    id: int
    bill_no: str
    patient_id: int
    date: date
    status: BookingStatus
    status_text: str
    can_change: bool
    change_deadline: dt.date  # dt.: `date` is a field of this model
    patient_name: str
    package_code: str | None
    package_name: str
    item_name: str
    amount_fen: int
    booked_at: str | None
    notes: str


class BookingList(Out):
    items: list[BookingOut]
    total: int


class HealthOut(Out):
    status: Literal["ok", "degraded"]
    db: Literal["ok", "error"]
    redis: Literal["ok", "error", "disabled"]
    version: str


class PaymentIn(In):
    patient_id: Id
    bill_nos: list[BillNo] = Field(min_length=1, max_length=10)


class PayParamsOut(Out):
    appId: str
    timeStamp: str
    nonceStr: str
    package: str
    signType: str
    paySign: str


class PaymentOut(Out):
    payment_no: str
    status: PatientPaymentStatus
    status_text: str
    amount_fen: int
    bill_nos: list[str]
    paid_at: str | None
    expires_at: str | None


class PaymentCreatedOut(PaymentOut):
    pay_params: PayParamsOut


class RefundIn(In):
    bill_no: str = Field(min_length=1, max_length=64)
    reason: str | None = Field(default=None, max_length=80)


class RefundOut(Out):
    refund_no: str
    status: RefundStatus
    status_text: str
    amount_fen: int
    reason_text: str | None  # why it waits or stopped (domain.money.REFUND_REASON_TEXT), None when nothing to say


class WechatAckOut(Out):
    code: str
    message: str

"""Query and answer schemas of the data-sharing open API (they also feed the OpenAPI document)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from checkup.api.schemas import In, Out

BookingStatus = Literal["booked", "confirmed", "cancelled"]


class OpenRangeQuery(In):
    from_: date = Field(alias="from", description="开始日期（含），YYYY-MM-DD，北京时间")
    to: date = Field(description="结束日期（含），与开始日期最多相隔92天（含首尾）")


class OpenBookingsQuery(OpenRangeQuery):
    status: BookingStatus | None = None
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(100, ge=1, le=500)


class OpenBookingOut(Out):
    booking_id: int
    date: date
    package_code: str
    package_name: str
    status: BookingStatus
    confirmed: bool
    created_at: str
    patient_name_masked: str
    sex: str
    age: str  # five-year band on the booked day, "40–44" ("90+"): never the exact age beside a masked ID number
    phone_masked: str
    id_number_masked: str


class OpenBookingList(Out):
    items: list[OpenBookingOut]
    total: int
    page: int
    page_size: int


class OpenBookingCountOut(Out):
    date: date
    package_code: str
    package_name: str
    booked: int
    confirmed: int
    cancelled: int


class OpenDayCountOut(Out):
    date: date
    booked: int
    confirmed: int
    cancelled: int


class OpenBookingCountList(Out):
    items: list[OpenBookingCountOut]
    total: int
    days: list[OpenDayCountOut]


class OpenPaymentDayOut(Out):
    date: date
    paid_fen: int
    payment_count: int
    refund_fen: int
    refund_count: int
    net_fen: int


class OpenPaymentTotalsOut(Out):
    paid_fen: int
    payment_count: int
    refund_fen: int
    refund_count: int
    net_fen: int


class OpenPaymentDayList(Out):
    items: list[OpenPaymentDayOut]
    total: int
    summary: OpenPaymentTotalsOut


class OpenPingOut(Out):
    app_key: str
    name: str
    scopes: list[str]
    server_time: int

"""Booking and charge states."""

from __future__ import annotations

from enum import StrEnum


class BookingStatus(StrEnum):
    BOOKED = "booked"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"  # the patient did not come; the place is released and the charge free again


# The message with which the database refuses a place (booking triggers, migration 0005): the day is
# full, closed or has no quota row. Matched by services/bookings.py; never change it in place.
NO_PLACE = "CHECKUP_NO_PLACE"


class ChargeStatus(StrEnum):
    UNPAID = "unpaid"
    PAYING = "paying"  # money taken, HIS write-back pending
    PAID = "paid"  # settled in HIS (through the app or at the window)
    REFUNDING = "refunding"
    REFUNDED = "refunded"
    CANCELLED = "cancelled"  # cancelled in HIS before payment


ACTIVE_BOOKING = (BookingStatus.BOOKED, BookingStatus.CONFIRMED)

BOOKING_STATUS_TEXT: dict[str, str] = {  # a row's status (text) -> what people read
    BookingStatus.BOOKED: "已预约",
    BookingStatus.CONFIRMED: "已确认",
    BookingStatus.CANCELLED: "已取消",
    BookingStatus.NO_SHOW: "未到检",
}

# What the patient reads for a charge's state (sent as status_text beside `status`).
CHARGE_STATUS_TEXT = {
    ChargeStatus.UNPAID: "待缴费",
    ChargeStatus.PAYING: "缴费确认中",
    ChargeStatus.PAID: "已缴费",
    ChargeStatus.REFUNDING: "退款处理中",
    ChargeStatus.REFUNDED: "已退款",
    ChargeStatus.CANCELLED: "已作废",
}


def merge_charge_status(local: str | None, his: str) -> str:
    """Our status for a bill after HIS reported ``his`` (unpaid | paid | cancelled | refunded).

    HIS is the truth for settled facts; our in-flight states (paying: money taken, write-back
    pending; refunding: refund under way) stand until HIS shows where they end.
    """
    if local == ChargeStatus.PAYING and his == "unpaid":
        return ChargeStatus.PAYING
    if local == ChargeStatus.REFUNDING and his == "paid":
        return ChargeStatus.REFUNDING
    return {
        "unpaid": ChargeStatus.UNPAID,
        "paid": ChargeStatus.PAID,
        "cancelled": ChargeStatus.CANCELLED,
        "refunded": ChargeStatus.REFUNDED,
    }[his]

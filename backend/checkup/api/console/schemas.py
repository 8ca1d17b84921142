"""Request and response schemas of the staff console API (they also feed the OpenAPI document)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from checkup.api.schemas import Id, In, Out, PackageItemOut
from checkup.domain.booking import BookingStatus

Role = Literal["admin", "staff", "finance", "auditor"]
Weekday = Literal[1, 2, 3, 4, 5, 6, 7]
USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,32}$"


class Paging(In):
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=500)


class RangeQuery(In):
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None


# ---- auth ---------------------------------------------------------------------------------------
class LoginIn(In):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=128)


class StaffProfileOut(Out):
    username: str
    name: str
    roles: list[Role]


class PasswordChangeIn(In):
    current_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=1, max_length=128)


class StaffMeOut(StaffProfileOut):
    must_change_password: bool = False  # true: every other console call answers 403 PASSWORD_CHANGE_REQUIRED


class LoginOut(Out):
    token: str
    expires_in: int
    idle_timeout: int
    staff: StaffProfileOut
    # The password was set by someone else (new account, reset): change it (POST /api/console/me/password)
    # before anything else; until then other console calls answer 403 PASSWORD_CHANGE_REQUIRED.
    must_change_password: bool = False


# ---- quota, holidays, rules ----------------------------------------------------------------------
class SettledBookingsOut(Out):
    """What became of the active bookings of days being closed (services.quota_admin.settle_bookings)."""

    moved: int | None = None  # moved to move_to
    move_to: date | None = None
    cancelled: int | None = None  # cancelled with reason
    reason: str | None = None
    booking_ids: list[int]


class DayQuotaOut(Out):
    date: date
    capacity: int
    booked: int
    remaining: int
    open: bool
    set: bool = True  # False: no quota row (shown closed)
    bookings: SettledBookingsOut | None = None  # closing a day that had bookings


class QuotaOut(Out):
    days: list[DayQuotaOut]


class BookingsActionIn(In):
    """What to do with the active bookings of days being closed: move them to a day, or cancel them."""

    move_to: date | None = None
    cancel: bool = False
    reason: str = Field("", max_length=100)


class DayQuotaIn(In):
    capacity: int = Field(ge=0, le=9999)
    open: bool
    bookings: BookingsActionIn | None = None  # needed when closing a day that has bookings


class QuotaBatchIn(In):
    from_: date = Field(alias="from")
    to: date
    weekdays: list[Weekday] = Field(min_length=1, max_length=7)
    capacity: int = Field(ge=0, le=9999)
    open: bool
    include_closed: bool = False  # reopen days staff closed too (otherwise they are skipped)


class SkippedDayOut(Out):
    date: date
    booked: int
    reason: Literal["booked_above", "closed", "has_bookings"]


class QuotaBatchOut(Out):
    updated: int
    created: int
    skipped: list[SkippedDayOut]


class HolidayIn(In):
    date: date
    name: str = Field("", max_length=50)
    bookings: BookingsActionIn | None = None  # needed when the day has bookings


class HolidayRangeIn(In):
    from_: date = Field(alias="from")
    to: date
    name: str = Field("", max_length=50)
    bookings: BookingsActionIn | None = None


class HolidayImportIn(In):
    """A year's holiday schedule file as text (the console reads the uploaded file)."""

    year: int = Field(ge=2000, le=2100)
    content: str = Field(min_length=1, max_length=20000)
    workday_capacity: int | None = Field(default=None, ge=1, le=9999)
    bookings: BookingsActionIn | None = None


class StaffRescheduleIn(In):
    date: date
    reason: str = Field("", max_length=100)


class StaffCancelIn(In):
    reason: str = Field(min_length=1, max_length=100)


class HolidayOut(Out):
    date: date
    name: str
    bookings: SettledBookingsOut | None = None  # closing a day that had bookings


class HolidayList(Out):
    items: list[HolidayOut]
    total: int
    bookings: SettledBookingsOut | None = None  # closing days that had bookings


class HolidayWorkdayOut(Out):
    date: date
    capacity: int


class HolidayImportOut(Out):
    """What a year's schedule set: closed days (休) and make-up workdays (班) opened with a capacity."""

    year: int
    holidays: list[HolidayOut]
    workdays: list[HolidayWorkdayOut]
    bookings: SettledBookingsOut | None = None  # closing days that had bookings




class RulesIn(In):
    open_days_ahead: int = Field(ge=1, le=365)
    release_time: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    min_days_ahead: int = Field(ge=0, le=365)
    change_cutoff_days: int = Field(ge=0, le=30)
    closed_weekdays: list[Weekday] | None = Field(default=None, max_length=7)  # absent: keep the current ones
    # capacity per ISO weekday "1".."7" generated open_days_ahead days ahead; {} = off; absent: keep
    weekly_capacity: dict[Literal["1", "2", "3", "4", "5", "6", "7"], Annotated[int, Field(ge=0, le=9999)]] | None = None
    no_show_may_rebook: bool | None = None  # absent: keep


class NextOpening(Out):
    date: date
    at: str


class RulesOut(Out):
    open_days_ahead: int
    release_time: str
    min_days_ahead: int
    change_cutoff_days: int
    closed_weekdays: list[int]
    weekly_capacity: dict[str, int] = {}  # noqa: RUF012 - pydantic copies a default per instance
    no_show_may_rebook: bool = True
    next_opening: NextOpening | None = None


# ---- report and bookings -------------------------------------------------------------------------
BookingStatusName = Literal["booked", "confirmed", "cancelled", "no_show"]


class ReportQuery(Paging):
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    q: str = Field("", max_length=50)  # a name, a whole phone number, its last four digits, or a bill number
    format: Literal["json", "xlsx", "pdf"] = "json"
    package: str = Field("", max_length=32)  # a package code
    status: Literal["booked", "confirmed"] = "booked"  # the report's patients: still to confirm, or confirmed
    phones: Literal["masked", "full"] = "masked"  # full: roles of CHECKUP_REPORT_FULL_PHONE_ROLES, audited


class BookingsQuery(Paging):
    status: BookingStatusName = "confirmed"
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    q: str = Field("", max_length=50)
    package: str = Field("", max_length=32)


class ReportRowOut(Out):
    booking_id: int
    date: date
    patient_name: str
    sex: str
    age: str  # five-year band on the booked day, "40–44" ("90+"): never the exact age beside a masked ID number
    phone_masked: str
    id_number_masked: str
    package_name: str
    amount_fen: int
    bill_no: str
    booked_at: str
    phone: str | None = None  # only with phones=full, for the roles the hospital allows


class ConfirmedRowOut(ReportRowOut):
    status: BookingStatus
    confirmed_at: str | None = None
    confirmed_by: str | None = None
    # status=cancelled only: when, by whom ("patient", "his", "staff:<username>") and why
    cancelled_at: str | None = None
    cancelled_by: str | None = None
    cancel_reason: str | None = None


class DayCountOut(Out):
    date: date
    count: int
    amount_fen: int = 0


class PackageCountOut(Out):
    package_code: str | None = None
    package_name: str
    count: int
    amount_fen: int


class ReportOut(Out):
    """One page of the report: status=booked rows, or with status=confirmed the rows with their confirmation."""

    items: list[ConfirmedRowOut | ReportRowOut]
    total: int
    per_day: list[DayCountOut]
    per_package: list[PackageCountOut]
    amount_fen: int  # of the whole filter
    from_: date = Field(alias="from")
    to: date


class BookingsOut(ReportOut):
    """Bookings of a status: with status=booked the report's rows, otherwise with their confirmation."""


class ConfirmManyIn(In):
    ids: list[Id] = Field(min_length=1, max_length=500)


class ConfirmManyOut(Out):
    confirmed: int
    already_confirmed: list[int]


class ConsoleBookingOut(Out):
    id: int
    bill_no: str
    patient_id: int
    patient_name: str
    date: date
    status: BookingStatus
    confirmed_at: str | None = None
    confirmed_by: str | None = None
    cancelled_by: str | None = None
    cancel_reason: str = ""


# ---- packages, staff, audit ------------------------------------------------------------------------
class PackageOnlineIn(In):
    online: bool


class ConsolePackageOut(Out):
    code: str
    name: str
    type: str
    price_fen: int
    sex: Literal["any", "male", "female"]
    summary: str
    items: list[PackageItemOut]
    notes: str
    online: bool
    in_peis: bool
    synced_at: str | None = None


class ConsolePackageList(Out):
    items: list[ConsolePackageOut]
    total: int


class PackageSyncOut(Out):
    synced: int
    created: int
    updated: int
    removed: int


class StaffCreateIn(In):
    username: str = Field(pattern=USERNAME_PATTERN)
    name: str = Field(min_length=1, max_length=50)
    password: str = Field(min_length=1, max_length=128)
    roles: list[Role] = Field(min_length=1, max_length=4)


class StaffUpdateIn(In):
    name: str | None = Field(None, min_length=1, max_length=50)
    roles: list[Role] | None = Field(None, min_length=1, max_length=4)
    active: bool | None = None
    password: str | None = Field(None, min_length=1, max_length=128)
    unlock: bool | None = None


class StaffAccountOut(Out):
    username: str
    name: str
    roles: list[Role]
    active: bool
    locked_until: str | None = None
    failed_logins: int
    must_change_password: bool = False
    last_login_at: str | None = None
    created_at: str | None = None


class StaffList(Out):
    items: list[StaffAccountOut]
    total: int


class AuditQuery(Paging):
    from_: date | None = Field(default=None, alias="from")
    to: date | None = None
    actor: str | None = Field(None, max_length=64)
    action: str | None = Field(None, max_length=64)
    outcome: Literal["success", "failure"] | None = None


class AuditRowOut(Out):
    id: int
    at: str
    actor: str
    ip: str
    action: str
    target: str
    outcome: Literal["success", "failure"]
    detail: dict


class AuditList(Out):
    items: list[AuditRowOut]
    total: int


# ---- monthly operation report (系统运行报告) -------------------------------------------------------
class MonthlyReportQuery(In):
    month: str = Field(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$")  # YYYY-MM (2000-2099)
    format: Literal["json", "xlsx", "pdf"] = "json"


class MonthlyReportOut(Out):
    """Figures of the month (services/ops_report.py); nested sections are objects of counts."""

    month: str
    first_day: str
    last_day: str
    generated_at: str
    days_covered: int
    availability: dict
    requests: dict
    upstream: dict
    upstream_ops: dict
    bookings: dict
    payments: dict
    refunds: dict
    jobs: dict
    reconciliation: dict
    security: dict
    capacity: dict
    days: list[dict]
    audit_anchor: dict | None
    not_recorded: list[str]
    recommendations: list[str]


class ReportMonthOut(Out):
    month: str
    days: int  # days rolled up


class ReportMonthList(Out):
    items: list[ReportMonthOut]


class SelfcheckSectionOut(Out):
    title: str
    findings: list[str]  # something to fix
    notes: list[str]  # facts for the report


class SelfcheckOut(Out):
    """网络安全自查 (services/selfcheck.py): the same report as `checkup selfcheck`."""

    generated_at: str
    findings: int
    sections: list[SelfcheckSectionOut]


class AuditExportQuery(In):
    """安全审计导出: the period (Asia/Shanghai days, both included, at most a year) and the operation log's filters."""

    from_: date = Field(alias="from")
    to: date
    actor: str | None = Field(None, max_length=64)
    action: str | None = Field(None, max_length=64)
    outcome: Literal["success", "failure"] | None = None

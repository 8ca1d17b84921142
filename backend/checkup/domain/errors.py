"""Domain errors: each carries its HTTP status, a stable machine code and a Chinese message."""

from __future__ import annotations

from typing import Any, ClassVar


class AppError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "BAD_REQUEST"
    default_message: ClassVar[str] = "请求有误"

    def __init__(self, message: str | None = None, **details: Any) -> None:
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)


class BadRequest(AppError):
    pass


class ValidationFailed(AppError):
    status = 422
    code = "VALIDATION_ERROR"
    default_message = "提交的信息有误，请检查后重试"


class InvalidIdNumber(AppError):
    status = 422
    code = "INVALID_ID_NUMBER"
    default_message = "身份证号码无效，请核对"


class InvalidPhone(AppError):
    status = 422
    code = "INVALID_PHONE"
    default_message = "手机号码无效，请核对"


class Unauthorized(AppError):
    status = 401
    code = "UNAUTHORIZED"
    default_message = "请先登录"


class TokenExpired(Unauthorized):
    code = "TOKEN_EXPIRED"
    default_message = "登录已过期，请重新登录"


class Forbidden(AppError):
    status = 403
    code = "FORBIDDEN"
    default_message = "没有权限执行该操作"


class NotFound(AppError):
    status = 404
    code = "NOT_FOUND"
    default_message = "记录不存在"


class Conflict(AppError):
    status = 409
    code = "CONFLICT"
    default_message = "操作与当前状态冲突"


class PatientLimitReached(Conflict):
    code = "PATIENT_LIMIT"
    default_message = "每个微信账号最多添加10位就诊人"


class PatientExists(Conflict):
    code = "PATIENT_EXISTS"
    default_message = "该身份证号的就诊人已添加"


class PatientHasBookings(Conflict):
    code = "PATIENT_HAS_BOOKINGS"
    default_message = "该就诊人还有未完成的预约，请先取消预约"


class PackageUnavailable(Conflict):
    code = "PACKAGE_UNAVAILABLE"
    default_message = "该体检套餐暂不可预约"


class SexMismatch(Conflict):
    code = "SEX_MISMATCH"
    default_message = "该套餐不适用于此就诊人的性别"


class ChargeNotPaid(Conflict):
    code = "CHARGE_NOT_PAID"
    default_message = "该项目尚未缴费，请先缴费"


class ChargeNotBookable(Conflict):
    code = "CHARGE_NOT_BOOKABLE"
    default_message = "该缴费项目不能预约"


class AlreadyBooked(Conflict):
    code = "ALREADY_BOOKED"
    default_message = "该缴费项目已有预约"


class PatientDayTaken(Conflict):
    code = "PATIENT_DAY_TAKEN"
    default_message = "该就诊人当天已有预约"


class QuotaFull(Conflict):
    code = "QUOTA_FULL"
    default_message = "该日号源已满"


class DayClosed(Conflict):
    code = "DAY_CLOSED"
    default_message = "该日不开放预约"


class OutsideWindow(Conflict):
    code = "OUTSIDE_BOOKING_WINDOW"
    default_message = "该日期不在可预约范围内"


class ChangeCutoffPassed(Conflict):
    code = "CHANGE_CUTOFF_PASSED"
    default_message = "已过改约/取消截止时间"


class BookingNotChangeable(Conflict):
    code = "BOOKING_NOT_CHANGEABLE"
    default_message = "该预约当前状态不能修改"


class SameDay(Conflict):
    code = "SAME_DAY"
    default_message = "新日期与原预约日期相同"


class CapacityBelowBooked(Conflict):
    code = "CAPACITY_BELOW_BOOKED"
    default_message = "号源数不能少于已预约人数"


class UpstreamUnavailable(AppError):
    status = 503
    code = "UPSTREAM_UNAVAILABLE"
    default_message = "医院系统暂时无法访问，请稍后再试"


class UpstreamRejected(AppError):
    status = 502
    code = "UPSTREAM_REJECTED"
    default_message = "医院系统拒绝了该请求"


class WechatLoginFailed(AppError):
    status = 401
    code = "WECHAT_LOGIN_FAILED"
    default_message = "微信登录失败，请重试"


class RateLimited(AppError):
    status = 429
    code = "RATE_LIMITED"
    default_message = "操作太频繁，请稍后再试"

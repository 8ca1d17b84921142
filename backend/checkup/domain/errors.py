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


class PasswordChangeRequired(Forbidden):
    code = "PASSWORD_CHANGE_REQUIRED"
    default_message = "首次登录或密码被重置后，请先修改密码"


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


# ---- staff console ------------------------------------------------------------------------------
class InvalidCredentials(Unauthorized):
    code = "INVALID_CREDENTIALS"
    default_message = "用户名或密码错误"


class SessionExpired(Unauthorized):
    code = "SESSION_EXPIRED"
    default_message = "长时间未操作，请重新登录"


class WeakPassword(AppError):
    status = 422
    code = "WEAK_PASSWORD"
    default_message = "密码至少8位，且包含大写字母、小写字母、数字、符号中的至少三种"


class WrongCurrentPassword(AppError):
    status = 400
    code = "WRONG_CURRENT_PASSWORD"
    default_message = "当前密码不正确"


class PasswordUnchanged(AppError):
    status = 422
    code = "PASSWORD_UNCHANGED"
    default_message = "新密码不能与当前密码相同"


class UsernameTaken(Conflict):
    code = "USERNAME_TAKEN"
    default_message = "该用户名已存在"


class LastAdmin(Conflict):
    code = "LAST_ADMIN"
    default_message = "至少需要保留一个启用的管理员账号"


class OwnAdminAccount(Conflict):
    code = "OWN_ADMIN_ACCOUNT"
    default_message = "不能停用自己的账号，也不能取消自己的管理员角色"


class BookingNotConfirmable(Conflict):
    code = "BOOKING_NOT_CONFIRMABLE"
    default_message = "只有待确认（已预约）的预约可以确认"


class BookingNotConfirmed(Conflict):
    code = "BOOKING_NOT_CONFIRMED"
    default_message = "该预约未确认，不能撤销确认"


class ExportUnavailable(AppError):
    status = 503
    code = "EXPORT_UNAVAILABLE"
    default_message = "导出暂不可用"


class UpstreamUnavailable(AppError):
    status = 503
    code = "UPSTREAM_UNAVAILABLE"
    default_message = "医院系统暂时无法访问，请稍后再试"


class UpstreamBusy(UpstreamUnavailable):
    """This process already has as many calls to the hospital system in flight as it may (bulkhead)."""

    code = "UPSTREAM_BUSY"
    default_message = "医院系统繁忙，请稍后再试"


class UpstreamSuspended(UpstreamUnavailable):
    """The hospital system stopped answering; calls are paused for a while (circuit open)."""

    code = "UPSTREAM_SUSPENDED"
    default_message = "医院系统暂时无法访问，已暂停调用，请稍后再试"


class UpstreamRejected(AppError):
    status = 502
    code = "UPSTREAM_REJECTED"
    default_message = "医院系统拒绝了该请求"


class WechatLoginFailed(AppError):
    status = 401
    code = "WECHAT_LOGIN_FAILED"
    default_message = "微信登录失败，请重试"


class OAuthStateInvalid(AppError):
    status = 400
    code = "OAUTH_STATE_INVALID"
    default_message = "登录已失效，请从公众号菜单重新进入"


class UnsupportedMediaType(AppError):
    status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"
    default_message = "请求内容须为JSON（Content-Type: application/json）"


class RateLimited(AppError):
    status = 429
    code = "RATE_LIMITED"
    default_message = "操作太频繁，请稍后再试"


class ChargeAlreadyPaid(Conflict):
    code = "CHARGE_ALREADY_PAID"
    default_message = "该项目已缴费，无需重复缴费"


class ChargeAmountChanged(Conflict):
    code = "CHARGE_AMOUNT_CHANGED"
    default_message = "缴费金额已变更，请刷新后重新确认"


class ChargeUnavailable(Conflict):
    code = "CHARGE_UNAVAILABLE"
    default_message = "该缴费单已作废或不存在，请刷新后重试"


class PaymentInProgress(Conflict):
    code = "PAYMENT_IN_PROGRESS"
    default_message = "该项目正在支付中，请稍后查看支付结果"


class RefundNotAllowed(Conflict):
    code = "REFUND_NOT_ALLOWED"
    default_message = "该项目当前不能申请退费"


class RefundExists(Conflict):
    code = "REFUND_EXISTS"
    default_message = "该项目已申请退费"


class JobNotRetryable(Conflict):
    code = "JOB_NOT_RETRYABLE"
    default_message = "只有失败（重试次数已用完）的任务可以重新执行"


class PaymentUnavailable(AppError):
    status = 503
    code = "PAYMENT_UNAVAILABLE"
    default_message = "微信支付暂时无法使用，请稍后再试"


class SignatureInvalid(Unauthorized):
    code = "SIGNATURE_INVALID"
    default_message = "签名验证失败"


# ---- data-sharing open API (docs/interfaces/data-sharing.md) ------------------------------------
class AppKeyInvalid(Unauthorized):
    code = "APP_KEY_INVALID"
    default_message = "应用标识（AppKey）无效或已停用"


class TimestampExpired(Unauthorized):
    code = "TIMESTAMP_EXPIRED"
    default_message = "请求时间戳无效或与服务器时间相差超过300秒"


class NonceReplayed(Unauthorized):
    code = "NONCE_REPLAYED"
    default_message = "该随机串已使用过，请求被拒绝"


class ScopeDenied(Forbidden):
    code = "SCOPE_DENIED"
    default_message = "该应用未被授权访问此接口"


class DatabaseUnavailable(AppError):
    """The database cannot be reached right now (answered with Retry-After)."""

    status = 503
    code = "DATABASE_UNAVAILABLE"
    default_message = "系统暂时无法访问数据库，请稍后再试"


class AlreadyCheckedIn(Conflict):
    code = "ALREADY_CHECKED_IN"
    default_message = "您已在体检中心签到，不能在线退费，请到体检中心办理"


class ChargeChangedInHis(Conflict):
    code = "CHARGE_CHANGED_IN_HIS"
    default_message = "该缴费项目已在医院办理退费或作废，预约已取消"


class DayHasBookings(Conflict):
    code = "DAY_HAS_BOOKINGS"
    default_message = "该日期已有预约，请选择改约到其他日期或取消这些预约"


class NoShowNotAllowed(Conflict):
    code = "NO_SHOW_NOT_ALLOWED"
    default_message = "只有当天或已过去的预约可以标记为爽约"


class NoShowMayNotRebook(Conflict):
    code = "NO_SHOW_MAY_NOT_REBOOK"
    default_message = "该项目曾爽约，按体检中心规定不能在线重新预约，请联系体检中心"
# -- patient identity (docs/patient-identity.md) ---------------------------------------------------


class PatientNotVerified(Forbidden):
    code = "PATIENT_NOT_VERIFIED"
    default_message = "请先完成就诊人身份验证（短信验证码）后再查看或办理该就诊人的业务"


class VerificationFailed(AppError):
    """Wrong, expired or used code, or an identity HIS does not confirm: one answer for all."""

    status = 422
    code = "VERIFICATION_FAILED"
    default_message = "验证未通过，请核对验证码后重试"


class VerificationLocked(AppError):
    status = 429
    code = "VERIFICATION_LOCKED"
    default_message = "验证失败次数过多，请稍后再试"


class SmsTooFrequent(AppError):
    status = 429
    code = "SMS_TOO_FREQUENT"
    default_message = "验证码发送过于频繁，请稍后再试"


class AlreadyVerified(Conflict):
    code = "ALREADY_VERIFIED"
    default_message = "该就诊人已完成验证"


class ConsentRequired(Conflict):
    code = "CONSENT_REQUIRED"
    default_message = "请先阅读并同意《个人信息处理规则》后再添加就诊人"


class RealNameUnavailable(AppError):
    status = 409
    code = "REALNAME_UNAVAILABLE"
    default_message = "暂不支持微信实名验证，请使用短信验证码验证"


class SmsUnavailable(AppError):
    status = 503
    code = "SMS_UNAVAILABLE"
    default_message = "短信暂时无法发送，请稍后再试"


class PaidByAnotherAccount(Forbidden):
    """Records belong to the account that acted: a bill paid through another WeChat account."""

    code = "PAID_BY_ANOTHER_ACCOUNT"
    default_message = "该项目由其他微信账号支付，请使用付款的微信账号办理预约或退费"

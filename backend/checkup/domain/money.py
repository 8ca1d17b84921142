"""Payment, refund and job states and the moves allowed between them (services, worker, API and
console all use these; a move not listed here is a bug and is refused).

The money invariant these states keep: every WeChat payment ends written back to HIS or refunded,
and every refund ends refunded on both sides (HIS and WeChat) or on neither — never one-sided.
"""

from __future__ import annotations

from enum import StrEnum


class IllegalTransition(RuntimeError):
    """A state change the state machine does not allow (a programming error, never user input)."""


class PaymentStatus(StrEnum):
    """The WeChat side of a payment."""

    PENDING = "pending"  # order opened, not paid
    PAID = "paid"  # WeChat took the money and it matched our order
    CLOSED = "closed"  # closed unpaid (WeChat said CLOSED or NOTPAY after our close)
    HELD = "held"  # paid, but the notification disagreed with our order: finance decides


class HisStatus(StrEnum):
    """The HIS write-back (缴费确认) of a paid payment."""

    NONE = "none"
    PENDING = "pending"
    SETTLED = "settled"
    FAILED = "failed"  # HIS refused definitively (and its trade query agreed): refunded automatically


class RefundStatus(StrEnum):
    PENDING = "pending"  # HIS refund (when HIS had settled) not yet confirmed
    HIS_DONE = "his_done"  # HIS side refunded (or nothing to refund there): WeChat refund must follow
    WECHAT_PENDING = "wechat_pending"  # WeChat accepted the refund and is processing it
    SUCCEEDED = "succeeded"  # refunded on both sides
    FAILED = "failed"  # refunded on neither side (HIS refused, and its trade shows no refund)
    ABNORMAL = "abnormal"  # HIS refunded but WeChat cannot finish by itself: a staff task


class JobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"  # retries ran out: finance may re-run it


PAYMENT_MOVES: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    PaymentStatus.PENDING: frozenset({PaymentStatus.PAID, PaymentStatus.HELD, PaymentStatus.CLOSED}),
    PaymentStatus.PAID: frozenset(),
    PaymentStatus.HELD: frozenset(),
    PaymentStatus.CLOSED: frozenset(),
}

HIS_MOVES: dict[HisStatus, frozenset[HisStatus]] = {
    HisStatus.NONE: frozenset({HisStatus.PENDING}),
    HisStatus.PENDING: frozenset({HisStatus.SETTLED, HisStatus.FAILED}),
    HisStatus.SETTLED: frozenset(),
    HisStatus.FAILED: frozenset(),
}

REFUND_MOVES: dict[RefundStatus, frozenset[RefundStatus]] = {
    RefundStatus.PENDING: frozenset({RefundStatus.HIS_DONE, RefundStatus.FAILED}),
    # a new WeChat refund after CLOSED keeps HIS_DONE (with a new out_refund_no)
    RefundStatus.HIS_DONE: frozenset({RefundStatus.HIS_DONE, RefundStatus.WECHAT_PENDING, RefundStatus.SUCCEEDED,
                                      RefundStatus.ABNORMAL}),
    RefundStatus.WECHAT_PENDING: frozenset({RefundStatus.SUCCEEDED, RefundStatus.HIS_DONE, RefundStatus.ABNORMAL}),
    RefundStatus.ABNORMAL: frozenset({RefundStatus.HIS_DONE, RefundStatus.SUCCEEDED}),  # finance re-runs it
    RefundStatus.FAILED: frozenset({RefundStatus.PENDING}),  # the patient applies again / finance re-runs it
    RefundStatus.SUCCEEDED: frozenset(),
}

JOB_MOVES: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.PENDING: frozenset({JobStatus.RUNNING}),
    JobStatus.RUNNING: frozenset({JobStatus.RUNNING, JobStatus.PENDING, JobStatus.DONE, JobStatus.FAILED}),
    JobStatus.DONE: frozenset(),
    JobStatus.FAILED: frozenset({JobStatus.PENDING}),  # re-run by finance
}

# Refunds that still move money; one payment runs at most one of them at a time.
# What the patient reads for a payment (services.payments.patient_status gives the key: never "paid" before
# HIS confirmed the write-back; "refunded" once every bill's money is back on both sides).
PAYMENT_PATIENT_STATUS_TEXT = {
    "pending": "待支付",
    "paying": "支付成功，正在确认",
    "paid": "已缴费",
    "refunding": "退款中",
    "refunded": "已退款",
    "closed": "已关闭",
}

# A refund of the whole payment (all its bills) names this instead of one bill number (refund.bill_key).
WHOLE_PAYMENT = "ALL"

ACTIVE_REFUND = frozenset({RefundStatus.PENDING, RefundStatus.HIS_DONE, RefundStatus.WECHAT_PENDING})
# Refunds that need a person (任务 page): one-sided until someone acts.
STAFF_REFUND = frozenset({RefundStatus.ABNORMAL})
# Refunds after which the money is back with the patient (figures are net of these).
DONE_REFUND = frozenset({RefundStatus.SUCCEEDED})


def can_move(moves: dict, current: str, new: str) -> bool:
    return new in moves.get(current, frozenset())  # StrEnum members equal (and hash as) their strings


def check_move(moves: dict, current: str, new: str) -> None:
    """Raise IllegalTransition unless ``current -> new`` is allowed."""
    if not can_move(moves, current, new):
        raise IllegalTransition(f"{current} -> {new} is not allowed")


def refund_move(current: str, new: RefundStatus) -> RefundStatus:
    check_move(REFUND_MOVES, current, new)
    return new


# WeChat's answers to a refund that are worth waiting for (at least a minute between tries): rate limit,
# the merchant balance swept out (NOT_ENOUGH: finance must top it up), system and bank trouble.
WECHAT_REFUND_RETRY_CODES = frozenset({"FREQUENCY_LIMITED", "NOT_ENOUGH", "SYSTEM_ERROR", "BANK_ERROR"})
WECHAT_REFUND_MIN_DELAY = 60.0
WECHAT_REFUND_MAX_DELAY = 3600.0
# How many times a refund WeChat CLOSED is sent again (a new out_refund_no each time) before staff take it.
WECHAT_REFUND_MAX_TRIES = 3


def wechat_refund_delay(attempts: int) -> float:
    """Backoff between WeChat refund tries: 60 s, 120 s, 240 s ... at most an hour."""
    return min(WECHAT_REFUND_MIN_DELAY * (2 ** max(attempts - 1, 0)), WECHAT_REFUND_MAX_DELAY)


# Why a refund is waiting or stopped, in the words finance and patients read (任务 page, 退款 detail).
REFUND_REASON_TEXT = {
    "FREQUENCY_LIMITED": "微信支付限制了请求频率，系统将在1分钟后自动重试",
    "NOT_ENOUGH": "商户号余额不足，退款将自动重试；已在首页和任务页提醒财务人员充值",
    "SYSTEM_ERROR": "微信支付系统繁忙，系统将自动重试",
    "BANK_ERROR": "银行系统异常，系统将自动重试",
    "TIMEOUT": "微信支付未及时应答，系统将先查询退款结果再重试",
    "HIS_UNKNOWN": "医院系统未及时应答退费，系统将查询后重试",
    "HIS_REFUSED": "医院系统拒绝退费，两边均未退款；患者可重新申请，财务人员可在任务页重新执行",
    "WECHAT_CLOSED": "微信支付关闭了退款，系统已重新发起退款",
    "WECHAT_CLOSED_TOO_OFTEN": "微信支付多次关闭退款，请财务人员核实后在任务页重新执行",
    "WECHAT_ABNORMAL": "退款到账异常（如用户银行卡已注销），请财务人员在微信支付商户平台处理后重新执行",
    "WECHAT_REJECTED": "微信支付拒绝退款，请财务人员核实后在任务页重新执行",
    "WAITING_OTHER_REFUND": "同一订单的另一笔退款正在处理，完成后继续",
}


def refund_reason_text(code: str, detail: str = "") -> str:
    text = REFUND_REASON_TEXT.get(code, "退款处理中")
    return f"{text}（{detail}）" if detail else text

# What patient and staff read for a refund's state (one text per state, shown as status_text). Keyed by
# the status as stored (refund.status is text; a StrEnum member is that text).
REFUND_STATUS_TEXT: dict[str, str] = {
    RefundStatus.PENDING: "退款处理中",
    RefundStatus.HIS_DONE: "退款处理中",
    RefundStatus.WECHAT_PENDING: "退款处理中",
    RefundStatus.SUCCEEDED: "已退款",
    RefundStatus.FAILED: "退款未成功，可重新申请",
    RefundStatus.ABNORMAL: "退款处理中，体检中心财务人员正在处理",
}

# What staff read for a payment on the 支付记录 page: the patient's words for its state, and "held" (the amount
# WeChat took differed from ours: finance refunds it in full). Sent as status_text beside `state`.
PAYMENT_STAFF_STATE_TEXT = {**PAYMENT_PATIENT_STATUS_TEXT, "held": "金额不符，已挂起"}

# What staff read for a payment's HIS write-back (sent as writeback_text; "" when there is none to do).
HIS_STATUS_TEXT = {
    HisStatus.NONE: "",
    HisStatus.PENDING: "待回写",
    HisStatus.SETTLED: "已回写HIS",
    HisStatus.FAILED: "回写失败",
}

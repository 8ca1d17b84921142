"""Subscription messages: written as durable jobs with the change they report, sent by the worker.

A message is a ``send_message`` job written in the same transaction as the change (payment
written back, booking made / moved / cancelled), so it goes out exactly when the change is
committed and never for a change that rolled back. A dedupe key per event keeps repeats out.
Messages carry no ID or phone number, and the patient's name masked (张*丰).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, Protocol

from checkup.db.errors import UniqueViolation
from checkup.db.uow import UnitOfWork
from checkup.domain.clock import SHANGHAI, iso
from checkup.domain.masking import mask_name
from checkup.domain.messages import KINDS, MessageConfig
from checkup.integrations.wechat.subscribe import ERRCODE_USER_REFUSED
from checkup.services.deps import Deps
from checkup.services.jobs import Retry

if TYPE_CHECKING:
    from checkup.db.models import Payment, WechatUser

log = logging.getLogger("checkup.messages")

SEND_MESSAGE = "send_message"
MAX_ATTEMPTS = 6  # about a minute of retries: a message hours late is worth little
BookingKind = Literal["booking", "change", "cancel", "reminder"]


class BookingFacts(Protocol):
    """What a booking message reads of a booking: a row, or the one a booking use case has just inserted."""

    @property
    def id(self) -> int: ...
    @property
    def patient_id(self) -> int: ...
    @property
    def charge_id(self) -> int: ...
    @property
    def day(self) -> date: ...
    @property
    def reschedule_count(self) -> int: ...


class PatientFacts(Protocol):
    """What a message reads of the patient: the name (masked) and the account it goes to."""

    @property
    def name(self) -> str: ...
    @property
    def user_id(self) -> int: ...


async def enqueue_message(*, kind: str, user_id: int, data: dict, now: datetime, uow: UnitOfWork,
                          config: MessageConfig | None = None, dedupe_key: str | None = None) -> int | None:
    """Write a send_message job inside ``uow``'s transaction; the job's id.

    None when ``config`` has the message off or a job with ``dedupe_key`` exists already. Without
    ``config`` the job is written and the worker decides with the settings it has when it runs.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    if config is not None and not config.enabled(kind):
        return None
    try:
        return await uow.jobs.enqueue(kind=SEND_MESSAGE, payload={"kind": kind, "user_id": user_id, "data": data},
                                      now=now, dedupe_key=dedupe_key, max_attempts=MAX_ATTEMPTS)
    except UniqueViolation:
        # The event is queued already (the unique dedupe key said so). Only this INSERT failed: on
        # MySQL/MariaDB and SQLite the caller's transaction goes on. No SELECT first, so that the
        # booking transactions, which hold the day's quota row, stay short.
        return None


async def notify_payment_settled(deps: Deps, payment: Payment, *, uow: UnitOfWork) -> int | None:
    """缴费成功, once HIS has the payment (called in the write-back transaction)."""
    if not deps.messages.enabled("payment"):
        return None
    patient = await uow.payments.patient(payment.patient_id)
    bills = await uow.payments.bills(payment.id)
    names = list(dict.fromkeys(await uow.charges.item_names([b.charge_id for b in bills])))
    data = {
        "patient_id": payment.patient_id,
        "patient_name": mask_name(patient.name if patient else ""),
        "item_name": "、".join(names) or "体检费",
        "amount_fen": payment.amount_fen,
        "paid_at": iso(payment.paid_at or deps.now()),
        "payment_no": payment.payment_no,
    }
    return await enqueue_message(kind="payment", user_id=payment.user_id, data=data, now=deps.now(), uow=uow,
                                 config=deps.messages, dedupe_key=f"msg:payment:{payment.payment_no}")


async def notify_refunded(deps: Deps, refund: Any, *, uow: UnitOfWork) -> int | None:
    """退款成功 with its reason, once the money is back on both sides (in the refund's transaction)."""
    if not deps.messages.enabled("refund"):
        return None
    payment = await uow.payments.by_id(refund.payment_id)
    if payment is None:
        return None
    patient = await uow.payments.patient(payment.patient_id)
    bills = await uow.payments.bills(payment.id)
    ids = [b.charge_id for b in bills if refund.bill_key in ("ALL", b.bill_no)]
    names = list(dict.fromkeys(await uow.charges.item_names(ids)))
    data = {
        "patient_id": payment.patient_id,
        "patient_name": mask_name(patient.name if patient else ""),
        "item_name": "、".join(names) or "体检费",
        "amount_fen": refund.amount_fen,
        "reason": refund.reason or "退款",
        "refund_no": refund.refund_no,
        "automatic": refund.source != "patient",
    }
    return await enqueue_message(kind="refund", user_id=payment.user_id, data=data, now=deps.now(), uow=uow,
                                 config=deps.messages, dedupe_key=f"msg:refund:{refund.refund_no}")


def _booking_dedupe_key(kind: BookingKind, booking: BookingFacts) -> str:
    if kind == "change":
        return f"msg:change:{booking.id}:{booking.reschedule_count}"
    if kind == "reminder":
        return f"reminder:{booking.id}:{booking.day.isoformat()}"
    return f"msg:{kind}:{booking.id}"


async def notify_booking(deps: Deps, kind: BookingKind, booking: BookingFacts, *, uow: UnitOfWork,
                         old_day: date | None = None, patient: PatientFacts | None = None,
                         package_name: str | None = None, tip: str | None = None) -> int | None:
    """预约成功 / 改约 / 取消 / 体检提醒 for a booking (called in the booking's transaction).

    ``tip`` replaces the kind's fixed sentence (why the hospital cancelled or moved a booking).

    A caller that has the patient row and the package name at hand passes them and saves the queries.
    """
    if not deps.messages.enabled(kind):
        return None
    patient = patient or await uow.payments.patient(booking.patient_id)
    if package_name is None:
        charge = await uow.charges.by_id(booking.charge_id)
        package = (await uow.charges.package_name(charge.package_code)
                   if charge and charge.package_code else None)
        package_name = package if package else (charge.item_name if charge else "")
    if patient is None:
        return None
    data = {
        "booking_id": booking.id,
        "patient_id": booking.patient_id,
        "patient_name": mask_name(patient.name),
        "package_name": package_name or "体检",
        "date": booking.day.isoformat(),
    }
    if old_day is not None:
        data["old_date"] = old_day.isoformat()
    if tip:
        data["tip"] = tip[:20]
    return await enqueue_message(kind=kind, user_id=patient.user_id, data=data, now=deps.now(), uow=uow,
                                 config=deps.messages, dedupe_key=_booking_dedupe_key(kind, booking))


async def enqueue_reminders(deps: Deps, *, now: datetime) -> int:
    """After the reminder time (Asia/Shanghai), a reminder for every active booking of tomorrow, once each."""
    config = deps.messages
    local = now.astimezone(SHANGHAI)
    if not config.enabled("reminder") or local.time() < config.reminder_after:
        return 0
    tomorrow = local.date() + timedelta(days=1)
    async with deps.uow(write=False) as uow:
        bookings = await uow.charges.bookings_on(tomorrow)
        if not bookings:
            return 0
        keys = {b.id: _booking_dedupe_key("reminder", b) for b in bookings}
        queued = await uow.jobs.queued_keys(keys.values())
    count = 0
    for booking in bookings:
        if keys[booking.id] in queued:
            continue
        async with deps.uow() as uow:  # one short transaction per reminder: its job row
            if await notify_booking(deps, "reminder", booking, uow=uow):
                count += 1
    if count:
        log.info("queued %d checkup reminders for %s", count, tomorrow)
    return count


@dataclass(frozen=True, slots=True)
class SendOutcome:
    status: Literal["sent", "skipped", "refused", "retry"]
    reason: str = ""


async def send_message(deps: Deps, payload: dict) -> SendOutcome:
    """Send one queued message. ``retry`` means try again later; everything else is final."""
    kind = payload.get("kind", "")
    data = payload.get("data") or {}
    config = deps.messages
    if kind not in KINDS or not config.enabled(kind):
        return SendOutcome("skipped", f"message {kind!r} is off")
    if kind == "reminder":
        day = date.fromisoformat(data.get("date", ""))
        async with deps.uow(write=False) as uow:
            if not await uow.charges.booking_still_on(data.get("booking_id"), day):
                return SendOutcome("skipped", "booking cancelled or moved since the reminder was queued")
    user = await _recent_identity(deps, payload.get("user_id"))
    if user is None:
        return SendOutcome("skipped", "user not found")
    official_account = getattr(deps.wechat_oauth, "appid", None)
    if official_account and user.appid == official_account:
        # The patient last came through the official account's pages: a template message there.
        if not config.oa_template(kind) or deps.wechat_template is None:
            return SendOutcome("skipped", f"official account message {kind!r} is off")
        result = await deps.wechat_template.send(
            touser=user.openid, template_id=config.oa_template(kind), url=config.h5_link(kind, data),
            data=config.render(kind, data),
        )
    else:
        if not config.template(kind) or deps.wechat_subscribe is None:
            return SendOutcome("skipped", f"message {kind!r} is off")
        result = await deps.wechat_subscribe.send(
            touser=user.openid, template_id=config.template(kind), page=config.page(kind, data),
            data=config.render(kind, data), miniprogram_state=config.miniprogram_state, lang=config.lang,
        )
    if result.ok:
        log.info("message %s sent to user %s", kind, user.id)
        return SendOutcome("sent")
    if result.code == str(ERRCODE_USER_REFUSED):
        # The patient did not accept this template (or used up their acceptance): asking again never helps.
        log.info("message %s to user %s: the user has not subscribed (43101)", kind, user.id)
        return SendOutcome("refused", "43101 user refused")
    return SendOutcome("retry", f"{result.outcome} {result.code} {result.message or ''}".strip())


async def _recent_identity(deps: Deps, account_id: Any) -> WechatUser | None:
    """The account's identity (mini-program or official account) that logged in last."""
    if not isinstance(account_id, int):
        return None
    async with deps.uow(write=False) as uow:
        identities = await uow.payments.identities(account_id)
    if not identities:
        return None
    epoch = datetime.min.replace(tzinfo=UTC)
    return max(identities, key=lambda u: (u.last_login_at or epoch, u.id == account_id, u.id))


async def send_message_job(deps: Deps, payload: dict) -> None:
    """Job ``send_message``: one subscription message; a patient who did not subscribe (43101) is not asked
    again; a passing failure runs the job again later."""
    outcome = await send_message(deps, payload)
    if outcome.status == "retry":
        raise Retry(f"subscription message: {outcome.reason}")

"""Tortoise models. Money is integer fen; days are Asia/Shanghai DATEs; timestamps are UTC.

Invariants held by the database (DESIGN.md section 4):
- day_quota: 0 <= booked <= capacity (CHECK on MySQL/MariaDB, triggers on SQLite: migration 0002); bookings take a place with a guarded UPDATE.
- booking: active is 1 while booked/confirmed and NULL once cancelled, so the unique keys
  (charge, active) and (his_patient_id, day, active) allow one active booking per charge and per
  person per day (two family members may both list the same person), and any number of
  cancelled ones.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tortoise import fields
from tortoise.indexes import Index
from tortoise.models import Model


class UtcDatetimeField(fields.DatetimeField):
    """A timestamp written as UTC whatever offset the value carries.

    Tortoise hands an aware value to the driver as it is: aiomysql drops the offset (a +08:00 time from
    WeChat or HIS became Shanghai wall time in a UTC column, 8 hours off) and SQLite keeps it as text
    (which then sorts wrongly against UTC text). Converting here keeps every stored time, and every
    time compared in a filter, in UTC.
    """

    def to_db_value(self, value: Any, instance: Any) -> Any:
        value = super().to_db_value(value, instance)
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value


class TimestampMixin:
    created_at = UtcDatetimeField(auto_now_add=True)
    updated_at = UtcDatetimeField(auto_now=True)


class WechatUser(TimestampMixin, Model):
    """One WeChat identity: an openid under one appid (the mini-program or the official account).

    Identities of one person share their 就诊人 and records through ``account``: the first identity
    of a unionid is the account (account NULL); later identities with the same unionid point to it.
    """

    id = fields.BigIntField(primary_key=True)
    appid = fields.CharField(max_length=32, default="")  # "" only in test fixtures and tools: logins set it
    openid = fields.CharField(max_length=64)
    unionid = fields.CharField(max_length=64, null=True, db_index=True)
    account_id: int | None  # the column behind `account`
    account: fields.ForeignKeyNullableRelation[WechatUser] = fields.ForeignKeyField(
        "checkup.WechatUser", related_name="linked", null=True, on_delete=fields.SET_NULL
    )
    last_login_at = UtcDatetimeField(null=True)

    class Meta:
        table = "wechat_user"
        unique_together = (("appid", "openid"),)
        # a payment notification and a login look identities up by account: without it, a full scan
        indexes = (Index(fields=("account_id",)),)

    @property
    def account_key(self) -> int:
        """The id patients, payments and bookings are kept under."""
        return self.account_id or self.id


class Patient(TimestampMixin, Model):
    """就诊人: belongs to one WeChat user. Removed patients keep their row (history) with active NULL."""

    id = fields.BigIntField(primary_key=True)
    user_id: int  # the column behind `user`
    user: fields.ForeignKeyRelation[WechatUser] = fields.ForeignKeyField(
        "checkup.WechatUser", related_name="patients", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=50)
    sex = fields.CharField(max_length=6)  # male | female
    birth_date = fields.DateField()
    id_number_enc = fields.CharField(max_length=255)
    id_number_hash = fields.CharField(max_length=64, db_index=True)
    phone_enc = fields.CharField(max_length=255)
    phone_hash = fields.CharField(max_length=64, db_index=True)
    pii_key_id = fields.CharField(max_length=16)
    # The HIS patient id, set only once the 就诊人 is verified ("" before): nothing of the person's records
    # can be reached through an unverified row.
    his_patient_id = fields.CharField(max_length=64, db_index=True)
    is_default = fields.BooleanField(default=False)
    active = fields.SmallIntField(null=True, default=1)  # 1 = listed, NULL = removed
    id_type = fields.CharField(max_length=4, default="01")  # document type (domain/documents.py)
    verified_at = fields.DatetimeField(null=True)  # when the user proved they may act for this person
    verified_by = fields.CharField(max_length=16, null=True)  # sms | wechat_realname

    class Meta:
        table = "patient"
        unique_together = (("user", "id_number_hash", "active"),)


class PatientVerification(TimestampMixin, Model):
    """The verification of one 就诊人 row: where its code goes, the code (hashed) and its tries."""

    id = fields.BigIntField(primary_key=True)
    patient_id: int  # the column behind `patient`
    patient: fields.OneToOneRelation[Patient] = fields.OneToOneField(
        "checkup.Patient", related_name="verification", on_delete=fields.CASCADE
    )
    target_phone_enc = fields.CharField(max_length=255)  # the phone HIS holds, else the one typed
    target_phone_hash = fields.CharField(max_length=64, db_index=True)
    his_match = fields.CharField(max_length=10)  # found | new | mismatch (HIS knows the number under another name)
    his_patient_id = fields.CharField(max_length=64, null=True)  # the HIS patient found (match only)
    code_hash = fields.CharField(max_length=64, null=True)
    code_expires_at = fields.DatetimeField(null=True)
    tries = fields.IntField(default=0)  # wrong entries of the current code
    locked_until = fields.DatetimeField(null=True)
    last_sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "patient_verification"


class SmsSend(Model):
    """One verification text sent: the counts behind the per-patient, per-phone and per-ID limits."""

    id = fields.BigIntField(primary_key=True)
    patient_id = fields.BigIntField()
    phone_hash = fields.CharField(max_length=64)
    id_number_hash = fields.CharField(max_length=64)
    sent_at = fields.DatetimeField()
    provider_serial = fields.CharField(max_length=100, default="")

    class Meta:
        table = "sms_send"
        indexes = (("patient_id", "sent_at"), ("phone_hash", "sent_at"), ("id_number_hash", "sent_at"))


class Consent(Model):
    """A user's consent (PIPL) to a version of the privacy notice, for processing ID and health data."""

    id = fields.BigIntField(primary_key=True)
    user_id: int  # the column behind `user`
    user: fields.ForeignKeyRelation[WechatUser] = fields.ForeignKeyField(
        "checkup.WechatUser", related_name="consents", on_delete=fields.RESTRICT
    )
    version = fields.CharField(max_length=32)
    purposes: fields.JSONField[list[str]] = fields.JSONField(default=list)
    ip = fields.CharField(max_length=64, default="")
    consented_at = fields.DatetimeField()

    class Meta:
        table = "consent"
        unique_together = (("user", "version"),)


class Package(TimestampMixin, Model):
    """体检套餐, synced from PEIS, online decides whether patients see it."""

    id = fields.BigIntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=100)
    type = fields.CharField(max_length=32, default="")
    sex = fields.CharField(max_length=6, default="any")  # any | male | female
    price_fen = fields.IntField()
    summary = fields.CharField(max_length=500, default="")
    items: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    notes = fields.TextField(default="")
    online = fields.BooleanField(default=True)
    in_peis = fields.BooleanField(default=True)  # false once PEIS stops listing it
    sort = fields.IntField(default=0)
    synced_at = UtcDatetimeField(null=True)

    class Meta:
        table = "package"


class Charge(TimestampMixin, Model):
    """A HIS bill (收费单) of one of our patients, mirrored from HIS."""

    id = fields.BigIntField(primary_key=True)
    bill_no = fields.CharField(max_length=64, unique=True)
    his_patient_id = fields.CharField(max_length=64, db_index=True)  # the person; access goes by this
    patient_id: int  # the column behind `patient`
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "checkup.Patient", related_name="charges", on_delete=fields.RESTRICT
    )  # the 就诊人 record through which we first saw the bill
    item_name = fields.CharField(max_length=100)
    amount_fen = fields.IntField()
    source = fields.CharField(max_length=8)  # online | onsite
    status = fields.CharField(max_length=12, default="unpaid")
    package_code = fields.CharField(max_length=32, null=True)
    peis_order_no = fields.CharField(max_length=64, null=True)
    dept = fields.CharField(max_length=50, default="")
    billed_at = UtcDatetimeField(null=True)
    paid_at = UtcDatetimeField(null=True)
    paid_channel = fields.CharField(max_length=12, null=True)  # WECHAT | WINDOW
    his_settle_no = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "charge"


class Booking(TimestampMixin, Model):
    id = fields.BigIntField(primary_key=True)
    charge_id: int  # the column behind `charge`
    charge: fields.ForeignKeyRelation[Charge] = fields.ForeignKeyField(
        "checkup.Charge", related_name="bookings", on_delete=fields.RESTRICT
    )
    patient_id: int  # the column behind `patient`
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "checkup.Patient", related_name="bookings", on_delete=fields.RESTRICT
    )
    his_patient_id = fields.CharField(max_length=64)  # the person, whoever of their family booked
    day = fields.DateField(db_index=True)
    status = fields.CharField(max_length=10, default="booked")  # booked | confirmed | cancelled | no_show
    active = fields.SmallIntField(null=True, default=1)  # 1 while booked/confirmed, NULL when cancelled/no-show
    booked_at = UtcDatetimeField(auto_now_add=True)
    confirmed_at = UtcDatetimeField(null=True)
    confirmed_by = fields.CharField(max_length=64, null=True)
    cancelled_at = UtcDatetimeField(null=True)
    cancelled_by = fields.CharField(max_length=64, null=True)  # "patient", "his", "staff:<username>"
    cancel_reason = fields.CharField(max_length=200, null=True)  # why, in words staff and patient read
    no_show_at = UtcDatetimeField(null=True)
    no_show_by = fields.CharField(max_length=64, null=True)
    reschedule_count = fields.IntField(default=0)

    class Meta:
        table = "booking"
        unique_together = (("charge", "active"), ("his_patient_id", "day", "active"))
        indexes = (("day", "status"),)


class DayQuota(Model):
    """号源 of one day. booked only moves by guarded updates in the booking transactions."""

    day = fields.DateField(primary_key=True)
    capacity = fields.IntField(default=0)
    booked = fields.IntField(default=0)
    open = fields.BooleanField(default=True)
    updated_at = UtcDatetimeField(auto_now=True)

    class Meta:
        table = "day_quota"


class Holiday(Model):
    """A closed date (节假日) with its name."""

    day = fields.DateField(primary_key=True)
    name = fields.CharField(max_length=50, default="")

    class Meta:
        table = "holiday"


class BookingRulesRow(Model):
    """The single row of booking rules (id = 1)."""

    id = fields.IntField(primary_key=True)
    open_days_ahead = fields.IntField(default=30)
    release_time = fields.CharField(max_length=5, default="08:00")
    min_days_ahead = fields.IntField(default=1)
    change_cutoff_days = fields.IntField(default=1)
    closed_weekdays: fields.JSONField[list[int]] = fields.JSONField(default=list)
    # The rolling weekly template: capacity per ISO weekday ("1".."7"); quotas are generated from it
    # open_days_ahead days ahead by the worker. Empty: no template (quotas are set by hand).
    weekly_capacity: fields.JSONField[dict[str, int]] = fields.JSONField(default=dict)
    no_show_may_rebook = fields.BooleanField(default=True)
    updated_at = UtcDatetimeField(auto_now=True)

    class Meta:
        table = "booking_rules"


class StaffUser(TimestampMixin, Model):
    id = fields.BigIntField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=50)
    password_hash = fields.CharField(max_length=255)
    roles: fields.JSONField[list[str]] = fields.JSONField(default=list)
    is_active = fields.BooleanField(default=True)
    failed_logins = fields.IntField(default=0)
    locked_until = UtcDatetimeField(null=True)
    last_login_at = UtcDatetimeField(null=True)
    must_change_password = fields.BooleanField(default=False)
    password_changed_at = UtcDatetimeField(null=True)  # NULL: unchanged since created_at (安全自查: password age)

    class Meta:
        table = "staff_user"


class AuditLog(Model):
    """Append-only trail, hash chains each row to the previous one so tampering shows."""

    id = fields.BigIntField(primary_key=True)
    at = UtcDatetimeField(auto_now_add=True, db_index=True)
    actor = fields.CharField(max_length=64, db_index=True)
    ip = fields.CharField(max_length=64, default="")
    action = fields.CharField(max_length=64, db_index=True)
    target = fields.CharField(max_length=128, default="")
    outcome = fields.CharField(max_length=16)  # success | failure
    detail: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    prev_hash = fields.CharField(max_length=64, default="")
    hash = fields.CharField(max_length=64, default="")

    class Meta:
        table = "audit_log"


class Job(TimestampMixin, Model):
    """A durable job (transactional outbox): written in the transaction of the change that needs it."""

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=40)
    payload: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    status = fields.CharField(max_length=10, default="pending")  # pending | running | done | failed
    attempts = fields.IntField(default=0)
    max_attempts = fields.IntField(default=12)
    run_after = UtcDatetimeField(db_index=True)
    lease_until = UtcDatetimeField(null=True)
    last_error = fields.TextField(default="")
    dedupe_key = fields.CharField(max_length=128, null=True, unique=True)

    class Meta:
        table = "job"
        indexes = (("status", "run_after"),)


class StaffSession(Model):
    """A console login: idle timeout by last_seen_at, ended by logout (revoked_at)."""

    id = fields.CharField(max_length=64, primary_key=True)  # random token id, carried in the signed token
    staff_id: int  # the column behind `staff`
    staff: fields.ForeignKeyRelation[StaffUser] = fields.ForeignKeyField(
        "checkup.StaffUser", related_name="sessions", on_delete=fields.CASCADE
    )
    created_at = UtcDatetimeField(auto_now_add=True)
    last_seen_at = UtcDatetimeField()
    ip = fields.CharField(max_length=64, default="")
    revoked_at = UtcDatetimeField(null=True)

    class Meta:
        table = "staff_session"


class Payment(TimestampMixin, Model):
    """One WeChat Pay order (out_trade_no = payment_no) for one or more HIS bills of a patient."""

    # status (WeChat side): pending -> paid | closed, or held (amount differs from ours: staff decide).
    # his_status (write-back): none -> pending -> settled | failed (then refunded automatically).

    id = fields.BigIntField(primary_key=True)
    payment_no = fields.CharField(max_length=32, unique=True)
    user_id: int  # the column behind `user`
    user: fields.ForeignKeyRelation[WechatUser] = fields.ForeignKeyField(
        "checkup.WechatUser", related_name="payments", on_delete=fields.RESTRICT
    )
    patient_id: int  # the column behind `patient`
    patient: fields.ForeignKeyRelation[Patient] = fields.ForeignKeyField(
        "checkup.Patient", related_name="payments", on_delete=fields.RESTRICT
    )
    his_patient_id = fields.CharField(max_length=64)
    amount_fen = fields.IntField()
    description = fields.CharField(max_length=127)
    status = fields.CharField(max_length=10, default="pending", db_index=True)
    prepay_id = fields.CharField(max_length=64, null=True)
    appid = fields.CharField(max_length=32, null=True)  # the front end's appid the order was placed under
    expires_at = UtcDatetimeField()
    transaction_id = fields.CharField(max_length=32, null=True, unique=True)
    paid_at = UtcDatetimeField(null=True)
    paid_amount_fen = fields.IntField(null=True)  # the amount WeChat reported
    held_reason = fields.CharField(max_length=200, default="")
    his_status = fields.CharField(max_length=10, default="none", db_index=True)
    his_settle_no = fields.CharField(max_length=64, null=True)
    his_receipt_no = fields.CharField(max_length=64, null=True)
    his_settled_at = UtcDatetimeField(null=True)
    his_error = fields.CharField(max_length=200, default="")
    last_queried_at = UtcDatetimeField(null=True)
    closed_at = UtcDatetimeField(null=True)

    class Meta:
        table = "payment"


class PaymentBill(Model):
    """A bill inside a payment."""

    # open = 1 while that payment may still take or holds the money, so the unique key
    # (bill_no, open) allows one open payment per bill.

    id = fields.BigIntField(primary_key=True)
    payment_id: int  # the column behind `payment`
    payment: fields.ForeignKeyRelation[Payment] = fields.ForeignKeyField(
        "checkup.Payment", related_name="bills", on_delete=fields.CASCADE
    )
    charge_id: int  # the column behind `charge`
    charge: fields.ForeignKeyRelation[Charge] = fields.ForeignKeyField(
        "checkup.Charge", related_name="payment_bills", on_delete=fields.RESTRICT
    )
    bill_no = fields.CharField(max_length=64)
    amount_fen = fields.IntField()
    open = fields.SmallIntField(null=True, default=1)

    class Meta:
        table = "payment_bill"
        unique_together = (("bill_no", "open"), ("payment", "bill_no"))


class Refund(TimestampMixin, Model):
    """A refund (out_refund_no = refund_no) of a whole payment or of one of its bills."""

    # The unique key (payment, bill_key) lets each bill, or the whole payment (ALL), be refunded once.
    # status: checkup.domain.money.RefundStatus and REFUND_MOVES; a refund ends refunded on both sides
    # (succeeded) or on neither (failed), and abnormal (one-sided) is a staff task until it does.

    id = fields.BigIntField(primary_key=True)
    refund_no = fields.CharField(max_length=64, unique=True)
    payment_id: int  # the column behind `payment`
    payment: fields.ForeignKeyRelation[Payment] = fields.ForeignKeyField(
        "checkup.Payment", related_name="refunds", on_delete=fields.RESTRICT
    )
    bill_key = fields.CharField(max_length=64)  # a bill_no, or ALL for the whole payment
    amount_fen = fields.IntField()
    reason = fields.CharField(max_length=80, default="")
    source = fields.CharField(max_length=12)  # patient | his_failed | staff
    requested_by = fields.CharField(max_length=64, default="")
    needs_his_refund = fields.BooleanField(default=True)  # false when HIS never settled the payment
    status = fields.CharField(max_length=16, default="pending", db_index=True)
    his_refund_no = fields.CharField(max_length=64, null=True)
    wechat_refund_id = fields.CharField(max_length=64, null=True)
    # out_refund_no in use at WeChat: refund_no, or refund_no-2, -3 ... after WeChat CLOSED a try
    wechat_refund_no = fields.CharField(max_length=64, null=True, db_index=True)
    wechat_tries = fields.IntField(default=0)
    error = fields.CharField(max_length=200, default="")
    succeeded_at = UtcDatetimeField(null=True)

    class Meta:
        table = "refund"
        unique_together = (("payment", "bill_key"),)


class FinanceAlert(Model):
    """Something finance must act on that the system itself cannot fix, raised once per episode.

    kind: WECHAT_NOT_ENOUGH (the merchant balance is too low for refunds, which wait and retry). An
    episode stays open (open = 1; one open row per kind) while it lasts; each refund refused again adds
    to ``times`` instead of raising it again; WeChat accepting a refund ends it (open = NULL).
    """

    id = fields.BigIntField(primary_key=True)
    kind = fields.CharField(max_length=32)
    open = fields.SmallIntField(null=True, default=1)
    text = fields.CharField(max_length=200)
    times = fields.IntField(default=1)  # how often it was seen in this episode
    refund_no = fields.CharField(max_length=64, default="")  # the latest refund it held up
    first_at = UtcDatetimeField()
    last_at = UtcDatetimeField()
    closed_at = UtcDatetimeField(null=True)

    class Meta:
        table = "finance_alert"
        unique_together = (("kind", "open"),)


class Reconciliation(Model):
    """The latest three-way match of one day (WeChat bill, HIS settlements, our ledger)."""

    day = fields.DateField(primary_key=True)
    created_at = UtcDatetimeField(auto_now=True)
    matched = fields.IntField(default=0)
    differences: fields.JSONField[list[dict[str, Any]]] = fields.JSONField(default=list)
    sources: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)

    class Meta:
        table = "reconciliation"


class OpenClient(Model):
    """A supervising platform calling the data-sharing open API with a signed request (app key and secret)."""

    # secret_enc is the HMAC secret under the PII cipher (checkup/pii.py): shown once to staff at
    # creation or rotation, then only decrypted to verify signatures.

    id = fields.BigIntField(primary_key=True)
    app_key = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=100)
    remark = fields.CharField(max_length=200, default="")
    secret_enc = fields.CharField(max_length=255)
    scopes: fields.JSONField[list[str]] = fields.JSONField(default=list)
    rate_limit_per_minute = fields.IntField(default=60)
    enabled = fields.BooleanField(default=True)
    created_by = fields.CharField(max_length=64)
    created_at = UtcDatetimeField(auto_now_add=True)
    updated_at = UtcDatetimeField(auto_now=True)
    secret_rotated_at = UtcDatetimeField(null=True)
    last_used_at = UtcDatetimeField(null=True)

    class Meta:
        table = "open_client"


class OpenNonce(Model):
    """A nonce an open API client has used, kept until its timestamp window ends (replay protection)."""

    id = fields.BigIntField(primary_key=True)
    client_id: int  # the column behind `client`
    client: fields.ForeignKeyRelation[OpenClient] = fields.ForeignKeyField(
        "checkup.OpenClient", related_name="nonces", on_delete=fields.CASCADE
    )
    nonce = fields.CharField(max_length=64)
    expires_at = UtcDatetimeField(db_index=True)

    class Meta:
        table = "open_nonce"
        unique_together = (("client", "nonce"),)


class HisNonce(Model):
    """A nonce HIS used on an inbound notification, kept while its timestamp could pass (replays)."""

    id = fields.BigIntField(primary_key=True)
    nonce = fields.CharField(max_length=64, unique=True)
    expires_at = UtcDatetimeField(db_index=True)

    class Meta:
        table = "his_nonce"


class OpsSample(Model):
    """Counts one process flushed (services/ops_counters.py): requests per route family, HIS/PEIS calls,
    /api/ready answers and heartbeats, summed per day into ops_daily by the rollup."""

    id = fields.BigIntField(primary_key=True)
    at = UtcDatetimeField()
    day = fields.DateField()  # Asia/Shanghai day of the counts
    kind = fields.CharField(max_length=16)  # request | upstream | ready | up
    key = fields.CharField(max_length=64)  # route family, system.operation, "ready", host:pid
    count = fields.IntField(default=0)
    errors = fields.IntField(default=0)
    total_ms = fields.BigIntField(default=0)
    max_ms = fields.IntField(default=0)
    slow = fields.IntField(default=0)

    class Meta:
        table = "ops_sample"
        indexes = (("day", "kind"),)


class OpsDaily(Model):
    """The day's figures of the monthly 运行报告 (services/ops_report.py), written once a day by the
    worker and by `checkup report rollup --day` (which recomputes a day)."""

    day = fields.DateField(primary_key=True)
    figures: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = UtcDatetimeField(auto_now=True)

    class Meta:
        table = "ops_daily"

"""Typed WeChat Pay API v3 answers: transactions, refunds, notifications."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any

CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def format_rfc3339(value: datetime) -> str:
    """An aware datetime as WeChat writes it: ``2026-01-02T10:34:56+08:00``."""
    if value.tzinfo is None:
        raise ValueError("WeChat Pay times must be timezone-aware")
    return value.astimezone(CHINA_TZ).isoformat(timespec="seconds")


def parse_rfc3339(value: str | None) -> datetime | None:
    """Parse an RFC 3339 time from WeChat (None or empty stays None)."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"time without offset: {value!r}")
    return parsed


class TradeState(StrEnum):
    SUCCESS = "SUCCESS"
    REFUND = "REFUND"
    NOTPAY = "NOTPAY"
    CLOSED = "CLOSED"
    REVOKED = "REVOKED"
    USERPAYING = "USERPAYING"
    PAYERROR = "PAYERROR"


class RefundStatus(StrEnum):
    SUCCESS = "SUCCESS"
    PROCESSING = "PROCESSING"
    ABNORMAL = "ABNORMAL"
    CLOSED = "CLOSED"


def _int_or_none(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"amount is not an integer: {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Transaction:
    """A payment order as WeChat reports it (query answer or TRANSACTION.* resource)."""

    out_trade_no: str
    trade_state: str
    trade_state_desc: str = ""
    transaction_id: str | None = None
    total_fen: int | None = None
    payer_total_fen: int | None = None
    currency: str = "CNY"
    success_time: datetime | None = None
    payer_openid: str | None = None
    appid: str | None = None
    mchid: str | None = None
    trade_type: str | None = None
    bank_type: str | None = None
    attach: str = ""
    sub_mchid: str | None = None  # partner mode: the sub-merchant (mchid is then the provider's sp_mchid)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def paid(self) -> bool:
        """Money was taken (SUCCESS, or REFUND: paid and then partly or fully refunded)."""
        return self.trade_state in (TradeState.SUCCESS, TradeState.REFUND)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transaction:
        """Build from WeChat's JSON (raises ValueError when required fields are missing)."""
        amount = data.get("amount") or {}
        payer = data.get("payer") or {}
        try:
            return cls(
                out_trade_no=str(data["out_trade_no"]),
                trade_state=str(data["trade_state"]),
                trade_state_desc=str(data.get("trade_state_desc") or ""),
                transaction_id=data.get("transaction_id") or None,
                total_fen=_int_or_none(amount.get("total")),
                payer_total_fen=_int_or_none(amount.get("payer_total")),
                currency=str(amount.get("currency") or "CNY"),
                success_time=parse_rfc3339(data.get("success_time")),
                # Partner mode answers sp_/sub_ fields: the mini-program is sub_appid, its openid
                # sub_openid, and the merchant that signs is the provider (sp_mchid).
                payer_openid=payer.get("openid") or payer.get("sub_openid") or None,
                appid=data.get("appid") or data.get("sub_appid"),
                mchid=data.get("mchid") or data.get("sp_mchid"),
                trade_type=data.get("trade_type") or None,
                bank_type=data.get("bank_type") or None,
                attach=str(data.get("attach") or ""),
                sub_mchid=data.get("sub_mchid") or None,
                raw=data,
            )
        except KeyError as exc:
            raise ValueError(f"transaction without {exc.args[0]}") from exc


@dataclass(frozen=True, slots=True)
class Refund:
    """A refund as WeChat reports it (refund / refund query answer or REFUND.* resource)."""

    out_refund_no: str
    status: str
    refund_id: str | None = None
    out_trade_no: str | None = None
    transaction_id: str | None = None
    refund_fen: int | None = None
    total_fen: int | None = None
    payer_refund_fen: int | None = None
    payer_total_fen: int | None = None
    channel: str | None = None
    user_received_account: str | None = None
    create_time: datetime | None = None
    success_time: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Refund:
        """Build from WeChat's JSON; notifications say ``refund_status``, the API says ``status``."""
        amount = data.get("amount") or {}
        status = data.get("status") or data.get("refund_status")
        if not data.get("out_refund_no") or not status:
            raise ValueError("refund without out_refund_no or status")
        return cls(
            out_refund_no=str(data["out_refund_no"]),
            status=str(status),
            refund_id=data.get("refund_id") or None,
            out_trade_no=data.get("out_trade_no") or None,
            transaction_id=data.get("transaction_id") or None,
            refund_fen=_int_or_none(amount.get("refund")),
            total_fen=_int_or_none(amount.get("total")),
            payer_refund_fen=_int_or_none(amount.get("payer_refund")),
            payer_total_fen=_int_or_none(amount.get("payer_total")),
            channel=data.get("channel") or None,
            user_received_account=data.get("user_received_account") or None,
            create_time=parse_rfc3339(data.get("create_time")),
            success_time=parse_rfc3339(data.get("success_time")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class Notification:
    """A verified and decrypted WeChat Pay notification."""

    id: str
    create_time: datetime | None
    event_type: str
    resource_type: str
    summary: str
    resource: dict[str, Any]
    original_type: str | None = None

    def transaction(self) -> Transaction:
        """The payment carried by a TRANSACTION.* notification."""
        if not self.event_type.startswith("TRANSACTION."):
            raise ValueError(f"{self.event_type} does not carry a transaction")
        return Transaction.from_dict(self.resource)

    def refund(self) -> Refund:
        """The refund carried by a REFUND.* notification."""
        if not self.event_type.startswith("REFUND."):
            raise ValueError(f"{self.event_type} does not carry a refund")
        return Refund.from_dict(self.resource)

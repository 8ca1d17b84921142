"""Typed errors of the WeChat Pay API v3 client."""

from __future__ import annotations

from typing import Any, Literal

ErrorKind = Literal["signature", "unknown", "rejected"]

# WeChat has used more than one spelling for the same condition over the years.
_ORDER_PAID_CODES = frozenset({"ORDER_PAID", "ORDERPAID"})
_NOT_FOUND_CODES = frozenset({"ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS"})


class WechatPayError(Exception):
    """A WeChat Pay call or notification that did not give a usable, trusted answer."""

    kind: ErrorKind = "unknown"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.detail = detail or {}

    def __str__(self) -> str:
        parts: list[str] = [self.kind]
        if self.status is not None:
            parts.append(str(self.status))
        if self.code:
            parts.append(self.code)
        return f"[{' '.join(parts)}] {self.message}"

    @property
    def order_paid(self) -> bool:
        """True when WeChat says the order is already paid (close / prepay of a paid order)."""
        return self.code in _ORDER_PAID_CODES

    @property
    def not_found(self) -> bool:
        """True when WeChat says the order or refund does not exist."""
        return self.code in _NOT_FOUND_CODES


class WechatPaySignatureError(WechatPayError):
    """A notification (or signed message) failed a signature, serial, freshness or decryption check."""

    kind: ErrorKind = "signature"


class WechatPayUnknownError(WechatPayError):
    """The outcome is unknown: timeout, network error, 5xx, or an answer that could not be verified."""

    kind: ErrorKind = "unknown"


class WechatPayRejectedError(WechatPayError):
    """WeChat definitely refused the call (4xx with its {code, message})."""

    kind: ErrorKind = "rejected"

    def __init__(self, message: str, *, verified: bool = True, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.verified = verified  # False when the 4xx answer carried no WeChat signature to check

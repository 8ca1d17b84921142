"""The three-way outcome every outside call ends in (HIS.md): SUCCESS, FAILED (definite), UNKNOWN."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar, cast

T = TypeVar("T")


class Outcome(StrEnum):
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"  # definite: the remote system said no (bill cancelled, already paid, ...)
    UNKNOWN = "UNKNOWN"  # timeout, connection error, 5xx, "processing", unverifiable answer


@dataclass(frozen=True, slots=True)
class CallResult(Generic[T]):
    """Outcome of one outside call; ``value`` is set only on SUCCESS."""

    outcome: Outcome
    value: T | None = None
    code: str | None = None  # remote error code (FAILED) or transport reason (UNKNOWN)
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.SUCCESS

    def success_value(self) -> T:
        """The value of a SUCCESS, for a caller that has checked the outcome (ValueError on any other)."""
        if self.outcome is not Outcome.SUCCESS:
            raise ValueError(f"no value: the call ended {self.outcome}")
        return cast(T, self.value)  # set on SUCCESS (None only where T itself allows it)

    @classmethod
    def success(cls, value: T) -> CallResult[T]:
        return cls(Outcome.SUCCESS, value=value)

    @classmethod
    def failed(cls, code: str, message: str = "") -> CallResult[T]:
        return cls(Outcome.FAILED, code=code, message=message)

    @classmethod
    def unknown(cls, code: str, message: str = "") -> CallResult[T]:
        return cls(Outcome.UNKNOWN, code=code, message=message)

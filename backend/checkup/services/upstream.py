"""Turning an outside call's outcome into a value or a patient-readable error."""

from __future__ import annotations

import logging
from typing import TypeVar

from checkup.domain.errors import AppError, UpstreamRejected, UpstreamUnavailable
from checkup.integrations.result import CallResult, Outcome

T = TypeVar("T")
log = logging.getLogger("checkup.upstream")


def unwrap(result: CallResult[T], *, system: str, failed: dict[str, AppError] | None = None) -> T:
    """The value of a SUCCESS; a mapped or generic error for FAILED; 503 for UNKNOWN."""
    if result.outcome is Outcome.SUCCESS:
        return result.value  # type: ignore[return-value]
    if result.outcome is Outcome.UNKNOWN:
        log.warning("%s call outcome unknown: %s %s", system, result.code, result.message)
        raise UpstreamUnavailable(system=system)
    if failed and result.code in failed:
        raise failed[result.code]
    raise UpstreamRejected(
        f"医院系统拒绝了该请求：{result.message}" if result.message else None, system=system, code=result.code
    )

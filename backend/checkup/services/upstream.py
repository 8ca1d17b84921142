"""Turning an outside call's outcome into a value or a patient-readable error."""

from __future__ import annotations

import logging
from typing import TypeVar

from checkup.domain.errors import (
    AppError,
    UpstreamBusy,
    UpstreamRejected,
    UpstreamSuspended,
    UpstreamUnavailable,
)
from checkup.integrations.guard import BULKHEAD_FULL, CIRCUIT_OPEN, retry_after_seconds
from checkup.integrations.result import CallResult, Outcome

T = TypeVar("T")
SYSTEM_NAMES = {"HIS": "医院收费系统（HIS）", "PEIS": "体检系统"}
log = logging.getLogger("checkup.upstream")


def unwrap(result: CallResult[T], *, system: str, failed: dict[str, AppError] | None = None) -> T:
    """The value of a SUCCESS; a mapped or generic error for FAILED; 503 for UNKNOWN."""
    if result.outcome is Outcome.SUCCESS:
        return result.success_value()
    if result.outcome is Outcome.UNKNOWN:
        retry_after = retry_after_seconds(result) or 5
        if result.code == CIRCUIT_OPEN:
            name = SYSTEM_NAMES.get(system, "医院系统")
            raise UpstreamSuspended(f"{name}暂时无法访问，已暂停调用，请{retry_after}秒后再试",
                                    system=system, retry_after=retry_after)
        if result.code == BULKHEAD_FULL:
            raise UpstreamBusy(f"{SYSTEM_NAMES.get(system, '医院系统')}繁忙，请{retry_after}秒后再试",
                               system=system, retry_after=retry_after)
        log.warning("%s call outcome unknown: %s %s", system, result.code, result.message)
        raise UpstreamUnavailable(system=system)
    if failed and result.code in failed:
        raise failed[result.code]
    raise UpstreamRejected(
        f"医院系统拒绝了该请求：{result.message}" if result.message else None, system=system, code=result.code
    )

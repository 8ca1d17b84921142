"""Protection of a hospital system (HIS, PEIS) against this product's own load.

A hospital's HIS answers in 200 ms–2 s and is shared with every window and ward; its interface
platform admits a few dozen concurrent calls. :class:`Guard` sits in front of one such system in
one process and gives every call:

- a bulkhead: at most ``max_concurrent`` calls in flight; a call that waits longer than
  ``wait_seconds`` for a slot fails fast (UNKNOWN ``BULKHEAD_FULL``) instead of piling up;
- single-flight: identical concurrent reads share one remote call and its answer;
- a circuit breaker: after ``failure_threshold`` consecutive transport failures (timeout,
  connection error, HTTP 5xx) calls fail fast (UNKNOWN ``CIRCUIT_OPEN``) for ``open_seconds``; then
  one trial call goes through (half-open) and its outcome closes or re-opens the circuit.

Calls that fail fast were never sent, so they are as safe to retry as any UNKNOWN outcome.
:class:`GuardedClient` wraps any client whose methods are coroutines returning a ``CallResult``
(the HIS and PEIS protocols), including methods added to those protocols later.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

from checkup.integrations.result import CallResult, Outcome
from checkup.integrations.signed_json import CONNECTION_ERROR, TIMEOUT

CIRCUIT_OPEN = "CIRCUIT_OPEN"
BULKHEAD_FULL = "BULKHEAD_FULL"
FAST_FAILURES = (CIRCUIT_OPEN, BULKHEAD_FULL)
_RETRY_PREFIX = "retry after "

log = logging.getLogger("checkup.integrations.guard")
CallObserver = Callable[[str, str, float, bool], None]  # system, operation, seconds, answered


@dataclass(frozen=True, slots=True)
class GuardPolicy:
    """How hard this process may lean on one outside system."""

    max_concurrent: int = 8
    wait_seconds: float = 3.0
    failure_threshold: int = 5
    open_seconds: float = 15.0


def is_transport_failure(result: CallResult[Any]) -> bool:
    """The system did not answer at all (the circuit counts these; a FAILED or PROCESSING answer is an answer)."""
    code = result.code or ""
    return result.outcome is Outcome.UNKNOWN and (
        code in (TIMEOUT, CONNECTION_ERROR) or (code.startswith("HTTP_5"))
    )


def retry_after_seconds(result: CallResult[Any]) -> int | None:
    """For a call that failed fast: seconds after which trying again makes sense."""
    if result.code not in FAST_FAILURES or not (result.message or "").startswith(_RETRY_PREFIX):
        return None
    try:
        return max(1, int((result.message or "")[len(_RETRY_PREFIX):].split()[0]))
    except ValueError:
        return None


def _fast_failure(code: str, seconds: float) -> CallResult[Any]:
    return CallResult.unknown(code, f"{_RETRY_PREFIX}{max(1, math.ceil(seconds))} s")


class Guard:
    """Bulkhead, single-flight and circuit breaker for one outside system in one process."""

    def __init__(self, system: str, policy: GuardPolicy, *, clock: Callable[[], float] = time.monotonic,
                 observe: CallObserver | None = None) -> None:
        self.system = system
        self.policy = policy
        self._clock = clock
        # told of every call (system, operation, seconds, answered): the monthly report's counts, wired by
        # the composition root (integrations import no service)
        self.observe = observe
        self._slots = asyncio.Semaphore(policy.max_concurrent)
        self._flights: dict[Hashable, asyncio.Future[CallResult[Any]]] = {}
        self._failures = 0
        self._open_until: float | None = None  # set while open (and half-open after it passed)
        self._trial = False  # a half-open trial call is under way
        self.in_flight = 0
        self.peak_in_flight = 0
        self.calls = 0  # remote calls actually sent
        self.shared = 0  # calls answered by joining an identical one in flight
        self.rejected = 0  # calls failed fast (circuit open or no free slot in time)

    @property
    def state(self) -> str:
        """closed | open | half-open."""
        if self._open_until is None:
            return "closed"
        return "open" if self._clock() < self._open_until else "half-open"

    def stats(self) -> dict[str, Any]:
        return {
            "system": self.system, "state": self.state, "in_flight": self.in_flight,
            "peak_in_flight": self.peak_in_flight, "calls": self.calls, "shared": self.shared,
            "rejected": self.rejected, "max_concurrent": self.policy.max_concurrent,
        }

    async def run(self, call: Callable[[], Awaitable[CallResult[Any]]], *, key: Hashable | None = None) -> CallResult[Any]:
        """Run ``call`` under the guard; with ``key``, identical concurrent calls share one."""
        if key is None:
            return await self._guarded(call)
        flight = self._flights.get(key)
        if flight is not None:
            self.shared += 1
            return await asyncio.shield(flight)
        flight = asyncio.ensure_future(self._guarded(call))
        self._flights[key] = flight
        flight.add_done_callback(lambda _f: self._flights.pop(key, None))
        return await asyncio.shield(flight)

    async def _guarded(self, call: Callable[[], Awaitable[CallResult[Any]]]) -> CallResult[Any]:
        refused = self._admit()
        if refused is not None:
            return refused
        trial = self._trial
        try:
            try:
                await asyncio.wait_for(self._slots.acquire(), self.policy.wait_seconds)
            except TimeoutError:
                self.rejected += 1
                log.warning("%s bulkhead full: %d calls in flight, none freed within %.1f s",
                            self.system, self.in_flight, self.policy.wait_seconds)
                return _fast_failure(BULKHEAD_FULL, self.policy.wait_seconds)
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            self.calls += 1
            try:
                result = await call()
            finally:
                self.in_flight -= 1
                self._slots.release()
            self._record(result, trial=trial)
            return result
        finally:
            if trial:
                self._trial = False

    def _admit(self) -> CallResult[Any] | None:
        if self._open_until is None:
            return None
        now = self._clock()
        if now < self._open_until or self._trial:
            self.rejected += 1
            return _fast_failure(CIRCUIT_OPEN, max(self._open_until - now, 1))
        self._trial = True  # half-open: this call is the trial
        return None

    def _record(self, result: CallResult[Any], *, trial: bool) -> None:
        if is_transport_failure(result):
            self._failures += 1
            if trial or self._failures >= self.policy.failure_threshold:
                if self._open_until is None or trial:
                    log.error("%s circuit open for %.0f s after %d consecutive failures (last: %s)",
                              self.system, self.policy.open_seconds, self._failures, result.code)
                self._open_until = self._clock() + self.policy.open_seconds
            return
        self._failures = 0
        if self._open_until is not None and (trial or self._clock() >= self._open_until):
            log.warning("%s circuit closed: the system answers again", self.system)
            self._open_until = None


class GuardedClient:
    """Any HIS/PEIS-style client with every call run under a :class:`Guard`.

    Methods named in ``shared_reads`` are single-flighted on their arguments; every other method
    (writes, and methods this class does not know yet) is still bulkheaded and circuit-broken.
    """

    shared_reads: frozenset[str] = frozenset()

    def __init__(self, inner: Any, guard: Guard) -> None:
        self.inner = inner
        self.guard = guard

    async def aclose(self) -> None:
        aclose = getattr(self.inner, "aclose", None)
        if aclose is not None:
            await aclose()

    async def _run(self, operation: str, *args: Any, **kwargs: Any) -> CallResult[Any]:
        method = getattr(self.inner, operation)
        key = None
        if operation in self.shared_reads and not args:
            key = (operation, *sorted(kwargs.items()))
            try:
                hash(key)
            except TypeError:
                key = None
        started = time.perf_counter()
        result = await self.guard.run(lambda: method(*args, **kwargs), key=key)
        if self.guard.observe is not None:
            self.guard.observe(self.guard.system, operation, time.perf_counter() - started,
                               result.outcome is not Outcome.UNKNOWN)
        return result

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.inner, name)
        if name.startswith("_") or not asyncio.iscoroutinefunction(target):
            return target

        async def guarded(*args: Any, **kwargs: Any) -> CallResult[Any]:
            return await self._run(name, *args, **kwargs)

        guarded.__name__ = name
        return guarded

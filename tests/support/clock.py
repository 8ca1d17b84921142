"""Rate-limit windows are fixed and aligned to the clock (a minute, an hour): the count starts again
at the turn of the minute. A test that makes N hits and expects hit N+1 to be refused fails if the
minute turns in between, so such tests start just after a turn when one is near.

Delays measured in seconds (the login throttle's 1 s, 2 s, ...) are tested on a ``ManualClock`` handed to
the code that keeps them: the test moves time on by exactly the delay, so a busy machine taking a second
between two requests cannot turn a refusal into a pass or change the Retry-After it announces."""

from __future__ import annotations

import asyncio
import time


async def away_from_window_edge(margin: float = 15.0) -> None:
    """Return at once, or after the next turn of the minute when it is less than ``margin`` s away."""
    left = 60.0 - time.time() % 60.0
    if left < margin:
        await asyncio.sleep(left + 0.05)


class ManualClock:
    """A wall clock (seconds since the epoch, as time.time) that moves only when the test says so."""

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

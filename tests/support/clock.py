"""Rate-limit windows are fixed and aligned to the clock (a minute, an hour): the count starts again
at the turn of the minute. A test that makes N hits and expects hit N+1 to be refused fails if the
minute turns in between, so such tests start just after a turn when one is near."""

from __future__ import annotations

import asyncio
import time


async def away_from_window_edge(margin: float = 15.0) -> None:
    """Return at once, or after the next turn of the minute when it is less than ``margin`` s away."""
    left = 60.0 - time.time() % 60.0
    if left < margin:
        await asyncio.sleep(left + 0.05)

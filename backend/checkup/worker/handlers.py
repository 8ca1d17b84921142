"""The worker's job table: each job kind and the use case that runs it (the worker only dispatches).

Every use case is idempotent: a job may run again after a crash or an expired lease.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from checkup.services import booking_events, messages
from checkup.services.deps import Deps
from checkup.services.jobs import Retry
from checkup.services.refunds import run_refund
from checkup.services.writeback import his_writeback

Handler = Callable[[Deps, dict], Awaitable[None]]

__all__ = ["HANDLERS", "Handler", "Retry"]

HANDLERS: dict[str, Handler] = {
    "his_writeback": his_writeback,
    "refund": run_refund,
    messages.SEND_MESSAGE: messages.send_message_job,
    booking_events.PEIS_BOOKED_DAY: booking_events.report_booked_day,
}

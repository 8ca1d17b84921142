"""The booking rules: how far ahead, release time, minimum notice, change cutoff, closed weekdays."""

from __future__ import annotations

from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import CALENDAR, blueprint, deps
from checkup.api.console.schemas import RulesIn, RulesOut
from checkup.api.routing import route
from checkup.services import quota_admin

bp = blueprint("rules")


@route(bp, "GET", "/booking-rules", auth="staff", roles=CALENDAR, response=RulesOut)
async def get_rules(request: Request):
    """The booking rules, the weekly template and when the next day opens."""
    return await quota_admin.get_rules(now=deps(request).now())


@route(bp, "PUT", "/booking-rules", auth="staff", roles=CALENDAR, body=RulesIn, response=RulesOut,
       audit="rules.update")
async def set_rules(request: Request, body: RulesIn):
    """Replace the booking rules (validated as a whole); checkup staff set the release schedule too."""
    return await quota_admin.set_rules(values=body.model_dump(), entry=audit_entry(request), now=deps(request).now())

"""The audit side of the route table: every call of a route declared with ``audit=`` leaves a row.

The route opens an AuditEntry (request.ctx.audit) with who and from where; the use case says what
changed (target, before, after) and writes the success row in its own transaction. Whatever was
not written by then is written here: success for calls without a transaction of their own, and
failure (with the error code) for every refused or failed call of an authenticated staff member.
Calls without a known actor (no or invalid token) are not recorded: they changed nothing and
cannot be attributed.
"""

from __future__ import annotations

import logging

from sanic import Request

from checkup.api.routing import AuditHook, RouteSpec
from checkup.domain.errors import AppError
from checkup.services.audit import FAILURE, SUCCESS, AuditEntry, record, written

log = logging.getLogger("checkup.audit")


def client_ip(request: Request) -> str:
    """The caller's address: from the proxy headers when Sanic is told to trust them
    (SANIC_PROXIES_COUNT / SANIC_REAL_IP_HEADER, set behind nginx), else the socket peer."""
    return request.remote_addr or request.ip or ""


def audit_entry(request: Request) -> AuditEntry:
    """The entry of the current audited call (routes declared with ``audit=``), with its actor."""
    entry: AuditEntry = request.ctx.audit
    staff = getattr(request.ctx, "staff", None)
    if staff is not None:
        entry.actor = staff.username
    return entry


class RouteAudit(AuditHook):
    def begin(self, request: Request, spec: RouteSpec) -> None:
        request.ctx.audit = AuditEntry(action=spec.audit or "", ip=client_ip(request))

    async def end(self, request: Request, spec: RouteSpec, error: Exception | None) -> None:
        entry = audit_entry(request)
        if entry.skip or not entry.actor:
            return
        try:
            if error is None:
                if entry.row_id is None:
                    await record(entry, outcome=SUCCESS)
                return
            if await written(entry):  # committed before the error: the change happened
                return
            entry.detail["error"] = _error_detail(error)
            await record(entry, outcome=FAILURE)
        except Exception:
            log.exception("audit row not written: action=%s actor=%s target=%s", entry.action, entry.actor,
                          entry.target)


def _error_detail(error: Exception) -> dict:
    if isinstance(error, AppError):
        details = dict(error.details)
        code = details.pop("code", None) if error.code == "BAD_REQUEST" else None
        return {"code": code or error.code, "message": error.message, "details": details}
    return {"code": "INTERNAL_ERROR", "message": type(error).__name__}



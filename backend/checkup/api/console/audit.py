"""The audit trail, newest first (read-only: there is no route that changes it)."""

from __future__ import annotations

from sanic import Request

from checkup.api.console.common import AUDIT_READERS, blueprint
from checkup.api.console.schemas import AuditList, AuditQuery
from checkup.api.routing import route
from checkup.services import audit

bp = blueprint("audit")


@route(bp, "GET", "/audit-logs", auth="staff", roles=AUDIT_READERS, query=AuditQuery, response=AuditList)
async def list_audit_logs(request: Request, query: AuditQuery):
    """Search by Asia/Shanghai days, actor, action prefix and outcome."""
    return await audit.search(start=query.from_, end=query.to, actor=query.actor, action=query.action,
                              outcome=query.outcome, page=query.page, page_size=query.page_size)

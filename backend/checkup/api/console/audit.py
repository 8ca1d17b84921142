"""The audit trail, newest first (read-only: there is no route that changes it), and the security audit
export (the same workbook as `checkup audit export`)."""

from __future__ import annotations

from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import AUDIT_READERS, blueprint, deps
from checkup.api.console.schemas import AuditExportQuery, AuditList, AuditQuery
from checkup.api.routing import route
from checkup.domain.errors import ValidationFailed
from checkup.services import audit
from checkup.services.security_export import build_security_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

bp = blueprint("audit")


@route(bp, "GET", "/audit-logs", auth="staff", roles=AUDIT_READERS, query=AuditQuery, response=AuditList)
async def list_audit_logs(request: Request, query: AuditQuery):
    """Search by Asia/Shanghai days, actor, action prefix and outcome."""
    return await audit.search(start=query.from_, end=query.to, actor=query.actor, action=query.action,
                              outcome=query.outcome, page=query.page, page_size=query.page_size)


@route(bp, "GET", "/audit-logs/export", auth="staff", roles=AUDIT_READERS, query=AuditExportQuery,
       produces=(XLSX,), audit="audit.export")
async def export_audit(request: Request, query: AuditExportQuery):
    """安全审计导出 (xlsx): accounts with roles and last login, account and role changes of the period, and the
    operation log of the period with the filters; the export itself is audited."""
    from urllib.parse import quote

    from sanic.response import raw

    if query.to < query.from_ or (query.to - query.from_).days > 366 or query.from_.year < 2000:
        raise ValidationFailed("导出期间须为一年以内，且结束日期不早于开始日期", field="to")
    entry = audit_entry(request)
    data, counts = await build_security_workbook(start=query.from_, end=query.to, now=deps(request).now(),
                                                 actor=query.actor, action=query.action, outcome=query.outcome)
    entry.change(target=f"audit:{query.from_.isoformat()}..{query.to.isoformat()}",
                 filters={"actor": query.actor, "action": query.action, "outcome": query.outcome}, rows=counts)
    name = f"安全审计-{query.from_.isoformat()}-{query.to.isoformat()}.xlsx"
    return raw(data, content_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"security-audit.xlsx\"; filename*=UTF-8''{quote(name, safe='')}",
        "Cache-Control": "no-store"})

"""网络安全自查 on the console (admin, auditor): the findings of `checkup selfcheck`, with the vulnerability
list and backup directory of the settings (CHECKUP_VULNS_PATH, CHECKUP_BACKUP_DIR)."""

from __future__ import annotations

from sanic import Request

from checkup.api.console.common import AUDIT_READERS, blueprint, deps
from checkup.api.console.schemas import SelfcheckOut
from checkup.api.routing import route
from checkup.services.selfcheck import run_selfcheck

bp = blueprint("selfcheck")


@route(bp, "GET", "/selfcheck", auth="staff", roles=AUDIT_READERS, response=SelfcheckOut)
async def selfcheck(request: Request):
    """Run the self-check now: settings, database grants, accounts (unused, password age, admins, failures),
    vulnerabilities against the imported list, the audit chain and its anchors, backup age."""
    settings = request.app.ctx.settings
    report = await run_selfcheck(settings, now=deps(request).now(), vulns=settings.vulns_path,
                                 backup_dir=settings.backup_dir)
    return report.as_json()

"""The 预约患者 report as JSON (paged) or as an Excel / PDF file (every row of the filter)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from sanic import HTTPResponse, Request
from sanic.response import raw

from checkup.api.audit import audit_entry
from checkup.api.console.common import AUDIT_READERS, REPORT_READERS, blueprint, date_range, deps, staff
from checkup.api.console.schemas import (
    MonthlyReportOut,
    MonthlyReportQuery,
    ReportMonthList,
    ReportOut,
    ReportQuery,
)
from checkup.api.routing import route
from checkup.domain.clock import SHANGHAI
from checkup.domain.errors import Forbidden
from checkup.domain.masking import mask_phone
from checkup.reports import monthly, pdf, xlsx
from checkup.reports.columns import ReportMeta
from checkup.services import ops_report, reports
from checkup.services.reports import ReportFilter

bp = blueprint("reports")


def attachment(filename: str, fallback: str) -> str:
    """Content-Disposition with an ASCII fallback and the real (Chinese) name per RFC 5987 / 6266."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def full_phone_allowed(request: Request) -> bool:
    """Whether this staff member's roles may see full phone numbers (the hospital's setting)."""
    allowed = {r.strip() for r in request.app.ctx.settings.report_full_phone_roles.split(",") if r.strip()}
    return bool(allowed & set(staff(request).roles))


def _filters_text(query: ReportQuery, package_name: str | None) -> str:
    parts = []
    if query.package:
        parts.append(f"套餐：{package_name or query.package}")
    if query.status != "booked":
        parts.append("状态：已确认")
    if query.q.strip():
        parts.append(f"搜索：{mask_phone(query.q.strip()) if query.q.strip().isdigit() else query.q.strip()}")
    return "    ".join(parts)


@route(bp, "GET", "/reports/booked-patients", auth="staff", roles=REPORT_READERS, query=ReportQuery,
       response=ReportOut, produces=("application/json", xlsx.MIME, pdf.MIME), audit="report.export")
async def booked_patients(request: Request, query: ReportQuery):
    """Booked (not confirmed, not cancelled) patients of a date range, by package and status; per-day and
    per-package statistics; format=xlsx|pdf downloads a file; phones=full shows whole phone numbers to the
    roles the hospital allows (every such view audited)."""
    entry = audit_entry(request)
    full = query.phones == "full"
    if full and not full_phone_allowed(request):
        raise Forbidden("您的角色不能查看完整手机号", permission="report.full_phone")
    entry.skip = query.format == "json" and not full  # viewing is not recorded; every export and full view is
    start, end = date_range(request, query.from_, query.to)
    flt = ReportFilter(start=start, end=end, q=query.q.strip(), status=query.status, package=query.package.strip())
    entry.change(target=f"report:booked-patients:{start.isoformat()}..{end.isoformat()}", format=query.format,
                 q=mask_phone(flt.q) if flt.q.isdigit() else flt.q,  # a searched phone stays masked here too
                 package=flt.package, status=flt.status, full_phone=full)
    if query.format == "json":
        page = await reports.report_page(deps(request), flt, page=query.page, page_size=query.page_size,
                                         full_phone=full)
        entry.change(rows=len(page["items"]))
        return page
    font = request.app.ctx.settings.pdf_font
    if query.format == "pdf":
        pdf.register_font(font)  # a missing font fails now, before the query, with a clear message
    data = await reports.report_rows(deps(request), flt, full_phone=full)
    package_name = next((g["package_name"] for g in data.per_package if g["package_code"] == flt.package), None)
    meta = ReportMeta(start=start, end=end, printed_at=deps(request).now().astimezone(SHANGHAI),
                      hospital_name=request.app.ctx.settings.hospital_name,
                      filters=_filters_text(query, package_name))
    if query.format == "xlsx":
        body = await request.app.ctx.exports.run(xlsx.build_xlsx, data.rows, data.per_day, meta, data.per_package)
        mime = xlsx.MIME
    else:
        body = await request.app.ctx.exports.run(pdf.build_pdf, data.rows, data.per_day, meta, font_path=font,
                                       per_package=data.per_package)
        mime = pdf.MIME
    entry.change(rows=len(data.rows))
    return _file(body, mime, meta.file_name(query.format), f"booked-patients.{query.format}")


def _file(data: bytes, mime: str, filename: str, fallback: str) -> HTTPResponse:
    return raw(data, content_type=mime, headers={
        "Content-Disposition": attachment(filename, fallback),
        "Cache-Control": "no-store",
    })


@route(bp, "GET", "/reports/monthly/months", auth="staff", roles=AUDIT_READERS, response=ReportMonthList)
async def monthly_months(request: Request):
    """Months with rolled-up figures (newest first), plus the current and last month."""
    today = deps(request).now().astimezone(SHANGHAI).date()
    known = {m["month"]: m["days"] for m in await ops_report.rolled_up_months()}
    last = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    for month in (today.strftime("%Y-%m"), last):
        known.setdefault(month, 0)
    return {"items": [{"month": m, "days": known[m]} for m in sorted(known, reverse=True)]}


@route(bp, "GET", "/reports/monthly", auth="staff", roles=AUDIT_READERS, query=MonthlyReportQuery,
       response=MonthlyReportOut, produces=("application/json", monthly.XLSX_MIME, monthly.PDF_MIME),
       audit="report.monthly")
async def monthly_report(request: Request, query: MonthlyReportQuery):
    """系统运行报告 of a month (admin, auditor): figures from the daily rollups (past days not yet rolled up
    are rolled up now), recommendations from thresholds; format=pdf|xlsx downloads it (audited)."""
    entry = audit_entry(request)
    entry.skip = query.format == "json"
    entry.change(target=f"report:monthly:{query.month}", format=query.format)
    settings = request.app.ctx.settings
    if query.format == "pdf":
        pdf.register_font(settings.pdf_font)  # a missing font fails now with a clear message
    report = await ops_report.monthly(query.month, now=deps(request).now(), anchor_path=settings.audit_anchor_file)
    if query.format == "json":
        return report
    name = f"系统运行报告-{query.month}.{query.format}"
    if query.format == "xlsx":
        body = await request.app.ctx.exports.run(monthly.build_xlsx, report, hospital=settings.hospital_name)
        return _file(body, monthly.XLSX_MIME, name, f"operation-report-{query.month}.xlsx")
    body = await request.app.ctx.exports.run(monthly.build_pdf, report, hospital=settings.hospital_name, font=settings.pdf_font)
    return _file(body, monthly.PDF_MIME, name, f"operation-report-{query.month}.pdf")

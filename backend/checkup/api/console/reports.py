"""The 预约患者 report as JSON (paged) or as an Excel / PDF file (every row of the filter)."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from sanic import HTTPResponse, Request
from sanic.response import raw

from checkup.api.audit import audit_entry
from checkup.api.console.common import REPORT_READERS, blueprint, date_range, deps
from checkup.api.console.schemas import ReportOut, ReportQuery
from checkup.api.routing import route
from checkup.domain.clock import SHANGHAI
from checkup.domain.masking import mask_phone
from checkup.reports import pdf, xlsx
from checkup.reports.columns import ReportMeta
from checkup.services import reports
from checkup.services.reports import ReportFilter

bp = blueprint("reports")


def attachment(filename: str, fallback: str) -> str:
    """Content-Disposition with an ASCII fallback and the real (Chinese) name per RFC 5987 / 6266."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@route(bp, "GET", "/reports/booked-patients", auth="staff", roles=REPORT_READERS, query=ReportQuery,
       response=ReportOut, produces=("application/json", xlsx.MIME, pdf.MIME), audit="report.export")
async def booked_patients(request: Request, query: ReportQuery):
    """Booked (not confirmed, not cancelled) patients of a date range; format=xlsx|pdf downloads a file."""
    entry = audit_entry(request)
    entry.skip = query.format == "json"  # viewing is not recorded; every export is
    start, end = date_range(request, query.from_, query.to)
    flt = ReportFilter(start=start, end=end, q=query.q.strip())
    if query.format == "json":
        return await reports.report_page(deps(request), flt, page=query.page, page_size=query.page_size)
    entry.change(target=f"report:booked-patients:{start.isoformat()}..{end.isoformat()}", format=query.format,
                 q=mask_phone(flt.q) if flt.q.isdigit() else flt.q)  # a searched phone stays masked here too
    font = request.app.ctx.settings.pdf_font
    if query.format == "pdf":
        pdf.register_font(font)  # a missing font fails now, before the query, with a clear message
    rows, per_day = await reports.report_rows(deps(request), flt)
    meta = ReportMeta(start=start, end=end, printed_at=deps(request).now().astimezone(SHANGHAI))
    if query.format == "xlsx":
        data = await asyncio.to_thread(xlsx.build_xlsx, rows, per_day, meta)
        mime = xlsx.MIME
    else:
        data = await asyncio.to_thread(pdf.build_pdf, rows, per_day, meta, font_path=font)
        mime = pdf.MIME
    entry.change(rows=len(rows))
    return _file(data, mime, meta.file_name(query.format), f"booked-patients.{query.format}")


def _file(data: bytes, mime: str, filename: str, fallback: str) -> HTTPResponse:
    return raw(data, content_type=mime, headers={
        "Content-Disposition": attachment(filename, fallback),
        "Cache-Control": "no-store",
    })

"""The 预约患者 report as a PDF (reportlab): A4 landscape, an embedded CJK font, title, date range,
the header row on every page, 第 N 页 / 共 M 页 and the time printed (Asia/Shanghai).

Drawn straight on the canvas with fixed row heights: the page count is known before drawing, and
10,000 rows take a couple of seconds (one platypus Table of that size took 5.8 s).
"""

from __future__ import annotations

import io
import math
import threading
from pathlib import Path
from typing import Any

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from checkup.domain.errors import ExportUnavailable
from checkup.reports.columns import COLUMNS, Column, ReportMeta, cell_value

MIME = "application/pdf"
DEFAULT_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT_NAME = "WenQuanYiMicroHei"
FONT_PACKAGE = "fonts-wqy-microhei"

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 28
TABLE_W = sum(c.pdf_width for c in COLUMNS)
LEFT = (PAGE_W - TABLE_W) / 2
ROW_H = 16
HEADER_H = 18
FONT_SIZE = 8.5
TOP_BLOCK = 52  # title and the line under it
FOOTER_H = 20
ROWS_PER_PAGE = int((PAGE_H - 2 * MARGIN - TOP_BLOCK - HEADER_H - FOOTER_H) // ROW_H)
SUMMARY_COLUMNS = 4  # the per-day totals page: date/count pairs side by side
SUMMARY_ROWS = ROWS_PER_PAGE - 2  # leaves a line for the total
_HEADER_FILL = HexColor("#2F6DB5")
_STRIPE = HexColor("#F2F6FB")
_RULE = HexColor("#C9D6E8")

_font_lock = threading.Lock()


def register_font(path: Path = DEFAULT_FONT) -> str:
    """Register the CJK font once; a clear error names the package when the file is missing."""
    with _font_lock:
        if FONT_NAME in pdfmetrics.getRegisteredFontNames():
            return FONT_NAME
        if not path.is_file():
            raise ExportUnavailable(
                f"PDF导出需要中文字体文件 {path}，请在服务器上安装 {FONT_PACKAGE}（apt-get install -y {FONT_PACKAGE}）",
                font=str(path), package=FONT_PACKAGE,
            )
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path), subfontIndex=0))
        return FONT_NAME


def _fit(text: str, width: float) -> str:
    """Cut ``text`` to ``width`` points, with an ellipsis when cut."""
    if pdfmetrics.stringWidth(text, FONT_NAME, FONT_SIZE) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", FONT_NAME, FONT_SIZE) > width:
        text = text[:-1]
    return text + "…"


def _text(column: Column, row: dict[str, Any]) -> str:
    value = cell_value(column, row)
    if value is None:
        return ""
    if column.kind == "money":
        return f"{row[column.key] / 100:.2f}"
    if column.kind == "datetime":
        return value.strftime("%Y-%m-%d %H:%M")
    if column.kind == "date":
        return value.isoformat()
    return str(value)


class _Pages:
    def __init__(self, canvas: Canvas, meta: ReportMeta, total_rows: int, total_pages: int) -> None:
        self.c, self.meta, self.total_rows, self.total_pages = canvas, meta, total_rows, total_pages
        self.number = 0

    def start(self, heading: str | None = None) -> float:
        """Begin a page: title, range, printed time; answers the y of the first line below."""
        self.number += 1
        c, meta = self.c, self.meta
        top = PAGE_H - MARGIN
        c.setFont(FONT_NAME, 16)
        c.drawCentredString(PAGE_W / 2, top - 16, f"{meta.hospital_name} {heading or meta.title}".strip())
        c.setFont(FONT_NAME, 9)
        c.drawString(LEFT, top - 38, f"{meta.range_text}    共 {self.total_rows} 人")
        c.drawRightString(LEFT + TABLE_W, top - 38, f"打印时间：{meta.printed_at.strftime('%Y-%m-%d %H:%M')}")
        c.drawCentredString(PAGE_W / 2, MARGIN, f"第 {self.number} 页 / 共 {self.total_pages} 页")
        return top - TOP_BLOCK

    def header_row(self, y: float, titles: list[tuple[float, str]]) -> float:
        c = self.c
        c.setFillColor(_HEADER_FILL)
        c.rect(LEFT, y - HEADER_H, TABLE_W, HEADER_H, stroke=0, fill=1)
        c.setFillColor(white)
        c.setFont(FONT_NAME, FONT_SIZE + 0.5)
        for x, title in titles:
            c.drawString(x + 3, y - HEADER_H + 5.5, title)
        c.setFillColor(HexColor("#000000"))
        return y - HEADER_H


def _summary_groups(per_day: list[dict[str, Any]], per_package: list[dict[str, Any]] | None) -> list[tuple]:
    """The statistics pages' sections: (heading, label, key, groups); an empty one has no page."""
    sections = [("每日人数汇总", "体检日期", "date", per_day)]
    if per_package:
        sections.append(("套餐人数汇总", "体检套餐", "package_name", per_package))
    return [s for s in sections if s[3]]


def build_pdf(rows: list[dict[str, Any]], per_day: list[dict[str, Any]], meta: ReportMeta,
              *, font_path: Path = DEFAULT_FONT, per_package: list[dict[str, Any]] | None = None) -> bytes:
    """The PDF's bytes: every row of the report in order, then the per-day and per-package totals (no
    statistics page when there is nothing to count: the single page says there were no patients)."""
    register_font(font_path)
    row_pages = max(1, math.ceil(len(rows) / ROWS_PER_PAGE))
    sections = _summary_groups(per_day, per_package)
    per_page = SUMMARY_ROWS * SUMMARY_COLUMNS
    total_pages = row_pages + sum(math.ceil(len(groups) / per_page) for *_, groups in sections)
    out = io.BytesIO()
    c = Canvas(out, pagesize=(PAGE_W, PAGE_H), pageCompression=1, initialFontName=FONT_NAME,
               initialFontSize=FONT_SIZE)
    c.setTitle(f"{meta.title} {meta.start.isoformat()} 至 {meta.end.isoformat()}")
    c.setAuthor("体检预约缴费")
    pages = _Pages(c, meta, len(rows), total_pages)

    xs, x = [], LEFT
    for column in COLUMNS:
        xs.append(x)
        x += column.pdf_width
    titles = [(xs[i], col.title) for i, col in enumerate(COLUMNS)]
    fitted = {"patient_name", "package_name"}

    for page in range(row_pages):
        y = pages.header_row(pages.start(), titles)
        chunk = rows[page * ROWS_PER_PAGE:(page + 1) * ROWS_PER_PAGE]
        if not chunk:
            c.setFont(FONT_NAME, 10)
            c.drawCentredString(PAGE_W / 2, y - 30, "该时间段没有待确认的预约患者")
        for i, row in enumerate(chunk):
            if i % 2:
                c.setFillColor(_STRIPE)
                c.rect(LEFT, y - ROW_H, TABLE_W, ROW_H, stroke=0, fill=1)
                c.setFillColor(HexColor("#000000"))
            text = c.beginText()
            text.setFont(FONT_NAME, FONT_SIZE)
            for col_index, column in enumerate(COLUMNS):
                value = _text(column, row)
                if column.key in fitted:
                    value = _fit(value, column.pdf_width - 6)
                text.setTextOrigin(xs[col_index] + 3, y - ROW_H + 5)
                text.textOut(value)
            c.drawText(text)
            y -= ROW_H
        c.setStrokeColor(_RULE)
        c.line(LEFT, y, LEFT + TABLE_W, y)
        c.showPage()

    for heading, label, key, groups in sections:
        _summary(c, pages, heading, label, key, groups)
    c.save()
    return out.getvalue()


def _summary(c: Canvas, pages: _Pages, heading: str, label: str, key: str, groups: list[dict[str, Any]]) -> None:
    """Groups (a day or a package, its count) side by side, SUMMARY_COLUMNS pairs a line; then the total."""
    columns = SUMMARY_COLUMNS if key == "date" else 2  # package names need the room
    width = TABLE_W / columns
    per_page = SUMMARY_ROWS * columns
    for start in range(0, len(groups), per_page):
        chunk = groups[start:start + per_page]
        top = pages.start(heading)
        titles = []
        for g in range(columns):
            titles += [(LEFT + g * width, label), (LEFT + g * width + width * 0.75, "人数")]
        y0 = pages.header_row(top, titles)
        c.setFont(FONT_NAME, FONT_SIZE + 0.5)
        for i, group in enumerate(chunk):
            g, r = divmod(i, SUMMARY_ROWS)
            y = y0 - (r + 1) * ROW_H + 5
            c.drawString(LEFT + g * width + 3, y, _fit(str(group[key]), width * 0.75 - 6))
            c.drawString(LEFT + g * width + width * 0.75 + 3, y, f"{group['count']} 人")
        c.setFont(FONT_NAME, 10)
        total = sum(g["count"] for g in groups)
        amount = sum(g.get("amount_fen", 0) for g in groups) / 100
        unit = "天" if key == "date" else "个套餐"
        c.drawString(LEFT + 3, y0 - (SUMMARY_ROWS + 1) * ROW_H,
                     f"合计：{len(groups)} {unit}，{total} 人，{amount:.2f} 元")
        c.showPage()

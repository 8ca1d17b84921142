"""The 预约患者 report as an Excel workbook (XlsxWriter in constant-memory mode: each row goes to a
temporary file as it is written, so 10,000 rows take a few MB and well under a second; openpyxl stays
for reading workbooks, e.g. the holiday import).

Sheet 1 「预约患者」: row 1 the title (hospital name, date range, filters, export time), row 2 a bold,
filled header row with an autofilter, frozen under it and repeated on every printed page, then one
row per booking and a totals row (人数, 金额). Printed landscape, fitted to the page width. Phone, ID
and bill numbers are text cells with the text format (@), so Excel never turns them into numbers or
scientific notation; amounts are yuan with two decimals.
Sheet 2 「每日汇总」: count and amount per day with totals. Sheet 3 「套餐汇总」: the same per package.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from checkup.reports.columns import COLUMNS, ReportMeta, cell_value

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 2  # row 1 is the title (1-based, as Excel shows it)
_FORMATS = {"code": "@", "text": "@", "money": "0.00", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss",
            "int": "0"}
# Characters XML 1.0 cannot hold (control characters other than tab, newline and carriage return).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _clean(value: str) -> str:
    return _ILLEGAL.sub("", value)


class _Styles:
    """The workbook's formats, made once (XlsxWriter shares a format between every cell that uses it)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.header = wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#2F6DB5",
                                     "pattern": 1, "bottom": 1, "bottom_color": "#1F4E79",
                                     "align": "center", "valign": "vcenter"})
        self.total = wb.add_format({"bold": True})
        self.total_money = wb.add_format({"bold": True, "num_format": "0.00"})
        self.money = wb.add_format({"num_format": "0.00"})
        self.by_kind = {kind: wb.add_format({"num_format": fmt}) for kind, fmt in _FORMATS.items()}


def _writer(ws: Worksheet, kind: str, fmt: Format) -> Callable[[int, int, Any], None]:
    """How a column's value goes into its cell: text is always a string cell (never a formula or a link)."""
    if kind in ("code", "text"):
        return lambda r, c, v: ws.write_string(r, c, _clean(str(v)), fmt)
    if kind in ("date", "datetime"):
        return lambda r, c, v: ws.write_datetime(r, c, v, fmt)
    return lambda r, c, v: ws.write_number(r, c, v, fmt)


def _print_setup(ws: Worksheet) -> None:
    """Landscape A4, one page wide (as many pages tall as needed), header row repeated on every page."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW - 1)
    ws.freeze_panes(HEADER_ROW, 0)


def _title(ws: Worksheet, styles: _Styles, meta: ReportMeta, text: str) -> None:
    line = f"{text}    {meta.range_text}    导出时间：{meta.printed_at.strftime('%Y-%m-%d %H:%M')}"
    ws.write_string(0, 0, _clean(line), styles.title)


def _header(ws: Worksheet, styles: _Styles, titles: list[str]) -> None:
    for col, title in enumerate(titles):
        ws.write_string(HEADER_ROW - 1, col, title, styles.header)


def _stats_sheet(wb: xlsxwriter.Workbook, styles: _Styles, name: str, meta: ReportMeta, label: str,
                 groups: list[dict[str, Any]], key: str) -> None:
    """A statistics sheet: one row per group (count, amount), then the totals."""
    ws = wb.add_worksheet(name)
    _print_setup(ws)
    ws.set_column(0, 0, 36 if key == "package_name" else 14)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 14)
    _title(ws, styles, meta, f"{meta.heading} {name}")
    _header(ws, styles, [label, "人数", "金额（元）"])
    row = HEADER_ROW
    for group in groups:
        value = group[key]
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        ws.write_string(row, 0, _clean(str(value)))
        ws.write_number(row, 1, group["count"])
        ws.write_number(row, 2, group.get("amount_fen", 0) / 100, styles.money)
        row += 1
    ws.autofilter(HEADER_ROW - 1, 0, HEADER_ROW - 1 + max(len(groups), 1), 2)
    ws.write_string(row, 0, "合计", styles.total)
    ws.write_number(row, 1, sum(g["count"] for g in groups), styles.total)
    ws.write_number(row, 2, sum(g.get("amount_fen", 0) for g in groups) / 100, styles.total_money)


def build_xlsx(rows: list[dict[str, Any]], per_day: list[dict[str, Any]], meta: ReportMeta,
               per_package: list[dict[str, Any]] | None = None) -> bytes:
    """The workbook's bytes: the same rows, in the same order, as the JSON report, and its statistics."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    wb.set_properties({"title": meta.heading})
    styles = _Styles(wb)
    ws = wb.add_worksheet("预约患者")
    _print_setup(ws)
    for i, column in enumerate(COLUMNS):
        ws.set_column(i, i, column.xlsx_width)
    _title(ws, styles, meta, meta.heading)
    _header(ws, styles, [c.title for c in COLUMNS])
    writers = [(i, column, _writer(ws, column.kind, styles.by_kind[column.kind])) for i, column in enumerate(COLUMNS)]
    r = HEADER_ROW
    for row in rows:
        for c, column, write in writers:
            value = cell_value(column, row)
            if value is not None:
                write(r, c, value)
        r += 1
    ws.autofilter(HEADER_ROW - 1, 0, HEADER_ROW - 1 + max(len(rows), 1), len(COLUMNS) - 1)
    keys = [c.key for c in COLUMNS]
    ws.write_string(r, 0, "合计", styles.total)
    ws.write_string(r, keys.index("patient_name"), f"{len(rows)} 人", styles.total)
    ws.write_number(r, keys.index("amount_fen"), sum(x["amount_fen"] for x in rows) / 100, styles.total_money)

    _stats_sheet(wb, styles, "每日汇总", meta, "体检日期", per_day, "date")
    if per_package is not None:
        _stats_sheet(wb, styles, "套餐汇总", meta, "体检套餐", per_package, "package_name")
    wb.close()
    return out.getvalue()

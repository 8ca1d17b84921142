"""The 预约患者 report as an Excel workbook (openpyxl, write-only: rows stream straight to the file).

Sheet 1 「预约患者」: row 1 the title (hospital name, date range, filters, export time), row 2 a bold,
filled header row with an autofilter, frozen under it and repeated on every printed page, then one
row per booking and a totals row (人数, 金额). Printed landscape, fitted to the page width. Phone, ID
and bill numbers are text cells with the text format (@), so Excel never turns them into numbers or
scientific notation; amounts are yuan with two decimals.
Sheet 2 「每日汇总」: count and amount per day with totals. Sheet 3 「套餐汇总」: the same per package.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from checkup.reports.columns import COLUMNS, Column, ReportMeta, cell_value

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 2  # row 1 is the title
_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="2F6DB5")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="1F4E79"))
_TOTAL_FONT = Font(bold=True)
_FORMATS = {"code": "@", "text": "@", "money": "0.00", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm:ss",
            "int": "0"}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class _ColumnCell:
    """One styled cell per column, reused for every row: write-only rows are serialised on append."""

    def __init__(self, ws, column: Column) -> None:
        self.column = column
        self.cell = WriteOnlyCell(ws)
        self.cell.number_format = _FORMATS[column.kind]

    def __call__(self, row: dict[str, Any]) -> WriteOnlyCell | None:
        value = cell_value(self.column, row)
        if value is None:
            return None
        if self.column.kind == "money":
            value = Decimal(row[self.column.key]) / 100
        self.cell.value = _clean(value)
        if self.cell.data_type == "f":  # text starting with "=" is text here, never a formula
            self.cell.data_type = "s"
        return self.cell


def _header(ws, titles: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for title in titles:
        cell = WriteOnlyCell(ws, value=title)
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, _HEADER_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cells.append(cell)
    return cells


def _styled(ws, value: Any, font: Font, number_format: str | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=_clean(value))
    cell.font = font
    if number_format:
        cell.number_format = number_format
    return cell


def _title(ws, meta: ReportMeta, text: str) -> list[WriteOnlyCell]:
    line = f"{text}    {meta.range_text}    导出时间：{meta.printed_at.strftime('%Y-%m-%d %H:%M')}"
    return [_styled(ws, line, _TITLE_FONT)]


def _print_setup(ws) -> None:
    """Landscape, one page wide (as many pages tall as needed), header row repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.freeze_panes = f"A{HEADER_ROW + 1}"


def _money(ws, fen: int, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=Decimal(fen) / 100)
    cell.number_format = "0.00"
    if font:
        cell.font = font
    return cell


def _stats_sheet(wb: Workbook, name: str, meta: ReportMeta, label: str, groups: list[dict[str, Any]],
                 key: str) -> None:
    """A statistics sheet: one row per group (count, amount), then the totals."""
    ws = wb.create_sheet(name)
    _print_setup(ws)
    for letter, width in (("A", 36 if key == "package_name" else 14), ("B", 10), ("C", 14)):
        ws.column_dimensions[letter].width = width
    ws.append(_title(ws, meta, f"{meta.heading} {name}"))
    ws.append(_header(ws, [label, "人数", "金额（元）"]))
    for group in groups:
        ws.append([group[key], group["count"], _money(ws, group.get("amount_fen", 0))])
    ws.auto_filter.ref = f"A{HEADER_ROW}:C{HEADER_ROW + max(len(groups), 1)}"
    ws.append([_styled(ws, "合计", _TOTAL_FONT), _styled(ws, sum(g["count"] for g in groups), _TOTAL_FONT),
               _money(ws, sum(g.get("amount_fen", 0) for g in groups), _TOTAL_FONT)])


def build_xlsx(rows: list[dict[str, Any]], per_day: list[dict[str, Any]], meta: ReportMeta,
               per_package: list[dict[str, Any]] | None = None) -> bytes:
    """The workbook's bytes: the same rows, in the same order, as the JSON report, and its statistics."""
    wb = Workbook(write_only=True)
    wb.properties.title = meta.heading
    ws = wb.create_sheet("预约患者")
    last = get_column_letter(len(COLUMNS))
    _print_setup(ws)
    for i, column in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = column.xlsx_width
    ws.append(_title(ws, meta, meta.heading))
    ws.append(_header(ws, [c.title for c in COLUMNS]))
    writers = [_ColumnCell(ws, c) for c in COLUMNS]
    for row in rows:
        ws.append([w(row) for w in writers])
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(rows), 1)}"
    totals: list[Any] = [None] * len(COLUMNS)
    totals[0] = _styled(ws, "合计", _TOTAL_FONT)
    keys = [c.key for c in COLUMNS]
    totals[keys.index("patient_name")] = _styled(ws, f"{len(rows)} 人", _TOTAL_FONT)
    totals[keys.index("amount_fen")] = _money(ws, sum(r["amount_fen"] for r in rows), _TOTAL_FONT)
    ws.append(totals)

    _stats_sheet(wb, "每日汇总", meta, "体检日期", per_day, "date")
    if per_package is not None:
        _stats_sheet(wb, "套餐汇总", meta, "体检套餐", per_package, "package_name")

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

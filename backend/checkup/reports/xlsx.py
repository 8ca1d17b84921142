"""The 预约患者 report as an Excel workbook (openpyxl, write-only: rows stream straight to the file).

Sheet 1 「预约患者」: a bold, filled, frozen header row, then one row per booking. Phone, ID and bill
numbers are text cells with the text format (@), so Excel never turns them into numbers or
scientific notation; amounts are yuan with two decimals. Sheet 2 「每日汇总」: the count per day.
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

from checkup.reports.columns import COLUMNS, Column, ReportMeta, cell_value

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="2F6DB5")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="1F4E79"))
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


def build_xlsx(rows: list[dict[str, Any]], per_day: list[dict[str, Any]], meta: ReportMeta) -> bytes:
    """The workbook's bytes: the same rows, in the same order, as the JSON report."""
    wb = Workbook(write_only=True)
    wb.properties.title = meta.title
    ws = wb.create_sheet("预约患者")
    ws.freeze_panes = "A2"
    for i, column in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = column.xlsx_width
    ws.append(_header(ws, [c.title for c in COLUMNS]))
    writers = [_ColumnCell(ws, c) for c in COLUMNS]
    for row in rows:
        ws.append([w(row) for w in writers])

    summary = wb.create_sheet("每日汇总")
    summary.freeze_panes = "A2"
    summary.column_dimensions["A"].width = 14
    summary.column_dimensions["B"].width = 10
    summary.append(_header(summary, ["体检日期", "人数"]))
    for day in per_day:
        summary.append([day["date"], day["count"]])
    summary.append(["合计", sum(d["count"] for d in per_day)])
    summary.append([])
    summary.append([meta.title])
    summary.append([f"体检日期：{meta.start.isoformat()} 至 {meta.end.isoformat()}"])
    summary.append([f"导出时间：{meta.printed_at.strftime('%Y-%m-%d %H:%M')}"])

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

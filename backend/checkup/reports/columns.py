"""The columns of the 预约患者 exports, shared by the Excel and the PDF file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

SEX_TEXT = {"male": "男", "female": "女"}


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    xlsx_width: float  # characters
    pdf_width: float  # points
    kind: str = "text"  # text | code (digits kept as text) | int | money | date | datetime


@dataclass(frozen=True)
class ReportMeta:
    start: date
    end: date
    printed_at: datetime  # Asia/Shanghai
    title: str = "预约患者名单"
    hospital_name: str = ""  # CHECKUP_HOSPITAL_NAME: heads both files
    filters: str = ""  # what else narrowed the rows (套餐, 状态, 搜索), in words

    def file_name(self, ext: str) -> str:
        return f"预约患者_{self.start.isoformat()}_{self.end.isoformat()}.{ext}"

    @property
    def heading(self) -> str:
        """The title with the hospital's name: 某某医院体检中心 预约患者名单."""
        return f"{self.hospital_name} {self.title}".strip()

    @property
    def range_text(self) -> str:
        text = f"体检日期：{self.start.isoformat()} 至 {self.end.isoformat()}"
        return f"{text}    {self.filters}" if self.filters else text


COLUMNS: tuple[Column, ...] = (
    Column("booking_id", "预约号", 9, 46, "int"),
    Column("date", "体检日期", 12, 62, "date"),
    Column("patient_name", "姓名", 12, 62),
    Column("sex", "性别", 6, 28),
    Column("age", "年龄段", 8, 36),  # a band ("40–44"), not the exact age: it stands beside the masked ID number
    Column("phone_masked", "手机号", 14, 70, "code"),
    Column("id_number_masked", "身份证号", 21, 104, "code"),
    Column("package_name", "体检套餐", 28, 142),
    Column("amount_fen", "金额（元）", 11, 54, "money"),
    Column("bill_no", "缴费单号", 22, 104, "code"),
    Column("booked_at", "预约时间", 19, 78, "datetime"),
)


def cell_value(column: Column, row: dict[str, Any]) -> Any:
    """The value a file shows for ``row`` (a row of the JSON report)."""
    value = row[column.key]
    if column.key == "sex":
        return SEX_TEXT.get(value, value or "")
    if column.kind == "money":
        return value / 100
    if column.kind == "date":
        return date.fromisoformat(value)
    if column.kind == "datetime":
        return datetime.fromisoformat(value).replace(tzinfo=None) if value else None  # already Asia/Shanghai
    return value

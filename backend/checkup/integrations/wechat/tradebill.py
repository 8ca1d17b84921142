"""Parse WeChat Pay trade bills (交易账单): backtick-prefixed CSV, yuan amounts, summary rows."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from checkup.integrations.wechat.pay.models import CHINA_TZ

SUMMARY_FIRST_COLUMN = "总交易单数"

# Detail column (Chinese, as in the file) -> TradeBillRow attribute.
DETAIL_COLUMNS: dict[str, str] = {
    "交易时间": "trade_time",
    "公众账号ID": "appid",
    "商户号": "mchid",
    "特约商户号": "sub_mchid",
    "设备号": "device_info",
    "微信订单号": "transaction_id",
    "商户订单号": "out_trade_no",
    "用户标识": "openid",
    "交易类型": "trade_type",
    "交易状态": "trade_state",
    "付款银行": "bank_type",
    "货币种类": "currency",
    "应结订单金额": "settlement_total_fen",
    "代金券金额": "coupon_fen",
    "微信退款单号": "refund_id",
    "商户退款单号": "out_refund_no",
    "退款金额": "refund_fen",
    "充值券退款金额": "coupon_refund_fen",
    "退款类型": "refund_type",
    "退款状态": "refund_status",
    "商品名称": "description",
    "商户数据包": "attach",
    "手续费": "fee_yuan",
    "费率": "fee_rate",
    "订单金额": "total_fen",
    "申请退款金额": "requested_refund_fen",
    "费率备注": "fee_rate_note",
}

SUMMARY_COLUMNS: dict[str, str] = {
    "总交易单数": "count",
    "应结订单总金额": "settlement_total_fen",
    "退款总金额": "refund_total_fen",
    "充值券退款总金额": "coupon_refund_total_fen",
    "手续费总金额": "fee_total_yuan",
    "订单总金额": "order_total_fen",
    "申请退款总金额": "requested_refund_total_fen",
}


class TradeBillFormatError(ValueError):
    """The bill file is not in the format WeChat documents, or does not add up."""


def yuan_to_fen(text: str) -> int:
    """Exact yuan → integer fen ("19.99" → 1999); refuses sub-fen amounts."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise TradeBillFormatError(f"not an amount: {text!r}") from exc
    if not value.is_finite():
        raise TradeBillFormatError(f"not an amount: {text!r}")
    fen = value.scaleb(2)
    if fen != fen.to_integral_value():
        raise TradeBillFormatError(f"amount finer than one fen: {text!r}")
    return int(fen)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.strip() or "0")
    except InvalidOperation as exc:
        raise TradeBillFormatError(f"not a number: {text!r}") from exc


def _unbacktick(field_text: str, *, line_no: int) -> str:
    if not field_text.startswith("`"):
        raise TradeBillFormatError(f"line {line_no}: field {field_text!r} does not start with a backtick")
    return field_text[1:]


@dataclass(frozen=True, slots=True)
class TradeBillRow:
    """One detail row of a trade bill; amounts in integer fen, the fee in yuan (sub-fen precision)."""

    trade_time: datetime
    appid: str = ""
    mchid: str = ""
    sub_mchid: str = ""
    device_info: str = ""
    transaction_id: str = ""
    out_trade_no: str = ""
    openid: str = ""
    trade_type: str = ""
    trade_state: str = ""
    bank_type: str = ""
    currency: str = ""
    settlement_total_fen: int = 0
    coupon_fen: int = 0
    refund_id: str = ""
    out_refund_no: str = ""
    refund_fen: int = 0
    coupon_refund_fen: int = 0
    refund_type: str = ""
    refund_status: str = ""
    description: str = ""
    attach: str = ""
    fee_yuan: Decimal = Decimal("0")
    fee_rate: str = ""
    total_fen: int = 0
    requested_refund_fen: int = 0
    fee_rate_note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_refund(self) -> bool:
        return self.trade_state == "REFUND"


@dataclass(frozen=True, slots=True)
class TradeBillSummary:
    count: int = 0
    settlement_total_fen: int = 0
    refund_total_fen: int = 0
    coupon_refund_total_fen: int = 0
    fee_total_yuan: Decimal = Decimal("0")
    order_total_fen: int = 0
    requested_refund_total_fen: int = 0


@dataclass(frozen=True, slots=True)
class BadBillRow:
    """A detail row that could not be read: reported on its own, the rest of the bill still counts."""

    line_no: int
    error: str
    text: str


@dataclass(frozen=True, slots=True)
class TradeBill:
    """A parsed trade bill of one day."""

    bill_date: date | None
    rows: list[TradeBillRow]
    summary: TradeBillSummary
    text: str = field(default="", repr=False)
    bad_rows: list[BadBillRow] = field(default_factory=list)

    @classmethod
    def empty(cls, bill_date: date | None = None) -> TradeBill:
        """The bill of a day without trades (WeChat answers NO_STATEMENT_EXIST)."""
        return cls(bill_date=bill_date, rows=[], summary=TradeBillSummary())


_FEN_ATTRS = {name for name in DETAIL_COLUMNS.values() if name.endswith("_fen")}


def _parse_row(header: list[str], values: list[str], *, line_no: int) -> TradeBillRow:
    if len(values) != len(header):
        raise TradeBillFormatError(f"line {line_no}: {len(values)} fields, header has {len(header)}")
    kwargs: dict[str, Any] = {}  # field name -> value of that field's type (by the column tables)
    extra: dict[str, str] = {}
    for name, raw in zip(header, values, strict=True):
        value = _unbacktick(raw, line_no=line_no).strip()
        attr = DETAIL_COLUMNS.get(name)
        if attr is None:
            extra[name] = value
        elif attr == "trade_time":
            try:
                kwargs[attr] = datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA_TZ)
            except ValueError as exc:
                raise TradeBillFormatError(f"line {line_no}: bad trade time {value!r}") from exc
        elif attr in _FEN_ATTRS:
            kwargs[attr] = yuan_to_fen(value) if value else 0
        elif attr == "fee_yuan":
            kwargs[attr] = _decimal(value)
        else:
            kwargs[attr] = value
    if "trade_time" not in kwargs:
        raise TradeBillFormatError("bill has no 交易时间 column")
    return TradeBillRow(**kwargs, extra=extra)


def _parse_summary(header: list[str], values: list[str], *, line_no: int) -> TradeBillSummary:
    if len(values) != len(header):
        raise TradeBillFormatError(f"line {line_no}: summary has {len(values)} fields, header {len(header)}")
    kwargs: dict[str, Any] = {}  # field name -> value of that field's type (by the column tables)
    for name, raw in zip(header, values, strict=True):
        value = _unbacktick(raw, line_no=line_no).strip()
        attr = SUMMARY_COLUMNS.get(name)
        if attr == "count":
            if not value.isdigit():
                raise TradeBillFormatError(f"line {line_no}: bad count {value!r}")
            kwargs[attr] = int(value)
        elif attr == "fee_total_yuan":
            kwargs[attr] = _decimal(value)
        elif attr is not None:
            kwargs[attr] = yuan_to_fen(value) if value else 0
    return TradeBillSummary(**kwargs)


def parse_trade_bill(text: str, *, bill_date: date | None = None) -> TradeBill:
    """Parse the decompressed bill text; checks every field's backtick and the summary totals.

    A detail row that cannot be read becomes a :class:`BadBillRow` (the totals are then not checked,
    as they cannot add up); a bill without header or summary is refused as a whole."""
    text = text.lstrip("\ufeff")
    lines = [(no, line) for no, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        raise TradeBillFormatError("empty bill")
    records = list(csv.reader(io.StringIO("\n".join(line for _, line in lines))))
    header = [name.strip().lstrip("`") for name in records[0]]
    if "交易时间" not in header:
        raise TradeBillFormatError("bill has no 交易时间 column")
    rows: list[TradeBillRow] = []
    bad_rows: list[BadBillRow] = []
    summary: TradeBillSummary | None = None
    index = 1
    while index < len(records):
        line_no = lines[index][0]
        values = records[index]
        if values and values[0].strip() == SUMMARY_FIRST_COLUMN:
            if index + 1 >= len(records):
                raise TradeBillFormatError("summary header without a summary row")
            summary_header = [name.strip() for name in values]
            summary = _parse_summary(summary_header, records[index + 1], line_no=lines[index + 1][0])
            if index + 2 != len(records):
                raise TradeBillFormatError(f"line {lines[index + 2][0]}: content after the summary")
            break
        try:
            rows.append(_parse_row(header, values, line_no=line_no))
        except TradeBillFormatError as exc:
            bad_rows.append(BadBillRow(line_no=line_no, error=str(exc), text=lines[index][1][:500]))
        index += 1
    if summary is None:
        raise TradeBillFormatError("bill has no summary (总交易单数) rows")
    if not bad_rows:
        _check_totals(rows, summary)
    return TradeBill(bill_date=bill_date, rows=rows, summary=summary, text=text, bad_rows=bad_rows)


def _check_totals(rows: list[TradeBillRow], summary: TradeBillSummary) -> None:
    if summary.count != len(rows):
        raise TradeBillFormatError(f"summary says {summary.count} rows, bill has {len(rows)}")
    checks = {
        "应结订单总金额": (summary.settlement_total_fen, sum(r.settlement_total_fen for r in rows)),
        "退款总金额": (summary.refund_total_fen, sum(r.refund_fen for r in rows)),
        "订单总金额": (summary.order_total_fen, sum(r.total_fen for r in rows)),
        "申请退款总金额": (summary.requested_refund_total_fen, sum(r.requested_refund_fen for r in rows)),
    }
    for name, (stated, computed) in checks.items():
        if stated != computed:
            raise TradeBillFormatError(f"{name} {stated} fen does not match the rows ({computed} fen)")

"""Trade bills (交易账单) in WeChat's official CSV format, built from the sandbox state."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from checkup.sandbox.wechatpay.state import SandboxOrder, SandboxRefund, WechatPaySandboxState

HEADER = (
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
    "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
    "手续费,费率,订单金额,申请退款金额,费率备注"
)
SUMMARY_HEADER = (
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
)
FEE_RATE = Decimal("0.006")
FEE_RATE_TEXT = "0.60%"


def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def _fee(fen: int) -> Decimal:
    return (Decimal(fen) / 100 * FEE_RATE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _bill_time(rfc3339: str) -> str:
    return datetime.fromisoformat(rfc3339).strftime("%Y-%m-%d %H:%M:%S")


def _clean(text: str) -> str:
    # Commas and line breaks would break WeChat's unquoted CSV; WeChat does not quote fields.
    return text.replace(",", "，").replace("\r", " ").replace("\n", " ")


def _line(values: list[str]) -> str:
    return ",".join("`" + value for value in values)


def _merchant_columns(order: SandboxOrder, sp_appid: str | None) -> list[str]:
    """公众账号ID, 商户号, 特约商户号: a partner order shows the provider's appid and mchid."""
    if order.sub_mchid is None:
        return [order.appid, order.mchid, "0"]
    return [sp_appid or order.appid, order.mchid, order.sub_mchid]


def _payment_row(order: SandboxOrder, sp_appid: str | None) -> tuple[str, list[str], int, int, Decimal, int, int]:
    assert order.success_time and order.transaction_id
    fee = _fee(order.total)
    values = [
        _bill_time(order.success_time),
        *_merchant_columns(order, sp_appid),
        "",
        order.transaction_id,
        order.out_trade_no,
        order.openid,
        "JSAPI",
        "SUCCESS",
        order.bank_type or "OTHERS",
        "CNY",
        _yuan(order.total),
        "0.00",
        "0",
        "0",
        "0.00",
        "0.00",
        "",
        "",
        _clean(order.description),
        _clean(order.attach),
        f"{fee:.5f}",
        FEE_RATE_TEXT,
        _yuan(order.total),
        "0.00",
        "",
    ]
    return order.success_time, values, order.total, 0, fee, order.total, 0


def _refund_row(
    order: SandboxOrder, refund: SandboxRefund, sp_appid: str | None
) -> tuple[str, list[str], int, int, Decimal, int, int]:
    assert refund.success_time
    fee = -_fee(refund.refund)
    values = [
        _bill_time(refund.success_time),
        *_merchant_columns(order, sp_appid),
        "",
        refund.transaction_id,
        order.out_trade_no,
        order.openid,
        "JSAPI",
        "REFUND",
        order.bank_type or "OTHERS",
        "CNY",
        "0.00",
        "0.00",
        refund.refund_id,
        refund.out_refund_no,
        _yuan(refund.refund),
        "0.00",
        "ORIGINAL",
        "SUCCESS",
        _clean(order.description),
        _clean(order.attach),
        f"{fee:.5f}",
        FEE_RATE_TEXT,
        "0.00",
        _yuan(refund.refund),
        "",
    ]
    return refund.success_time, values, 0, refund.refund, fee, 0, refund.refund


def _day_of(rfc3339: str | None) -> date | None:
    return datetime.fromisoformat(rfc3339).date() if rfc3339 else None


def build_trade_bill(
    state: WechatPaySandboxState,
    *,
    day: date,
    bill_type: str,
    sub_mchid: str | None = None,
    sp_appid: str | None = None,
) -> str | None:
    """The bill text of ``day`` (China time), or None when the day has no trades. The merchant's
    bill holds every trade of the merchant number (other systems' too); ``sub_mchid``: one
    sub-merchant's trades only."""
    rows = []

    def wanted(order: SandboxOrder) -> bool:
        return sub_mchid is None or order.sub_mchid == sub_mchid

    if bill_type in ("ALL", "SUCCESS"):
        for order in state.orders.values():
            if order.transaction_id and _day_of(order.success_time) == day and wanted(order):
                rows.append(_payment_row(order, sp_appid))
    if bill_type in ("ALL", "REFUND"):
        for refund in state.refunds.values():
            order = state.orders[refund.out_trade_no]
            if refund.status == "SUCCESS" and _day_of(refund.success_time) == day and wanted(order):
                rows.append(_refund_row(order, refund, sp_appid))
    if not rows:
        return None
    rows.sort(key=lambda row: row[0])
    settlement = sum(r[2] for r in rows)
    refunded = sum(r[3] for r in rows)
    fees = sum((r[4] for r in rows), Decimal("0"))
    orders_total = sum(r[5] for r in rows)
    requested = sum(r[6] for r in rows)
    lines = [HEADER, *(_line(r[1]) for r in rows), SUMMARY_HEADER]
    lines.append(
        _line(
            [
                str(len(rows)),
                _yuan(settlement),
                _yuan(refunded),
                "0.00",
                f"{fees:.5f}",
                _yuan(orders_total),
                _yuan(requested),
            ]
        )
    )
    return "\ufeff" + "\r\n".join(lines) + "\r\n"  # WeChat bills start with a UTF-8 BOM

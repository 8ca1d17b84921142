"""Which rows of a WeChat Pay trade bill are ours.

Many hospitals share one merchant number between outpatient, inpatient and other vendors: the bill
lists all of their trades. Ours are the rows of our appids whose 商户订单号 (or 商户退款单号) carries our
prefix; the rest belong to other systems and are not compared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class BillRowIds(Protocol):
    # Read-only members: a frozen dataclass row (TradeBillRow) provides them.
    @property
    def appid(self) -> str: ...

    @property
    def out_trade_no(self) -> str: ...

    @property
    def out_refund_no(self) -> str: ...


@dataclass(frozen=True, slots=True)
class BillScope:
    appids: frozenset[str]
    trade_prefix: str = "TJ"
    refund_prefix: str = "RF"

    def owns(self, row: BillRowIds) -> bool:
        """A row of ours: our appid, and our payment number (or, for a refund row, our refund number)."""
        if row.appid not in self.appids:
            return False
        return row.out_trade_no.startswith(self.trade_prefix) or (
            row.out_refund_no not in ("", "0") and row.out_refund_no.startswith(self.refund_prefix)
        )

    def owns_trade_no(self, trade_no: str | None) -> bool:
        return bool(trade_no) and str(trade_no).startswith(self.trade_prefix)

"""Reconciliation over a trade bill in the merchant platform's documented format (hand-written fixture:
tests/fixtures/wechatpay/), on a merchant number shared with outpatient and inpatient systems."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from checkup.domain.bill_scope import BillScope
from checkup.integrations.result import CallResult
from checkup.integrations.wechat.tradebill import parse_trade_bill
from checkup.services import reconciliation
from checkup.services.deps import Deps

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "wechatpay" / "tradebill-2026-11-30-shared-merchant.csv"
DAY = date(2026, 11, 30)
SCOPE = BillScope(frozenset({"wx0000000000sandbox"}), "TJ", "RF")


def the_bill():
    return parse_trade_bill(FIXTURE.read_text("utf-8"), bill_date=DAY)


def test_documented_layout_parses_with_one_bad_row():
    bill = the_bill()
    assert [(r.out_trade_no, r.trade_state) for r in bill.rows] == [
        ("TJ20261130081150A1B2C3D4", "SUCCESS"), ("MZ202611300901330017", "SUCCESS"),
        ("ZY20261130103000000088", "SUCCESS"), ("TJ20261130081150A1B2C3D4", "REFUND"),
        ("MZ202611300901330017", "REFUND")]
    assert [b.line_no for b in bill.bad_rows] == [5] and "1O0.00" in bill.bad_rows[0].error
    assert bill.summary.count == 6 and bill.summary.settlement_total_fen == 252550
    assert bill.rows[0].settlement_total_fen == 39900 and bill.rows[3].refund_fen == 39900


def test_only_our_rows_are_ours():
    ours = [(r.out_trade_no, r.out_refund_no) for r in the_bill().rows if SCOPE.owns(r)]
    assert ours == [("TJ20261130081150A1B2C3D4", "0"), ("TJ20261130081150A1B2C3D4", "RF20261130152001C0FFEE01")]
    other_appid = BillScope(frozenset({"wx7d3c1e5a2b4f6e80"}), "MZ", "MZTF")
    assert [r.out_trade_no for r in the_bill().rows if other_appid.owns(r)] == ["MZ202611300901330017"] * 2


@dataclass
class FakeWechatPay:
    appid: str = "wx0000000000sandbox"

    async def download_trade_bill(self, day: date):
        assert day == DAY
        return the_bill()


class FakeHis:
    async def settlements(self, *, day: date):
        return CallResult.success([])


def fake_deps(**overrides) -> Deps:
    values = dict(his=FakeHis(), peis=None, wechat_login=None, pii=None, tokens=None, wechatpay=FakeWechatPay(),
                  bill_scope=SCOPE)
    values.update(overrides)
    return Deps(**values)  # type: ignore[arg-type]


async def test_a_malformed_row_is_one_difference_and_foreign_rows_none(db):
    result = await reconciliation.reconcile(fake_deps(), day=DAY)
    kinds = [(d["kind"], d.get("refund_no") or d.get("payment_no") or d.get("line_no")) for d in result["differences"]]
    # Our two rows have no counterpart in an empty ledger: both reported, with what to do; the
    # malformed row on its own; outpatient and inpatient rows are not compared.
    assert kinds == [("bill_row_malformed", 5), ("wechat_not_ours", "TJ20261130081150A1B2C3D4"),
                     ("refund_mismatch", "RF20261130152001C0FFEE01")]
    for difference in result["differences"]:
        assert difference["kind_text"] and difference["cause"] and difference["action"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in difference["cause"] + difference["action"])
    assert result["sources"] == {"wechat_rows": 2, "foreign_rows": 3, "bad_rows": 1, "his_rows": 0, "ours": 0,
                                 "refunds": 0, "converged": 0}


async def test_without_a_scope_every_row_of_the_shared_bill_would_count(db):
    wide = BillScope(frozenset({"wx0000000000sandbox", "wx7d3c1e5a2b4f6e80"}), "", "")
    result = await reconciliation.reconcile(fake_deps(bill_scope=wide), day=DAY)
    assert result["sources"]["foreign_rows"] == 0
    assert sum(d["kind"] == "wechat_not_ours" for d in result["differences"]) == 3


async def test_today_and_later_cannot_be_reconciled(db):
    from datetime import UTC, datetime

    from checkup.domain.errors import Conflict

    late_evening = datetime(2026, 11, 30, 15, 59, tzinfo=UTC)  # 23:59 in Shanghai
    with pytest.raises(Conflict) as info:
        await reconciliation.reconcile(fake_deps(now=lambda: late_evening), day=DAY)
    assert info.value.code == "DAY_NOT_ENDED"
    next_morning = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 00:00 on 12-01 in Shanghai
    assert (await reconciliation.reconcile(fake_deps(now=lambda: next_morning), day=DAY))["sources"]["bad_rows"] == 1

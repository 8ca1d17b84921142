"""Daily three-way reconciliation (对账): WeChat trade bill, HIS settlements, our ledger.

Only our rows of the merchant's bill are compared (a merchant number is often shared with outpatient,
inpatient and other vendors: see domain/bill_scope.py). Payments are matched by our trade number
(out_trade_no), refunds by refund number (WeChat) and by trade number and amount (HIS), and HIS refund
rows on their own. A payment that was held or refused by HIS and then refunded in full has converged
(no money left on one side): it is counted, not reported. Every difference says in Chinese what
happened (cause) and what to do (action). A bill row that cannot be read is a difference of its own.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from checkup.domain.bill_scope import BillScope
from checkup.domain.clock import SHANGHAI, iso, shanghai_today
from checkup.domain.errors import Conflict
from checkup.services.deps import Deps
from checkup.services.refunds import wechat_no
from checkup.services.upstream import unwrap

KIND_TEXT = {
    "wechat_not_his": "微信已收款，医院系统无入账",
    "his_not_wechat": "医院系统有入账，微信无收款",
    "amount_mismatch": "金额不一致",
    "wechat_not_ours": "微信有收款，本系统无记录",
    "ours_not_wechat": "本系统已收款，微信账单无记录",
    "held": "通知金额与订单不符，已挂起",
    "refund_mismatch": "退款记录不一致",
    "his_refund_not_ours": "医院系统有退费，本系统无对应退款",
    "bill_row_malformed": "微信账单行无法读取",
}


class DayNotEnded(Conflict):
    code = "DAY_NOT_ENDED"
    default_message = "该日（北京时间）尚未结束，不能对账；微信账单于次日 10 点后可下载"


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The Asia/Shanghai day as a UTC interval (timestamps are stored in UTC)."""
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI).astimezone(UTC)
    return start, start + timedelta(days=1)


def day_has_ended(day: date, now: datetime) -> bool:
    """A day can be reconciled once it has ended in Asia/Shanghai (its bill is complete)."""
    return day < shanghai_today(now)


def _blank(value: str | None) -> bool:
    return value in (None, "", "0")


def _yuan(fen: int | None) -> str:
    return "—" if fen is None else f"{fen / 100:.2f} 元"


def _diff(kind: str, cause: str, action: str, **refs: object) -> dict:
    return {"kind": kind, "kind_text": KIND_TEXT[kind], "cause": cause, "action": action, **refs}


def _scope(deps: Deps) -> BillScope:
    if deps.bill_scope is not None:
        return deps.bill_scope
    client = deps.wechatpay
    return BillScope(frozenset(a for a in (client.appid, getattr(client, "sp_appid", None)) if a))


async def reconcile(deps: Deps, *, day: date) -> dict:
    """Compute (and store) the day's match; a day with no differences says so."""
    if not day_has_ended(day, deps.now()):
        raise DayNotEnded(date=day.isoformat())
    scope = _scope(deps)
    bill = await deps.wechatpay.download_trade_bill(day)
    settlements = unwrap(await deps.his.settlements(day=day), system="HIS")
    start, end = day_bounds(day)
    reads = deps.uow(write=False)
    ours = {p.payment_no: p for p in await reads.payments.paid_between(start, end)}
    # keyed as WeChat's bill names them: the out_refund_no in use (RF…-2 after a CLOSED try was sent again)
    refunds = {wechat_no(r): r for r in await reads.refunds.succeeded_between(start, end)}
    refunded: dict[int, int] = defaultdict(int)  # payment id -> fen refunded at WeChat (any day)
    for done in await reads.refunds.succeeded_of_payments([p.id for p in ours.values()]):
        refunded[done.payment_id] += done.amount_fen

    own_rows = [r for r in bill.rows if scope.owns(r)]
    # WeChat writes 0 in the refund columns of a payment row.
    wx_pay = {r.out_trade_no: r for r in own_rows if _blank(r.out_refund_no) and r.trade_state == "SUCCESS"}
    wx_refund = {r.out_refund_no: r for r in own_rows if not _blank(r.out_refund_no)}
    his_pay = {s.trade_no: s for s in settlements if s.kind == "pay" and s.trade_no}
    his_refund_rows = [s for s in settlements if s.kind == "refund" and scope.owns_trade_no(s.trade_no)]
    his_refund: dict[str, list[int]] = defaultdict(list)
    for s in his_refund_rows:
        his_refund[s.trade_no or ""].append(-s.amount_fen)

    differences: list[dict] = [
        _diff("bill_row_malformed", f"微信账单第 {bad.line_no} 行无法读取（{bad.error}）",
              "请在微信支付商户平台下载该日交易账单核对此行；账单其余各行已正常对账", line_no=bad.line_no)
        for bad in bill.bad_rows
    ]
    matched = converged = 0
    for no in sorted(set(wx_pay) | set(his_pay) | set(ours)):
        w, h, o = wx_pay.get(no), his_pay.get(no), ours.get(no)
        taken = (w.total_fen or w.settlement_total_fen) if w else ((o.paid_amount_fen or o.amount_fen) if o else 0)
        returned = o is not None and refunded[o.id] >= max(taken, 1) and h is None
        if o is not None and o.status == "held":
            if returned:
                converged += 1  # held, then refunded in full: nothing left on either side
                continue
            differences.append(_diff("held", f"支付通知金额与订单不符（{o.held_reason}），未回写医院系统",
                                     "请核实后在“缴费记录”中对该笔发起退款", payment_no=no,
                                     amount_fen=o.paid_amount_fen))
            continue
        if w and h and o and w.settlement_total_fen == h.amount_fen == o.amount_fen:
            matched += 1
            continue
        if w and o is None:
            differences.append(_diff("wechat_not_ours", "微信账单中有本系统单号的收款，但本系统没有这笔支付单",
                                     "请核查该订单号的来源，确认后在商户平台处理（必要时退款）",
                                     payment_no=no, transaction_id=w.transaction_id,
                                     amount_fen=w.settlement_total_fen))
        elif w and not h and o is not None:  # (o is there: the branch above took w without o)
            if o.his_status == "failed" and returned:
                converged += 1  # HIS refused, the automatic refund went through: converged
                continue
            if o.his_status == "failed":
                cause = f"医院系统拒绝入账（{o.his_error}），自动全额退款尚未完成"
                action = "退款任务自动重试中；如在“任务”页显示失败，请按提示重新发起退款"
            else:
                cause, action = "回写医院系统尚未完成", "回写任务重试中；超时未完成时“任务”页会提示人工处理"
            differences.append(_diff("wechat_not_his", cause, action, payment_no=no, transaction_id=w.transaction_id,
                                     amount_fen=w.settlement_total_fen))
        elif h and not w:
            differences.append(_diff("his_not_wechat", "医院系统有该笔入账，但微信账单中没有对应收款",
                                     "请核对次日账单（跨零点的交易可能计入次日）；仍无则联系信息科核查医院系统入账",
                                     payment_no=no, amount_fen=h.amount_fen))
        elif o is not None and not w:
            differences.append(_diff("ours_not_wechat", "本系统记为已收款，但微信账单中没有该笔收款",
                                     "请在商户平台按订单号查询该笔交易，并联系信息科核查", payment_no=no,
                                     amount_fen=o.amount_fen))
        else:
            amounts = {"wechat": w.settlement_total_fen if w else None, "his": h.amount_fen if h else None,
                       "ours": o.amount_fen if o else None}
            differences.append(_diff(
                "amount_mismatch",
                f"三方金额不一致：微信 {_yuan(amounts['wechat'])}，医院系统 {_yuan(amounts['his'])}，"
                f"本系统 {_yuan(amounts['ours'])}",
                "请核对该笔收费单的金额，与信息科确认以哪一方为准后处理", payment_no=no, amounts=amounts))

    for no in sorted(set(wx_refund) | set(refunds)):
        w, r = wx_refund.get(no), refunds.get(no)
        if r is None:
            differences.append(_diff("refund_mismatch", "微信账单中有该笔退款，本系统没有成功的退款记录",
                                     "请在商户平台核查该退款由谁发起；如为本系统退款，请检查“任务”页的退款任务",
                                     refund_no=no, payment_no=w.out_trade_no if w else None,
                                     amount_fen=w.refund_fen if w else None))
            continue
        his_ok = not r.needs_his_refund or r.amount_fen in his_refund.get(r.payment.payment_no, [])
        if w is None or w.refund_fen != r.amount_fen or not his_ok:
            if w is None:
                cause, action = "本系统记为退款成功，但微信账单中没有该笔退款", "请核对次日账单；仍无则在商户平台按退款单号查询"
            elif w.refund_fen != r.amount_fen:
                cause = f"退款金额不一致：微信 {_yuan(w.refund_fen)}，本系统 {_yuan(r.amount_fen)}"
                action = "请在商户平台核对该笔退款金额"
            else:
                cause = "微信已退款，但医院系统当日无对应退费记录"
                action = "请联系信息科在医院系统核查该笔退费（退费可能计入其他日期）"
            differences.append(_diff("refund_mismatch", cause, action, refund_no=no,
                                     payment_no=r.payment.payment_no, amount_fen=r.amount_fen))

    differences += await _his_refunds_not_ours(deps, his_refund_rows)

    sources = {"wechat_rows": len(own_rows), "foreign_rows": len(bill.rows) - len(own_rows),
               "bad_rows": len(bill.bad_rows), "his_rows": len(settlements), "ours": len(ours),
               "refunds": len(refunds), "converged": converged}
    result = {
        "date": day.isoformat(),
        "matched": matched,
        "differences": differences,
        "summary": "无差异" if not differences else f"{len(differences)} 项差异",
        "sources": sources,
        "created_at": iso(deps.now()),
    }
    await reads.payments.save_reconciliation(day, matched=matched, differences=differences, sources=sources)
    from checkup.services.ops_report import note_reconciliation

    await note_reconciliation(day)  # the day's operation figures keep the differences first found
    return result


async def _his_refunds_not_ours(deps: Deps, rows: list) -> list[dict]:
    """HIS refund rows of our trades, each matched to one of our refunds that refunded HIS (trade, amount)."""
    if not rows:
        return []
    trade_nos = sorted({s.trade_no for s in rows})
    available: dict[tuple[str, int], int] = defaultdict(int)
    for r in await deps.uow(write=False).refunds.his_refunded_of_trades(trade_nos):
        available[(r.payment.payment_no, r.amount_fen)] += 1
    found = []
    for s in sorted(rows, key=lambda s: (s.trade_no, s.settle_no)):
        key = (s.trade_no, -s.amount_fen)
        if available[key] > 0:
            available[key] -= 1
            continue
        found.append(_diff(
            "his_refund_not_ours", f"医院系统有该笔交易的退费（退费单 {s.settle_no}，{_yuan(-s.amount_fen)}），"
            "本系统没有对应的退款", "请向医院收费处核实：若已在窗口退给患者，微信款项不可再退；"
            "若为误操作，请在医院系统冲正", payment_no=s.trade_no, amount_fen=-s.amount_fen))
    return found

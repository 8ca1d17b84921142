"""Daily three-way reconciliation (对账): WeChat trade bill, HIS settlements, our ledger.

Payments are matched by our trade number (out_trade_no), refunds by refund number (WeChat) and by
trade number and amount (HIS). Every difference is classified with its cause and what was done.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from checkup.db.models import Payment, Reconciliation, Refund
from checkup.domain.clock import SHANGHAI, iso
from checkup.services.deps import Deps
from checkup.services.upstream import unwrap

KIND_TEXT = {
    "wechat_not_his": "微信已收款，医院系统无入账",
    "his_not_wechat": "医院系统有入账，微信无收款",
    "amount_mismatch": "金额不一致",
    "wechat_not_ours": "微信有收款，本系统无记录",
    "ours_not_wechat": "本系统已收款，微信账单无记录",
    "held": "通知金额与订单不符，已挂起",
    "refund_mismatch": "退款记录不一致",
}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The Asia/Shanghai day as a UTC interval (timestamps are stored in UTC)."""
    start = datetime.combine(day, time.min, tzinfo=SHANGHAI).astimezone(UTC)
    return start, start + timedelta(days=1)


def _blank(value: str | None) -> bool:
    return value in (None, "", "0")


def _diff(kind: str, cause: str, action: str, **refs) -> dict:
    return {"kind": kind, "kind_text": KIND_TEXT[kind], "cause": cause, "action": action, **refs}


async def reconcile(deps: Deps, *, day: date) -> dict:
    """Compute (and store) the day's match; a day with no differences says so."""
    bill = await deps.wechatpay.download_trade_bill(day)
    settlements = unwrap(await deps.his.settlements(day=day), system="HIS")
    start, end = day_bounds(day)
    ours = {p.payment_no: p for p in await Payment.filter(paid_at__gte=start, paid_at__lt=end,
                                                          status__in=("paid", "held"))}
    refunds = {r.refund_no: r for r in await Refund.filter(succeeded_at__gte=start, succeeded_at__lt=end,
                                                           status="succeeded").prefetch_related("payment")}

    # WeChat writes 0 in the refund columns of a payment row.
    wx_pay = {r.out_trade_no: r for r in bill.rows if _blank(r.out_refund_no) and r.trade_state == "SUCCESS"}
    wx_refund = {r.out_refund_no: r for r in bill.rows if not _blank(r.out_refund_no)}
    his_pay = {s.trade_no: s for s in settlements if s.kind == "pay" and s.trade_no}
    his_refund: dict[str, list[int]] = defaultdict(list)
    for s in settlements:
        if s.kind == "refund" and s.trade_no:
            his_refund[s.trade_no].append(-s.amount_fen)

    differences: list[dict] = []
    matched = 0
    for no in sorted(set(wx_pay) | set(his_pay) | set(ours)):
        w, h, o = wx_pay.get(no), his_pay.get(no), ours.get(no)
        if o is not None and o.status == "held":
            differences.append(_diff("held", o.held_reason, "待财务人员核实后退款", payment_no=no,
                                     amount_fen=o.paid_amount_fen))
            continue
        if w and h and o and w.settlement_total_fen == h.amount_fen == o.amount_fen:
            matched += 1
            continue
        if w and o is None:
            differences.append(_diff("wechat_not_ours", "本系统无此订单", "请核查商户号是否被其他系统使用",
                                     payment_no=no, transaction_id=w.transaction_id,
                                     amount_fen=w.settlement_total_fen))
        elif w and not h:
            if o.his_status == "failed":
                cause, action = f"医院系统拒绝入账（{o.his_error}）", "已自动发起全额退款"
            else:
                cause, action = "回写医院系统尚未完成", "回写任务重试中，超时将提示人工处理"
            differences.append(_diff("wechat_not_his", cause, action, payment_no=no, transaction_id=w.transaction_id,
                                     amount_fen=w.settlement_total_fen))
        elif h and not w:
            differences.append(_diff("his_not_wechat", "微信账单中没有该笔收款", "请人工核查（可能为账单日期切换）",
                                     payment_no=no, amount_fen=h.amount_fen))
        elif o is not None and not w:
            differences.append(_diff("ours_not_wechat", "微信账单中没有该笔收款", "请人工核查", payment_no=no,
                                     amount_fen=o.amount_fen))
        else:
            amounts = {"wechat": w.settlement_total_fen if w else None, "his": h.amount_fen if h else None,
                       "ours": o.amount_fen if o else None}
            differences.append(_diff("amount_mismatch", f"三方金额不一致：{amounts}", "请人工核查",
                                     payment_no=no, amounts=amounts))

    for no in sorted(set(wx_refund) | set(refunds)):
        w, r = wx_refund.get(no), refunds.get(no)
        if r is None:
            differences.append(_diff("refund_mismatch", "微信有退款，本系统无成功记录", "请人工核查",
                                     refund_no=no, amount_fen=w.refund_fen if w else None))
            continue
        his_ok = not r.needs_his_refund or r.amount_fen in his_refund.get(r.payment.payment_no, [])
        if w is None or w.refund_fen != r.amount_fen or not his_ok:
            cause = "微信账单无此退款" if w is None else ("退款金额不一致" if w.refund_fen != r.amount_fen
                                                      else "医院系统无对应退费")
            differences.append(_diff("refund_mismatch", cause, "请人工核查", refund_no=no,
                                     payment_no=r.payment.payment_no, amount_fen=r.amount_fen))

    result = {
        "date": day.isoformat(),
        "matched": matched,
        "differences": differences,
        "summary": "无差异" if not differences else f"{len(differences)} 项差异",
        "sources": {"wechat_rows": len(bill.rows), "his_rows": len(settlements), "ours": len(ours),
                    "refunds": len(refunds)},
        "created_at": iso(deps.now()),
    }
    await Reconciliation.update_or_create(
        day=day, defaults={"matched": matched, "differences": differences, "sources": result["sources"]}
    )
    return result

"""The monthly 系统运行报告 as PDF (reportlab platypus, the embedded CJK font of reports/pdf.py) and xlsx
(XlsxWriter), from the dict of services/ops_report.monthly."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import xlsxwriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from checkup.reports.pdf import DEFAULT_FONT, register_font
from checkup.services.ops_report import FAMILY_TEXT, SYSTEM_TEXT

PDF_MIME = "application/pdf"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

BOOKING_TEXT = {"booked": "新增预约", "cancelled": "取消预约", "cancelled_by_patient": "其中患者取消",
                "cancelled_by_staff": "其中工作人员取消", "cancelled_by_his": "其中医院窗口退费取消",
                "cancelled_by_system": "其中系统取消", "confirmed": "到检确认", "no_show": "爽约"}
PAYMENT_TEXT = {"created": "支付单创建", "paid": "支付成功", "paid_fen": "支付金额（元）", "closed": "关闭（超时未付）",
                "held": "金额不符挂起", "his_settled": "回写 HIS 成功", "his_failed": "回写 HIS 失败",
                "his_pending": "回写 HIS 处理中"}
REFUND_TEXT = {"requested": "退款申请", "requested_fen": "申请金额（元）", "by_patient": "其中患者申请",
               "his_failed": "其中回写失败自动退款", "by_staff": "其中工作人员发起", "succeeded": "退款成功",
               "succeeded_fen": "退款成功金额（元）", "failed": "退款失败", "abnormal": "退款异常（待处理）"}
JOB_TEXT = {"created": "后台任务", "retried": "重试过的任务", "failed": "重试耗尽失败", "waiting": "仍在等待"}
SECURITY_TEXT = {"login_failures": "管理后台登录失败", "login_throttled": "登录被限速", "open_refused": "开放接口拒绝（签名等）",
                 "patient_events": "患者端安全事件（验证码错误、令牌被拒）", "other_refused": "其他被拒绝的操作",
                 "break_glass": "服务器端应急操作（解锁/重置密码）", "pii_reveals": "查看完整个人信息",
                 "role_changes": "账号变更（含角色）"}


def _money(key: str, value: Any) -> Any:
    return f"{value / 100:.2f}" if key.endswith("_fen") else value


def _pct(value: float | None) -> str:
    return "未记录" if value is None else f"{value}%"


def sections(report: dict[str, Any]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report as titled tables (header, rows): the PDF and the workbook print the same tables."""
    a = report["availability"]
    out: list[tuple[str, list[str], list[list[Any]]]] = [
        ("一、可用性", ["指标", "数值"], [
            ["服务可用率（5分钟心跳时段）", _pct(a["percent"])],
            ["有心跳记录的天数", a["recorded_days"]],
            ["就绪检查应答 / 未就绪", f"{a['ready_answers']} / {a['not_ready_answers']}"]]),
        ("二、接口请求量与响应时间", ["接口类别", "请求数", "服务端错误", "错误率", "平均毫秒", "最慢毫秒", "慢请求(>1秒)"],
         [[FAMILY_TEXT.get(k, k), t["count"], t["errors"], f"{t['error_percent']}%", t["avg_ms"], t["max_ms"], t["slow"]]
          for k, t in report["requests"].items()]),
        ("三、HIS/PEIS 调用结果与耗时", ["系统", "调用数", "无应答", "无应答率", "平均毫秒", "最慢毫秒", "慢调用(>1秒)"],
         [[SYSTEM_TEXT.get(k, k), t["count"], t["errors"], f"{t['error_percent']}%", t["avg_ms"], t["max_ms"], t["slow"]]
          for k, t in report["upstream"].items()]),
        ("四、预约", ["指标", "数量"], [[BOOKING_TEXT[k], report["bookings"].get(k, 0)] for k in BOOKING_TEXT]),
        ("五、支付", ["指标", "数量"], [[PAYMENT_TEXT[k], _money(k, report["payments"].get(k, 0))] for k in PAYMENT_TEXT]),
        ("六、退款", ["指标", "数量"], [[REFUND_TEXT[k], _money(k, report["refunds"].get(k, 0))] for k in REFUND_TEXT]),
        ("七、后台任务", ["指标", "数量"], [[JOB_TEXT[k], report["jobs"].get(k, 0)] for k in JOB_TEXT]),
    ]
    rec = report["reconciliation"]
    out.append(("八、对账差异及处理", ["指标", "数量"], [
        ["已对账天数", rec["days_reconciled"]], ["未对账天数", len(rec["days_not_reconciled"])],
        ["核对一致笔数", rec["matched"]], ["发现差异", rec["differences"]], ["已解决", rec["resolved"]],
        ["仍未解决", rec["open"]]]))
    out.append(("九、安全事件", ["事件", "次数"], [[SECURITY_TEXT[k], report["security"].get(k, 0)] for k in SECURITY_TEXT]))
    anchor = report.get("audit_anchor")
    out.append(("十、审计链锚点", ["项目", "内容"], [
        ["最后锚点时间", _when(anchor["at"]) if anchor else "未记录"], ["最后记录号", anchor["last_id"] if anchor else "-"],
        ["记录条数", anchor["count"] if anchor else "-"], ["链哈希", (anchor["hash"] or "")[:32] if anchor else "-"]]))
    c = report["capacity"]
    out.append(("十一、每日号源使用", ["日期", "号源", "已约", "使用率", "新增预约", "取消", "支付笔数", "支付金额（元）", "请求数",
                              "可用率"],
                [[d["day"], d["capacity"], d["booked"], _pct(d["use_percent"]) if d["open"] else "停诊",
                  d["bookings"], d["cancelled"], d["paid"], f"{d['paid_fen'] / 100:.2f}", d["requests"],
                  _pct(d["availability_percent"])] for d in report["days"]]
                + [["合计", c["capacity"], c["booked"], _pct(c["use_percent"]), "", "", "", "", "", ""]]))
    out.append(("十二、建议", ["序号", "建议（依据阈值得出）"],
                [[i, text] for i, text in enumerate(report["recommendations"], start=1)]))
    out.append(("十三、未记录的数据", ["序号", "说明"],
                [[i, text] for i, text in enumerate(report["not_recorded"], start=1)] or [[1, "无"]]))
    return out


def _when(text: str) -> str:
    """Times as Beijing time to the minute: 2026-12-03T19:03:14+08:00 -> 2026-12-03 19:03."""
    return text[:16].replace("T", " ")


def title(report: dict[str, Any], hospital: str) -> str:
    year, month = report["month"].split("-")
    return f"{hospital} 体检预约缴费系统 {year}年{int(month)}月 系统运行报告"


def build_pdf(report: dict[str, Any], *, hospital: str, font: Path = DEFAULT_FONT) -> bytes:
    name = register_font(font)
    h1 = ParagraphStyle("h1", fontName=name, fontSize=15, leading=20, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=name, fontSize=11.5, leading=16, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=name, fontSize=8.5, leading=11)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=14 * mm, rightMargin=14 * mm, topMargin=14 * mm,
                            bottomMargin=14 * mm, title=title(report, hospital), author=hospital)
    story: list[Any] = [Paragraph(title(report, hospital), h1),
                        Paragraph(f"统计月份：{report['month']}　生成时间：{_when(report['generated_at'])}（北京时间）　"
                                  f"覆盖天数：{report['days_covered']}", body)]
    for heading, header, rows in sections(report):
        story.append(Paragraph(heading, h2))
        data = [[Paragraph(str(c), body) for c in header]] + [[Paragraph(str(c), body) for c in row] for row in rows]
        if not rows:
            data.append([Paragraph("本月没有记录", body)] + [""] * (len(header) - 1))
        width = A4[0] - 28 * mm
        first = 60 * mm if len(header) == 2 else width * 0.16
        widths = [first] + [(width - first) / (len(header) - 1)] * (len(header) - 1)
        table = Table(data, repeatRows=1, hAlign="LEFT", colWidths=widths)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F2")),
                                   ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9DB2CF")),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        story += [table, Spacer(1, 2 * mm)]

    def footer(canvas: Canvas, document: BaseDocTemplate) -> None:
        canvas.setFont(name, 8)
        canvas.drawRightString(A4[0] - 14 * mm, 8 * mm, f"第 {document.page} 页")

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()


def build_xlsx(report: dict[str, Any], *, hospital: str) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#DCE6F2", "border": 1})
    cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    section = wb.add_format({"bold": True})
    summary = wb.add_worksheet("运行报告")
    summary.set_column(0, 0, 34)
    summary.set_column(1, 9, 14)
    summary.write(0, 0, title(report, hospital), bold)
    summary.write(1, 0, f"统计月份：{report['month']}　生成时间：{_when(report['generated_at'])}（北京时间）　"
                        f"覆盖天数：{report['days_covered']}")
    row = 3
    for heading, header, rows in sections(report):
        sheet = summary
        sheet.write(row, 0, heading, section)
        row += 1
        for col, text in enumerate(header):
            sheet.write(row, col, text, head)
        row += 1
        for values in rows or [["本月没有记录"]]:
            for col, value in enumerate(values):
                sheet.write(row, col, value, cell)
            row += 1
        row += 1
    wb.close()
    return buf.getvalue()

"""安全审计导出 (`checkup audit export`): the workbook a security audit asks for, from the database.

Sheet 「账号」: every staff account with its roles, state and last login. Sheet 「角色变更」: every
account creation and every change of roles or of the active flag in the period (from the audit
trail, before and after). Sheet 「操作日志」: the audit rows of the period, filtered by actor,
action prefix and outcome. Text cells are written as text (a value starting with "=" never becomes
a formula); personal data in the audit trail is already masked when written (services/audit.py).
"""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from checkup.db.uow import unit_of_work
from checkup.domain.clock import SHANGHAI
from checkup.domain.roles import ALL_ROLES
from checkup.services.audit import _day_start

ROLE_NAMES = {"admin": "管理员", "staff": "体检中心", "finance": "财务", "auditor": "审计员"}
OUTCOMES = {"success": "成功", "failure": "失败"}
_BOLD = Font(bold=True)


def _text(ws, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _row(ws, values: list[Any], *, header: bool = False) -> None:
    cells = [_text(ws, v) for v in values]
    if header:
        for c in cells:
            c.font = _BOLD
    ws.append(cells)


def _local(dt) -> str:
    return dt.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if dt else ""


def _roles(roles: list[str] | None) -> str:
    return "、".join(ROLE_NAMES.get(r, r) for r in ALL_ROLES if r in (roles or []))


async def build_security_workbook(*, start: date, end: date, now: datetime, actor: str | None = None,
                                  action: str | None = None, outcome: str | None = None) -> tuple[bytes, dict[str, int]]:
    """The workbook and its row counts per sheet; days are Asia/Shanghai, ``end`` included."""
    from datetime import timedelta

    wb = Workbook(write_only=True)
    accounts = wb.create_sheet("账号")
    _row(accounts, ["用户名", "姓名", "角色", "状态", "最后登录", "连续登录失败", "须修改密码", "创建时间"], header=True)
    work = unit_of_work(write=False)
    users = await work.staff.all_accounts()
    for u in users:
        _row(accounts, [u.username, u.name, _roles(u.roles), "启用" if u.is_active else "停用", _local(u.last_login_at),
                        u.failed_logins, "是" if u.must_change_password else "否", _local(u.created_at)])

    low, high = _day_start(start), _day_start(end + timedelta(days=1))
    changes = wb.create_sheet("角色变更")
    _row(changes, ["时间", "操作人", "账号", "动作", "变更前角色", "变更后角色", "变更前状态", "变更后状态", "结果"],
         header=True)
    n_changes = 0
    for r in await work.audit.successes_of(["staff.create", "staff.update"], low=low, high=high):
        before, after = (r.detail or {}).get("before") or {}, (r.detail or {}).get("after") or {}
        if r.action == "staff.update" and before.get("roles") == after.get("roles") \
                and before.get("active") == after.get("active"):
            continue  # a name or password change: not a change of rights
        _row(changes, [_local(r.at), r.actor, r.target.removeprefix("staff:"), "新建账号" if r.action == "staff.create"
                       else "修改账号", _roles(before.get("roles")), _roles(after.get("roles")),
                       "" if "active" not in before else ("启用" if before["active"] else "停用"),
                       "" if "active" not in after else ("启用" if after["active"] else "停用"), OUTCOMES[r.outcome]])
        n_changes += 1

    log = wb.create_sheet("操作日志")
    _row(log, ["编号", "时间", "操作人", "来源地址", "动作", "对象", "结果", "详情"], header=True)
    n_log = 0
    last_id = 0
    while True:  # in id batches: a month of a busy center fits, memory stays flat
        rows = await work.audit.matching_after(last_id, low=low, high=high, actor=actor, action_prefix=action,
                                               outcome=outcome, limit=2000)
        if not rows:
            break
        for r in rows:
            _row(log, [r.id, _local(r.at), r.actor, r.ip, r.action, r.target, OUTCOMES.get(r.outcome, r.outcome),
                       json.dumps(r.detail, ensure_ascii=False, sort_keys=True)[:32000]])
            n_log += 1
            last_id = r.id
    info = wb.create_sheet("说明")
    for line in (["安全审计导出"], ["期间", f"{start.isoformat()} 至 {end.isoformat()}（北京时间）"],
                 ["筛选", f"操作人={actor or '全部'}；动作={action or '全部'}；结果={outcome or '全部'}"],
                 ["账号", str(len(users))], ["角色变更", str(n_changes)], ["操作日志", str(n_log)],
                 ["导出时间", _local(now)]):
        _row(info, list(line))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), {"accounts": len(users), "role_changes": n_changes, "operations": n_log}

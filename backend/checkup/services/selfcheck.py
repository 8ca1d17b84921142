"""网络安全自查 (`checkup selfcheck`): what the hospital's regular security self-check asks about the
system, read from the running configuration and the database rather than written by hand.

Each check answers findings (something to fix) and notes (facts for the report). The command prints
the report in Chinese, optionally writes it as xlsx, and exits 1 when there is a finding:

- settings: every secret strong and distinct (config.secret_weakness), production mode, sandbox off,
  TLS on the public address, CORS origins, trusted proxies;
- database grants: the application account may not UPDATE or DELETE the audit table (MySQL/MariaDB);
- accounts: how many admins, accounts unused for 90 days, passwords older than 180 days, passwords still to
  be changed, failures;
- dependencies against a vulnerability list the hospital downloads elsewhere and imports offline
  (JSON: [{"package", "affected" (a PEP 440 specifier such as "<2.32.0"), "id", "summary"}]);
- the audit chain (keyed hashes, anchors) and the age of the newest anchor;
- the age of the newest backup (deploy/backup/backup.sh writes checkup-*.sql.gz).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from checkup.config import SANDBOX_TEST_PREFIX, Settings, secret_weakness
from checkup.db.uow import unit_of_work
from checkup.domain.roles import ADMIN

UNUSED_DAYS = 90
PASSWORD_MAX_DAYS = 180  # password policy: a staff password older than this is a finding
BACKUP_MAX_AGE = timedelta(hours=36)
ANCHOR_MAX_AGE = timedelta(hours=36)


@dataclass
class Section:
    title: str
    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class SelfCheck:
    at: datetime
    sections: list[Section]

    @property
    def findings(self) -> list[str]:
        return [f"{s.title}：{f}" for s in self.sections for f in s.findings]

    def as_json(self) -> dict[str, Any]:
        """The report for the console page (GET /api/console/selfcheck)."""
        return {"generated_at": self.at.isoformat(timespec="seconds"), "findings": len(self.findings),
                "sections": [{"title": s.title, "findings": s.findings, "notes": s.notes} for s in self.sections]}

    def text(self) -> str:
        lines = ["网络安全自查报告", f"检查时间：{self.at.isoformat(timespec='seconds')}", ""]
        for s in self.sections:
            lines.append(f"【{s.title}】" + ("发现问题" if s.findings else "未发现问题"))
            lines += [f"  ✗ {f}" for f in s.findings]
            lines += [f"  · {n}" for n in s.notes]
            lines.append("")
        lines.append(f"结论：发现 {len(self.findings)} 项问题" if self.findings else "结论：未发现问题")
        return "\n".join(lines)


def check_settings(settings: Settings) -> Section:
    s = Section("配置")
    if settings.env != "prod":
        s.findings.append(f"运行环境为 {settings.env}（生产应为 prod，prod 才会拒绝弱密钥与沙箱）")
    if settings.sandbox:
        s.findings.append("沙箱已开启（CHECKUP_SANDBOX），生产环境必须关闭")
    for name, value in settings.secret_values().items():
        optional = name in {"pii_hash_key", "metrics_token", "admin_password", "wechat_oa_secret"}
        if name == "admin_password" or (value is None and optional):
            continue
        if name == "wechat_oa_secret" and value == SANDBOX_TEST_PREFIX + "wechat-oa-secret":
            continue  # only `checkup wechat menu` uses it, and that command refuses it itself
        why = secret_weakness(value, min_length=16 if name == "metrics_token" else 32)
        if why:
            s.findings.append(f"CHECKUP_{name.upper()} 不可用作密钥：{why}")
    seen: dict[str, str] = {}
    for name, value in settings.secret_values().items():
        if value and value in seen and not (name.startswith("pii_") and seen[value].startswith("pii_")):
            s.findings.append(f"CHECKUP_{seen[value].upper()} 与 CHECKUP_{name.upper()} 使用同一密钥")
        seen.setdefault(value or "", name)
    if not settings.base_url.startswith("https://"):
        s.findings.append(f"对外地址 {settings.base_url} 不是 HTTPS")
    if any(o == "*" for o in settings.cors_origin_list):
        s.findings.append("CORS 允许任意来源（*）")
    s.notes.append(f"CORS 来源：{', '.join(settings.cors_origin_list) or '无（仅同源管理后台）'}")
    s.notes.append(f"信任的反向代理层数：{settings.proxies_count}")
    s.notes.append(f"限流：{'开启' if settings.rate_limits else '关闭'}")
    if not settings.rate_limits:
        s.findings.append("限流已关闭（CHECKUP_RATE_LIMITS=false）")
    return s


_WRITE = re.compile(r"\b(ALL PRIVILEGES|UPDATE|DELETE|DROP|ALTER)\b")


async def check_grants(settings: Settings) -> Section:
    s = Section("数据库权限")
    if not settings.is_mysql:
        s.notes.append("SQLite（仅用于开发与演示）：没有账号权限，审计表只可追加由代码保证")
        if settings.env == "prod":
            s.findings.append("生产环境使用 SQLite")
        return s
    async with unit_of_work(write=False) as work:
        grants = await work.ops.grants()
    for grant in grants:
        s.notes.append(re.sub(r"IDENTIFIED BY PASSWORD '[^']*'", "IDENTIFIED BY PASSWORD '***'", grant))
        target = re.search(r"\bON\s+(\S+)\s+TO\b", grant)
        on = target.group(1).replace("`", "") if target else ""
        if _WRITE.search(grant.split(" ON ")[0]) and (on in ("*.*",) or on.endswith(".*") or on.endswith(".audit_log")):
            s.findings.append(f"应用账号可修改或删除审计表：{on}（应只有 SELECT, INSERT；见 deploy/mysql/grants.sql）")
    return s


async def check_accounts(now: datetime) -> Section:
    s = Section("账号")
    async with unit_of_work(write=False) as work:
        users = await work.staff.all_accounts()
    active = [u for u in users if u.is_active]
    admins = [u for u in active if ADMIN in (u.roles or [])]
    s.notes.append(f"启用账号 {len(active)} 个，停用 {len(users) - len(active)} 个，管理员 {len(admins)} 个")
    if len(admins) > 3:
        s.findings.append(f"管理员账号过多（{len(admins)} 个）：{', '.join(u.username for u in admins)}")
    for u in active:
        last = u.last_login_at or u.created_at
        if last is not None and now - last > timedelta(days=UNUSED_DAYS):
            s.findings.append(f"{u.username} 已 {(now - last).days} 天未登录（超过 {UNUSED_DAYS} 天，应停用）")
        if u.must_change_password:
            s.notes.append(f"{u.username} 的初始或重置密码尚未修改")
        changed = u.password_changed_at or u.created_at
        if changed is not None and now - changed > timedelta(days=PASSWORD_MAX_DAYS):
            s.findings.append(f"{u.username} 的密码已 {(now - changed).days} 天未更换（策略：{PASSWORD_MAX_DAYS} 天内更换）")
        if u.failed_logins >= 10:
            s.findings.append(f"{u.username} 连续登录失败 {u.failed_logins} 次（可能有人在猜密码）")
    return s


def check_vulnerabilities(path: Path | None) -> Section:
    s = Section("组件漏洞")
    if path is None:
        s.findings.append("未提供漏洞清单文件（--vulns FILE），未比对组件版本")
        return s
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(entries, list):
            raise ValueError("not a JSON array")
    except (OSError, ValueError):
        s.findings.append(f"漏洞清单文件 {path} 无法读取（应为 JSON 数组）")
        return s
    installed = {(d.metadata["Name"] or "").lower().replace("_", "-"): d.version for d in metadata.distributions()}
    s.notes.append(f"漏洞清单 {path.name}：{len(entries)} 条；已安装组件 {len(installed)} 个")
    for e in entries:
        name = str(e.get("package", "")).lower().replace("_", "-")
        version = installed.get(name)
        if not version:
            continue
        try:
            hit = Version(version) in SpecifierSet(str(e.get("affected", "")))
        except (InvalidSpecifier, InvalidVersion):
            s.findings.append(f"漏洞清单条目无法解析：{e}")
            continue
        if hit:
            s.findings.append(f"{name} {version} 受 {e.get('id', '?')} 影响（{e.get('affected')}）：{e.get('summary', '')}")
    return s


async def check_audit_chain(settings: Settings, now: datetime) -> Section:
    from checkup.services.audit import verify_chain
    from checkup.services.audit_anchor import AnchorFileError, last_anchor_line, read_anchors

    s = Section("审计日志")
    path = settings.audit_anchor_file
    try:
        anchors = read_anchors(path)
    except AnchorFileError as exc:
        s.findings.append(str(exc))
        return s
    report = await verify_chain(anchors=anchors)
    if report.ok:
        s.notes.append(f"审计链完整：{report.checked} 行，最后一行 {report.last_id}，与 {report.anchors_checked} 个锚点一致")
    else:
        s.findings.append(f"审计链断裂：第 {report.broken_id} 行，{report.reason}")
    line = last_anchor_line(path)
    if line is None:
        s.findings.append(f"没有审计锚点（{path}）：worker 每天写一次，或执行 checkup audit anchor")
    else:
        age = now - datetime.fromisoformat(line["at"])
        s.notes.append(f"最近锚点：{line['at']}（第 {line['last_id']} 行，共 {line['count']} 行）")
        if age > ANCHOR_MAX_AGE:
            s.findings.append(f"最近的审计锚点已是 {age.days} 天 {age.seconds // 3600} 小时前（应每天一次）")
    return s


def check_backups(directory: Path | None, now: datetime) -> Section:
    s = Section("备份")
    if directory is None:
        s.findings.append("未提供备份目录（--backup-dir），未检查备份")
        return s
    files = sorted(directory.glob("*.sql.gz"), key=lambda p: p.stat().st_mtime) if directory.is_dir() else []
    if not files:
        s.findings.append(f"备份目录 {directory} 中没有备份文件")
        return s
    newest = files[-1]
    age = now - datetime.fromtimestamp(newest.stat().st_mtime, tz=now.tzinfo)
    s.notes.append(f"最新备份：{newest.name}（{age.total_seconds() / 3600:.1f} 小时前），共 {len(files)} 个")
    if age > BACKUP_MAX_AGE:
        s.findings.append(f"最新备份已超过 {int(BACKUP_MAX_AGE.total_seconds() // 3600)} 小时")
    return s


async def run_selfcheck(settings: Settings, *, now: datetime, vulns: Path | None,
                        backup_dir: Path | None) -> SelfCheck:
    sections = [
        check_settings(settings),
        await check_grants(settings),
        await check_accounts(now),
        check_vulnerabilities(vulns),
        await check_audit_chain(settings, now),
        check_backups(backup_dir, now),
    ]
    return SelfCheck(at=now, sections=sections)


def to_rows(report: SelfCheck) -> list[dict[str, Any]]:
    rows = []
    for s in report.sections:
        rows += [{"section": s.title, "kind": "问题", "text": f} for f in s.findings]
        rows += [{"section": s.title, "kind": "说明", "text": n} for n in s.notes]
    return rows

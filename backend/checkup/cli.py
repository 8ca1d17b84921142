"""The `checkup` command: migrate, seed, serve, run (all three), sync-packages, sandbox, openapi,
audit verify|anchor, pii status|rotate, staff unlock|reset-password, selfcheck, report rollup|monthly|usage."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from functools import partial
from typing import TYPE_CHECKING

from checkup.cli_wechat import add_wechat_parser, run_wechat
from checkup.config import Settings
from checkup.logs import install_logging

if TYPE_CHECKING:
    from sanic import Sanic

    from checkup.services.selfcheck import SelfCheck


def _settings() -> Settings:
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:  # the messages only: the input (with its secrets) is not printed
        sys.exit("checkup: invalid settings: " + "; ".join(e["msg"] for e in exc.errors(include_url=False)))
    except ValueError as exc:
        sys.exit(f"checkup: {exc}")


async def _migrate(settings: Settings) -> None:
    from checkup.db.runtime import migrate

    await migrate(settings.database_url)
    print(f"migrated {settings.database_url.split('@')[-1]}")


async def _seed(settings: Settings) -> None:
    from checkup.db.runtime import close_db, init_db
    from checkup.domain.clock import shanghai_today
    from checkup.domain.errors import WeakPassword
    from checkup.services.seed import seed

    await init_db(settings.database_url)
    try:
        result = await seed(today=shanghai_today(), admin_password=settings.admin_password)
    except WeakPassword as exc:
        sys.exit(f"checkup: CHECKUP_ADMIN_PASSWORD does not meet the password policy: {exc.message}")
    finally:
        await close_db()
    print(f"seeded {result['quota_days']} quota days")
    if result["admin_password"] is None:
        return
    if result["admin_password"]:
        print("=" * 60)
        print("  first admin account created")
        print("  username: admin")
        print(f"  password: {result['admin_password']}")
        print("  (shown once; set CHECKUP_ADMIN_PASSWORD to choose it)")
        print("=" * 60)
    else:
        print("first admin account 'admin' created with CHECKUP_ADMIN_PASSWORD")


def embedded_settings(settings: Settings) -> Settings:
    """`checkup run`: the embedded sandbox HIS pushes its window changes to this app (POST /api/his/notify)
    unless CHECKUP_SANDBOX_HIS_PUSH_URL says otherwise (empty: off)."""
    if settings.sandbox and settings.sandbox_his_push_url is None:
        return settings.model_copy(update={"sandbox_his_push_url": f"{settings.base_url}/api/his/notify"})
    return settings


def _serve(settings: Settings, workers: int) -> None:
    from sanic import Sanic
    from sanic.worker.loader import AppLoader

    from checkup.app import create_app

    loader = AppLoader(factory=partial(create_app, settings, configure_logs=True, freeze_gc=True))
    app = loader.load()
    app.prepare(
        host=settings.host,
        port=settings.port,
        workers=workers,
        single_process=workers == 1,
        access_log=settings.env == "dev",
        motd=True,
    )
    if workers == 1:
        Sanic.serve_single(primary=app)
    else:
        Sanic.serve(primary=app, app_loader=loader)


async def _sync_packages(settings: Settings) -> None:
    from checkup.app import build_deps
    from checkup.db.runtime import close_db, init_db
    from checkup.services.packages import sync_packages

    await init_db(settings.database_url)
    try:
        print(json.dumps(await sync_packages(build_deps(settings)), ensure_ascii=False))
    finally:
        await close_db()


async def _audit(settings: Settings, command: str) -> int:
    """verify: the keyed chain and every anchor of CHECKUP_AUDIT_ANCHOR_PATH; anchor: the same, then
    write the head as a new anchor (a broken chain is not anchored)."""
    from checkup.db.runtime import close_db, init_db
    from checkup.services.audit import set_key, verify_chain
    from checkup.services.audit_anchor import AnchorFileError, read_anchors, write_anchor

    set_key(settings.audit_key)
    path = settings.audit_anchor_file
    try:
        anchors = read_anchors(path)
    except AnchorFileError as exc:
        print(f"audit chain NOT VERIFIED: {exc}")
        return 1
    await init_db(settings.database_url)
    try:
        report = await verify_chain(anchors=anchors)
    finally:
        await close_db()
    if not report.ok:
        print(f"audit chain BROKEN at row id {report.broken_id} ({report.reason}); "
              f"{report.checked} rows before it are intact")
        return 1
    print(f"audit chain OK: {report.checked} rows, last id {report.last_id}, last hash {report.last_hash}; "
          f"{report.anchors_checked} of {len(anchors)} anchors in {path} matched")
    if not anchors:
        print("warning: no anchor yet: run `checkup audit anchor` (the worker writes one daily)")
    if command == "anchor":
        write_anchor(path, report.head)
        print(f"anchored to {path}")
    return 0


def _audit_export(settings: Settings, args: argparse.Namespace) -> int:
    """安全审计导出 to --out; the export itself is audited (action audit.export, actor cli:<OS user>)."""
    import getpass
    from datetime import date
    from pathlib import Path

    from checkup.db.runtime import close_db, init_db
    from checkup.domain.clock import utcnow
    from checkup.services.audit import SUCCESS, AuditEntry, record
    from checkup.services.security_export import build_security_workbook

    try:
        start, end = date.fromisoformat(args.start or ""), date.fromisoformat(args.end or "")
    except ValueError:
        print("checkup audit export: --from and --to are days YYYY-MM-DD")
        return 2
    if end < start or not args.out:
        print("checkup audit export: --to must not be before --from, and --out names the file")
        return 2

    async def build() -> tuple[bytes, dict]:
        await init_db(settings.database_url)
        try:
            data, counts = await build_security_workbook(start=start, end=end, now=utcnow(), actor=args.actor,
                                                         action=args.action, outcome=args.outcome)
            entry = AuditEntry(action="audit.export", actor=f"cli:{getpass.getuser()}"[:64], ip="local",
                               target=f"audit:{start.isoformat()}..{end.isoformat()}",
                               detail={"filters": {"actor": args.actor, "action": args.action,
                                                   "outcome": args.outcome}, "rows": counts})
            await record(entry, outcome=SUCCESS)
            return data, counts
        finally:
            await close_db()

    data, counts = asyncio.run(build())
    Path(args.out).write_bytes(data)
    print(f"wrote {args.out}: {counts['accounts']} accounts, {counts['role_changes']} role changes, "
          f"{counts['operations']} operations")
    return 0


async def _staff(settings: Settings, command: str, username: str) -> int:
    """Break-glass access on the server: unlock an account, or give it a one-time password (audited as
    actor cli:<OS user>)."""
    import getpass

    from checkup.db.runtime import close_db, init_db
    from checkup.domain.clock import utcnow
    from checkup.domain.errors import NotFound
    from checkup.redis_client import create_redis
    from checkup.services import staff
    from checkup.services.audit import AuditEntry
    from checkup.services.login_throttle import LoginThrottle

    entry = AuditEntry(action=f"staff.cli_{command.replace('-', '_')}", actor=f"cli:{getpass.getuser()}"[:64],
                       ip="local")
    await init_db(settings.database_url)
    redis = create_redis(settings.redis_url, pool_size=2) if settings.redis_url else None
    try:
        if command == "unlock":
            await staff.cli_unlock(username, entry=entry)
            print(f"{username}: failure count cleared")
        else:
            password = await staff.cli_reset_password(username, entry=entry, now=utcnow())
            print("=" * 60)
            print(f"  new one-time password of {username}: {password}")
            print("  (shown once; it must be changed at the next login; every session of the account ended)")
            print("=" * 60)
        try:
            await LoginThrottle(lambda: redis).clear(username)
        except Exception as exc:  # noqa: BLE001 - without Redis the delays live in (and end with) each process
            print(f"warning: login delays in Redis not cleared ({exc.__class__.__name__})")
    except NotFound:
        print(f"checkup: no staff account {username!r}")
        return 1
    finally:
        if redis is not None:
            await redis.aclose()
        await close_db()
    return 0


async def _selfcheck(settings: Settings, args: argparse.Namespace) -> SelfCheck:
    """网络安全自查: the report (printed, and with --output written, by main; exit 1 on any finding)."""
    from pathlib import Path

    from checkup.db.runtime import close_db, init_db
    from checkup.domain.clock import utcnow
    from checkup.services.selfcheck import run_selfcheck

    await init_db(settings.database_url)
    try:
        report = await run_selfcheck(settings, now=utcnow(),
                                     vulns=Path(args.vulns) if args.vulns else settings.vulns_path,
                                     backup_dir=Path(args.backup_dir) if args.backup_dir else settings.backup_dir)
    finally:
        await close_db()
    return report


def _report(settings: Settings, args: argparse.Namespace) -> int:
    """运行报告: rollup one day (--day, default yesterday), or write the month's PDF, xlsx and JSON to --out."""
    from datetime import date, timedelta
    from pathlib import Path

    from checkup.db.runtime import close_db, init_db
    from checkup.domain.clock import shanghai_today, utcnow
    from checkup.services import ops_report

    if args.report_command == "rollup":
        try:
            day = date.fromisoformat(args.day) if args.day else shanghai_today() - timedelta(days=1)
        except ValueError:
            print("checkup report rollup: --day is YYYY-MM-DD")
            return 2

        async def rollup() -> dict:
            await init_db(settings.database_url)
            try:
                return await ops_report.rollup_day(day)
            finally:
                await close_db()

        figures = asyncio.run(rollup())
        print(f"rolled up {day.isoformat()}: {figures['bookings']['booked']} bookings, "
              f"{figures['payments']['paid']} payments, {figures['refunds']['succeeded']} refunds")
        return 0
    if args.report_command == "usage":
        return _usage_report(settings, args)
    month = args.month or (shanghai_today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    try:
        ops_report.month_days(month)
    except ValueError:
        print("checkup report monthly: --month is YYYY-MM")
        return 2

    async def build() -> dict:
        await init_db(settings.database_url)
        try:
            return await ops_report.monthly(month, now=utcnow(), anchor_path=settings.audit_anchor_file)
        finally:
            await close_db()

    report = asyncio.run(build())
    out = Path(args.out or ".")
    out.mkdir(parents=True, exist_ok=True)
    from checkup.reports import monthly

    stem = f"运行报告-{month}"
    (out / f"{stem}.json").write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out / f"{stem}.xlsx").write_bytes(monthly.build_xlsx(report, hospital=settings.hospital_name))
    written = [f"{stem}.xlsx", f"{stem}.json"]
    from checkup.domain.errors import ExportUnavailable

    try:
        pdf = monthly.build_pdf(report, hospital=settings.hospital_name, font=settings.pdf_font)
    except ExportUnavailable as exc:  # the font is missing: the workbook and the JSON are still written
        print(f"checkup report monthly: PDF not written: {exc.message}")
        status = 1
    else:
        (out / f"{stem}.pdf").write_bytes(pdf)
        written.insert(0, f"{stem}.pdf")
        status = 0
    print(f"wrote {', '.join(str(out / w) for w in written)}")
    for text in report["recommendations"]:
        print(f"建议: {text}")
    return status


def _usage_report(settings: Settings, args: argparse.Namespace) -> int:
    """用户使用报告 of the trial period (--from .. --to, days included) as Markdown in --out."""
    from datetime import date, timedelta
    from pathlib import Path

    from checkup.db.runtime import close_db, init_db
    from checkup.domain.clock import utcnow
    from checkup.services import ops_report
    from checkup.services.usage_report import render_usage_report

    try:
        start, end = date.fromisoformat(args.start or ""), date.fromisoformat(args.end or "")
    except ValueError:
        print("checkup report usage: --from and --to are days YYYY-MM-DD (the trial period)")
        return 2
    if end < start or (end - start).days > 400:
        print("checkup report usage: --to must not be before --from, and the period at most 400 days")
        return 2
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]

    async def build() -> dict:
        await init_db(settings.database_url)
        try:
            return await ops_report.period_report(days, label=f"{start.isoformat()}..{end.isoformat()}", now=utcnow(),
                                                  anchor_path=settings.audit_anchor_file)
        finally:
            await close_db()

    report = asyncio.run(build())
    out = Path(args.out or ".")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"用户使用报告-{start.isoformat()}-{end.isoformat()}.md"
    path.write_text(render_usage_report(report, hospital=settings.hospital_name), encoding="utf-8")
    print(f"wrote {path}")
    return 0


async def _pii(settings: Settings, command: str, batch: int) -> int:
    from checkup.db.runtime import close_db, init_db
    from checkup.pii import cipher_from_settings
    from checkup.services.pii_rotation import RotationError, key_status, rotate

    pii = cipher_from_settings(settings)
    await init_db(settings.database_url)
    try:
        if command == "rotate":
            try:
                result = await rotate(pii, batch=batch,
                                      progress=lambda done, left: print(f"re-encrypted {done}, {left} left", flush=True))
            except RotationError as exc:
                print(f"rotation stopped: {exc}")
                return 1
            print(f"rotation done: {result.rotated} rows re-encrypted under {pii.key_id} in {result.batches} batches"
                  + (f", {result.secrets} data-sharing client secrets" if result.secrets else ""))
        status = await key_status(pii)
    finally:
        await close_db()
    for kid, count in status.counts.items():
        mark = " (current)" if kid == status.current else " (UNKNOWN: key not configured)" if kid in status.unknown else ""
        print(f"{kid}: {count}{mark}")
    print(f"pending rotation: {status.pending}")
    return 1 if status.unknown else 0


async def _worker(settings: Settings) -> None:
    """Run jobs until SIGTERM/SIGINT; a killed worker loses nothing (leases expire, jobs are rows)."""
    import signal

    from checkup.app import build_deps
    from checkup.db.runtime import close_db, init_db
    from checkup.worker.runner import Worker

    await init_db(settings.database_url, pool_max=5)
    deps = build_deps(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    from checkup.services.ops_counters import COUNTERS

    flusher = asyncio.create_task(COUNTERS.run_flusher(stop, heartbeat=False))  # the worker's HIS/PEIS calls, for the report
    try:
        await Worker(deps, lease_seconds=settings.worker_lease_seconds, poll_seconds=settings.worker_poll_seconds,
                     concurrency=settings.worker_concurrency).run_forever(stop)
        await flusher
    finally:
        for client in (deps.his, deps.peis, deps.wechat_login, deps.wechatpay):
            await client.aclose()
        await close_db()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="checkup", description="体检预约缴费 backend")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply the committed database migrations")
    sub.add_parser("seed", help="default rules, 60 days of quotas and the first admin (idempotent)")
    serve = sub.add_parser("serve", help="serve the API (and sandbox/console when configured)")
    serve.add_argument("--workers", type=int, default=int(os.environ.get("CHECKUP_WORKERS", "1")))
    run = sub.add_parser("run", help="migrate, seed, then serve: the embedded default")
    run.add_argument("--workers", type=int, default=1)
    sub.add_parser("sync-packages", help="sync packages from PEIS now (needs PEIS reachable)")
    sandbox = sub.add_parser("sandbox", help="serve only the HIS/PEIS/WeChat/WeChat Pay sandbox")
    sandbox.add_argument("--port", type=int, default=8100)
    sub.add_parser("openapi", help="print the OpenAPI document")
    sub.add_parser("worker", help="run the durable-job worker (HIS write-back, refunds, expiry, reconciliation)")
    audit = sub.add_parser("audit", help="the audit trail")
    audit.add_argument("audit_command", choices=["verify", "anchor", "export"],
                       help="verify: recompute the keyed chain and check it against its anchors; "
                            "anchor: verify, then anchor the head outside the database; "
                            "export: accounts, role changes and the operation log of a period (xlsx)")
    audit.add_argument("--from", dest="start", help="export: first day (YYYY-MM-DD, Asia/Shanghai)")
    audit.add_argument("--to", dest="end", help="export: last day, included")
    audit.add_argument("--actor", help="export: only this actor's operations")
    audit.add_argument("--action", help="export: only actions starting with this (e.g. staff, quota)")
    audit.add_argument("--outcome", choices=["success", "failure"], help="export: only this outcome")
    audit.add_argument("--out", help="export: the xlsx file to write")
    pii = sub.add_parser("pii", help="personal data keys: status (rows per key id), rotate (re-encrypt)")
    pii.add_argument("pii_command", choices=["status", "rotate"])
    pii.add_argument("--batch", type=int, default=500, help="rows per transaction (rotate)")
    staff = sub.add_parser("staff", help="break-glass: unlock an account, reset its password (both audited)")
    staff.add_argument("staff_command", choices=["unlock", "reset-password"])
    staff.add_argument("username")
    check = sub.add_parser("selfcheck", help="网络安全自查: settings, grants, accounts, vulnerabilities, audit chain, "
                                             "backups; exit 1 on a finding")
    check.add_argument("--vulns", help="vulnerability list (JSON) downloaded elsewhere and imported offline "
                                       "(default CHECKUP_VULNS_PATH)")
    check.add_argument("--backup-dir", help="where deploy/backup/backup.sh writes (default CHECKUP_BACKUP_DIR, "
                                            "else not checked)")
    check.add_argument("--output", help="also write the report to this file")
    report = sub.add_parser("report", help="系统运行报告: rollup a day, the month as PDF, xlsx and JSON, or the "
                                           "用户使用报告 of the trial period")
    report.add_argument("report_command", choices=["rollup", "monthly", "usage"])
    report.add_argument("--day", help="rollup: the day (YYYY-MM-DD, Asia/Shanghai; default yesterday)")
    report.add_argument("--month", help="monthly: the month (YYYY-MM; default last month)")
    report.add_argument("--from", dest="start", help="usage: the trial period's first day (YYYY-MM-DD)")
    report.add_argument("--to", dest="end", help="usage: its last day, included")
    report.add_argument("--out", help="monthly, usage: the directory to write to (default: here)")
    add_wechat_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "openapi":
        from checkup.api.system import openapi_document
        from checkup.api.wiring import install_authenticators

        install_authenticators()  # the route table is complete once api.wiring is imported

        print(json.dumps(openapi_document(), ensure_ascii=False, indent=2))
        return
    settings = _settings()
    install_logging(settings.log_format or "text")
    from checkup.services.audit import set_key

    set_key(settings.audit_key)  # every command that writes an audit row chains it under the key
    if args.command == "migrate":
        asyncio.run(_migrate(settings))
    elif args.command == "seed":
        asyncio.run(_seed(settings))
    elif args.command == "serve":
        _serve(settings, args.workers)
    elif args.command == "run":
        settings = embedded_settings(settings)
        asyncio.run(_migrate(settings))
        asyncio.run(_seed(settings))
        print(f"serving on {settings.base_url}  (API {settings.base_url}/api, OpenAPI {settings.base_url}/api/openapi.json)")
        _serve(settings, args.workers)
    elif args.command == "wechat":
        sys.exit(run_wechat(settings, args))
    elif args.command == "audit":
        if args.audit_command == "export":
            sys.exit(_audit_export(settings, args))
        sys.exit(asyncio.run(_audit(settings, args.audit_command)))
    elif args.command == "selfcheck":
        from pathlib import Path

        selfcheck = asyncio.run(_selfcheck(settings, args))
        print(selfcheck.text())
        if args.output:
            Path(args.output).write_text(selfcheck.text() + "\n", encoding="utf-8")
        sys.exit(1 if selfcheck.findings else 0)
    elif args.command == "report":
        sys.exit(_report(settings, args))
    elif args.command == "staff":
        sys.exit(asyncio.run(_staff(settings, args.staff_command, args.username.strip())))
    elif args.command == "pii":
        sys.exit(asyncio.run(_pii(settings, args.pii_command, max(1, args.batch))))
    elif args.command == "worker":
        asyncio.run(_worker(settings))
    elif args.command == "sync-packages":
        asyncio.run(_sync_packages(settings))
    elif args.command == "sandbox":
        from checkup.app import sandbox_config
        from checkup.sandbox import create_sandbox_app

        config = sandbox_config(settings, state_path=str(settings.var_dir / "sandbox-state.json"))
        app = create_sandbox_app(config)
        _mount_wechatpay_sandbox(app, settings)
        app.run(host=settings.host, port=args.port, single_process=True, access_log=False)


def _mount_wechatpay_sandbox(app: Sanic, settings: Settings) -> None:
    """WeChat Pay beside HIS/PEIS/WeChat in `checkup sandbox`: its keys in CHECKUP_VAR_DIR/sandbox-keys (the
    API processes point CHECKUP_WECHATPAY_PRIVATE_KEY_PATH / PUBLIC_KEY_PATH there), state in memory."""
    from checkup.app import wechatpay_sandbox_config
    from checkup.sandbox.wechatpay import create_wechatpay_blueprint, create_wechatpay_control_blueprint
    from checkup.sandbox.wechatpay.keys import ensure_sandbox_keys
    from checkup.sandbox.wechatpay.state import WechatPaySandboxState

    keys = ensure_sandbox_keys(settings.var_dir / "sandbox-keys")
    config = wechatpay_sandbox_config(settings, keys)
    state = WechatPaySandboxState(path=None)
    app.blueprint(create_wechatpay_blueprint(config, state))
    app.blueprint(create_wechatpay_control_blueprint(config, state))


if __name__ == "__main__":
    main()

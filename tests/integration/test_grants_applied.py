"""The grants of deploy/mysql/grants.sql, applied the same way in every deployment path (grants.sh for
systemd, the compose file's first start), leave the application account unable to change the audit trail."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import MARIADB_URL, drop_mariadb, mariadb_available

ROOT = Path(__file__).resolve().parents[2]


def _grants_sql(suffix: str, host: str = "%") -> str:
    env = {**os.environ, "CHECKUP_DB_APP_PASSWORD": "app-" + secrets.token_hex(8),
           "CHECKUP_DB_MIGRATE_PASSWORD": "mig-" + secrets.token_hex(8),
           "CHECKUP_DB_BACKUP_PASSWORD": "bak-" + secrets.token_hex(8), "CHECKUP_DB_CLIENT_HOST": host}
    out = subprocess.run(["sh", str(ROOT / "deploy/mysql/grants.sh")], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert "CHANGE-THIS" not in out and f"'checkup_app'@'{host}'" in out
    # A throwaway database and accounts, so the test does not touch a real 'checkup' or its users.
    out = out.replace("checkup.", f"checkup_g{suffix}.").replace("DATABASE IF NOT EXISTS checkup ",
                                                                   f"DATABASE IF NOT EXISTS checkup_g{suffix} ")
    return re.sub(r"'checkup_(app|migrate|backup)'", lambda m: f"'cg{suffix}_{m.group(1)}'", out), env


def test_grants_sh_refuses_missing_passwords():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKUP_DB_")}
    done = subprocess.run(["sh", str(ROOT / "deploy/mysql/grants.sh")], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "CHECKUP_DB_APP_PASSWORD" in done.stderr


def test_compose_applies_the_same_grants():
    compose = (ROOT / "deploy/compose.yaml").read_text(encoding="utf-8")
    assert "MARIADB_USER" not in compose and "MARIADB_PASSWORD" not in compose  # no account with ALL
    assert "./mysql/initdb:/docker-entrypoint-initdb.d" in compose and "./mysql:/checkup-mysql" in compose
    init = (ROOT / "deploy/mysql/initdb/10-grants.sh").read_text(encoding="utf-8")
    assert "/checkup-mysql/grants.sh" in init and "docker_process_sql" in init
    assert compose.count("mysql://checkup_app:") == 2 and compose.count("mysql://checkup_migrate:") == 1


async def test_the_application_account_cannot_change_the_audit_trail():
    import aiomysql

    await mariadb_available()
    suffix = secrets.token_hex(3)
    sql, env = _grants_sql(suffix)
    parts = urlsplit(MARIADB_URL)
    root = await aiomysql.connect(host=parts.hostname, port=parts.port or 3306, user=parts.username or "root",
                                  password=parts.password or "", autocommit=True)
    db = f"checkup_g{suffix}"
    users = [f"'cg{suffix}_{n}'@'%'" for n in ("app", "migrate", "backup")]
    try:
        async with root.cursor() as cur:
            await cur.execute(f"CREATE DATABASE {db}")
            # The tables must exist before table grants (a subprocess: this one's ORM serves the suite's database).
            await asyncio.to_thread(
                subprocess.run, [sys.executable, "-m", "checkup.cli", "migrate"], check=True, capture_output=True,
                env={**os.environ, "CHECKUP_DB_URL": f"{MARIADB_URL}/{db}", "CHECKUP_SANDBOX": "false"})
            for statement in [s.strip() for s in re.sub(r"--[^\n]*", "", sql).split(";") if s.strip()]:
                await cur.execute(statement)
        app = await aiomysql.connect(host=parts.hostname, port=parts.port or 3306, user=f"cg{suffix}_app",
                                     password=env["CHECKUP_DB_APP_PASSWORD"], db=db, autocommit=True)
        try:
            async with app.cursor() as cur:
                await cur.execute("INSERT INTO audit_log (at, actor, ip, action, target, outcome, detail, prev_hash, "
                                  "hash) VALUES (NOW(), 'a', '', 'x', '', 'success', '{}', '', 'h')")
                for statement in ("DELETE FROM audit_log", "UPDATE audit_log SET hash = 'x'",
                                  "TRUNCATE TABLE audit_log", "DROP TABLE audit_log"):
                    with pytest.raises(aiomysql.Error, match="denied"):
                        await cur.execute(statement)
                await cur.execute("SELECT COUNT(*) FROM audit_log")
                assert (await cur.fetchone())[0] == 1
                await cur.execute("UPDATE day_quota SET capacity = capacity")  # data tables stay writable
        finally:
            app.close()
    finally:
        async with root.cursor() as cur:
            for user in users:
                await cur.execute(f"DROP USER IF EXISTS {user}")
        root.close()
        await drop_mariadb(db)

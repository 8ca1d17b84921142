"""WeChat identities are keyed by (appid, openid): the migration keeps existing mini-program users and the
database refuses a second row for the same identity, on SQLite and MariaDB."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import sys

import pytest
from tortoise.exceptions import IntegrityError

from checkup.db.models import WechatUser
from conftest import MARIADB_URL, drop_mariadb, mariadb_available


async def test_same_openid_under_two_appids_is_two_identities_but_never_twice_under_one(db):
    first = await WechatUser.create(appid="wxminiprogram", openid="o-same", unionid="u1")
    second = await WechatUser.create(appid="wxofficial", openid="o-same", unionid="u1", account_id=first.id)
    assert second.account_key == first.id and first.account_key == first.id
    with pytest.raises(IntegrityError):
        await WechatUser.create(appid="wxminiprogram", openid="o-same")
    assert await WechatUser.filter(openid="o-same").count() == 2


MIGRATE_OLD_DATABASE = """
import asyncio, json, sys
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate
from checkup.db.config import tortoise_config
from checkup.db.runtime import ensure_database

ROW = "INSERT INTO wechat_user ({cols}) VALUES ({vals}'o-old', '2026-01-01 00:00:00', '2026-01-01 00:00:00')"


async def main(url):
    await ensure_database(url)
    await migrate(config=tortoise_config(url), target="checkup.0006_data_sharing")
    await connections.get("default").execute_script(ROW.format(cols="openid, created_at, updated_at", vals=""))
    await Tortoise.close_connections()
    await migrate(config=tortoise_config(url))
    conn = connections.get("default")
    rows = await conn.execute_query_dict("SELECT appid, openid, account_id FROM wechat_user")
    cols = "appid, openid, created_at, updated_at"
    await conn.execute_script(ROW.format(cols=cols, vals="'wxofficial', "))
    try:
        await conn.execute_script(ROW.format(cols=cols, vals="'wxofficial', "))
        duplicate = "accepted"
    except Exception as exc:
        duplicate = type(exc).__name__
    await Tortoise.close_connections()
    print(json.dumps({"rows": rows, "duplicate": duplicate}))

asyncio.run(main(sys.argv[1]))
"""


@pytest.mark.parametrize("backend", ["sqlite", "mariadb"])
async def test_migration_gives_existing_users_the_miniprogram_appid(backend, tmp_path):
    if backend == "sqlite":
        url, name = f"sqlite://{tmp_path / 'old.sqlite3'}", None
    else:
        await mariadb_available()
        name = f"checkup_mig_{secrets.token_hex(4)}"
        url = f"{MARIADB_URL}/{name}"
    env = {**os.environ, "CHECKUP_WECHAT_APPID": "wxexistingminiapp"}
    try:
        # Its own process: migrating re-initialises Tortoise, which this session's database must not see.
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-c", MIGRATE_OLD_DATABASE, url, env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    finally:
        if name:
            await drop_mariadb(name)
    assert proc.returncode == 0, err.decode()
    result = json.loads(out.decode().strip().splitlines()[-1])
    assert result["rows"] == [{"appid": "wxexistingminiapp", "openid": "o-old", "account_id": None}]
    assert result["duplicate"] == "IntegrityError"

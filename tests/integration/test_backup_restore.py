"""deploy/backup: a dump of the live database restores into another database with the same rows."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import aiomysql
import pytest

from checkup.db.models import Booking, DayQuota
from conftest import MARIADB_URL, drop_mariadb
from support.people import day, next_id_number, set_quota
from support.staff import booked_patient

pytestmark = pytest.mark.parametrize("db_url", ["mariadb"], indirect=True)
ROOT = Path(__file__).resolve().parents[2]


async def run(*args: str, env: dict[str, str]) -> str:
    proc = await asyncio.create_subprocess_exec(*args, env=env, stdout=asyncio.subprocess.PIPE,
                                                stderr=asyncio.subprocess.PIPE)
    out, err = await proc.communicate()
    assert proc.returncode == 0, err.decode()
    return out.decode()


async def table_digest(db: str, table: str) -> tuple[int, str]:
    parts = urlsplit(MARIADB_URL)
    conn = await aiomysql.connect(host=parts.hostname, port=parts.port or 3306, user=parts.username or "root",
                                  password=parts.password or "", db=db)
    try:
        async with conn.cursor() as cur:
            await cur.execute(f"CHECKSUM TABLE `{table}`")
            checksum = (await cur.fetchone())[1]
            await cur.execute(f"SELECT COUNT(*) FROM `{table}`")
            return (await cur.fetchone())[0], str(checksum)
    finally:
        conn.close()


async def test_backup_then_restore_gives_the_same_data(app, seeded, db_url, tmp_path):
    if not shutil.which("mariadb-dump") and not shutil.which("mysqldump"):
        pytest.fail("mariadb-dump/mysqldump missing: install the MariaDB client")
    await set_quota(day(2), 10)
    for i in range(3):
        await booked_patient(app, day=day(2), name=f"备份测试{i}", id_number=next_id_number())
    live = urlsplit(db_url).path.lstrip("/")
    parts = urlsplit(MARIADB_URL)
    env = {**os.environ, "DB_HOST": parts.hostname or "127.0.0.1", "DB_PORT": str(parts.port or 3306),
           "DB_USER": parts.username or "root", "DB_PASSWORD": parts.password or "", "DB_NAME": live}
    dump = (await run(str(ROOT / "deploy/backup/backup.sh"), str(tmp_path), env=env)).strip().splitlines()[-1]
    assert await asyncio.to_thread(lambda: Path(dump).is_file() and Path(dump + ".sha256").is_file())
    target = live + "_restored"
    try:
        await run(str(ROOT / "deploy/backup/restore.sh"), dump, target, env=env)
        for table in ("booking", "day_quota", "patient", "charge", "tortoise_migrations"):
            assert await table_digest(target, table) == await table_digest(live, table), table
        assert await Booking.filter(day=day(2)).count() == 3 and (await DayQuota.get(day=day(2))).booked == 3
    finally:
        await drop_mariadb(target)

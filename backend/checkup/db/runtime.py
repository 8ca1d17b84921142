"""Database lifecycle: create the database if needed, run committed migrations, init and close Tortoise."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tortoise import Tortoise
from tortoise.migrations.api import migrate as tortoise_migrate

from checkup.db.config import tortoise_config

log = logging.getLogger("checkup.db")


async def ensure_database(db_url: str) -> None:
    """Create the MySQL/MariaDB database or the SQLite file's folder when missing."""
    if db_url.startswith("sqlite://"):
        path = db_url.removeprefix("sqlite://").split("?")[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return
    if db_url.startswith("mysql://"):
        import aiomysql

        parts = urlsplit(db_url)
        name = parts.path.lstrip("/")
        conn = await aiomysql.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=unquote(parts.username or "root"),
            password=unquote(parts.password or ""),
        )
        try:
            async with conn.cursor() as cur:
                await cur.execute(
                    f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                )
        finally:
            conn.close()


async def migrate(db_url: str) -> None:
    """Apply every committed migration (idempotent)."""
    await ensure_database(db_url)
    try:
        await tortoise_migrate(config=tortoise_config(db_url))
    finally:
        await Tortoise.close_connections()


async def init_db(db_url: str, *, pool_max: int = 20, pool_min: int = 1) -> None:
    """Connect (MySQL/MariaDB: a pool of pool_max, pool_min of them opened now)."""
    await Tortoise.init(config=tortoise_config(db_url, pool_max=pool_max, pool_min=pool_min),
                        _enable_global_fallback=True)


async def close_db() -> None:
    await Tortoise.close_connections()

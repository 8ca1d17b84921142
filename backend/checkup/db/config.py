"""Tortoise configuration built from the settings."""

from __future__ import annotations

from typing import Any

APP_LABEL = "checkup"


def tortoise_config(db_url: str, *, pool_max: int = 20, pool_min: int = 1) -> dict[str, Any]:
    if db_url.startswith("mysql://"):
        sep = "&" if "?" in db_url else "?"
        if "maxsize=" not in db_url:
            db_url = f"{db_url}{sep}minsize={min(pool_min, pool_max)}&maxsize={pool_max}&charset=utf8mb4"
    connection: str | dict[str, Any] = db_url
    if db_url.startswith("mysql://"):
        from tortoise.backends.base.config_generator import expand_db_url

        connection = expand_db_url(db_url)
        connection["engine"] = "checkup.db.mysql_fair"  # first-come, first-served pool (see that module)
    return {
        "connections": {"default": connection},
        "apps": {
            APP_LABEL: {
                "models": ["checkup.db.models"],
                "migrations": "checkup.migrations",
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# For the `tortoise` CLI (makemigrations): `tortoise -c checkup.db.config.TORTOISE_ORM makemigrations`
TORTOISE_ORM = tortoise_config("sqlite://var/makemigrations.sqlite3")

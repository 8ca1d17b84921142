"""Migration drift check: the schema the committed migrations build equals the one the models describe.

    python -m checkup.db.drift [MIGRATIONS_MODULE]   # exit 1 and the differences when a model changed
                                                     # without a migration

Differences that change no table are ignored: ``UtcDatetimeField`` is a ``DatetimeField`` that converts
to UTC in Python (same column), and table or field descriptions are comments. Run in a process of its
own (it initialises Tortoise on an in-memory SQLite database).
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.migrations.operations import AlterField, AlterModelOptions

# the autodetector's field signature (tortoise-orm is pinned): what it compares to decide a field changed
from tortoise.migrations.schema_generator.state_diff import _field_signature

from checkup.db.config import APP_LABEL, tortoise_config

SAME_COLUMN = {"UtcDatetimeField": "DatetimeField"}


def _signature(field: Any) -> dict[str, Any]:
    """The autodetector's own signature of a field, less what creates no column difference."""
    described = _field_signature(field)
    described["field_type"] = SAME_COLUMN.get(str(described.get("field_type")), described.get("field_type"))
    described.pop("description", None)
    return described


async def differences(migrations: str = "checkup.migrations") -> list[str]:
    """The operations a new migration would hold, less those that change no table."""
    config = tortoise_config("sqlite://:memory:")
    config["apps"][APP_LABEL]["migrations"] = migrations
    await Tortoise.init(config=config)
    try:
        detector = MigrationAutodetector(Tortoise.apps, {k: dict(v) for k, v in config["apps"].items()})
        writers = await detector.changes()
        migrated = await detector._project_state()
    finally:
        await Tortoise.close_connections()
    found = []
    for writer in writers:
        for op in writer.operations:
            if isinstance(op, AlterField):
                old = migrated.models[(APP_LABEL, op.model_name)].fields[op.name]
                if _signature(old) == _signature(op.field):
                    continue
            if isinstance(op, AlterModelOptions):
                old_options = migrated.models[(APP_LABEL, op.name)].options
                if all(old_options.get(k) == v for k, v in op.options.items() if k != "table_description"):
                    continue
            found.append(op.describe())
    return found


def main(argv: list[str]) -> int:
    found = asyncio.run(differences(*argv[:1]))
    for line in found:
        print(line)
    if found:
        print("the models changed without a migration: write one (tortoise -c checkup.db.config.TORTOISE_ORM "
              "makemigrations, then review it)", file=sys.stderr)
        return 1
    print("migrations match the models")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

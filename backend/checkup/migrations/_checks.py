"""CHECK constraints for migrations: ALTER TABLE on MySQL/MariaDB, abort-triggers on SQLite
(SQLite cannot add a constraint to an existing table). Not a migration (leading underscore)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tortoise.migrations.schema_editor.base import BaseSchemaEditor
    from tortoise.migrations.schema_generator.state_apps import StateApps

Check = tuple[str, str, str]  # (table, constraint name, SQL condition)
RunPythonCode = Callable[["StateApps", "BaseSchemaEditor"], Awaitable[None]]


def checks_operation(checks: Sequence[Check]) -> tuple[RunPythonCode, RunPythonCode]:
    """A pair (forward, backward) of RunPython callables adding/dropping ``checks``."""

    async def forward(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
        await add_checks(schema_editor, checks)

    async def backward(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
        await drop_checks(schema_editor, checks)

    return forward, backward


def _is_sqlite(schema_editor: BaseSchemaEditor) -> bool:
    return schema_editor.client.capabilities.dialect == "sqlite"


async def add_checks(schema_editor: BaseSchemaEditor, checks: Sequence[Check]) -> None:
    client = schema_editor.client
    for table, name, check in checks:
        if _is_sqlite(schema_editor):
            for event in ("INSERT", "UPDATE"):
                await client.execute_script(
                    f'CREATE TRIGGER "{name}_{event.lower()}" BEFORE {event} ON "{table}" '
                    f"FOR EACH ROW WHEN NOT ({_new(check)}) "
                    f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
                )
        else:
            await client.execute_script(f"ALTER TABLE `{table}` ADD CONSTRAINT `{name}` CHECK ({check})")


async def drop_checks(schema_editor: BaseSchemaEditor, checks: Sequence[Check]) -> None:
    client = schema_editor.client
    for table, name, _check in checks:
        if _is_sqlite(schema_editor):
            for event in ("insert", "update"):
                await client.execute_script(f'DROP TRIGGER IF EXISTS "{name}_{event}"')
        else:
            await client.execute_script(f"ALTER TABLE `{table}` DROP CONSTRAINT `{name}`")


def _new(check: str) -> str:
    """Qualify the column names of a check with NEW. for a SQLite trigger."""
    keywords = {"AND", "OR", "NOT", "IS", "NULL", "IN"}
    return re.sub(
        r"(?<!['\w.])([a-z_]+)(?![\w'])",
        lambda m: m.group(1) if m.group(1).upper() in keywords else f"NEW.{m.group(1)}",
        check,
    )



"""Database-held invariants the model layer cannot declare portably.

MySQL 8 / MariaDB 10.2+ enforce CHECK constraints added with ALTER TABLE, SQLite cannot add a
constraint to an existing table, so there the same rules are triggers that abort the statement.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

CHECKS = [
    ("day_quota", "ck_day_quota_booked", "booked >= 0 AND booked <= capacity"),
    ("booking", "ck_booking_active", "active IS NULL OR active = 1"),
    (
        "booking",
        "ck_booking_active_status",
        "(status = 'cancelled' AND active IS NULL) OR (status <> 'cancelled' AND active IS NOT NULL AND active = 1)",
    ),
    ("booking", "ck_booking_status", "status IN ('booked', 'confirmed', 'cancelled')"),
    ("charge", "ck_charge_amount", "amount_fen >= 0"),
    ("package", "ck_package_price", "price_fen >= 0"),
    ("patient", "ck_patient_active", "active IS NULL OR active = 1"),
]


def _is_sqlite(schema_editor) -> bool:
    return schema_editor.client.capabilities.dialect == "sqlite"


async def add_checks(apps, schema_editor) -> None:
    client = schema_editor.client
    for table, name, check in CHECKS:
        if _is_sqlite(schema_editor):
            for event in ("INSERT", "UPDATE"):
                await client.execute_script(
                    f'CREATE TRIGGER "{name}_{event.lower()}" BEFORE {event} ON "{table}" '
                    f"FOR EACH ROW WHEN NOT ({_new(check)}) "
                    f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {name}'); END"
                )
        else:
            await client.execute_script(f"ALTER TABLE `{table}` ADD CONSTRAINT `{name}` CHECK ({check})")


async def drop_checks(apps, schema_editor) -> None:
    client = schema_editor.client
    for table, name, _check in CHECKS:
        if _is_sqlite(schema_editor):
            for event in ("insert", "update"):
                await client.execute_script(f'DROP TRIGGER IF EXISTS "{name}_{event}"')
        else:
            await client.execute_script(f"ALTER TABLE `{table}` DROP CONSTRAINT `{name}`")


def _new(check: str) -> str:
    """Qualify the column names of a check with NEW. for a SQLite trigger."""
    import re

    keywords = {"AND", "OR", "NOT", "IS", "NULL", "IN"}
    return re.sub(
        r"(?<!['\w.])([a-z_]+)(?![\w'])",
        lambda m: m.group(1) if m.group(1).upper() in keywords else f"NEW.{m.group(1)}",
        check,
    )


class Migration(migrations.Migration):
    dependencies = [("checkup", "0001_initial")]

    operations = [ops.RunPython(add_checks, drop_checks)]

"""Repair of timestamps stored with the wrong offset before every stored time was converted to UTC.

MariaDB/MySQL: aiomysql dropped the offset of aware values, so times that came from WeChat Pay
(success_time) and HIS (settled_at, billed_at, paid_at) with +08:00 were stored as Shanghai wall
time in UTC columns: 8 hours late. A row is recognised by comparing with a time this product wrote
itself in UTC in the same row (created_at is written by the database layer in UTC):
- payment.paid_at: WeChat accepts payment only until the order expires (at most 2 hours after it
  was created), so a paid_at more than 4 hours after created_at is 8 hours late;
- payment.his_settled_at: the settlement comes after the payment; when paid_at was late, a
  settlement time not earlier than that late paid_at is late too; otherwise one more than 4 hours
  after the row's last update (written when it was settled) is late;
- charge.paid_at of a bill paid through the app is its payment's paid_at.
Bills mirrored from HIS carried HIS's times too (repair_his_charge_times, migration 0012):
- charge.billed_at: HIS bills before we first see the bill, so a billed_at more than 4 hours after the
  row's created_at is 8 hours late;
- charge.paid_at (a bill paid at the window, or HIS's paid_at copied onto one paid through the app):
  it was written in a save that also set updated_at, and a bill is paid before we hear of it, so a
  paid_at more than 4 hours after the row's last update is 8 hours late.
SQLite kept the offset in the text, so the instant was right but the text sorted wrongly against
UTC text: every such value is rewritten as UTC. Running the repair again changes nothing.
Not a migration module itself (leading underscore): 0008_utc_times runs it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tortoise import BaseDBAsyncClient

EIGHT_HOURS = timedelta(hours=8)
LATE = timedelta(hours=4)

SQLITE_COLUMNS = {
    "payment": ("paid_at", "his_settled_at", "expires_at", "closed_at", "last_queried_at", "created_at",
                "updated_at"),
    "charge": ("paid_at", "billed_at", "created_at", "updated_at"),
    "refund": ("succeeded_at", "created_at", "updated_at"),
}


def _aware(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    return _instant(value)


def _instant(value: datetime | str) -> datetime:
    """A stored time (a NOT NULL column, or one checked for NULL) as an aware datetime; naive is UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _later_than(value: datetime | None, reference: datetime, by: timedelta = LATE) -> bool:
    return value is not None and value - reference > by


def _undo_late(value: datetime | None, late: bool) -> datetime | None:
    """``value`` moved back 8 hours when it was stored ``late``."""
    return value - EIGHT_HOURS if value is not None and late else value


async def _repair_sqlite(client: BaseDBAsyncClient) -> int:
    changed = 0
    for table, columns in SQLITE_COLUMNS.items():
        for column in columns:
            _, rows = await client.execute_query(
                f'SELECT id, "{column}" AS v FROM "{table}" WHERE "{column}" IS NOT NULL '
                f"AND \"{column}\" NOT LIKE '%+00:00'"
            )
            for row in rows:
                value = _aware(row["v"])
                if value is None:
                    continue
                await client.execute_query(
                    f'UPDATE "{table}" SET "{column}" = ? WHERE id = ?',
                    [value.astimezone(UTC).isoformat(" "), row["id"]],
                )
                changed += 1
    return changed


async def _repair_mysql(client: BaseDBAsyncClient) -> int:
    changed = 0
    _, rows = await client.execute_query(
        "SELECT id, created_at, updated_at, paid_at, his_settled_at FROM payment "
        "WHERE paid_at IS NOT NULL OR his_settled_at IS NOT NULL"
    )
    for row in rows:
        created, updated = _instant(row["created_at"]), _instant(row["updated_at"])
        paid, settled = _aware(row["paid_at"]), _aware(row["his_settled_at"])
        paid_late = _later_than(paid, created)
        settled_late = settled is not None and (
            (paid is not None and paid_late and settled >= paid - timedelta(minutes=10))
            or _later_than(settled, updated)
        )
        if not (paid_late or settled_late):
            continue
        new_paid = _undo_late(paid, paid_late)
        new_settled = _undo_late(settled, settled_late)
        await client.execute_query(
            "UPDATE payment SET paid_at = %s, his_settled_at = %s WHERE id = %s",
            [_naive(new_paid), _naive(new_settled), row["id"]],
        )
        if paid_late:  # the bills this payment paid carried the same late time
            await client.execute_query(
                "UPDATE charge c JOIN payment_bill b ON b.charge_id = c.id SET c.paid_at = %s "
                "WHERE b.payment_id = %s AND c.paid_at = %s",
                [_naive(new_paid), row["id"], _naive(paid)],
            )
        changed += 1
    return changed


def _naive(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


async def repair_his_charge_times(client: BaseDBAsyncClient) -> int:
    """Move HIS's billed_at / paid_at of mirrored bills stored 8 hours late on MariaDB back to UTC (SQLite
    kept the offset: _repair_sqlite rewrote those already); answers how many rows changed."""
    if client.capabilities.dialect == "sqlite":
        return 0
    changed = 0
    _, rows = await client.execute_query(
        "SELECT id, created_at, updated_at, billed_at, paid_at FROM charge "
        "WHERE billed_at IS NOT NULL OR paid_at IS NOT NULL"
    )
    for row in rows:
        created, updated = _instant(row["created_at"]), _instant(row["updated_at"])
        billed, paid = _aware(row["billed_at"]), _aware(row["paid_at"])
        billed_late = _later_than(billed, created)
        paid_late = _later_than(paid, updated)
        if not (billed_late or paid_late):
            continue
        await client.execute_query(
            "UPDATE charge SET billed_at = %s, paid_at = %s WHERE id = %s",
            [_naive(_undo_late(billed, billed_late)), _naive(_undo_late(paid, paid_late)), row["id"]],
        )
        changed += 1
    return changed


async def repair_stored_times(client: BaseDBAsyncClient) -> int:
    """Move times stored with the wrong offset to UTC; answers how many rows changed."""
    if client.capabilities.dialect == "sqlite":
        return await _repair_sqlite(client)
    return await _repair_mysql(client)

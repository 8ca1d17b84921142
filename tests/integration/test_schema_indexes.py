"""Lookups on hot paths use an index on both backends (the schema comes from the committed migrations)."""

from __future__ import annotations

from tortoise import connections


async def _indexed_columns(table: str) -> set[str]:
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        _, indexes = await conn.execute_query(f"PRAGMA index_list('{table}')")
        columns: set[str] = set()
        for index in indexes:
            _, info = await conn.execute_query(f"PRAGMA index_info('{index['name']}')")
            if info:
                columns.add(info[0]["name"])  # the leading column serves lookups by it
        return columns
    _, rows = await conn.execute_query(f"SHOW INDEX FROM `{table}`")
    return {row["Column_name"] for row in rows if row["Seq_in_index"] == 1}


async def test_identities_are_found_by_account_through_an_index(db):
    # payments.apply_paid and the login read WechatUser by id OR account_id on every notification
    assert "account_id" in await _indexed_columns("wechat_user")

"""Repositories, one per aggregate (issue 15): every statement the services need, ORM queries and raw SQL,
lives here. A repository is bound to the connection of its unit of work (db/uow.py): inside a transaction
it reads and writes in that transaction, outside one it reads from the pool.

Hot paths (a booking, a payment notification) are raw SQL written once with ``%s`` placeholders and run
through the helpers below: no query builder and no model objects, and Tortoise still translates a driver's
errors (a unique key refusing a row raises ``db/errors.py``'s UniqueViolation)."""

from __future__ import annotations

from typing import Any

from tortoise import connections


def sql_for(conn: Any, query: str) -> str:
    """The statements are written once with %s; SQLite wants ?."""
    return query.replace("%s", "?") if conn.capabilities.dialect == "sqlite" else query


def is_sqlite(conn: Any) -> bool:
    return bool(conn.capabilities.dialect == "sqlite")


class Repository:
    """Base of the repositories: ``conn`` is the transaction's connection, or None (the default pool)."""

    __slots__ = ("conn",)

    def __init__(self, conn: Any = None) -> None:
        self.conn = conn

    def _db(self) -> Any:
        """The transaction's connection, or the pool's client outside one."""
        return self.conn if self.conn is not None else connections.get("default")

    async def _rows(self, query: str, values: list[Any]) -> list[dict[str, Any]]:
        """The rows of a raw statement, as dicts."""
        conn = self._db()
        return list(await conn.execute_query_dict(sql_for(conn, query), values))

    async def _execute(self, query: str, values: list[Any]) -> int:
        """Run a raw INSERT/UPDATE/DELETE; the number of rows it changed."""
        conn = self._db()
        count, _rows = await conn.execute_query(sql_for(conn, query), values)
        return int(count)

    async def _insert(self, query: str, values: list[Any]) -> int:
        """Run a raw INSERT; the new row's id."""
        conn = self._db()
        return int(await conn.execute_insert(sql_for(conn, query), values))

"""Repositories, one per aggregate (issue 15): every statement the services need, ORM queries and raw SQL,
lives here. A repository is bound to the connection of its unit of work (db/uow.py): inside a transaction
it reads and writes in that transaction, outside one it reads from the pool."""

from __future__ import annotations

from typing import Any


class Repository:
    """Base of the repositories: ``conn`` is the transaction's connection, or None (the default pool)."""

    __slots__ = ("conn",)

    def __init__(self, conn: Any = None) -> None:
        self.conn = conn

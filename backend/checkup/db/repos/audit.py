"""The audit repository (issue 15): the statements of this aggregate, nowhere else.

The trail is append-only: there is no update or delete method here (services/audit.py keys the chain)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tortoise import connections

from checkup.db.models import AuditLog
from checkup.db.repos import Repository


class AuditRepository(Repository):
    __slots__ = ()

    def _supports_for_update(self) -> bool:
        conn = self.conn if self.conn is not None else connections.get("default")
        return bool(conn.capabilities.support_for_update)

    async def lock_chain_tail(self) -> str:
        """The hash of the newest row; no other writer can append until this transaction ends.

        MySQL/MariaDB: the oldest row's lock is the chain's mutex (its gap is never inserted into, so
        waiting writers do not deadlock with the insert at the end), then a locking read sees the
        newest committed row whatever the transaction's snapshot. SQLite has one writer at a time.
        """
        if self._supports_for_update():
            await AuditLog.all().using_db(self.conn).order_by("id").select_for_update().limit(1)
            row = await AuditLog.all().using_db(self.conn).order_by("-id").select_for_update().first()
        else:
            row = await AuditLog.all().using_db(self.conn).order_by("-id").first()
        return row.hash if row else ""

    async def add(self, *, at: datetime, actor: str, ip: str, action: str, target: str, outcome: str,
                  detail: Any, prev_hash: str, hash: str) -> AuditLog:
        return await AuditLog.create(using_db=self.conn, at=at, actor=actor, ip=ip, action=action, target=target,
                                     outcome=outcome, detail=detail, prev_hash=prev_hash, hash=hash)

    async def exists(self, row_id: int) -> bool:
        return await AuditLog.filter(id=row_id).using_db(self.conn).exists()

    async def after(self, last_id: int, *, limit: int) -> list[AuditLog]:
        """The rows after ``last_id`` in id order (walking the chain in batches)."""
        return await AuditLog.filter(id__gt=last_id).using_db(self.conn).order_by("id").limit(limit)

    async def newest(self) -> AuditLog | None:
        return await AuditLog.all().using_db(self.conn).order_by("-id").first()

    async def count_all(self) -> int:
        return await AuditLog.all().using_db(self.conn).count()

    def _query(self, *, low: datetime | None = None, high: datetime | None = None, actor: str | None = None,
               action_prefix: str | None = None, action: str | None = None,
               actions: Sequence[str] | None = None, outcome: str | None = None) -> Any:
        qs = AuditLog.all().using_db(self.conn)
        if low is not None:
            qs = qs.filter(at__gte=low)
        if high is not None:
            qs = qs.filter(at__lt=high)
        if actor:
            qs = qs.filter(actor=actor)
        if action_prefix:
            qs = qs.filter(action__startswith=action_prefix)
        if action:
            qs = qs.filter(action=action)
        if actions is not None:
            qs = qs.filter(action__in=list(actions))
        if outcome:
            qs = qs.filter(outcome=outcome)
        return qs

    async def search_page(self, *, low: datetime | None, high: datetime | None, actor: str | None,
                          action_prefix: str | None, outcome: str | None, offset: int,
                          limit: int) -> tuple[list[AuditLog], int]:
        """One page of the trail, newest first, and how many rows match."""
        qs = self._query(low=low, high=high, actor=actor, action_prefix=action_prefix, outcome=outcome)
        total = await qs.count()
        rows = await qs.order_by("-id").offset(offset).limit(limit)
        return rows, total

    async def matching_after(self, last_id: int, *, low: datetime, high: datetime, actor: str | None,
                             action_prefix: str | None, outcome: str | None, limit: int) -> list[AuditLog]:
        """The rows of a period matching the filters after ``last_id``, oldest first (exports in batches)."""
        qs = self._query(low=low, high=high, actor=actor, action_prefix=action_prefix, outcome=outcome)
        return await qs.filter(id__gt=last_id).order_by("id").limit(limit)

    async def successes_of(self, actions: Sequence[str], *, low: datetime, high: datetime) -> list[AuditLog]:
        """The successful rows of ``actions`` in [low, high), oldest first."""
        return await self._query(low=low, high=high, actions=actions, outcome="success").order_by("id")

    async def failures_between(self, low: datetime, high: datetime) -> list[tuple[str, Any]]:
        """(action, detail) of every failure row in [low, high)."""
        return await self._query(low=low, high=high, outcome="failure").values_list("action", "detail")

    async def count_between(self, low: datetime, high: datetime, *, action: str | None = None,
                            action_prefix: str | None = None, outcome: str | None = None) -> int:
        return await self._query(low=low, high=high, action=action, action_prefix=action_prefix,
                                 outcome=outcome).count()

"""An in-memory unit of work with the attributes of checkup.db.uow.UnitOfWork (issue 15).

Each fake repository keeps its rows in plain dicts shared through one ``FakeDatabase``; a unit of work
records whether it committed or rolled back so a test can say which happened, and a rollback puts every
table back as it was when the transaction began (outbox rows, ``jobs``, included), as the database does.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any


@dataclass
class FakeDatabase:
    """The rows every fake repository reads and writes, by table."""

    tables: dict[str, dict[int, Any]] = field(default_factory=dict)
    next_ids: dict[str, int] = field(default_factory=dict)
    commits: int = 0
    rollbacks: int = 0

    def table(self, name: str) -> dict[int, Any]:
        return self.tables.setdefault(name, {})

    def new_id(self, name: str) -> int:
        self.next_ids[name] = self.next_ids.get(name, 0) + 1
        return self.next_ids[name]


class FakeUnitOfWork:
    """``async with FakeUnitOfWork(db) as uow`` -- the repositories of the aggregates a test needs are set by
    the fakes of that aggregate (tests/fakes/<aggregate>.py) through ``FakeUnitOfWork.repositories``."""

    repositories: dict[str, type] = {}  # attribute name -> fake repository class (taking the FakeDatabase)

    def __init__(self, db: FakeDatabase, *, write: bool = True) -> None:
        self.db = db
        self.write = write
        self._before: tuple[dict[str, dict[int, Any]], dict[str, int]] | None = None
        for name, cls in self.repositories.items():
            setattr(self, name, cls(db))

    async def __aenter__(self) -> FakeUnitOfWork:
        if self.write:  # what a rollback returns to (rows are copied: a use case changes them in place)
            self._before = copy.deepcopy((self.db.tables, self.db.next_ids))
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if not self.write:
            return
        before, self._before = self._before, None
        if exc is None:
            self.db.commits += 1
        else:
            self.db.rollbacks += 1
            if before is not None:
                tables, next_ids = before
                self.db.tables.clear()
                self.db.tables.update(tables)
                self.db.next_ids.clear()
                self.db.next_ids.update(next_ids)


def fake_uow_factory(db: FakeDatabase):
    """What ``Deps.uow`` is set to in a use-case test."""

    def make(*, write: bool = True) -> FakeUnitOfWork:
        return FakeUnitOfWork(db, write=write)

    return make

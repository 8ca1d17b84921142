"""The audit repository (issue 15): the statements of this aggregate, nowhere else."""

from __future__ import annotations

from checkup.db.repos import Repository


class AuditRepository(Repository):
    __slots__ = ()

"""The unit of work (issue 15): one database transaction and the repositories that work inside it.

Use cases write through it::

    async with deps.uow() as uow:
        booking = await uow.bookings.lock(booking_id)
        ...
        await uow.jobs.enqueue(kind="send_message", payload=..., now=now)   # the outbox: commits with the change

Leaving the block commits; an exception rolls everything back, outbox rows included. ``deps.uow(write=False)``
gives the same repositories without a transaction, for reads (each statement on a pooled connection).
Tests of the use cases hand ``Deps`` an in-memory unit of work (tests/fakes/uow.py) with the same attributes.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

from tortoise.transactions import in_transaction

from checkup.db.repos.audit import AuditRepository
from checkup.db.repos.bookings import BookingsRepository
from checkup.db.repos.charges import ChargesRepository
from checkup.db.repos.jobs import JobsRepository
from checkup.db.repos.ops import OpsRepository
from checkup.db.repos.packages import PackagesRepository
from checkup.db.repos.patients import PatientsRepository
from checkup.db.repos.payments import PaymentsRepository
from checkup.db.repos.pii import PiiRepository
from checkup.db.repos.quota import QuotaRepository
from checkup.db.repos.refunds import RefundsRepository
from checkup.db.repos.sharing import SharingRepository
from checkup.db.repos.staff import StaffRepository


class UnitOfWork:
    """Repositories bound to one transaction (``write=True``) or to the pool (``write=False``)."""

    def __init__(self, *, write: bool = True) -> None:
        self.write = write
        self._tx: Any = None
        self._conn: Any = None  # the transaction's connection, only for the repositories
        self._bind(None)

    def _bind(self, conn: Any) -> None:
        self._conn = conn
        self.audit = AuditRepository(conn)
        self.bookings = BookingsRepository(conn)
        self.charges = ChargesRepository(conn)
        self.jobs = JobsRepository(conn)  # the transactional outbox
        self.ops = OpsRepository(conn)  # monitoring, readiness, rollups and reports: reads across aggregates
        self.packages = PackagesRepository(conn)
        self.patients = PatientsRepository(conn)
        self.payments = PaymentsRepository(conn)
        self.pii = PiiRepository(conn)  # which key encrypts the patient rows (key rotation)
        self.quota = QuotaRepository(conn)
        self.refunds = RefundsRepository(conn)
        self.sharing = SharingRepository(conn)  # the open API's clients, nonces and answers
        self.staff = StaffRepository(conn)

    async def __aenter__(self) -> Self:
        if self.write:
            self._tx = in_transaction()
            self._bind(await self._tx.__aenter__())
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._tx is not None:
            tx, self._tx = self._tx, None
            self._bind(None)
            await tx.__aexit__(exc_type, exc, tb)


def unit_of_work(*, write: bool = True) -> UnitOfWork:
    """The unit of work the application runs with (``Deps.uow``)."""
    return UnitOfWork(write=write)

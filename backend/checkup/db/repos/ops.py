"""The operations repository (issue 15): what the monitoring, the readiness checks, the daily rollup and the
monthly report read (counts over the other aggregates' tables, never a write to them), the counts each process
flushes (OpsSample), the rollups (OpsDaily), the nonces of inbound HIS notifications, and the checks of the
database itself (it answers, its migrations, the application account's grants)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tortoise import connections
from tortoise.functions import Count, Min

from checkup.db.config import APP_LABEL
from checkup.db.models import (
    Booking,
    BookingRulesRow,
    Charge,
    DayQuota,
    HisNonce,
    Job,
    OpsDaily,
    OpsSample,
    Payment,
    Reconciliation,
    Refund,
)
from checkup.db.repos import Repository


class OpsRepository(Repository):
    __slots__ = ()

    def _db(self) -> Any:
        return self.conn if self.conn is not None else connections.get("default")

    # ---- the database itself -----------------------------------------------------------------------
    async def ping(self) -> None:
        """Raises when the database does not answer."""
        await self._db().execute_query("SELECT 1")

    async def applied_migrations(self) -> set[str]:
        """The migrations the database has applied (none when it has no migrations table)."""
        try:
            _, rows = await self._db().execute_query(
                f"SELECT name FROM tortoise_migrations WHERE app = '{APP_LABEL}'")  # noqa: S608 - a constant
        except Exception:  # noqa: BLE001 - no migrations table: nothing applied
            rows = []
        return {row["name"] for row in rows}

    async def grants(self) -> list[str]:
        """The application account's grants (MySQL/MariaDB)."""
        _, rows = await self._db().execute_query("SHOW GRANTS FOR CURRENT_USER()")
        return [str(next(iter(r.values())) if isinstance(r, dict) else r[0]) for r in rows]

    # ---- scrape-time gauges ------------------------------------------------------------------------
    async def open_jobs(self) -> list[tuple[str, str, int, Any]]:
        """(kind, status, count, earliest run_after) of the jobs pending, running or failed."""
        return await Job.filter(status__in=("pending", "running", "failed")).using_db(self.conn) \
            .group_by("kind", "status").annotate(n=Count("id"), first_due=Min("run_after")) \
            .values_list("kind", "status", "n", "first_due")

    async def count_writeback_pending(self) -> int:
        return await Payment.filter(status="paid", his_status="pending").using_db(self.conn).count()

    async def count_held_payments(self) -> int:
        return await Payment.filter(status="held").using_db(self.conn).count()

    async def active_bookings_per_day(self, first: date, last: date) -> dict[date, int]:
        return dict(await Booking.filter(day__gte=first, day__lte=last, active=1).using_db(self.conn)
                    .group_by("day").annotate(n=Count("id")).values_list("day", "n"))

    async def capacities(self, first: date, last: date) -> list[tuple[date, int]]:
        return await DayQuota.filter(day__gte=first, day__lte=last).using_db(self.conn).values_list("day",
                                                                                                  "capacity")

    # ---- the day's figures (rollup) ----------------------------------------------------------------
    async def samples_of(self, day: date) -> list[OpsSample]:
        return await OpsSample.filter(day=day).using_db(self.conn)

    async def add_samples(self, rows: list[dict[str, Any]]) -> None:
        """Append flushed counts (values: the columns of OpsSample)."""
        await OpsSample.bulk_create([OpsSample(**r) for r in rows], using_db=self.conn)

    async def drop_samples_before(self, day: date) -> None:
        await OpsSample.filter(day__lt=day).using_db(self.conn).delete()

    async def count_booked(self, low: datetime, high: datetime) -> int:
        return await Booking.filter(booked_at__gte=low, booked_at__lt=high).using_db(self.conn).count()

    async def cancelled_by(self, low: datetime, high: datetime) -> list[Any]:
        """Who cancelled each booking cancelled in [low, high)."""
        return await Booking.filter(cancelled_at__gte=low, cancelled_at__lt=high).using_db(self.conn).values_list(
            "cancelled_by", flat=True)

    async def count_confirmed(self, low: datetime, high: datetime) -> int:
        return await Booking.filter(confirmed_at__gte=low, confirmed_at__lt=high).using_db(self.conn).count()

    async def count_no_show(self, low: datetime, high: datetime) -> int:
        return await Booking.filter(no_show_at__gte=low, no_show_at__lt=high).using_db(self.conn).count()

    async def payment_statuses_created(self, low: datetime, high: datetime) -> list[Any]:
        return await Payment.filter(created_at__gte=low, created_at__lt=high).using_db(self.conn).values_list(
            "status", flat=True)

    async def payments_paid(self, low: datetime, high: datetime) -> list[tuple[int, str]]:
        """(amount_fen, his_status) of the payments paid in [low, high)."""
        return await Payment.filter(paid_at__gte=low, paid_at__lt=high).using_db(self.conn).values_list(
            "amount_fen", "his_status")

    async def count_payments_closed(self, low: datetime, high: datetime) -> int:
        return await Payment.filter(closed_at__gte=low, closed_at__lt=high).using_db(self.conn).count()

    async def refunds_made(self, low: datetime, high: datetime) -> list[tuple[int, str, str]]:
        """(amount_fen, status, source) of the refunds created in [low, high)."""
        return await Refund.filter(created_at__gte=low, created_at__lt=high).using_db(self.conn).values_list(
            "amount_fen", "status", "source")

    async def refund_amounts_succeeded(self, low: datetime, high: datetime) -> list[Any]:
        return await Refund.filter(succeeded_at__gte=low, succeeded_at__lt=high).using_db(self.conn).values_list(
            "amount_fen", flat=True)

    async def jobs_created(self, low: datetime, high: datetime) -> list[tuple[str, int]]:
        """(status, attempts) of the jobs created in [low, high)."""
        return await Job.filter(created_at__gte=low, created_at__lt=high).using_db(self.conn).values_list(
            "status", "attempts")

    async def reconciliation(self, day: date) -> Reconciliation | None:
        return await Reconciliation.get_or_none(day=day, using_db=self.conn)

    async def reconciliations(self, first: date, last: date) -> list[Reconciliation]:
        return await Reconciliation.filter(day__gte=first, day__lte=last).using_db(self.conn)

    async def quota(self, day: date) -> DayQuota | None:
        return await DayQuota.get_or_none(day=day, using_db=self.conn)

    # ---- rollups -----------------------------------------------------------------------------------
    async def rollup(self, day: date) -> OpsDaily | None:
        return await OpsDaily.get_or_none(day=day, using_db=self.conn)

    async def has_rollup(self, day: date) -> bool:
        return await OpsDaily.filter(day=day).using_db(self.conn).exists()

    async def store_rollup(self, day: date, figures: dict[str, Any]) -> None:
        """The day's figures, replacing an earlier rollup of the day."""
        await OpsDaily.update_or_create(day=day, defaults={"figures": figures}, using_db=self.conn)

    async def set_rollup_figures(self, day: date, figures: dict[str, Any]) -> None:
        await OpsDaily.filter(day=day).using_db(self.conn).update(figures=figures)

    async def rolled_up_days(self) -> list[Any]:
        return await OpsDaily.all().using_db(self.conn).values_list("day", flat=True)

    async def rollups(self, first: date, last: date) -> list[OpsDaily]:
        return await OpsDaily.filter(day__gte=first, day__lte=last).using_db(self.conn)

    # ---- inbound HIS notifications -----------------------------------------------------------------
    async def claim_his_nonce(self, nonce: str, *, now: datetime, expires_at: datetime) -> None:
        """Forget the nonces whose window is over, then record ``nonce``; one seen before raises
        UniqueViolation (db/errors.py)."""
        await HisNonce.filter(expires_at__lt=now).using_db(self.conn).delete()
        await HisNonce.create(using_db=self.conn, nonce=nonce, expires_at=expires_at)

    async def charge_by_bill_no(self, bill_no: str) -> Charge | None:
        return await Charge.get_or_none(bill_no=bill_no, using_db=self.conn)

    # ---- demo and default data (seed) --------------------------------------------------------------
    async def ensure_rules(self, defaults: dict[str, Any]) -> None:
        """The booking rules row, with ``defaults`` when there is none yet."""
        await BookingRulesRow.get_or_create(id=1, defaults=defaults, using_db=self.conn)

    async def quota_days(self, first: date, before: date) -> set[date]:
        return {q.day for q in await DayQuota.filter(day__gte=first, day__lt=before).using_db(self.conn)}

    async def add_quotas(self, rows: list[dict[str, Any]]) -> None:
        await DayQuota.bulk_create([DayQuota(**r) for r in rows], using_db=self.conn)

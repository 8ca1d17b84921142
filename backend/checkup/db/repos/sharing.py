"""The data-sharing repository (issue 15): the open API's clients (OpenClient), their used nonces (OpenNonce),
and the reads the open API answers from (bookings, counts, payment and refund totals)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tortoise import connections
from tortoise.functions import Count, Max

from checkup.db.models import Booking, OpenClient, OpenNonce, Package, Payment, Refund
from checkup.db.repos import Repository

BOOKING_FIELDS = ("id", "day", "status", "booked_at", "charge__package_code", "charge__item_name", "patient__name",
                  "patient__sex", "patient__birth_date", "patient__phone_enc", "patient__id_number_enc")


class SharingRepository(Repository):
    __slots__ = ()

    def _supports_for_update(self) -> bool:
        conn = self.conn if self.conn is not None else connections.get("default")
        return bool(conn.capabilities.support_for_update)

    # ---- clients -----------------------------------------------------------------------------------
    async def count_clients(self) -> int:
        return await OpenClient.all().using_db(self.conn).count()

    async def clients_page(self, *, offset: int, limit: int) -> list[OpenClient]:
        return await OpenClient.all().using_db(self.conn).order_by("id").offset(offset).limit(limit)

    async def add_client(self, **values: Any) -> OpenClient:
        """A new client (values: the columns of OpenClient)."""
        return await OpenClient.create(using_db=self.conn, **values)

    async def lock_client(self, client_id: int) -> OpenClient | None:
        query = OpenClient.filter(id=client_id).using_db(self.conn)
        if self._supports_for_update():
            query = query.select_for_update()
        return await query.first()

    async def lock_all_clients(self) -> list[OpenClient]:
        query = OpenClient.all().order_by("id").using_db(self.conn)
        if self._supports_for_update():
            query = query.select_for_update()
        return await query

    async def save_client(self, client: OpenClient, fields: list[str] | None = None) -> None:
        await client.save(using_db=self.conn, update_fields=fields)

    async def delete_client(self, client: OpenClient) -> None:
        """The client and its nonces."""
        await OpenNonce.filter(client_id=client.id).using_db(self.conn).delete()
        await client.delete(using_db=self.conn)

    async def client_by_app_key(self, app_key: str) -> OpenClient | None:
        return await OpenClient.get_or_none(app_key=app_key, using_db=self.conn)

    async def set_last_used(self, client_id: int, now: datetime) -> None:
        await OpenClient.filter(id=client_id).using_db(self.conn).update(last_used_at=now)

    # ---- nonces ------------------------------------------------------------------------------------
    async def purge_nonces(self, now: datetime) -> None:
        await OpenNonce.filter(expires_at__lt=now).using_db(self.conn).delete()

    async def nonce(self, client_id: int, nonce: str) -> OpenNonce | None:
        return await OpenNonce.get_or_none(client_id=client_id, nonce=nonce, using_db=self.conn)

    async def drop_nonce(self, nonce_id: int) -> None:
        await OpenNonce.filter(id=nonce_id).using_db(self.conn).delete()

    async def add_nonce(self, client_id: int, nonce: str, *, expires_at: datetime) -> None:
        """Record a used nonce; one the client used already raises UniqueViolation (db/errors.py)."""
        await OpenNonce.create(using_db=self.conn, client_id=client_id, nonce=nonce, expires_at=expires_at)

    # ---- what the open API answers -----------------------------------------------------------------
    async def package_names(self, codes: set[str]) -> dict[str, str]:
        rows = await Package.filter(code__in=codes).using_db(self.conn).values("code", "name")
        return {p["code"]: p["name"] for p in rows}

    async def bookings_page(self, *, start: date, end: date, status: str | None, offset: int,
                            limit: int) -> tuple[list[dict[str, Any]], int]:
        """Bookings of the days [start, end] (of ``status``), by day then id, as BOOKING_FIELDS; and the total."""
        qs = Booking.filter(day__gte=start, day__lte=end).using_db(self.conn)
        if status:
            qs = qs.filter(status=status)
        total = await qs.count()
        rows = await qs.order_by("day", "id").offset(offset).limit(limit).values(*BOOKING_FIELDS)
        return rows, total

    async def booking_counts(self, start: date, end: date) -> list[tuple[date, str | None, str, int, str]]:
        """(day, package code, status, count, an item name) of the days [start, end], counted by the database."""
        return await (Booking.filter(day__gte=start, day__lte=end).using_db(self.conn)
                      .annotate(n=Count("id"), item_name=Max("charge__item_name"))
                      .group_by("day", "charge__package_code", "status")
                      .values_list("day", "charge__package_code", "status", "n", "item_name"))

    async def paid_between(self, low: datetime, high: datetime) -> list[tuple[datetime, int]]:
        """(paid_at, amount_fen) of the payments that went through in [low, high)."""
        return await Payment.filter(status="paid", paid_at__gte=low, paid_at__lt=high).using_db(
            self.conn).values_list("paid_at", "amount_fen")

    async def refunded_between(self, low: datetime, high: datetime) -> list[tuple[datetime, int]]:
        """(succeeded_at, amount_fen) of the refunds of paid payments that succeeded in [low, high)."""
        return await Refund.filter(status="succeeded", succeeded_at__gte=low, succeeded_at__lt=high,
                                   payment__status="paid").using_db(self.conn).values_list("succeeded_at",
                                                                                          "amount_fen")

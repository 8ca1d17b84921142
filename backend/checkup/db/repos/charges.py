"""The charges repository (issue 15): our mirror of the HIS bills, and moving the charges of a payment from
one status to the next (written once, not at every step of the money flows). A payment holds one or more
bills (payment_bill); a refund names one bill or ALL. It also answers the few reads the charge views need
about the bookings, packages and 就诊人 of charges."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from checkup.db.models import Booking, Charge, Package, Patient, PaymentBill
from checkup.db.repos import Repository
from checkup.domain.money import WHOLE_PAYMENT


class ChargesRepository(Repository):
    __slots__ = ()

    async def by_bill_no(self, bill_no: str) -> Charge | None:
        return await Charge.filter(bill_no=bill_no).using_db(self.conn).first()

    async def lock(self, charge_id: int) -> Charge | None:
        """The charge, locked in this transaction (SELECT ... FOR UPDATE)."""
        return await Charge.filter(id=charge_id).select_for_update().using_db(self.conn).first()

    async def add(self, **fields: Any) -> Charge:
        """A new charge; a bill number seen already raises UniqueViolation (db/errors.py)."""
        return await Charge.create(using_db=self.conn, **fields)

    async def add_once(self, bill_no: str, defaults: dict[str, Any]) -> tuple[Charge, bool]:
        """The charge of ``bill_no``, created from ``defaults`` when there is none; and whether it was created."""
        return await Charge.get_or_create(bill_no=bill_no, defaults=defaults, using_db=self.conn)

    async def save(self, charge: Charge, fields: Iterable[str]) -> None:
        await charge.save(using_db=self.conn, update_fields=[*fields, "updated_at"])

    async def set_status(self, charge_id: int, status: str) -> None:
        await Charge.filter(id=charge_id).using_db(self.conn).update(status=status)

    async def of_person(self, his_patient_id: str, *, status: str) -> list[Charge]:
        """The person's charges in ``status`` (e.g. paying, refunding: HIS lists them no longer, or not yet)."""
        return await Charge.filter(his_patient_id=his_patient_id, status=status).using_db(self.conn)

    async def item_names(self, charge_ids: list[int]) -> list[str]:
        """The item names of the charges, in the order of their ids."""
        if not charge_ids:
            return []
        rows = await Charge.filter(id__in=charge_ids).using_db(self.conn).order_by("id").values_list(
            "item_name", flat=True)
        return [str(name) for name in rows]

    # ---- the charges of a payment ----------------------------------------------------------------------------
    async def of_payment(self, payment_id: int, *, bill_key: str = WHOLE_PAYMENT) -> list[int]:
        """The ids of the charges in the payment, or only the one of ``bill_key`` (a bill number)."""
        bills = await PaymentBill.filter(payment_id=payment_id).using_db(self.conn).order_by("id").values_list(
            "charge_id", "bill_no")
        return [charge_id for charge_id, bill_no in bills if bill_key in (WHOLE_PAYMENT, bill_no)]

    async def move_payment_charges(self, payment_id: int, *, to: str, only_from: str | None = None,
                                   bill_key: str = WHOLE_PAYMENT, **columns: Any) -> int:
        """Set the status (and ``columns``) of the payment's charges, or of one bill's; with ``only_from`` only
        those still in that status move (a guarded change). The count."""
        ids = await self.of_payment(payment_id, bill_key=bill_key)
        if not ids:
            return 0
        query = Charge.filter(id__in=ids)
        if only_from is not None:
            query = query.filter(status=only_from)
        return await query.using_db(self.conn).update(status=to, **columns)

    # ---- what the charge views read about bookings, packages and 就诊人 ---------------------------------------
    async def booked(self, charge_id: int) -> bool:
        """The charge holds an active booking."""
        return await Booking.filter(charge_id=charge_id, active=1).using_db(self.conn).exists()

    async def active_bookings(self, charge_ids: list[int]) -> dict[int, Booking]:
        """charge id -> its active booking (``patient`` fetched)."""
        rows = await Booking.filter(charge_id__in=charge_ids, active=1).using_db(self.conn).prefetch_related(
            "patient")
        return {b.charge_id: b for b in rows}

    async def bookings_on(self, day: date) -> list[Booking]:
        """The active bookings of ``day`` (whom the reminders go to), in the order they were made."""
        return await Booking.filter(day=day, active=1).using_db(self.conn).order_by("id")

    async def booking_still_on(self, booking_id: int | None, day: date) -> bool:
        """The booking is active and still for ``day``."""
        return await Booking.filter(id=booking_id, active=1, day=day).using_db(self.conn).exists()

    async def package_names(self, codes: set[str]) -> dict[str, str]:
        """package code -> name."""
        if not codes:
            return {}
        return {p.code: p.name for p in await Package.filter(code__in=codes).using_db(self.conn)}

    async def package_name(self, code: str) -> str | None:
        package = await Package.filter(code=code).using_db(self.conn).first()
        return package.name if package else None

    async def refresh(self, charge: Charge) -> None:
        """Read ``charge``'s row again (HIS sync may just have changed it)."""
        await charge.refresh_from_db(using_db=self.conn)

    async def by_id(self, charge_id: int) -> Charge | None:
        return await Charge.filter(id=charge_id).using_db(self.conn).first()

    async def verified_patient(self, *, user_id: int, his_patient_id: str) -> Patient | None:
        """The user's listed, verified 就诊人 who is this HIS patient (whose bills the user may see)."""
        return await Patient.filter(user_id=user_id, active=1, his_patient_id=his_patient_id,
                                    verified_at__isnull=False).using_db(self.conn).first()

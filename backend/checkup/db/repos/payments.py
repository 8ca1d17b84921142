"""The payments repository (issue 15): WeChat Pay orders, the bills they hold (payment_bill), the payer's
identities, and the daily reconciliation rows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tortoise.expressions import Q

from checkup.db.models import Patient, Payment, PaymentBill, Reconciliation, WechatUser
from checkup.db.repos import Repository


class PaymentsRepository(Repository):
    __slots__ = ()

    async def by_no(self, payment_no: str) -> Payment | None:
        return await Payment.filter(payment_no=payment_no).using_db(self.conn).first()

    async def by_id(self, payment_id: int) -> Payment | None:
        return await Payment.filter(id=payment_id).using_db(self.conn).first()

    async def own(self, payment_no: str, *, user_id: int) -> Payment | None:
        """The account's payment of that number (another account's looks like a missing one)."""
        return await Payment.filter(payment_no=payment_no, user_id=user_id).using_db(self.conn).first()

    async def exists(self, payment_no: str) -> bool:
        return await Payment.filter(payment_no=payment_no).using_db(self.conn).exists()

    async def lock(self, payment_id: int) -> Payment | None:
        """The payment, locked in this transaction (SELECT ... FOR UPDATE)."""
        return await Payment.filter(id=payment_id).select_for_update().using_db(self.conn).first()

    async def lock_by_no(self, payment_no: str) -> Payment | None:
        return await Payment.filter(payment_no=payment_no).select_for_update().using_db(self.conn).first()

    async def add(self, **fields: Any) -> Payment:
        return await Payment.create(using_db=self.conn, **fields)

    async def save(self, payment: Payment, fields: Iterable[str] | None = None) -> None:
        """Write ``payment``'s ``fields`` (all of them when None)."""
        await payment.save(using_db=self.conn, update_fields=None if fields is None else [*fields, "updated_at"])

    async def refresh(self, payment: Payment) -> None:
        await payment.refresh_from_db(using_db=self.conn)

    async def set_prepay_id(self, payment_id: int, prepay_id: str) -> None:
        await Payment.filter(id=payment_id).using_db(self.conn).update(prepay_id=prepay_id)

    async def note_queried(self, payment_id: int, at: datetime) -> None:
        await Payment.filter(id=payment_id).using_db(self.conn).update(last_queried_at=at)

    async def set_paid_amount(self, payment_id: int, paid_amount_fen: int) -> None:
        await Payment.filter(id=payment_id).using_db(self.conn).update(paid_amount_fen=paid_amount_fen)

    async def pending_expired(self, *, before: datetime, limit: int) -> list[Payment]:
        """Unpaid orders that expired before ``before`` (the worker closes them)."""
        return await Payment.filter(status="pending", expires_at__lt=before).using_db(self.conn).limit(limit)

    async def pending_quiet(self, *, created_before: datetime, expires_from: datetime, limit: int) -> list[Payment]:
        """Unpaid orders older than ``created_before``, not yet expired (the worker asks WeChat about them)."""
        return await Payment.filter(status="pending", created_at__lt=created_before,
                                    expires_at__gte=expires_from).using_db(self.conn).limit(limit)

    async def paid_between(self, start: datetime, end: datetime) -> list[Payment]:
        """Payments paid (or held) in [start, end)."""
        return await Payment.filter(paid_at__gte=start, paid_at__lt=end,
                                    status__in=("paid", "held")).using_db(self.conn)

    def _opened(self, start: datetime, end: datetime, status: str | None) -> Any:
        query = Payment.filter(created_at__gte=start, created_at__lt=end).using_db(self.conn)
        return query.filter(status=status) if status else query

    async def opened_page(self, *, start: datetime, end: datetime, status: str | None, offset: int,
                          limit: int) -> tuple[list[Payment], int]:
        """Payments opened in [start, end) (of ``status``), newest first; and how many there are."""
        query = self._opened(start, end, status)
        total = await query.count()
        rows = await query.order_by("-id").offset(offset).limit(limit)
        return rows, total

    async def paid_amounts_opened(self, *, start: datetime, end: datetime,
                                  status: str | None) -> list[tuple[int, int]]:
        """(id, amount_fen) of the payments opened in [start, end) (of ``status``) that went through (paid)."""
        rows = await self._opened(start, end, status).filter(status="paid").values_list("id", "amount_fen")
        return [(payment_id, amount) for payment_id, amount in rows]

    # ---- the bills of a payment --------------------------------------------------------------------------
    async def add_bill(self, *, payment_id: int, charge_id: int, bill_no: str, amount_fen: int) -> PaymentBill:
        """The payment holds the bill (open): a bill another open payment holds raises UniqueViolation."""
        return await PaymentBill.create(using_db=self.conn, payment_id=payment_id, charge_id=charge_id,
                                        bill_no=bill_no, amount_fen=amount_fen, open=1)

    async def bills(self, payment_id: int) -> list[PaymentBill]:
        return await PaymentBill.filter(payment_id=payment_id).using_db(self.conn).order_by("id")

    async def bills_of(self, payment_ids: list[int]) -> list[PaymentBill]:
        """The bills of these payments, in the order they were added."""
        return await PaymentBill.filter(payment_id__in=payment_ids).using_db(self.conn).order_by("id")

    async def release_bills(self, payment_id: int, *, bill_no: str | None = None) -> None:
        """The payment no longer holds its bills (or the one ``bill_no``): they may be paid again."""
        query = PaymentBill.filter(payment_id=payment_id)
        if bill_no is not None:
            query = query.filter(bill_no=bill_no)
        await query.using_db(self.conn).update(open=None)

    async def open_holders(self, bill_nos: list[str]) -> list[PaymentBill]:
        """The open payment_bill rows of these bills (``payment`` fetched)."""
        return await PaymentBill.filter(bill_no__in=bill_nos, open=1).using_db(self.conn).prefetch_related("payment")

    async def holder_of_charge(self, charge_id: int) -> PaymentBill | None:
        """The open payment_bill row of the charge (``payment`` fetched)."""
        return await PaymentBill.filter(charge_id=charge_id, open=1).using_db(self.conn).prefetch_related(
            "payment").first()

    async def payers(self, charge_ids: list[int]) -> dict[int, int]:
        """charge id -> the WeChat user whose open payment holds it (paid or paying through the app)."""
        rows = await PaymentBill.filter(charge_id__in=charge_ids, open=1).using_db(self.conn).values(
            "charge_id", "payment__user_id")
        return {row["charge_id"]: row["payment__user_id"] for row in rows}

    # ---- the payer -------------------------------------------------------------------------------------------
    async def identity(self, identity_id: int) -> WechatUser:
        """The WeChat identity (openid under an appid) that pays; DoesNotExist when there is none."""
        return await WechatUser.get(id=identity_id, using_db=self.conn)

    async def payer_identities(self, account_id: int) -> list[tuple[str, str]]:
        """(appid, openid) of every identity of the account (the mini-program's, the official account's)."""
        rows = await WechatUser.filter(Q(id=account_id) | Q(account_id=account_id)).using_db(self.conn).values_list(
            "appid", "openid")
        return [(appid, openid) for appid, openid in rows]

    async def identities(self, account_id: int) -> list[WechatUser]:
        return await WechatUser.filter(Q(id=account_id) | Q(account_id=account_id)).using_db(self.conn)

    async def patient(self, patient_id: int) -> Patient | None:
        """The 就诊人 a payment (or booking) is for, as the messages about it name them; None when gone."""
        return await Patient.filter(id=patient_id).using_db(self.conn).first()

    async def patient_names(self, patient_ids: set[int]) -> dict[int, str]:
        """patient id -> name of these 就诊人 (gone ones left out)."""
        return {p.id: p.name for p in await Patient.filter(id__in=patient_ids).using_db(self.conn)}

    # ---- reconciliation ------------------------------------------------------------------------------------
    async def reconciled(self, day: date) -> bool:
        return await Reconciliation.filter(day=day).using_db(self.conn).exists()

    async def save_reconciliation(self, day: date, *, matched: int, differences: list[dict],
                                  sources: dict[str, Any]) -> None:
        await Reconciliation.update_or_create(
            day=day, defaults={"matched": matched, "differences": differences, "sources": sources},
            using_db=self.conn)

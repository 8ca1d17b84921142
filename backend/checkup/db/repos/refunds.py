"""The refunds repository (issue 15): refund rows (one per bill or for the whole payment: unique
(payment, bill_key)), their guarded state changes, and the finance alerts the refund flow raises."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.expressions import F

from checkup.db.models import FinanceAlert, Refund
from checkup.db.repos import Repository
from checkup.domain.money import ACTIVE_REFUND, WHOLE_PAYMENT, RefundStatus


class RefundsRepository(Repository):
    __slots__ = ()

    async def by_no(self, refund_no: str) -> Refund | None:
        return await Refund.filter(refund_no=refund_no).using_db(self.conn).first()

    async def by_wechat_no(self, out_refund_no: str) -> Refund | None:
        """The refund WeChat knows by ``out_refund_no``: the number of a try sent again, else our refund number."""
        return (await Refund.filter(wechat_refund_no=out_refund_no).using_db(self.conn).first()
                or await Refund.filter(refund_no=out_refund_no).using_db(self.conn).first())

    async def lock(self, refund_id: int) -> Refund | None:
        """The refund, locked in this transaction (SELECT ... FOR UPDATE)."""
        return await Refund.filter(id=refund_id).select_for_update().using_db(self.conn).first()

    async def lock_by_no(self, refund_no: str) -> Refund | None:
        return await Refund.filter(refund_no=refund_no).select_for_update().using_db(self.conn).first()

    async def lock_of_bill(self, payment_id: int, bill_key: str) -> Refund | None:
        """The payment's refund of ``bill_key`` (a bill number or ALL), locked."""
        return await Refund.filter(payment_id=payment_id, bill_key=bill_key).select_for_update().using_db(
            self.conn).first()

    async def whole_exists(self, payment_id: int) -> bool:
        """The payment has a refund of all of it (whatever its status)."""
        return await Refund.filter(payment_id=payment_id, bill_key=WHOLE_PAYMENT).using_db(self.conn).exists()

    async def add(self, **fields: Any) -> Refund:
        """A new refund row; one for a bill that has one raises UniqueViolation (db/errors.py)."""
        return await Refund.create(using_db=self.conn, **fields)

    async def add_whole_once(self, payment_id: int, defaults: dict[str, Any]) -> tuple[Refund, bool]:
        """The refund of the whole payment, created from ``defaults`` unless it exists; and whether it was."""
        return await Refund.get_or_create(payment_id=payment_id, bill_key=WHOLE_PAYMENT, defaults=defaults,
                                          using_db=self.conn)

    async def move(self, refund_id: int, *, seen: str, to: str, at: datetime, **columns: Any) -> int:
        """Guarded state change (``WHERE status = <the status the caller saw>``); 0 when someone else moved it."""
        return await Refund.filter(id=refund_id, status=seen).using_db(self.conn).update(
            status=to, updated_at=at, **columns)

    async def note_error(self, refund_id: int, error: str) -> None:
        """Why the refund waits, in the words staff read (no state change)."""
        await Refund.filter(id=refund_id).using_db(self.conn).update(error=error)

    async def note_wechat_accepted(self, refund_id: int, wechat_refund_id: str | None) -> None:
        """WeChat took the refund under its id: the reason it waited is cleared."""
        await Refund.filter(id=refund_id).using_db(self.conn).update(wechat_refund_id=wechat_refund_id, error="")

    async def touch(self, refund_id: int, at: datetime) -> None:
        """Asked WeChat about it at ``at`` (the next poll waits an interval from then)."""
        await Refund.filter(id=refund_id).using_db(self.conn).update(updated_at=at)

    async def earlier_active(self, refund: Refund) -> bool:
        """Another refund of the same payment, older than this one, has not ended yet."""
        payment_id = refund.payment_id
        return await Refund.filter(payment_id=payment_id, status__in=list(ACTIVE_REFUND),
                                   id__lt=refund.id).using_db(self.conn).exists()

    async def of_payment(self, payment_id: int) -> list[Refund]:
        return await Refund.filter(payment_id=payment_id).using_db(self.conn)

    async def of_payments(self, payment_ids: list[int]) -> list[Refund]:
        """The refunds of these payments, oldest first."""
        return await Refund.filter(payment_id__in=payment_ids).using_db(self.conn).order_by("id")

    async def page(self, *, statuses: list[str], offset: int, limit: int) -> tuple[list[Refund], int]:
        """Refunds of these statuses, newest first (``payment`` fetched); and how many there are."""
        query = Refund.filter(status__in=statuses).using_db(self.conn)
        total = await query.count()
        rows = await query.order_by("-id").offset(offset).limit(limit).prefetch_related("payment")
        return rows, total

    async def wechat_pending(self, *, updated_before: datetime, limit: int) -> list[Refund]:
        """Refunds WeChat is processing whose notification has not come since ``updated_before``."""
        return await Refund.filter(status=RefundStatus.WECHAT_PENDING, updated_at__lt=updated_before).using_db(
            self.conn).limit(limit)

    async def succeeded_between(self, start: datetime, end: datetime) -> list[Refund]:
        """Refunds that succeeded in [start, end) (``payment`` fetched)."""
        return await Refund.filter(succeeded_at__gte=start, succeeded_at__lt=end, status="succeeded").using_db(
            self.conn).prefetch_related("payment")

    async def succeeded_of_payments(self, payment_ids: list[int]) -> list[Refund]:
        return await Refund.filter(payment_id__in=payment_ids, status="succeeded").using_db(self.conn)

    async def succeeded_amount(self, payment_ids: list[int]) -> int:
        """What the succeeded refunds of these payments gave back (fen)."""
        if not payment_ids:
            return 0
        rows = await Refund.filter(payment_id__in=payment_ids, status=RefundStatus.SUCCEEDED).using_db(
            self.conn).values_list("amount_fen")
        return sum(amount for (amount,) in rows)

    async def his_refunded_of_trades(self, trade_nos: list[str]) -> list[Refund]:
        """Refunds of these trades (payment numbers) that refunded HIS (``payment`` fetched)."""
        return await Refund.filter(payment__payment_no__in=trade_nos, needs_his_refund=True,
                                   his_refund_no__isnull=False).using_db(self.conn).prefetch_related("payment")

    # ---- finance alerts (one open row per kind) -------------------------------------------------------------
    async def count_alert(self, kind: str, *, now: datetime, refund_no: str) -> int:
        """One more occurrence of the open alert of ``kind``; 0 when none is open."""
        return await FinanceAlert.filter(kind=kind, open=1).using_db(self.conn).update(
            times=F("times") + 1, last_at=now, refund_no=refund_no)

    async def open_alert(self, kind: str, *, text: str, now: datetime, refund_no: str) -> FinanceAlert:
        """Open an alert of ``kind``; UniqueViolation when one is open already (opened at the same moment)."""
        return await FinanceAlert.create(using_db=self.conn, kind=kind, open=1, text=text, refund_no=refund_no,
                                         first_at=now, last_at=now)

    async def close_alert(self, kind: str, *, now: datetime) -> int:
        return await FinanceAlert.filter(kind=kind, open=1).using_db(self.conn).update(open=None, closed_at=now)

    async def open_alerts(self) -> list[FinanceAlert]:
        return await FinanceAlert.filter(open=1).using_db(self.conn).order_by("first_at")

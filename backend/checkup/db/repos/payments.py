"""The payments repository (issue 15): WeChat Pay orders, the bills they hold (payment_bill), the payer's
identities, and the daily reconciliation rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tortoise.expressions import Q

from checkup.db.models import Patient, Payment, PaymentBill, Reconciliation, WechatUser
from checkup.db.repos import Repository, is_sqlite

_PAYMENT_FIELDS = Payment._meta.fields_map


def _stamp(at: datetime) -> Any:
    """A time as the payment table stores it (UTC, as the ORM writes it)."""
    return _PAYMENT_FIELDS["updated_at"].to_db_value(at, Payment)


@dataclass(frozen=True, slots=True)
class PaidOrder:
    """What applying WeChat's word that an order was paid reads of the order, row-locked (``lock_for_paid``)."""

    id: int
    payment_no: str
    status: str
    transaction_id: str | None
    amount_fen: int
    appid: str | None
    user_id: int
    charge_ids: tuple[int, ...]  # the charges of its bills, by id (the order rows are locked in)
    payer_checked: bool  # the account has identities under the order's appid (only then is the payer compared)
    payer_known: bool  # the notification's payer is one of them


# One statement: the order locked, the charges of its bills, and whether the payer is the account's. A
# locking read does not lock the rows its subqueries read (wechat_user, payment_bill). The identity
# subqueries go by the (appid, openid) key and by wechat_user.id / account_id.
# The order's appid (the mini-program's, %s, when it names none), and the identities of its account under it:
# by the (appid, openid) key for the payer, by wechat_user.id / account_id for "has any". The statements below
# are put together from these constant fragments only (S608: no value is ever formatted in).
_ORDER_APPID = "COALESCE(NULLIF(p.appid, ''), %s)"
_PAYER_IS_THE_ACCOUNTS = f"""EXISTS (SELECT 1 FROM wechat_user w WHERE w.openid = %s
            AND w.appid IN ({_ORDER_APPID}, '') AND (w.id = p.user_id OR w.account_id = p.user_id))"""  # noqa: S608
_ACCOUNT_HAS_AN_IDENTITY = f"""(EXISTS (SELECT 1 FROM wechat_user w WHERE w.id = p.user_id
             AND w.appid IN ({_ORDER_APPID}, ''))
   OR EXISTS (SELECT 1 FROM wechat_user w WHERE w.account_id = p.user_id
             AND w.appid IN ({_ORDER_APPID}, '')))"""  # noqa: S608

# One statement: the order locked, the charges of its bills, and whether the payer is the account's. A
# locking read does not lock the rows its subqueries read (wechat_user, payment_bill).
_LOCK_FOR_PAID = f"""
SELECT p.id, p.payment_no, p.status, p.transaction_id, p.amount_fen, p.appid, p.user_id,
  (SELECT GROUP_CONCAT(b.charge_id) FROM payment_bill b WHERE b.payment_id = p.id) AS charge_ids,
  {_ACCOUNT_HAS_AN_IDENTITY} AS payer_checked,
  {_PAYER_IS_THE_ACCOUNTS} AS payer_known
FROM payment p WHERE p.payment_no = %s"""  # noqa: S608

_MARK_PAID = """
UPDATE payment SET transaction_id = %s, paid_at = %s, paid_amount_fen = %s, status = %s,
  his_status = COALESCE(%s, his_status), held_reason = COALESCE(%s, held_reason), updated_at = %s
WHERE id = %s AND transaction_id IS NULL"""


# MariaDB: the order and its charges in one statement; the guard on the order keeps the charges too.
_MARK_PAID_WITH_CHARGES = """
UPDATE payment p, charge c SET p.transaction_id = %s, p.paid_at = %s, p.paid_amount_fen = %s, p.status = %s,
  p.his_status = COALESCE(%s, p.his_status), p.held_reason = COALESCE(%s, p.held_reason), p.updated_at = %s,
  c.status = %s, c.updated_at = %s
WHERE p.id = %s AND p.transaction_id IS NULL AND c.id IN ({marks})"""


# MariaDB, the common case of a paid notification in one statement: the order (pending, not applied, with our
# amount, the notification's appid, and a payer who is the account's, as notification_mismatches would find
# them) and all of its charges. No row matches when anything differs; the caller then takes the general path.
_APPLY_IF_AGREEING = f"""
UPDATE payment p JOIN payment_bill b ON b.payment_id = p.id JOIN charge c ON c.id = b.charge_id
SET p.transaction_id = %s, p.paid_at = %s, p.paid_amount_fen = %s, p.status = %s, p.his_status = %s,
  p.updated_at = %s, c.status = %s, c.updated_at = %s
WHERE p.payment_no = %s AND p.transaction_id IS NULL AND p.status = %s AND p.amount_fen = %s
  AND {_ORDER_APPID} = %s
  AND ({_PAYER_IS_THE_ACCOUNTS} OR NOT {_ACCOUNT_HAS_AN_IDENTITY})"""  # noqa: S608


class PaymentsRepository(Repository):
    __slots__ = ()

    async def apply_if_agreeing(self, payment_no: str, *, transaction_id: str, paid_at: datetime,
                                paid_amount_fen: int, payer_openid: str, appid: str, default_appid: str,
                                from_status: str, status: str, his_status: str, charge_status: str) -> bool | None:
        """The common paid notification in one statement (MariaDB): when the order ``payment_no`` is in
        ``from_status``, not applied yet, of ``paid_amount_fen``, ordered under ``appid`` (``default_appid`` when
        it names none) and ``payer_openid`` is one of the account's identities there (or the account has none
        there), write the transaction, ``status`` and ``his_status`` on it and ``charge_status`` on its charges.
        True when it did; False when anything differs (nothing changed: take the general path, which says why);
        None on SQLite, which has no multi-table UPDATE."""
        conn = self._db()
        if is_sqlite(conn):
            return None
        now = _stamp(datetime.now(UTC))
        changed = await self._execute(_APPLY_IF_AGREEING, [
            transaction_id, _stamp(paid_at), paid_amount_fen, str(status), str(his_status), now, str(charge_status),
            now, payment_no, str(from_status), paid_amount_fen, default_appid, appid, payer_openid, default_appid,
            default_appid, default_appid])
        return changed >= 1

    # ---- applying a paid notification (the hot path: raw SQL) ----------------------------------------------
    async def lock_for_paid(self, payment_no: str, *, payer_openid: str | None,
                            default_appid: str | None) -> PaidOrder | None:
        """The order of ``payment_no`` locked until the transaction ends (None when there is none), with the
        charges of its bills and whether ``payer_openid`` is one of the account's identities under the order's
        appid (``default_appid``, the mini-program's, when the order names none)."""
        conn = self._db()
        query = _LOCK_FOR_PAID + ("" if is_sqlite(conn) else " FOR UPDATE")
        rows = await self._rows(query, [default_appid, default_appid, payer_openid or "", default_appid,
                                        payment_no])
        if not rows:
            return None
        r = rows[0]
        charge_ids = sorted(int(x) for x in str(r["charge_ids"]).split(",")) if r["charge_ids"] else []
        return PaidOrder(id=int(r["id"]), payment_no=r["payment_no"], status=r["status"],
                         transaction_id=r["transaction_id"], amount_fen=int(r["amount_fen"]), appid=r["appid"],
                         user_id=int(r["user_id"]), charge_ids=tuple(charge_ids),
                         payer_checked=bool(r["payer_checked"]), payer_known=bool(r["payer_known"]))

    async def mark_paid(self, payment_id: int, *, transaction_id: str, paid_at: datetime, paid_amount_fen: int | None,
                        status: str, his_status: str | None = None, held_reason: str | None = None,
                        charge_ids: Iterable[int] = (), charge_status: str | None = None) -> bool:
        """Write WeChat's transaction on an order not yet applied (guarded on ``transaction_id IS NULL``), its new
        ``status`` (``his_status`` and ``held_reason`` when given) and, with ``charge_status``, the status of its
        charges ``charge_ids``; False when it was applied already (then nothing changes).

        On MariaDB this is one multi-table UPDATE (one round trip fewer on every notification); SQLite, which has
        no such statement, runs two in the same transaction."""
        now = _stamp(datetime.now(UTC))
        values = [transaction_id, _stamp(paid_at), paid_amount_fen, str(status),
                  None if his_status is None else str(his_status), held_reason, now]
        ids = [int(i) for i in charge_ids] if charge_status is not None else []
        conn = self._db()
        if ids and not is_sqlite(conn):
            marks = ", ".join(["%s"] * len(ids))
            changed = await self._execute(
                _MARK_PAID_WITH_CHARGES.format(marks=marks), [*values, str(charge_status), now, payment_id, *ids])
            return changed >= 1
        if await self._execute(_MARK_PAID, [*values, payment_id]) != 1:
            return False
        if ids:
            marks = ", ".join(["%s"] * len(ids))
            await self._execute(f"UPDATE charge SET status = %s, updated_at = %s WHERE id IN ({marks})",  # noqa: S608
                                [str(charge_status), now, *ids])
        return True

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

"""Moving the charges of a payment from one status to the next (issue 15: written once, not at every step
of the money flows). A payment holds one or more bills (payment_bill); a refund names one bill or ALL."""

from __future__ import annotations

from typing import Any

from checkup.db.models import Charge, PaymentBill
from checkup.domain.money import WHOLE_PAYMENT


async def payment_charge_ids(payment_id: int, *, bill_key: str = WHOLE_PAYMENT, conn: Any = None) -> list[int]:
    """The charges in the payment, or only the one of ``bill_key`` (a bill number)."""
    bills = await PaymentBill.filter(payment_id=payment_id).using_db(conn).order_by("id").values_list(
        "charge_id", "bill_no")
    return [charge_id for charge_id, bill_no in bills if bill_key in (WHOLE_PAYMENT, bill_no)]


async def move_payment_charges(payment_id: int, *, to: str, only_from: str | None = None,
                               bill_key: str = WHOLE_PAYMENT, conn: Any = None, **columns: Any) -> int:
    """Set the status (and ``columns``) of the payment's charges, or of one bill's, inside ``conn``'s
    transaction; with ``only_from`` only those still in that status move (a guarded change). The count."""
    ids = await payment_charge_ids(payment_id, bill_key=bill_key, conn=conn)
    if not ids:
        return 0
    query = Charge.filter(id__in=ids)
    if only_from is not None:
        query = query.filter(status=only_from)
    return await query.using_db(conn).update(status=to, **columns)

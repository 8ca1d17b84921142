"""The HIS client the product uses: any :class:`HisClient` behind a :class:`Guard`, plus a short-lived
per-process memory of each patient's bill lists for showing them (never for deciding).

Reads for decisions (before a payment, a booking or a refund) call ``pending_charges`` /
``paid_charges`` as always: they reach HIS (sharing only an identical call already in flight) and
refresh the memory. Pages that only show bills call :meth:`GuardedHisClient.recent_charges`, which
answers from that memory while it is younger than ``cache_seconds``.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from checkup.integrations.guard import Guard, GuardedClient
from checkup.integrations.his.base import (
    HisCharge,
    HisChargeLine,
    HisClient,
    HisPatient,
    HisRefund,
    HisSettlement,
    HisSettlementRow,
)
from checkup.integrations.result import CallResult

BillList = Literal["pending", "paid"]
MAX_REMEMBERED = 20_000


class GuardedHisClient(GuardedClient):
    """A :class:`HisClient` (bulkhead, single-flight, circuit breaker) with :meth:`recent_charges`."""

    shared_reads = frozenset(
        {"find_patient", "pending_charges", "paid_charges", "charge_lines", "query_trade", "settlements", "bill"}
    )

    def __init__(self, inner: HisClient, guard: Guard, *, cache_seconds: float = 0.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(inner, guard)
        self.cache_seconds = cache_seconds
        self._clock = clock
        self._bills: OrderedDict[tuple[BillList, str], tuple[float, list[HisCharge]]] = OrderedDict()

    # -- reads --------------------------------------------------------------------------------------

    async def find_patient(
        self, *, id_type: str, id_number: str, name: str, phone: str | None = None, register: bool = False,
        sex: str | None = None, birth_date: date | None = None,
    ) -> CallResult[HisPatient]:
        return await self._run("find_patient", id_type=id_type, id_number=id_number, name=name, phone=phone,
                               register=register, sex=sex, birth_date=birth_date)

    async def pending_charges(self, *, his_patient_id: str) -> CallResult[list[HisCharge]]:
        result = await self._run("pending_charges", his_patient_id=his_patient_id)
        self._remember("pending", his_patient_id, result)
        return result

    async def paid_charges(self, *, his_patient_id: str) -> CallResult[list[HisCharge]]:
        result = await self._run("paid_charges", his_patient_id=his_patient_id)
        self._remember("paid", his_patient_id, result)
        return result

    async def recent_charges(self, which: BillList, *, his_patient_id: str) -> tuple[CallResult[list[HisCharge]], bool]:
        """A patient's pending or paid bills at most ``cache_seconds`` old, for showing only; True when
        they came from memory rather than from HIS just now."""
        if self.cache_seconds > 0:
            seen = self._bills.get((which, his_patient_id))
            if seen is not None and self._clock() - seen[0] < self.cache_seconds:
                return CallResult.success(list(seen[1])), True
        read = self.pending_charges if which == "pending" else self.paid_charges
        return await read(his_patient_id=his_patient_id), False

    async def bill(self, *, bill_no: str) -> CallResult[HisCharge | None]:
        return await self._run("bill", bill_no=bill_no)

    async def charge_lines(self, *, bill_no: str) -> CallResult[list[HisChargeLine]]:
        return await self._run("charge_lines", bill_no=bill_no)

    async def query_trade(self, *, trade_no: str) -> CallResult[HisSettlement | None]:
        return await self._run("query_trade", trade_no=trade_no)

    async def settlements(self, *, day: date) -> CallResult[list[HisSettlementRow]]:
        return await self._run("settlements", day=day)

    # -- writes: never shared; they change what a patient's lists show --------------------------------

    async def confirm_payment(
        self, *, his_patient_id: str, bill_nos: list[str], amount_fen: int, trade_no: str, transaction_id: str,
        paid_at: datetime, channel: str = "WECHAT",
    ) -> CallResult[HisSettlement]:
        self.forget(his_patient_id)
        try:
            return await self._run("confirm_payment", his_patient_id=his_patient_id, bill_nos=bill_nos,
                                   amount_fen=amount_fen, trade_no=trade_no, transaction_id=transaction_id,
                                   paid_at=paid_at, channel=channel)
        finally:
            self.forget(his_patient_id)

    async def refund(self, *, trade_no: str, refund_no: str, amount_fen: int,
                     refunded_at: datetime) -> CallResult[HisRefund]:
        result = await self._run("refund", trade_no=trade_no, refund_no=refund_no, amount_fen=amount_fen,
                                 refunded_at=refunded_at)
        self._bills.clear()  # the trade does not say whose bills these were
        return result

    # -- memory -------------------------------------------------------------------------------------

    def forget(self, his_patient_id: str) -> None:
        """Drop what this process remembers of a patient's bills."""
        for which in ("pending", "paid"):
            self._bills.pop((which, his_patient_id), None)

    def _remember(self, which: BillList, his_patient_id: str, result: CallResult[Any]) -> None:
        if self.cache_seconds <= 0 or not result.ok:
            return
        key = (which, his_patient_id)
        self._bills[key] = (self._clock(), list(result.value or []))
        self._bills.move_to_end(key)
        while len(self._bills) > MAX_REMEMBERED:
            self._bills.popitem(last=False)

"""The guard in front of HIS/PEIS: bulkhead cap, single-flight, circuit breaker, remembered bill lists."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from checkup.domain.errors import UpstreamBusy, UpstreamSuspended, UpstreamUnavailable
from checkup.integrations.guard import BULKHEAD_FULL, CIRCUIT_OPEN, Guard, GuardPolicy, retry_after_seconds
from checkup.integrations.his import HisCharge
from checkup.integrations.his.guard import GuardedHisClient
from checkup.integrations.peis.guard import GuardedPeisClient
from checkup.integrations.result import CallResult, Outcome
from checkup.services.upstream import unwrap


def bill(no: str, patient: str = "H1") -> HisCharge:
    return HisCharge(bill_no=no, his_patient_id=patient, amount_fen=100, billed_at=datetime(2026, 1, 1, tzinfo=UTC),
                     dept="体检中心", fee_category="体检费", item_name="体检中心体检费", status="unpaid")


class FakeHis:
    """A HisClient that takes ``delay`` per call, counts calls and concurrency, and answers as told."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls: list[tuple[str, dict]] = []
        self.in_flight = 0
        self.peak = 0
        self.answer: CallResult = CallResult.success([bill("B1")])

    async def _call(self, name: str, **kwargs):
        self.calls.append((name, kwargs))
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            return self.answer
        finally:
            self.in_flight -= 1

    async def pending_charges(self, *, his_patient_id: str):
        return await self._call("pending_charges", his_patient_id=his_patient_id)

    async def paid_charges(self, *, his_patient_id: str):
        return await self._call("paid_charges", his_patient_id=his_patient_id)

    async def confirm_payment(self, **kwargs):
        return await self._call("confirm_payment", **kwargs)

    async def phone_of(self, *, his_patient_id: str):  # a call the guard does not know by name
        return await self._call("phone_of", his_patient_id=his_patient_id)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def guarded(inner: FakeHis, *, clock: Clock | None = None, cache_seconds: float = 0.0, **policy) -> GuardedHisClient:
    clock = clock or Clock()
    return GuardedHisClient(inner, Guard("HIS", GuardPolicy(**policy), clock=clock), cache_seconds=cache_seconds,
                            clock=clock)


class TestBulkhead:
    async def test_concurrent_calls_never_exceed_the_cap(self):
        inner = FakeHis(delay=0.02)
        his = guarded(inner, max_concurrent=4, wait_seconds=5)
        results = await asyncio.gather(*(his.pending_charges(his_patient_id=f"H{i}") for i in range(40)))
        assert all(r.ok for r in results)
        assert len(inner.calls) == 40
        assert inner.peak == 4 and his.guard.peak_in_flight == 4

    async def test_methods_it_does_not_know_are_bulkheaded_too(self):
        inner = FakeHis(delay=0.02)
        his = guarded(inner, max_concurrent=3, wait_seconds=5)
        await asyncio.gather(*(his.phone_of(his_patient_id=f"H{i}") for i in range(12)))
        assert len(inner.calls) == 12 and inner.peak == 3

    async def test_a_call_that_finds_no_slot_in_time_fails_fast_without_reaching_his(self):
        inner = FakeHis(delay=0.5)
        his = guarded(inner, max_concurrent=1, wait_seconds=0.05)
        first = asyncio.create_task(his.pending_charges(his_patient_id="H1"))
        await asyncio.sleep(0.01)
        second = await his.pending_charges(his_patient_id="H2")
        assert second.outcome is Outcome.UNKNOWN and second.code == BULKHEAD_FULL
        assert retry_after_seconds(second) == 1
        assert [c[1]["his_patient_id"] for c in inner.calls] == ["H1"]
        assert (await first).ok
        with pytest.raises(UpstreamBusy) as raised:
            unwrap(second, system="HIS")
        assert raised.value.status == 503 and raised.value.details["retry_after"] == 1
        assert "繁忙" in raised.value.message


class TestSingleFlight:
    async def test_identical_concurrent_reads_share_one_call(self):
        inner = FakeHis(delay=0.05)
        his = guarded(inner)
        results = await asyncio.gather(*(his.pending_charges(his_patient_id="H1") for _ in range(20)))
        assert len(inner.calls) == 1
        assert all(r.ok and r.value == [bill("B1")] for r in results)
        assert his.guard.shared == 19

    async def test_different_arguments_and_operations_are_not_shared(self):
        inner = FakeHis(delay=0.05)
        his = guarded(inner)
        await asyncio.gather(his.pending_charges(his_patient_id="H1"), his.pending_charges(his_patient_id="H2"),
                             his.paid_charges(his_patient_id="H1"))
        assert sorted((n, k["his_patient_id"]) for n, k in inner.calls) == [
            ("paid_charges", "H1"), ("pending_charges", "H1"), ("pending_charges", "H2")]

    async def test_writes_are_never_shared(self):
        inner = FakeHis(delay=0.05)
        his = guarded(inner)
        args = dict(his_patient_id="H1", bill_nos=["B1"], amount_fen=100, trade_no="P1", transaction_id="T1",
                    paid_at=datetime(2026, 1, 1, tzinfo=UTC))
        await asyncio.gather(his.confirm_payment(**args), his.confirm_payment(**args))
        assert [n for n, _ in inner.calls] == ["confirm_payment", "confirm_payment"]

    async def test_a_caller_that_gives_up_does_not_cancel_the_others(self):
        inner = FakeHis(delay=0.1)
        his = guarded(inner)
        impatient = asyncio.create_task(his.pending_charges(his_patient_id="H1"))
        patient = asyncio.create_task(his.pending_charges(his_patient_id="H1"))
        await asyncio.sleep(0.02)
        impatient.cancel()
        assert (await patient).ok and len(inner.calls) == 1


class TestCircuit:
    async def test_opens_after_consecutive_transport_failures_and_fails_fast(self):
        inner, clock = FakeHis(), Clock()
        his = guarded(inner, clock=clock, failure_threshold=3, open_seconds=10)
        inner.answer = CallResult.unknown("TIMEOUT", "ReadTimeout")
        for _ in range(3):
            assert (await his.pending_charges(his_patient_id="H1")).code == "TIMEOUT"
        assert his.guard.state == "open"
        fast = await his.pending_charges(his_patient_id="H1")
        assert fast.code == CIRCUIT_OPEN and len(inner.calls) == 3
        assert retry_after_seconds(fast) == 10
        with pytest.raises(UpstreamSuspended) as raised:
            unwrap(fast, system="HIS")
        assert raised.value.status == 503 and raised.value.details["retry_after"] == 10
        assert "暂停" in raised.value.message and "HIS" in raised.value.message

    async def test_definite_refusals_do_not_count_and_an_answer_resets_the_count(self):
        inner = FakeHis()
        his = guarded(inner, failure_threshold=2)
        for answer in (CallResult.unknown("HTTP_503", "x"), CallResult.failed("BILL_CANCELLED", "作废"),
                       CallResult.unknown("CONNECTION_ERROR", "x"), CallResult.unknown("PROCESSING", "x"),
                       CallResult.unknown("HTTP_502", "x")):
            inner.answer = answer
            await his.pending_charges(his_patient_id="H1")
        assert his.guard.state == "closed" and len(inner.calls) == 5

    async def test_half_open_lets_one_trial_through_which_closes_or_reopens_it(self):
        inner, clock = FakeHis(delay=0.05), Clock()
        his = guarded(inner, clock=clock, failure_threshold=1, open_seconds=10)
        inner.answer = CallResult.unknown("CONNECTION_ERROR", "refused")
        await his.pending_charges(his_patient_id="H1")
        clock.now += 10.5
        assert his.guard.state == "half-open"
        # The trial fails: open again for another period; the concurrent call did not reach HIS.
        trial, other = await asyncio.gather(his.pending_charges(his_patient_id="H2"),
                                            his.paid_charges(his_patient_id="H3"))
        assert trial.code == "CONNECTION_ERROR" and other.code == CIRCUIT_OPEN
        assert his.guard.state == "open" and len(inner.calls) == 2
        clock.now += 10.5
        inner.answer = CallResult.success([])
        assert (await his.pending_charges(his_patient_id="H2")).ok
        assert his.guard.state == "closed"
        assert all(r.ok for r in await asyncio.gather(*(his.paid_charges(his_patient_id=f"X{i}") for i in range(5))))

    async def test_peis_has_its_own_circuit(self):
        class FakePeis:
            calls = 0

            async def list_packages(self):
                FakePeis.calls += 1
                return CallResult.unknown("TIMEOUT", "x")

        peis = GuardedPeisClient(FakePeis(), Guard("PEIS", GuardPolicy(failure_threshold=2)))
        for _ in range(4):
            result = await peis.list_packages()
        assert FakePeis.calls == 2 and result.code == CIRCUIT_OPEN
        with pytest.raises(UpstreamSuspended) as raised:
            unwrap(result, system="PEIS")
        assert "体检系统" in raised.value.message


class TestRememberedBills:
    async def test_showing_uses_memory_within_its_age_and_deciding_never_does(self):
        inner, clock = FakeHis(), Clock()
        his = guarded(inner, clock=clock, cache_seconds=3)
        first, remembered = await his.recent_charges("pending", his_patient_id="H1")
        assert first.ok and not remembered and len(inner.calls) == 1
        again, remembered = await his.recent_charges("pending", his_patient_id="H1")
        assert remembered and again.value == [bill("B1")] and len(inner.calls) == 1
        # A decision reads HIS every time, whatever is remembered.
        inner.answer = CallResult.success([])
        assert (await his.pending_charges(his_patient_id="H1")).value == []
        assert (await his.pending_charges(his_patient_id="H1")).value == []
        assert len(inner.calls) == 3
        # ... and what it read is what is shown next.
        shown, remembered = await his.recent_charges("pending", his_patient_id="H1")
        assert remembered and shown.value == []
        clock.now += 3.1
        _, remembered = await his.recent_charges("pending", his_patient_id="H1")
        assert not remembered and len(inner.calls) == 4

    async def test_a_write_back_forgets_the_patients_bills(self):
        inner = FakeHis()
        his = guarded(inner, cache_seconds=30)
        await his.recent_charges("pending", his_patient_id="H1")
        await his.recent_charges("paid", his_patient_id="H1")
        await his.confirm_payment(his_patient_id="H1", bill_nos=["B1"], amount_fen=100, trade_no="P1",
                                  transaction_id="T1", paid_at=datetime(2026, 1, 1, tzinfo=UTC))
        for which in ("pending", "paid"):
            _, remembered = await his.recent_charges(which, his_patient_id="H1")
            assert not remembered

    async def test_failures_are_not_remembered_and_memory_is_off_by_default(self):
        inner = FakeHis()
        his = guarded(inner, cache_seconds=30)
        inner.answer = CallResult.unknown("TIMEOUT", "x")
        await his.recent_charges("pending", his_patient_id="H1")
        inner.answer = CallResult.success([])
        result, remembered = await his.recent_charges("pending", his_patient_id="H1")
        assert result.ok and not remembered
        off = guarded(FakeHis())
        await off.recent_charges("pending", his_patient_id="H1")
        assert not (await off.recent_charges("pending", his_patient_id="H1"))[1]


def test_an_unknown_outcome_that_was_sent_stays_the_plain_503():
    with pytest.raises(UpstreamUnavailable) as raised:
        unwrap(CallResult.unknown("TIMEOUT", "ReadTimeout"), system="HIS")
    assert type(raised.value) is UpstreamUnavailable and "retry_after" not in raised.value.details

"""HttpPeisClient against the sandbox PEIS over real HTTP; opening an order pushes the bill to the sandbox HIS."""

from __future__ import annotations

from datetime import date

import pytest

from checkup.integrations.his.http import HttpHisClient
from checkup.integrations.peis.base import PeisPatient
from checkup.integrations.peis.http import HttpPeisClient
from checkup.integrations.result import Outcome
from support.sandbox import RunningSandbox, make_id_number, running_sandbox

MALE_ID = make_id_number("19700101", "011")
FEMALE_ID = make_id_number("19881108", "026")


@pytest.fixture
async def sandbox():
    async with running_sandbox() as sb:
        yield sb


@pytest.fixture
async def peis(sandbox: RunningSandbox):
    client = HttpPeisClient(sandbox.peis_url, sandbox.config.peis_app_id, sandbox.config.peis_secret, 5.0)
    yield client
    await client.aclose()


@pytest.fixture
async def his(sandbox: RunningSandbox):
    client = HttpHisClient(sandbox.his_url, sandbox.config.his_app_id, sandbox.config.his_secret, 5.0)
    yield client
    await client.aclose()


async def registered(his: HttpHisClient, *, id_number: str = MALE_ID, name: str = "陈志强") -> PeisPatient:
    found = await his.find_patient(
        id_type="01", id_number=id_number, name=name, phone="13700001234", register=True
    )
    assert found.ok
    p = found.value
    return PeisPatient(
        name=p.name,
        sex=p.sex,
        birth_date=p.birth_date,
        id_number=id_number,
        phone="13700001234",
        his_patient_id=p.his_patient_id,
    )


class TestListPackages:
    async def test_demo_packages_are_complete(self, peis):
        result = await peis.list_packages()
        assert result.ok
        packages = {p.name: p for p in result.value}
        assert {"入职体检", "基础体检（男）", "基础体检（女）", "中老年体检", "心脑血管专项"} <= set(packages)
        assert packages["基础体检（男）"].sex == "male" and packages["基础体检（女）"].sex == "female"
        assert packages["入职体检"].sex == "any" and packages["入职体检"].price_fen == 23000
        for package in result.value:
            assert package.code and package.summary and package.price_fen > 0
            assert "空腹" in package.notes and "身份证" in package.notes
            assert any(item.kind == "item" for item in package.items)
        assert any(item.kind == "addon" for item in packages["中老年体检"].items)


class TestOpenOrder:
    async def test_pushes_an_unpaid_bill_to_his(self, peis, his):
        patient = await registered(his)
        result = await peis.open_order(patient=patient, package_code="JC001M", order_no="O20250615000001")
        assert result.ok
        order = result.value
        assert order.item_name == "体检中心体检费" and order.amount_fen == 48000
        [charge] = (await his.pending_charges(his_patient_id=patient.his_patient_id)).value
        assert (charge.bill_no, charge.amount_fen, charge.status) == (order.bill_no, 48000, "unpaid")
        assert (charge.peis_order_no, charge.package_code) == (order.peis_order_no, "JC001M")

    async def test_same_order_no_gives_the_same_order(self, peis, his):
        patient = await registered(his)
        first = await peis.open_order(patient=patient, package_code="RZ001", order_no="O1")
        second = await peis.open_order(patient=patient, package_code="RZ001", order_no="O1")
        assert first.ok and first.value == second.value
        assert len((await his.pending_charges(his_patient_id=patient.his_patient_id)).value) == 1

    async def test_same_order_no_for_another_package_is_refused(self, peis, his):
        patient = await registered(his)
        await peis.open_order(patient=patient, package_code="RZ001", order_no="O1")
        result = await peis.open_order(patient=patient, package_code="ZLN001", order_no="O1")
        assert (result.outcome, result.code) == (Outcome.FAILED, "ORDER_CONFLICT")

    async def test_unknown_package(self, peis, his):
        result = await peis.open_order(patient=await registered(his), package_code="NOPE", order_no="O1")
        assert (result.outcome, result.code, result.message) == (
            Outcome.FAILED,
            "PACKAGE_NOT_FOUND",
            "体检套餐不存在",
        )

    async def test_package_for_the_other_sex(self, peis, his):
        result = await peis.open_order(patient=await registered(his), package_code="JC001F", order_no="O1")
        assert (result.outcome, result.code) == (Outcome.FAILED, "SEX_MISMATCH")
        female = await registered(his, id_number=FEMALE_ID, name="刘芳")
        assert (await peis.open_order(patient=female, package_code="JC001F", order_no="O2")).ok

    async def test_patient_unknown_to_his(self, peis):
        stranger = PeisPatient(
            "赵六", "male", date(1970, 1, 1), MALE_ID, "13700001234", his_patient_id="0000000000"
        )
        result = await peis.open_order(patient=stranger, package_code="RZ001", order_no="O1")
        assert (result.outcome, result.code) == (Outcome.FAILED, "PATIENT_NOT_FOUND")

    async def test_lost_answer_is_unknown_and_a_retry_finds_the_order(self, sandbox, peis, his):
        patient = await registered(his)
        await sandbox.control("peis-faults", {"operation": "open_order", "outcome": "unknown"})
        lost = await peis.open_order(patient=patient, package_code="RZ001", order_no="O1")
        assert (lost.outcome, lost.code) == (Outcome.UNKNOWN, "HTTP_503")
        retried = await peis.open_order(patient=patient, package_code="RZ001", order_no="O1")
        assert retried.ok and len(sandbox.state.peis_orders) == 1


class TestCancelOrder:
    async def test_cancels_the_order_and_its_unpaid_bill(self, sandbox, peis, his):
        patient = await registered(his)
        order = (await peis.open_order(patient=patient, package_code="RZ001", order_no="O1")).value
        result = await peis.cancel_order(peis_order_no=order.peis_order_no)
        assert result.outcome is Outcome.SUCCESS and result.value is None
        assert (await his.pending_charges(his_patient_id=patient.his_patient_id)).value == []
        assert (await sandbox.control(f"GET his/bills/{order.bill_no}"))["status"] == "cancelled"

    async def test_checked_in_order_cannot_be_cancelled(self, sandbox, peis, his):
        order = (
            await peis.open_order(patient=await registered(his), package_code="RZ001", order_no="O1")
        ).value
        await sandbox.control("peis/check-in", {"peis_order_no": order.peis_order_no})
        result = await peis.cancel_order(peis_order_no=order.peis_order_no)
        assert (result.outcome, result.code) == (Outcome.FAILED, "CHECKED_IN")

    async def test_unknown_order(self, peis):
        result = await peis.cancel_order(peis_order_no="TJ404")
        assert (result.outcome, result.code) == (Outcome.FAILED, "ORDER_NOT_FOUND")


class TestReportBookedDay:
    async def test_day_is_recorded(self, sandbox, peis, his):
        order = (
            await peis.open_order(patient=await registered(his), package_code="RZ001", order_no="O1")
        ).value
        result = await peis.report_booked_day(peis_order_no=order.peis_order_no, day=date(2025, 7, 1))
        assert result.ok
        assert sandbox.state.peis_orders[order.peis_order_no].booked_day == "2025-07-01"

    async def test_cancelled_order_is_refused(self, peis, his):
        order = (
            await peis.open_order(patient=await registered(his), package_code="RZ001", order_no="O1")
        ).value
        await peis.cancel_order(peis_order_no=order.peis_order_no)
        result = await peis.report_booked_day(peis_order_no=order.peis_order_no, day=date(2025, 7, 1))
        assert (result.outcome, result.code) == (Outcome.FAILED, "ORDER_CANCELLED")


class TestAuthentication:
    async def test_his_secret_is_not_accepted_by_peis(self, sandbox):
        peis = HttpPeisClient(sandbox.peis_url, sandbox.config.peis_app_id, sandbox.config.his_secret, 5.0)
        try:
            result = await peis.list_packages()
        finally:
            await peis.aclose()
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "AUTH_REFUSED")

    async def test_failed_fault(self, sandbox, peis):
        await sandbox.control("peis-faults", {"operation": "list_packages", "outcome": "failed"})
        result = await peis.list_packages()
        assert (result.outcome, result.code) == (Outcome.FAILED, "SANDBOX_FAULT")
        assert (await peis.list_packages()).ok

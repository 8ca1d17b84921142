"""HttpHisClient against the sandbox HIS over real HTTP: operations, idempotency, refusals, faults, signatures."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from checkup.integrations import signing
from checkup.integrations.his.http import HttpHisClient
from checkup.integrations.result import Outcome
from checkup.sandbox import SandboxState
from checkup.sandbox.signing import response_headers
from support.sandbox import RunningSandbox, make_id_number, running_sandbox
from support.server import free_port

MALE_ID = make_id_number("19850612", "131")
FEMALE_ID = make_id_number("19920220", "242")
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
async def sandbox():
    async with running_sandbox() as sb:
        yield sb


@pytest.fixture
async def his(sandbox: RunningSandbox):
    client = HttpHisClient(sandbox.his_url, sandbox.config.his_app_id, sandbox.config.his_secret, 5.0)
    yield client
    await client.aclose()


async def onsite(
    sandbox: RunningSandbox, *, paid: bool = False, package: str = "RZ001", id_number: str = MALE_ID
):
    payload = {
        "name": "王建国",
        "id_number": id_number,
        "phone": "13812345678",
        "package_code": package,
        "paid": paid,
    }
    return await sandbox.control("onsite-orders", payload)


async def confirm(
    his: HttpHisClient, order: dict, *, trade_no: str = "P20250615000001", amount: int | None = None
):
    return await his.confirm_payment(
        his_patient_id=order["his_patient_id"],
        bill_nos=[order["bill_no"]],
        amount_fen=order["amount_fen"] if amount is None else amount,
        trade_no=trade_no,
        transaction_id="4200002000202506150000000001",
        paid_at=datetime.now(UTC),
    )


def today() -> date:
    return datetime.now(SHANGHAI).date()


class TestFindPatient:
    async def test_register_creates_patient_with_sex_and_birth_from_id(self, his):
        result = await his.find_patient(
            id_type="01", id_number=FEMALE_ID, name="李秀英", phone="13900001111", register=True
        )
        assert result.outcome is Outcome.SUCCESS
        patient = result.value
        assert (patient.name, patient.sex, patient.birth_date) == ("李秀英", "female", date(1992, 2, 20))
        assert patient.his_patient_id and patient.card_no and patient.phone == "13900001111"

    async def test_found_again_without_register(self, his):
        created = await his.find_patient(id_type="01", id_number=MALE_ID, name="王建国", register=True)
        found = await his.find_patient(id_type="01", id_number=MALE_ID, name="王建国")
        assert found.ok and found.value == created.value

    async def test_unknown_patient_is_not_found(self, his):
        result = await his.find_patient(id_type="01", id_number=MALE_ID, name="王建国")
        assert (result.outcome, result.code) == (Outcome.FAILED, "NOT_FOUND")
        assert result.message == "HIS 中没有该患者"

    async def test_other_name_on_same_id_is_refused(self, his):
        await his.find_patient(id_type="01", id_number=MALE_ID, name="王建国", register=True)
        result = await his.find_patient(id_type="01", id_number=MALE_ID, name="王建军")
        assert (result.outcome, result.code) == (Outcome.FAILED, "NAME_MISMATCH")


class TestCharges:
    async def test_onsite_order_appears_in_pending_charges(self, sandbox, his):
        order = await onsite(sandbox)
        result = await his.pending_charges(his_patient_id=order["his_patient_id"])
        assert result.ok
        [charge] = result.value
        assert charge.bill_no == order["bill_no"]
        assert charge.amount_fen == order["amount_fen"] == 23000
        assert (charge.item_name, charge.status, charge.package_code) == ("体检中心体检费", "unpaid", "RZ001")
        assert charge.peis_order_no == order["peis_order_no"]
        assert charge.billed_at.tzinfo is not None and charge.paid_at is None

    async def test_unknown_patient_has_no_charges(self, his):
        result = await his.pending_charges(his_patient_id="0000000000")
        assert (result.outcome, result.code) == (Outcome.FAILED, "PATIENT_NOT_FOUND")

    async def test_charge_lines_add_up_to_the_bill(self, sandbox, his):
        order = await onsite(sandbox, package="JC001M")
        result = await his.charge_lines(bill_no=order["bill_no"])
        assert result.ok and len(result.value) >= 10
        assert sum(line.amount_fen for line in result.value) == order["amount_fen"]
        assert {"血常规（五分类）", "十二导联心电图"} <= {line.item_name for line in result.value}

    async def test_lines_of_unknown_bill(self, his):
        result = await his.charge_lines(bill_no="SF0000")
        assert (result.outcome, result.code) == (Outcome.FAILED, "BILL_NOT_FOUND")


class TestConfirmPayment:
    async def test_settles_the_bill(self, sandbox, his):
        order = await onsite(sandbox)
        result = await confirm(his, order)
        assert result.ok
        settlement = result.value
        assert settlement.trade_no == "P20250615000001"
        assert settlement.bill_nos == (order["bill_no"],) and settlement.amount_fen == order["amount_fen"]
        assert settlement.settle_no and settlement.receipt_no and settlement.settled_at.tzinfo is not None
        assert (await his.pending_charges(his_patient_id=order["his_patient_id"])).value == []
        [paid] = (await his.paid_charges(his_patient_id=order["his_patient_id"])).value
        assert (paid.status, paid.trade_no, paid.settle_no) == (
            "paid",
            "P20250615000001",
            settlement.settle_no,
        )

    async def test_confirming_twice_gives_one_settlement(self, sandbox, his):
        order = await onsite(sandbox)
        first, second = await confirm(his, order), await confirm(his, order)
        assert first.ok and second.ok and first.value == second.value
        trade = await sandbox.control("GET his/trades/P20250615000001")
        assert (trade["applied"], trade["confirm_calls"]) == (1, 2)
        assert len(sandbox.state.settlements) == 1

    async def test_bill_paid_at_window_is_refused(self, sandbox, his):
        order = await onsite(sandbox, paid=True)
        result = await confirm(his, order)
        assert (result.outcome, result.code, result.message) == (
            Outcome.FAILED,
            "BILL_ALREADY_PAID",
            "收费单已缴费",
        )

    async def test_cancelled_bill_is_refused(self, sandbox, his):
        order = await onsite(sandbox)
        await sandbox.control("his/cancel-bill", {"bill_no": order["bill_no"]})
        result = await confirm(his, order)
        assert (result.outcome, result.code) == (Outcome.FAILED, "BILL_CANCELLED")

    async def test_changed_amount_is_refused(self, sandbox, his):
        order = await onsite(sandbox)
        changed = await sandbox.control(
            "his/change-amount", {"bill_no": order["bill_no"], "amount_fen": 19900}
        )
        assert (
            changed["amount_fen"] == 19900 and sum(line["amount_fen"] for line in changed["lines"]) == 19900
        )
        result = await confirm(his, order)
        assert (result.outcome, result.code) == (Outcome.FAILED, "AMOUNT_MISMATCH")
        assert (await confirm(his, order, trade_no="P2", amount=19900)).ok

    async def test_unknown_bill_is_refused(self, sandbox, his):
        order = await onsite(sandbox)
        result = await confirm(his, {**order, "bill_no": "SF404"})
        assert (result.outcome, result.code) == (Outcome.FAILED, "BILL_NOT_FOUND")

    async def test_naive_pay_time_is_a_programming_error(self, sandbox, his):
        order = await onsite(sandbox)
        with pytest.raises(ValueError):
            await his.confirm_payment(
                his_patient_id=order["his_patient_id"],
                bill_nos=[order["bill_no"]],
                amount_fen=order["amount_fen"],
                trade_no="P1",
                transaction_id="42",
                paid_at=datetime(2025, 6, 15, 10, 0),  # noqa: DTZ001 - naive on purpose
            )


class TestQueryTrade:
    async def test_unknown_trade_is_success_with_none(self, his):
        result = await his.query_trade(trade_no="P404")
        assert result.outcome is Outcome.SUCCESS and result.value is None

    async def test_settled_trade_is_returned(self, sandbox, his):
        order = await onsite(sandbox)
        settled = await confirm(his, order)
        result = await his.query_trade(trade_no="P20250615000001")
        assert result.ok and result.value == settled.value


class TestRefund:
    async def test_refund_and_retry_give_one_refund(self, sandbox, his):
        order = await onsite(sandbox)
        await confirm(his, order)
        args = {
            "trade_no": "P20250615000001",
            "refund_no": "R1",
            "amount_fen": 23000,
            "refunded_at": datetime.now(UTC),
        }
        first, second = await his.refund(**args), await his.refund(**args)
        assert first.ok and second.ok and first.value == second.value
        assert (first.value.refund_no, first.value.amount_fen) == ("R1", 23000)
        trade = await sandbox.control("GET his/trades/P20250615000001")
        assert len(trade["refunds"]) == 1 and trade["refunds"][0]["calls"] == 2
        [bill] = (await his.paid_charges(his_patient_id=order["his_patient_id"])).value
        assert bill.status == "refunded"

    async def test_more_than_paid_is_refused(self, sandbox, his):
        order = await onsite(sandbox)
        await confirm(his, order)
        now = datetime.now(UTC)
        assert (
            await his.refund(trade_no="P20250615000001", refund_no="R1", amount_fen=20000, refunded_at=now)
        ).ok
        result = await his.refund(
            trade_no="P20250615000001", refund_no="R2", amount_fen=3001, refunded_at=now
        )
        assert (result.outcome, result.code) == (Outcome.FAILED, "AMOUNT_EXCEEDS")

    async def test_unknown_trade_is_refused(self, his):
        result = await his.refund(
            trade_no="P404", refund_no="R1", amount_fen=100, refunded_at=datetime.now(UTC)
        )
        assert (result.outcome, result.code) == (Outcome.FAILED, "TRADE_NOT_FOUND")


class TestSettlements:
    async def test_day_lists_payments_window_payments_and_refunds_over_pages(self, sandbox):
        his = HttpHisClient(
            sandbox.his_url,
            sandbox.config.his_app_id,
            sandbox.config.his_secret,
            5.0,
            settlements_page_size=2,
        )
        try:
            online = await onsite(sandbox)
            window = await onsite(sandbox, paid=True, package="JC001F", id_number=FEMALE_ID)
            await confirm(his, online)
            await his.refund(
                trade_no="P20250615000001", refund_no="R1", amount_fen=5000, refunded_at=datetime.now(UTC)
            )
            result = await his.settlements(day=today())
        finally:
            await his.aclose()
        assert result.ok and len(result.value) == 3
        by_kind = {(row.kind, row.channel): row for row in result.value}
        pay = by_kind[("pay", "WECHAT")]
        assert (pay.trade_no, pay.amount_fen) == ("P20250615000001", online["amount_fen"])
        assert pay.channel_transaction_id == "4200002000202506150000000001"
        assert by_kind[("refund", "WECHAT")].amount_fen == -5000
        window_row = by_kind[("pay", "WINDOW")]
        assert window_row.trade_no is None and window_row.amount_fen == window["amount_fen"]
        assert window_row.settle_no == window["settle_no"]

    async def test_quiet_day_is_empty(self, sandbox, his):
        await onsite(sandbox, paid=True)
        result = await his.settlements(day=today() - timedelta(days=1))
        assert result.ok and result.value == []


class TestOnsiteOrders:
    async def test_unpaid_onsite_order(self, sandbox):
        order = await onsite(sandbox)
        assert order["status"] == "unpaid" and order["amount_fen"] == 23000
        bill = await sandbox.control(f"GET his/bills/{order['bill_no']}")
        assert (bill["status"], bill["peis_order_no"]) == ("unpaid", order["peis_order_no"])

    async def test_paid_onsite_order_is_settled_at_the_window(self, sandbox, his):
        order = await onsite(sandbox, paid=True)
        [charge] = (await his.paid_charges(his_patient_id=order["his_patient_id"])).value
        assert (charge.bill_no, charge.status, charge.trade_no) == (order["bill_no"], "paid", None)
        assert charge.settle_no == order["settle_no"]

    async def test_same_person_twice_is_one_patient(self, sandbox):
        first, second = await onsite(sandbox), await onsite(sandbox)
        assert first["his_patient_id"] == second["his_patient_id"] and first["bill_no"] != second["bill_no"]

    async def test_bad_input_is_refused_with_one_error_shape(self, sandbox):
        bad_id = MALE_ID[:-1] + ("0" if MALE_ID[-1] != "0" else "1")
        payload = {"name": "王建国", "id_number": bad_id, "phone": "13812345678", "package_code": "RZ001"}
        body = await sandbox.control("onsite-orders", payload, expect=400)
        assert (
            body["error"]["code"] == "INVALID_REQUEST"
            and body["error"]["details"]["errors"][0]["field"] == "id_number"
        )
        body = await sandbox.control(
            "onsite-orders", {**payload, "id_number": MALE_ID, "package_code": "NOPE"}, expect=404
        )
        assert body["error"]["code"] == "PACKAGE_NOT_FOUND" and body["error"]["message"] == "体检套餐不存在"
        body = await sandbox.control(
            "onsite-orders", {**payload, "id_number": MALE_ID, "package_code": "JC001F"}, expect=409
        )
        assert body["error"]["code"] == "SEX_MISMATCH"
        assert sandbox.state.bills == {}


class TestFaults:
    async def test_failed_fault_answers_sandbox_fault_then_recovers(self, sandbox, his):
        order = await onsite(sandbox)
        await sandbox.control("his-faults", {"operation": "pending_charges", "outcome": "failed", "times": 1})
        failed = await his.pending_charges(his_patient_id=order["his_patient_id"])
        assert (failed.outcome, failed.code) == (Outcome.FAILED, "SANDBOX_FAULT")
        assert (await his.pending_charges(his_patient_id=order["his_patient_id"])).ok

    async def test_unknown_after_applying_is_resolved_by_query(self, sandbox, his):
        order = await onsite(sandbox)
        await sandbox.control(
            "his-faults", {"operation": "confirm_payment", "outcome": "unknown", "times": 1}
        )
        lost = await confirm(his, order)
        assert (lost.outcome, lost.code) == (Outcome.UNKNOWN, "HTTP_503")
        queried = await his.query_trade(trade_no="P20250615000001")
        assert queried.ok and queried.value is not None and queried.value.bill_nos == (order["bill_no"],)
        retried = await confirm(his, order)
        assert retried.ok and retried.value == queried.value
        assert (await sandbox.control("GET his/trades/P20250615000001"))["applied"] == 1

    async def test_unknown_not_applied_leaves_nothing(self, sandbox, his):
        order = await onsite(sandbox)
        fault = {"operation": "confirm_payment", "outcome": "unknown", "times": 2, "applied": False}
        assert (await sandbox.control("his-faults", fault))["pending"] == 2
        assert (await confirm(his, order)).outcome is Outcome.UNKNOWN
        assert (await his.query_trade(trade_no="P20250615000001")).value is None

    async def test_slow_answer_is_a_timeout(self, sandbox):
        order = await onsite(sandbox)
        fault = {"operation": "confirm_payment", "outcome": "unknown", "delay_seconds": 1.5}
        await sandbox.control("his-faults", fault)
        his = HttpHisClient(sandbox.his_url, sandbox.config.his_app_id, sandbox.config.his_secret, 0.3)
        try:
            result = await confirm(his, order)
            assert (result.outcome, result.code) == (Outcome.UNKNOWN, "TIMEOUT")
            assert (await his.query_trade(trade_no="P20250615000001")).value is not None
        finally:
            await his.aclose()

    async def test_processing_is_unknown(self, sandbox, his):
        order = await onsite(sandbox)
        await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "processing"})
        result = await confirm(his, order)
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "PROCESSING")

    async def test_fault_input_is_validated(self, sandbox):
        body = await sandbox.control(
            "his-faults", {"operation": "drop_table", "outcome": "failed"}, expect=400
        )
        assert body["error"]["code"] == "INVALID_REQUEST"
        body = await sandbox.control("his-faults", {"operation": "refund", "outcome": "maybe"}, expect=400)
        assert body["error"]["details"]["errors"][0]["field"] == "outcome"
        body = await sandbox.control(
            "his-faults", {"operation": "refund", "outcome": "failed", "times": 0}, expect=400
        )
        assert body["error"]["details"]["errors"][0]["field"] == "times"

    async def test_reset_forgets_records_and_faults(self, sandbox, his):
        order = await onsite(sandbox)
        await sandbox.control("his-faults", {"operation": "query_trade", "outcome": "failed"})
        await sandbox.control("reset")
        await sandbox.control(f"GET his/bills/{order['bill_no']}", expect=404)
        assert (await his.query_trade(trade_no="P1")).ok


class TestTransport:
    async def test_connection_refused_is_unknown(self):
        his = HttpHisClient(f"http://127.0.0.1:{free_port()}/sandbox/his", "checkup-app", "s", 2.0)
        try:
            result = await his.query_trade(trade_no="P1")
        finally:
            await his.aclose()
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "CONNECTION_ERROR")

    async def test_wrong_secret_is_refused_and_unknown(self, sandbox):
        his = HttpHisClient(sandbox.his_url, sandbox.config.his_app_id, "not-the-secret", 5.0)
        try:
            result = await his.query_trade(trade_no="P1")
        finally:
            await his.aclose()
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "AUTH_REFUSED")


class TestSandboxRefusesBadRequests:
    """Raw requests: the sandbox authenticates every call and rejects replays."""

    def signed(self, sandbox: RunningSandbox, body: bytes, **overrides) -> dict[str, str]:
        return signing.sign_request(
            app_id=sandbox.config.his_app_id,
            secret=sandbox.config.his_secret,
            method="POST",
            path="/sandbox/his/query_trade",
            body=body,
            **overrides,
        )

    async def post(self, sandbox: RunningSandbox, body: bytes, headers: dict[str, str]) -> httpx.Response:
        return await sandbox.http.post("/sandbox/his/query_trade", content=body, headers=headers)

    async def test_well_signed_request_gets_a_signed_answer(self, sandbox):
        body = b'{"trade_no":"P1"}'
        response = await self.post(sandbox, body, self.signed(sandbox, body))
        assert response.status_code == 200
        assert (
            signing.verify_response(
                secret=sandbox.config.his_secret, headers=response.headers, body=response.content
            )
            is None
        )
        assert response.json()["result"] == "SUCCESS"

    async def test_forged_signature(self, sandbox):
        body = b'{"trade_no":"P1"}'
        headers = self.signed(sandbox, body)
        headers["X-Checkup-Signature"] = signing.sign("guessed-secret", body)
        response = await self.post(sandbox, body, headers)
        assert response.status_code == 401
        assert response.json() == {
            "result": "FAILED",
            "code": "AUTH_BAD_SIGNATURE",
            "message": "签名校验失败",
            "data": None,
        }

    async def test_body_changed_after_signing(self, sandbox):
        headers = self.signed(sandbox, b'{"trade_no":"P1"}')
        response = await self.post(sandbox, b'{"trade_no":"P2"}', headers)
        assert (response.status_code, response.json()["code"]) == (401, "AUTH_BAD_SIGNATURE")

    async def test_stale_timestamp(self, sandbox):
        body = b'{"trade_no":"P1"}'
        response = await self.post(
            sandbox, body, self.signed(sandbox, body, timestamp=int(time.time()) - 600)
        )
        assert (response.status_code, response.json()["code"]) == (401, "AUTH_STALE_TIMESTAMP")

    async def test_replayed_nonce(self, sandbox):
        body = b'{"trade_no":"P1"}'
        headers = self.signed(sandbox, body)
        assert (await self.post(sandbox, body, headers)).status_code == 200
        replay = await self.post(sandbox, body, headers)
        assert (replay.status_code, replay.json()["code"]) == (401, "AUTH_REPLAYED_NONCE")

    async def test_unknown_app_id(self, sandbox):
        body = b'{"trade_no":"P1"}'
        headers = self.signed(sandbox, body)
        headers["X-Checkup-AppId"] = "someone-else"
        response = await self.post(sandbox, body, headers)
        assert (response.status_code, response.json()["code"]) == (401, "AUTH_UNKNOWN_APP")

    async def test_unsigned_request(self, sandbox):
        response = await self.post(sandbox, b'{"trade_no":"P1"}', {})
        assert (response.status_code, response.json()["code"]) == (401, "AUTH_HEADERS_MISSING")

    async def test_invalid_body_is_failed_invalid_request(self, sandbox):
        body = b'{"trade_no": 42}'
        response = await self.post(sandbox, body, self.signed(sandbox, body))
        answer = response.json()
        assert (response.status_code, answer["result"], answer["code"]) == (200, "FAILED", "INVALID_REQUEST")
        assert answer["data"]["errors"][0]["field"] == "trade_no"


def relay(inner: httpx.AsyncClient, rewrite) -> httpx.AsyncClient:
    """A client whose real answers pass through ``rewrite(response) -> (body, headers)`` on the way back."""

    async def handler(request: httpx.Request) -> httpx.Response:
        real = await inner.send(request)
        body, headers = rewrite(real)
        return httpx.Response(real.status_code, content=body, headers=headers)

    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


def signed_by_server(secret: str, envelope: dict) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(envelope).encode()
    return body, {**response_headers(secret, body), "Content-Type": "application/json"}


class TestClientDistrustsAnswers:
    async def call_through(self, sandbox: RunningSandbox, rewrite):
        async with httpx.AsyncClient() as inner, relay(inner, rewrite) as client:
            his = HttpHisClient(
                sandbox.his_url, sandbox.config.his_app_id, sandbox.config.his_secret, 5.0, client
            )
            return await his.query_trade(trade_no="P1")

    async def test_tampered_answer_is_unknown(self, sandbox):
        def tamper(real: httpx.Response):
            forged = real.content.replace(b'"settlement":null', b'"settlement":{"settle_no":"JS1"}')
            assert forged != real.content
            return forged, dict(real.headers)

        result = await self.call_through(sandbox, tamper)
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "BAD_SIGNATURE")

    async def test_unsigned_answer_is_unknown(self, sandbox):
        def strip(real: httpx.Response):
            return real.content, {"Content-Type": "application/json"}

        result = await self.call_through(sandbox, strip)
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "BAD_SIGNATURE")

    async def test_signed_failed_without_code_is_unknown(self, sandbox):
        secret = sandbox.config.his_secret
        result = await self.call_through(sandbox, lambda real: signed_by_server(secret, {"result": "FAILED"}))
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "BAD_RESPONSE")

    async def test_signed_success_with_malformed_data_is_unknown(self, sandbox):
        secret = sandbox.config.his_secret
        settlement = {"settle_no": "JS1", "settled_at": "2025-06-15T10:00:00", "receipt_no": "PJ1", "trade_no": "P1",
                      "amount_fen": 100, "bill_nos": ["SF1"]}  # fmt: skip
        envelope = {"result": "SUCCESS", "code": "OK", "data": {"settlement": settlement}}
        result = await self.call_through(sandbox, lambda real: signed_by_server(secret, envelope))
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "BAD_RESPONSE")
        assert "offset" in result.message

    async def test_signed_unparseable_body_is_unknown(self, sandbox):
        secret = sandbox.config.his_secret

        def garbage(real: httpx.Response):
            return b"<html>oops</html>", response_headers(secret, b"<html>oops</html>")

        result = await self.call_through(sandbox, garbage)
        assert (result.outcome, result.code) == (Outcome.UNKNOWN, "BAD_RESPONSE")


class TestSandboxPersistence:
    async def test_state_survives_a_restart(self, tmp_path):
        path = tmp_path / "sandbox.json"
        async with running_sandbox(state=SandboxState(path)) as sb:
            order = await onsite(sb, paid=True)
        assert path.exists()
        reloaded = SandboxState(path)
        assert reloaded.bills[order["bill_no"]].status == "paid"
        assert reloaded.patient_by_id_number(MALE_ID).his_patient_id == order["his_patient_id"]
        async with running_sandbox(state=reloaded) as sb:
            second = await onsite(sb)
        assert second["his_patient_id"] == order["his_patient_id"] and second["bill_no"] != order["bill_no"]

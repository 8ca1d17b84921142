"""WechatPayClient against the sandbox WeChat Pay over real HTTP: pay, notify, retry, close, refund, bill."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from checkup.integrations.wechat.pay import (
    TradeState,
    WechatPayRejectedError,
    WechatPayUnknownError,
)
from checkup.integrations.wechat.pay.crypto import load_public_key, rsa_verify
from checkup.sandbox.wechatpay import RETRY_SCHEDULE_SECONDS, SandboxKeys, generate_sandbox_keys
from checkup.sandbox.wechatpay.service import CST
from support.server import free_port
from support.wechatpay import APPID, MCHID, World, make_client, wechatpay_world

RETRY_SCALE = 0.002  # 15 s → 30 ms


@pytest.fixture(scope="module")
def keys() -> SandboxKeys:
    return generate_sandbox_keys()


@pytest.fixture
async def world(keys):
    async with wechatpay_world(keys, retry_scale=RETRY_SCALE, refund_delay=0.02) as w:
        yield w


def expire_in(minutes: int = 15) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


async def prepay(
    world: World, out_trade_no: str, amount_fen: int = 39900, openid: str = "o-patient-1"
) -> str:
    return await world.client.prepay_jsapi(
        out_trade_no=out_trade_no,
        description="体检中心体检费",
        amount_fen=amount_fen,
        openid=openid,
        time_expire=expire_in(),
        attach="bills:B1001",
    )


class TestPayment:
    async def test_prepay_pay_and_notification(self, world: World, keys: SandboxKeys):
        prepay_id = await prepay(world, "CK20260101PAY01")
        assert prepay_id.startswith("wx") and len(prepay_id) == 36
        params = world.client.pay_params(prepay_id)
        message = f"{APPID}\n{params['timeStamp']}\n{params['nonceStr']}\nprepay_id={prepay_id}\n".encode()
        assert rsa_verify(load_public_key(keys.merchant_public_key_pem), message, params["paySign"])

        before = await world.client.query_by_out_trade_no("CK20260101PAY01")
        assert before.trade_state == TradeState.NOTPAY and not before.paid and before.transaction_id is None

        paid = await world.control("pay", {"payment_no": "CK20260101PAY01"})
        assert paid["transaction_id"].startswith("4200") and len(paid["transaction_id"]) == 28
        await world.receiver.wait_for(lambda r: len(r.of("TRANSACTION.SUCCESS")) == 1)
        note = world.receiver.received[0]
        txn = note.transaction()
        assert note.summary == "支付成功" and note.original_type == "transaction"
        assert (txn.out_trade_no, txn.transaction_id, txn.trade_state) == (
            "CK20260101PAY01",
            paid["transaction_id"],
            "SUCCESS",
        )
        assert (txn.total_fen, txn.payer_total_fen, txn.payer_openid) == (39900, 39900, "o-patient-1")
        assert txn.attach == "bills:B1001" and txn.appid == APPID and txn.mchid == MCHID
        assert txn.success_time is not None and txn.success_time.utcoffset() == timedelta(hours=8)
        headers = world.receiver.raw[0][0]
        assert headers["wechatpay-serial"] == keys.platform_public_key_id

        after = await world.client.query_by_out_trade_no("CK20260101PAY01")
        assert after.paid and after.transaction_id == paid["transaction_id"] and after.total_fen == 39900
        by_id = await world.client.query_by_transaction_id(paid["transaction_id"])
        assert by_id.out_trade_no == "CK20260101PAY01"
        # Paying again changes nothing.
        again = await world.control("pay", {"payment_no": "CK20260101PAY01"})
        assert again == {"transaction_id": paid["transaction_id"], "already_paid": True}

    async def test_notification_is_retried_until_acknowledged(self, world: World):
        await prepay(world, "CK20260101RETRY")
        world.receiver.fail_next["payment"] = 2
        await world.control("pay", {"payment_no": "CK20260101RETRY"})
        await world.receiver.wait_for(lambda r: len(r.received) == 1)
        assert len(world.receiver.raw) == 3
        gaps = [
            b - a
            for a, b in zip(world.receiver.arrival_times, world.receiver.arrival_times[1:], strict=False)
        ]
        for gap, scheduled in zip(gaps, RETRY_SCHEDULE_SECONDS, strict=False):
            assert gap >= scheduled * RETRY_SCALE * 0.9
        bodies = {body for _, body in world.receiver.raw}
        assert len(bodies) == 1  # the same notification each time, freshly signed
        nonces = {headers["wechatpay-nonce"] for headers, _ in world.receiver.raw}
        assert len(nonces) == 3
        view = await world.control("GET wechatpay/orders/CK20260101RETRY")
        (delivery,) = view["notifications"]
        assert [a["status"] for a in delivery["attempts"]] == [500, 500, 200]
        assert delivery["acknowledged"] is True

    async def test_renotify_sends_the_same_notification(self, world: World):
        await prepay(world, "CK20260101RENOT")
        await world.control("pay", {"payment_no": "CK20260101RENOT", "wait": True})
        answer = await world.control("renotify", {"payment_no": "CK20260101RENOT", "wait": True})
        assert answer["delivered"] is True and answer["status"] == 200
        first, second = world.receiver.received
        assert first.id == second.id == answer["notification_id"]
        assert first.resource == second.resource

    async def test_pay_wait_reports_the_first_delivery(self, world: World):
        await prepay(world, "CK20260101WAIT1")
        world.receiver.fail_next["payment"] = 1
        answer = await world.control("pay", {"payment_no": "CK20260101WAIT1", "wait": True})
        assert answer["delivered"] is False and answer["status"] == 500
        await world.receiver.wait_for(lambda r: len(r.received) == 1)

    async def test_repeated_prepay_is_idempotent_and_conflicts_are_refused(self, world: World):
        first = await prepay(world, "CK20260101SAME1")
        assert await prepay(world, "CK20260101SAME1") == first
        with pytest.raises(WechatPayRejectedError) as info:
            await prepay(world, "CK20260101SAME1", amount_fen=100)
        assert info.value.code == "OUT_TRADE_NO_USED"

    async def test_expired_order_cannot_be_paid(self, world: World):
        await prepay(world, "CK20260101EXPIR")
        await world.control("wechatpay/orders/CK20260101EXPIR/expire")
        refused = await world.control("pay", {"payment_no": "CK20260101EXPIR"}, expect=409)
        assert refused["error"]["code"] == "ORDER_EXPIRED"
        assert (await world.client.query_by_out_trade_no("CK20260101EXPIR")).trade_state == "NOTPAY"
        await world.client.close("CK20260101EXPIR")
        assert (await world.client.query_by_out_trade_no("CK20260101EXPIR")).trade_state == "CLOSED"

    async def test_forged_notifications_are_refused_by_the_receiver(self, world: World):
        await prepay(world, "CK20260101FORGE")
        for defect, code in [
            ("signature", "SIGNATURE_INVALID"),
            ("altered", "SIGNATURE_INVALID"),
            ("stale", "TIMESTAMP_EXPIRED"),
            ("wrong_serial", "SERIAL_MISMATCH"),
            ("signtest", "SIGNTEST"),
            ("bad_ciphertext", "DECRYPT_FAILED"),
        ]:
            answer = await world.control(
                "wechatpay/notify-forged", {"payment_no": "CK20260101FORGE", "defect": defect}
            )
            assert answer["delivered"] is False and answer["status"] == 401, defect
            assert world.receiver.errors[-1].code == code, defect
        assert world.receiver.received == []
        assert (await world.client.query_by_out_trade_no("CK20260101FORGE")).trade_state == "NOTPAY"


class TestClose:
    async def test_close_is_reentrant_and_a_paid_order_stays_paid(self, world: World):
        await prepay(world, "CK20260101CLOSE")
        await world.client.close("CK20260101CLOSE")
        await world.client.close("CK20260101CLOSE")
        assert (await world.client.query_by_out_trade_no("CK20260101CLOSE")).trade_state == "CLOSED"
        refused = await world.control("pay", {"payment_no": "CK20260101CLOSE"}, expect=409)
        assert refused["error"]["code"] == "ORDER_CLOSED"

        await prepay(world, "CK20260101PAID2")
        await world.control("pay", {"payment_no": "CK20260101PAID2"})
        # The real service answers 204 to closing a paid order too (no ORDER_PAID): only a query tells.
        await world.client.close("CK20260101PAID2")
        assert (await world.client.query_by_out_trade_no("CK20260101PAID2")).trade_state == "SUCCESS"

    async def test_unknown_order_is_rejected_as_not_found(self, world: World):
        with pytest.raises(WechatPayRejectedError) as info:
            await world.client.query_by_out_trade_no("CK20260101NONE")
        assert info.value.not_found and info.value.status == 404


class TestRefund:
    async def test_refund_notification_idempotency_and_limits(self, world: World):
        await prepay(world, "CK20260101REFND", amount_fen=10000)
        paid = await world.control("pay", {"payment_no": "CK20260101REFND", "wait": True})

        refund = await world.client.refund(
            out_refund_no="RF20260101A",
            out_trade_no="CK20260101REFND",
            amount_fen=3000,
            total_fen=10000,
            reason="未预约退款",
        )
        assert refund.status == "PROCESSING" and refund.refund_fen == 3000 and refund.total_fen == 10000
        assert refund.transaction_id == paid["transaction_id"] and refund.refund_id

        await world.receiver.wait_for(lambda r: len(r.of("REFUND.SUCCESS")) == 1)
        notice = world.receiver.of("REFUND.SUCCESS")[0].refund()
        assert (notice.out_refund_no, notice.status, notice.refund_fen, notice.refund_id) == (
            "RF20260101A",
            "SUCCESS",
            3000,
            refund.refund_id,
        )
        assert (await world.client.query_refund("RF20260101A")).status == "SUCCESS"
        assert (await world.client.query_by_out_trade_no("CK20260101REFND")).trade_state == "REFUND"

        # Same out_refund_no: the same refund, no second one.
        repeat = await world.client.refund(
            out_refund_no="RF20260101A",
            transaction_id=paid["transaction_id"],
            amount_fen=3000,
            total_fen=10000,
        )
        assert repeat.refund_id == refund.refund_id and repeat.status == "SUCCESS"
        # Never more than the total.
        with pytest.raises(WechatPayRejectedError) as info:
            await world.client.refund(
                out_refund_no="RF20260101B", out_trade_no="CK20260101REFND", amount_fen=7001, total_fen=10000
            )
        assert info.value.code == "INVALID_REQUEST"
        with pytest.raises(WechatPayRejectedError):
            await world.client.refund(
                out_refund_no="RF20260101C", out_trade_no="CK20260101REFND", amount_fen=100, total_fen=9999
            )
        rest = await world.client.refund(
            out_refund_no="RF20260101D", out_trade_no="CK20260101REFND", amount_fen=7000, total_fen=10000
        )
        assert rest.status == "PROCESSING"
        with pytest.raises(WechatPayRejectedError) as missing:
            await world.client.query_refund("RF-NOT-THERE")
        assert missing.value.not_found

    async def test_unpaid_order_cannot_be_refunded_and_abnormal_refund_is_reported(self, world: World):
        await prepay(world, "CK20260101UNPD1", amount_fen=500)
        with pytest.raises(WechatPayRejectedError):
            await world.client.refund(
                out_refund_no="RF20260101U", out_trade_no="CK20260101UNPD1", amount_fen=500, total_fen=500
            )
        await world.control("pay", {"payment_no": "CK20260101UNPD1", "wait": True})
        await world.control("wechatpay/refund-faults", {"status": "ABNORMAL", "times": 1})
        await world.client.refund(
            out_refund_no="RF20260101V", out_trade_no="CK20260101UNPD1", amount_fen=500, total_fen=500
        )
        await world.receiver.wait_for(lambda r: len(r.of("REFUND.ABNORMAL")) == 1)
        assert (await world.client.query_refund("RF20260101V")).status == "ABNORMAL"


class TestTradeBill:
    async def test_bill_download_rows_and_summary(self, world: World):
        await prepay(world, "CK20260101BILL1", amount_fen=39900)
        await prepay(world, "CK20260101BILL2", amount_fen=1999)
        await prepay(world, "CK20260101BILL3", amount_fen=700)  # never paid: not in the bill
        one = await world.control("pay", {"payment_no": "CK20260101BILL1", "wait": True})
        await world.control("pay", {"payment_no": "CK20260101BILL2", "wait": True})
        await world.client.refund(
            out_refund_no="RFBILL1", out_trade_no="CK20260101BILL1", amount_fen=9900, total_fen=39900
        )
        await world.receiver.wait_for(lambda r: len(r.of("REFUND.SUCCESS")) == 1)

        today = datetime.now(CST).date()
        bill = await world.client.download_trade_bill(today)
        assert bill.bill_date == today
        payments = {r.out_trade_no: r for r in bill.rows if r.trade_state == "SUCCESS"}
        refunds = [r for r in bill.rows if r.is_refund]
        assert set(payments) == {"CK20260101BILL1", "CK20260101BILL2"}
        assert payments["CK20260101BILL1"].settlement_total_fen == 39900
        assert payments["CK20260101BILL1"].transaction_id == one["transaction_id"]
        assert payments["CK20260101BILL2"].total_fen == 1999 and payments["CK20260101BILL2"].appid == APPID
        (refund_row,) = refunds
        assert (refund_row.out_refund_no, refund_row.refund_fen, refund_row.out_trade_no) == (
            "RFBILL1",
            9900,
            "CK20260101BILL1",
        )
        assert bill.summary.count == 3
        assert bill.summary.settlement_total_fen == 39900 + 1999 and bill.summary.refund_total_fen == 9900

        success_only = await world.client.download_trade_bill(today, bill_type="SUCCESS")
        assert {r.trade_state for r in success_only.rows} == {"SUCCESS"}
        empty = await world.client.download_trade_bill(today - timedelta(days=1))
        assert empty.rows == [] and empty.summary.count == 0

    async def test_download_url_needs_a_signed_request(self, world: World, keys: SandboxKeys):
        await prepay(world, "CK20260101BILL9", amount_fen=100)
        await world.control("pay", {"payment_no": "CK20260101BILL9", "wait": True})
        applications: list[dict] = []

        async def capture(response: httpx.Response) -> None:
            if response.request.url.path.endswith("/v3/bill/tradebill"):
                await response.aread()
                applications.append(response.json())

        async with httpx.AsyncClient(event_hooks={"response": [capture]}) as http:
            client = make_client(keys, base_url=world.wechatpay_url, notify_base=world.base_url, client=http)
            bill = await client.download_trade_bill(datetime.now(CST).date())
        assert [row.out_trade_no for row in bill.rows] == ["CK20260101BILL9"]
        (application,) = applications
        assert application["hash_type"] == "SHA1" and len(application["hash_value"]) == 40
        unsigned = await world.http.get(application["download_url"])
        assert unsigned.status_code == 401 and unsigned.json()["code"] == "SIGN_ERROR"


class TestRefusals:
    async def test_wrong_merchant_key_gets_401_and_changes_nothing(self, world: World, keys: SandboxKeys):
        impostor = generate_sandbox_keys()
        client = make_client(
            keys,
            base_url=world.wechatpay_url,
            notify_base=world.base_url,
            merchant_private_key_pem=impostor.merchant_private_key_pem,
        )
        try:
            with pytest.raises(WechatPayRejectedError) as info:
                await client.prepay_jsapi(
                    out_trade_no="CK20260101IMPST",
                    description="体检中心体检费",
                    amount_fen=100,
                    openid="o1",
                    time_expire=expire_in(),
                )
        finally:
            await client.aclose()
        assert (info.value.status, info.value.code) == (401, "SIGN_ERROR") and info.value.kind == "rejected"
        missing = await world.control("GET wechatpay/orders/CK20260101IMPST", expect=404)
        assert missing["error"]["code"] == "ORDER_NOT_FOUND"

    async def test_response_tampered_in_transit_is_not_trusted(self, world: World, keys: SandboxKeys):
        await prepay(world, "CK20260101TAMPR")
        real = httpx.AsyncHTTPTransport()

        async def tamper(request: httpx.Request) -> httpx.Response:
            response = await real.handle_async_request(request)
            body = await response.aread()
            forged = body.replace(b'"NOTPAY"', b'"SUCCESS"')
            assert forged != body
            return httpx.Response(response.status_code, headers=response.headers, content=forged)

        async with httpx.AsyncClient(transport=httpx.MockTransport(tamper)) as http:
            client = make_client(keys, base_url=world.wechatpay_url, notify_base=world.base_url, client=http)
            with pytest.raises(WechatPayUnknownError) as info:
                await client.query_by_out_trade_no("CK20260101TAMPR")
        await real.aclose()
        assert info.value.kind == "unknown" and info.value.code == "RESPONSE_UNVERIFIED"

    async def test_request_altered_in_transit_is_refused_by_the_sandbox(
        self, world: World, keys: SandboxKeys
    ):
        async def alter(request: httpx.Request) -> httpx.Response:
            body = request.content.replace(b'"total":100,', b'"total":1,')
            headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
            altered = httpx.Request(request.method, request.url, headers=headers, content=body)
            async with httpx.AsyncClient() as inner:
                return await inner.send(altered)

        async with httpx.AsyncClient(transport=httpx.MockTransport(alter)) as http:
            client = make_client(keys, base_url=world.wechatpay_url, notify_base=world.base_url, client=http)
            with pytest.raises(WechatPayRejectedError) as info:
                await client.prepay_jsapi(
                    out_trade_no="CK20260101ALTER",
                    description="体检费",
                    amount_fen=100,
                    openid="o1",
                    time_expire=expire_in(),
                )
        assert info.value.code == "SIGN_ERROR"
        await world.control("GET wechatpay/orders/CK20260101ALTER", expect=404)


async def test_pending_retries_are_cancelled_when_the_server_stops(keys):
    async with wechatpay_world(keys, retry_scale=1.0) as w:
        await w.client.prepay_jsapi(
            out_trade_no="CK20260101STOP1",
            description="体检费",
            amount_fen=1,
            openid="o1",
            time_expire=expire_in(),
        )
        w.receiver.fail_next["payment"] = 99
        answer = await w.control("pay", {"payment_no": "CK20260101STOP1", "wait": True})
        assert answer["delivered"] is False
        (retrying,) = w.state.tasks  # now sleeping 15 s before the first retry
        assert not retrying.done()
    await asyncio.sleep(0)
    assert retrying.cancelled()


async def test_state_persists_and_unacknowledged_notifications_resume_after_restart(keys, tmp_path):
    state_file = str(tmp_path / "wechatpay-sandbox.json")
    port = free_port()
    async with wechatpay_world(keys, state_path=state_file, port=port, retry_scale=1.0) as first:
        await first.client.prepay_jsapi(
            out_trade_no="CK20260101PERS1",
            description="体检费",
            amount_fen=2500,
            openid="o1",
            time_expire=expire_in(),
        )
        first.receiver.fail_next["payment"] = 99  # our app is down: nothing acknowledged
        paid = await first.control("pay", {"payment_no": "CK20260101PERS1", "wait": True})
        assert paid["delivered"] is False
    async with wechatpay_world(keys, state_path=state_file, port=port, retry_scale=1.0) as second:
        await second.receiver.wait_for(lambda r: len(r.received) == 1)
        note = second.receiver.received[0]
        assert (
            note.id == paid["notification_id"] and note.transaction().transaction_id == paid["transaction_id"]
        )
        txn = await second.client.query_by_out_trade_no("CK20260101PERS1")
        assert txn.paid and txn.total_fen == 2500

"""Independent cross-check with wechatpayv3 (test-only dependency): its verifier, decryptor and signer
against the sandbox, and its signatures against ours."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta

import pytest
import wechatpayv3.utils as v3utils
from wechatpayv3 import WeChatPay, WeChatPayType
from wechatpayv3.async_ import AsyncWeChatPay
from wechatpayv3.async_ import WeChatPayType as AsyncWeChatPayType

from checkup.integrations.wechat.pay import WechatPaySignatureError
from checkup.integrations.wechat.pay import crypto as pay_crypto
from checkup.integrations.wechat.tradebill import parse_trade_bill
from checkup.sandbox.wechatpay import SandboxKeys, generate_sandbox_keys
from checkup.sandbox.wechatpay.service import CST
from support.wechatpay import APPID, MCHID, make_client, wechatpay_world


@pytest.fixture(scope="module")
def keys() -> SandboxKeys:
    return generate_sandbox_keys()


def v3_options(keys: SandboxKeys, notify_url: str, *, asynchronous: bool = False) -> dict:
    return {
        "wechatpay_type": AsyncWeChatPayType.MINIPROG if asynchronous else WeChatPayType.MINIPROG,
        "mchid": MCHID,
        "private_key": keys.merchant_private_key_pem.decode(),
        "cert_serial_no": keys.merchant_serial_no,
        "appid": APPID,
        "apiv3_key": keys.apiv3_key.decode(),
        "notify_url": notify_url,
        "public_key": keys.platform_public_key_pem.decode(),
        "public_key_id": keys.platform_public_key_id,
    }


def time_expire() -> str:
    return (datetime.now(UTC) + timedelta(minutes=15)).astimezone(CST).isoformat(timespec="seconds")


async def test_wechatpayv3_verifies_and_decrypts_what_the_sandbox_sends(keys):
    async with wechatpay_world(keys) as world:
        wxpay = WeChatPay(**v3_options(keys, f"{world.base_url}/notify/payment"))
        await world.client.prepay_jsapi(
            out_trade_no="XC20260101PAY1",
            description="体检中心体检费",
            amount_fen=39900,
            openid="o-x1",
            time_expire=datetime.now(UTC) + timedelta(minutes=15),
        )
        await world.control("pay", {"payment_no": "XC20260101PAY1", "wait": True})
        ours = world.receiver.received[0]
        headers, body = world.receiver.raw[0]

        theirs = wxpay.callback(headers, body)
        assert theirs is not None
        assert theirs["id"] == ours.id and theirs["event_type"] == "TRANSACTION.SUCCESS"
        assert theirs["resource"] == ours.resource
        assert theirs["resource"]["amount"]["total"] == 39900

        # A notification signed by someone else: both refuse it.
        forged = await world.control(
            "wechatpay/notify-forged", {"payment_no": "XC20260101PAY1", "defect": "signature"}
        )
        assert forged["delivered"] is False
        headers, body = world.receiver.raw[-1]
        assert wxpay.callback(headers, body) is None

        # A replayed (10 minutes old) notification: wechatpayv3 has no freshness check, ours refuses it.
        await world.control("wechatpay/notify-forged", {"payment_no": "XC20260101PAY1", "defect": "stale"})
        headers, body = world.receiver.raw[-1]
        assert wxpay.callback(headers, body) is not None
        with pytest.raises(WechatPaySignatureError) as info:
            world.client.verify_and_decrypt_notification(headers, body)
        assert info.value.code == "TIMESTAMP_EXPIRED"


async def test_sandbox_accepts_requests_signed_by_wechatpayv3(keys):
    # wechatpayv3 signs the path relative to its (fixed) gateway, so mount the sandbox at the root.
    async with wechatpay_world(keys, url_prefix="", refund_delay=0.01) as world:
        wxpay = AsyncWeChatPay(**v3_options(keys, f"{world.base_url}/notify/payment", asynchronous=True))
        wxpay._core._gate_way = world.base_url
        async with wxpay:
            # wechatpayv3 also verifies every sandbox response signature and raises if one is wrong.
            code, text = await wxpay.pay(
                description="体检中心体检费",
                out_trade_no="XC20260101V3P1",
                amount={"total": 12345, "currency": "CNY"},
                payer={"openid": "o-x2"},
                time_expire=time_expire(),
            )
            assert code == 200, text
            prepay_id = json.loads(text)["prepay_id"]
            assert prepay_id.startswith("wx")

            code, text = await wxpay.query(out_trade_no="XC20260101V3P1")
            assert code == 200 and json.loads(text)["trade_state"] == "NOTPAY"
            assert (await world.client.query_by_out_trade_no("XC20260101V3P1")).total_fen == 12345

            paid = await world.control("pay", {"payment_no": "XC20260101V3P1", "wait": True})
            code, text = await wxpay.query(transaction_id=paid["transaction_id"])
            assert code == 200 and json.loads(text)["out_trade_no"] == "XC20260101V3P1"

            code, text = await wxpay.refund(
                out_refund_no="XCRF1",
                amount={"refund": 345, "total": 12345, "currency": "CNY"},
                out_trade_no="XC20260101V3P1",
                notify_url=f"{world.base_url}/notify/refund",
            )
            assert code == 200 and json.loads(text)["amount"]["refund"] == 345
            await world.receiver.wait_for(lambda r: len(r.of("REFUND.SUCCESS")) == 1)

            code, text = await wxpay.trade_bill(bill_date=datetime.now(CST).date().isoformat())
            assert code == 200, text
            application = json.loads(text)
            code, content = await wxpay.download_bill(application["download_url"])
            assert code == 200
            bill = parse_trade_bill(gzip.decompress(content).decode())
            assert [(r.out_trade_no, r.trade_state) for r in bill.rows] == [
                ("XC20260101V3P1", "SUCCESS"),
                ("XC20260101V3P1", "REFUND"),
            ]

            # Closing a paid order answers 204 like the real service; the order stays paid.
            code, text = await wxpay.close(out_trade_no="XC20260101V3P1")
            assert code == 204, text
            code, text = await wxpay.query(out_trade_no="XC20260101V3P1")
            assert code == 200 and json.loads(text)["trade_state"] in ("SUCCESS", "REFUND"), text

            # The sandbox really checks: the same library with another merchant key is refused.
            impostor = AsyncWeChatPay(
                **{
                    **v3_options(keys, "https://x.example/n", asynchronous=True),
                    "private_key": generate_sandbox_keys().merchant_private_key_pem.decode(),
                }
            )
            impostor._core._gate_way = world.base_url
            async with impostor:
                code, text = await impostor.query(out_trade_no="XC20260101V3P1")
            assert code == 401 and json.loads(text)["code"] == "SIGN_ERROR"


def test_pay_sign_is_identical_to_wechatpayv3(keys):
    wxpay = WeChatPay(**v3_options(keys, "https://example.org/notify"))
    client = make_client(keys, base_url="https://api.mch.weixin.qq.com", notify_base="https://example.org")
    ours = client.pay_params(
        "wx201410272009395522657a690389285100",
        timestamp="1414561699",
        nonce="5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
    )
    theirs = wxpay.sign(
        [
            APPID,
            "1414561699",
            "5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
            "prepay_id=wx201410272009395522657a690389285100",
        ]
    )
    assert ours["paySign"] == theirs  # PKCS#1 v1.5 is deterministic: same key + same string → same bytes


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v3/pay/transactions/out-trade-no/XC20260101?mchid=1900000109", ""),
        (
            "POST",
            "/v3/refund/domestic/refunds",
            '{"out_refund_no":"R1","amount":{"refund":1,"total":1,"currency":"CNY"}}',
        ),
    ],
)
def test_request_signature_is_identical_to_wechatpayv3(keys, monkeypatch, method, path, body):
    monkeypatch.setattr(v3utils.time, "time", lambda: 1554208460.5)
    private_key = pay_crypto.load_private_key(keys.merchant_private_key_pem)
    theirs = v3utils.build_authorization(
        path, method, MCHID, keys.merchant_serial_no, private_key, data=body or None, nonce_str="NONCE123"
    )
    ours = pay_crypto.build_authorization(
        mchid=MCHID,
        serial_no=keys.merchant_serial_no,
        private_key=private_key,
        method=method,
        url_path=path,
        body=body.encode(),
        timestamp="1554208460",
        nonce="NONCE123",
    )

    def params(header: str) -> dict[str, str]:
        schema, _, rest = header.partition(" ")
        assert schema == "WECHATPAY2-SHA256-RSA2048"
        return dict(part.split("=", 1) for part in rest.split(","))

    assert params(ours) == params(theirs)

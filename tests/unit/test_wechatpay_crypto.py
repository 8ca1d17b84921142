"""WeChat Pay API v3 crypto and formats, without the network (httpx MockTransport at most)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from checkup.integrations.wechat.pay import (
    WechatPayClient,
    WechatPayRejectedError,
    WechatPaySignatureError,
    WechatPayUnknownError,
    verify_and_decrypt_notification,
)
from checkup.integrations.wechat.pay import crypto as pay_crypto
from checkup.integrations.wechat.tradebill import TradeBillFormatError, parse_trade_bill, yuan_to_fen
from checkup.sandbox.wechatpay import crypto as sandbox_crypto
from checkup.sandbox.wechatpay.keys import SandboxKeys, ensure_sandbox_keys, generate_sandbox_keys

MCHID = "1900000109"
APPID = "wx8888888888888888"


@pytest.fixture(scope="module")
def keys() -> SandboxKeys:
    return generate_sandbox_keys()


def merchant_public(keys: SandboxKeys):
    return pay_crypto.load_public_key(keys.merchant_public_key_pem)


def platform_private(keys: SandboxKeys):
    return sandbox_crypto.private_key_from_pem(keys.platform_private_key_pem)


def auth_params(header: str) -> dict[str, str]:
    parsed = sandbox_crypto.parse_authorization(header)
    assert parsed is not None, header
    return parsed


def make_client(keys: SandboxKeys, transport: httpx.MockTransport, **overrides) -> WechatPayClient:
    options = {
        "base_url": "https://api.mch.weixin.qq.com",
        "mchid": MCHID,
        "appid": APPID,
        "merchant_serial_no": keys.merchant_serial_no,
        "merchant_private_key_pem": keys.merchant_private_key_pem,
        "wechatpay_public_key_pem": keys.platform_public_key_pem,
        "wechatpay_public_key_id": keys.platform_public_key_id,
        "apiv3_key": keys.apiv3_key,
        "notify_url_payment": "https://example.org/api/wechatpay/notify/payment",
        "notify_url_refund": "https://example.org/api/wechatpay/notify/refund",
        "client": httpx.AsyncClient(transport=transport),
    }
    options.update(overrides)
    return WechatPayClient(**options)


def signed_response(
    keys: SandboxKeys, status: int, payload: dict | None, **header_overrides
) -> httpx.Response:
    body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
    headers = sandbox_crypto.signed_headers(platform_private(keys), keys.platform_public_key_id, body)
    headers.update(header_overrides)
    return httpx.Response(status, content=body, headers=headers)


class TestRequestSignature:
    def test_get_with_query_signs_method_path_query_timestamp_nonce_and_empty_body(self, keys):
        header = pay_crypto.build_authorization(
            mchid=MCHID,
            serial_no=keys.merchant_serial_no,
            private_key=pay_crypto.load_private_key(keys.merchant_private_key_pem),
            method="GET",
            url_path="/v3/pay/transactions/out-trade-no/CK20260101ABC?mchid=1900000109",
            timestamp="1554208460",
            nonce="593BEC0C930BF1AFEB40B4A08C8FB242",
        )
        assert header.startswith("WECHATPAY2-SHA256-RSA2048 ")
        params = auth_params(header)
        assert params["mchid"] == MCHID and params["serial_no"] == keys.merchant_serial_no
        assert (
            params["timestamp"] == "1554208460" and params["nonce_str"] == "593BEC0C930BF1AFEB40B4A08C8FB242"
        )
        expected = (
            b"GET\n/v3/pay/transactions/out-trade-no/CK20260101ABC?mchid=1900000109\n"
            b"1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"
        )
        assert pay_crypto.rsa_verify(merchant_public(keys), expected, params["signature"])
        # The trailing newline after the empty body is part of the signed string.
        assert not pay_crypto.rsa_verify(merchant_public(keys), expected[:-1], params["signature"])

    def test_post_signs_exact_body_bytes(self, keys):
        body = '{"mchid":"1900000109","description":"体检中心体检费"}'.encode()
        header = pay_crypto.build_authorization(
            mchid=MCHID,
            serial_no=keys.merchant_serial_no,
            private_key=pay_crypto.load_private_key(keys.merchant_private_key_pem),
            method="POST",
            url_path="/v3/pay/transactions/jsapi",
            body=body,
            timestamp="1554208460",
            nonce="N1",
        )
        signature = auth_params(header)["signature"]
        message = b"POST\n/v3/pay/transactions/jsapi\n1554208460\nN1\n" + body + b"\n"
        assert pay_crypto.rsa_verify(merchant_public(keys), message, signature)
        # The sandbox's independent verifier agrees.
        lines = [b"POST", b"/v3/pay/transactions/jsapi", b"1554208460", b"N1", body]
        assert sandbox_crypto.verify(merchant_public(keys), lines, signature)
        respaced = json.dumps(json.loads(body), ensure_ascii=False).encode()
        assert respaced != body
        assert not sandbox_crypto.verify(merchant_public(keys), [*lines[:4], respaced], signature)

    async def test_client_signs_the_bytes_it_sends(self, keys):
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return signed_response(keys, 200, {"prepay_id": "wx2026010112000012345678901234567890"})

        client = make_client(keys, httpx.MockTransport(handler))
        expire = datetime(2026, 1, 1, 12, 15, tzinfo=UTC)
        prepay_id = await client.prepay_jsapi(
            out_trade_no="CK2026-0001_a",
            description="体检中心体检费",
            amount_fen=39900,
            openid="oUpF8u",
            time_expire=expire,
        )
        assert prepay_id == "wx2026010112000012345678901234567890"
        request = seen[0]
        params = auth_params(request.headers["Authorization"])
        lines = [
            b"POST",
            request.url.raw_path,
            params["timestamp"].encode(),
            params["nonce_str"].encode(),
            request.content,
        ]
        assert sandbox_crypto.verify(merchant_public(keys), lines, params["signature"])
        assert request.headers["Wechatpay-Serial"] == keys.platform_public_key_id
        sent = json.loads(request.content)
        assert sent["amount"] == {"total": 39900, "currency": "CNY"}
        assert sent["time_expire"] == "2026-01-01T20:15:00+08:00"
        assert sent["payer"] == {"openid": "oUpF8u"} and sent["appid"] == APPID and sent["mchid"] == MCHID
        assert "体检中心体检费".encode() in request.content  # UTF-8, not \\u escapes


class TestPaySign:
    def test_message_matches_wechat_documented_example(self):
        # WeChat's documented 待签名串 for its example values (小程序调起支付).
        message = pay_crypto.pay_sign_message(
            appid="wx8888888888888888",
            timestamp="1414561699",
            nonce="5K8264ILTKCH16CQ2502SI8ZNMTM67VS",
            package="prepay_id=wx201410272009395522657a690389285100",
        )
        assert message == (
            b"wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\n"
            b"prepay_id=wx201410272009395522657a690389285100\n"
        )

    def test_pay_params_verify_with_the_merchant_public_key(self, keys):
        client = make_client(keys, httpx.MockTransport(lambda r: httpx.Response(500)))
        params = client.pay_params("wx201410272009395522657a690389285100")
        assert set(params) == {"timeStamp", "nonceStr", "package", "signType", "paySign"}
        assert (
            params["signType"] == "RSA"
            and params["package"] == "prepay_id=wx201410272009395522657a690389285100"
        )
        assert params["timeStamp"].isdigit() and abs(int(params["timeStamp"]) - time.time()) < 5
        message = f"{APPID}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n".encode()
        assert pay_crypto.rsa_verify(merchant_public(keys), message, params["paySign"])
        other = generate_sandbox_keys()
        assert not pay_crypto.rsa_verify(
            pay_crypto.load_public_key(other.merchant_public_key_pem), message, params["paySign"]
        )


def notification(keys: SandboxKeys, resource: dict, *, apiv3_key: bytes | None = None) -> bytes:
    sealed = sandbox_crypto.encrypt_resource(
        apiv3_key or keys.apiv3_key, json.dumps(resource).encode(), associated_data="transaction"
    )
    envelope = {
        "id": "EV-2018022511223320873",
        "create_time": "2026-01-01T20:00:00+08:00",
        "resource_type": "encrypt-resource",
        "event_type": "TRANSACTION.SUCCESS",
        "summary": "支付成功",
        "resource": {"original_type": "transaction", **sealed},
    }
    return json.dumps(envelope, ensure_ascii=False).encode()


RESOURCE = {
    "appid": APPID,
    "mchid": MCHID,
    "out_trade_no": "CK20260101ABC",
    "transaction_id": "4200000985202601016014826014",
    "trade_type": "JSAPI",
    "trade_state": "SUCCESS",
    "trade_state_desc": "支付成功",
    "bank_type": "OTHERS",
    "attach": "",
    "success_time": "2026-01-01T20:00:00+08:00",
    "payer": {"openid": "oUpF8u"},
    "amount": {"total": 39900, "payer_total": 39900, "currency": "CNY", "payer_currency": "CNY"},
}


class TestNotificationChecks:
    def verify(self, keys, headers, body, now=None):
        return verify_and_decrypt_notification(
            headers,
            body,
            wechatpay_public_key=pay_crypto.load_public_key(keys.platform_public_key_pem),
            wechatpay_public_key_id=keys.platform_public_key_id,
            apiv3_key=keys.apiv3_key,
            now=now,
        )

    def headers(self, keys, body, **kwargs):
        return sandbox_crypto.signed_headers(
            platform_private(keys), keys.platform_public_key_id, body, **kwargs
        )

    def test_valid_notification_is_verified_and_decrypted(self, keys):
        body = notification(keys, RESOURCE)
        note = self.verify(keys, self.headers(keys, body), body)
        assert note.id == "EV-2018022511223320873" and note.event_type == "TRANSACTION.SUCCESS"
        assert note.create_time == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
        txn = note.transaction()
        assert (txn.out_trade_no, txn.transaction_id, txn.total_fen, txn.payer_openid) == (
            "CK20260101ABC",
            "4200000985202601016014826014",
            39900,
            "oUpF8u",
        )
        assert txn.paid and txn.success_time == datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def test_signtest_probe_is_refused(self, keys):
        body = notification(keys, RESOURCE)
        headers = self.headers(keys, body)
        headers["Wechatpay-Signature"] = "WECHATPAY/SIGNTEST/" + headers["Wechatpay-Signature"]
        with pytest.raises(WechatPaySignatureError) as info:
            self.verify(keys, headers, body)
        assert info.value.kind == "signature" and info.value.code == "SIGNTEST"

    @pytest.mark.parametrize(("age", "accepted"), [(-299, True), (299, True), (301, False), (-301, False)])
    def test_timestamp_must_be_within_five_minutes(self, keys, age, accepted):
        body = notification(keys, RESOURCE)
        now = datetime.now(UTC)
        headers = self.headers(keys, body, timestamp=int(now.timestamp()) - age)
        if accepted:
            assert self.verify(keys, headers, body, now=now).id == "EV-2018022511223320873"
        else:
            with pytest.raises(WechatPaySignatureError) as info:
                self.verify(keys, headers, body, now=now)
            assert info.value.code == "TIMESTAMP_EXPIRED"

    def test_wrong_serial_is_refused_even_with_a_valid_signature(self, keys):
        body = notification(keys, RESOURCE)
        headers = self.headers(keys, body)
        headers["Wechatpay-Serial"] = "PUB_KEY_ID_0000000000000000000000000001"
        with pytest.raises(WechatPaySignatureError) as info:
            self.verify(keys, headers, body)
        assert info.value.code == "SERIAL_MISMATCH"

    def test_altered_body_and_foreign_key_are_refused(self, keys):
        body = notification(keys, RESOURCE)
        headers = self.headers(keys, body)
        with pytest.raises(WechatPaySignatureError) as info:
            self.verify(keys, headers, body.replace("支付成功".encode(), "退款成功".encode()))
        assert info.value.code == "SIGNATURE_INVALID"
        forger = sandbox_crypto.private_key_from_pem(generate_sandbox_keys().platform_private_key_pem)
        forged = sandbox_crypto.signed_headers(forger, keys.platform_public_key_id, body)
        with pytest.raises(WechatPaySignatureError):
            self.verify(keys, forged, body)

    def test_ciphertext_under_another_key_is_refused(self, keys):
        body = notification(keys, RESOURCE, apiv3_key=b"sandbox-test-0123456789abcdefghi")
        with pytest.raises(WechatPaySignatureError) as info:
            self.verify(keys, self.headers(keys, body), body)
        assert info.value.code == "DECRYPT_FAILED"

    def test_header_names_are_case_insensitive(self, keys):
        body = notification(keys, RESOURCE)
        lowered = {k.lower(): v for k, v in self.headers(keys, body).items()}
        assert self.verify(keys, lowered, body).resource["out_trade_no"] == "CK20260101ABC"


class TestAesGcm:
    def test_round_trip_between_sandbox_encryption_and_client_decryption(self, keys):
        plaintext = json.dumps(RESOURCE, ensure_ascii=False).encode()
        sealed = sandbox_crypto.encrypt_resource(keys.apiv3_key, plaintext, associated_data="transaction")
        assert len(sealed["nonce"]) == 12
        # Layout: ciphertext followed by the 16-byte tag, base64.
        assert len(base64.b64decode(sealed["ciphertext"])) == len(plaintext) + 16
        assert (
            pay_crypto.decrypt_resource(
                apiv3_key=keys.apiv3_key,
                nonce=sealed["nonce"],
                associated_data="transaction",
                ciphertext=sealed["ciphertext"],
            )
            == plaintext
        )
        with pytest.raises(WechatPaySignatureError):
            pay_crypto.decrypt_resource(
                apiv3_key=keys.apiv3_key,
                nonce=sealed["nonce"],
                associated_data="refund",
                ciphertext=sealed["ciphertext"],
            )

    def test_decrypts_plain_aesgcm_output(self):
        key = b"0123456789abcdef0123456789abcdef"
        sealed = AESGCM(key).encrypt(b"fJRLzQk2Qyw4", b'{"x":1}', b"certificate")
        assert (
            pay_crypto.decrypt_resource(
                apiv3_key=key,
                nonce="fJRLzQk2Qyw4",
                associated_data="certificate",
                ciphertext=base64.b64encode(sealed).decode(),
            )
            == b'{"x":1}'
        )


class TestResponseChecks:
    async def test_stale_or_unsigned_success_response_is_outcome_unknown(self, keys):
        responses = [
            signed_response(
                keys, 200, {"trade_state": "SUCCESS"}, **{"Wechatpay-Timestamp": str(int(time.time()) - 900)}
            ),
            httpx.Response(200, json={"out_trade_no": "CK20260101ABC", "trade_state": "SUCCESS"}),
            signed_response(
                keys, 200, {"x": 1}, **{"Wechatpay-Serial": "PUB_KEY_ID_0000000000000000000000000002"}
            ),
        ]
        client = make_client(keys, httpx.MockTransport(lambda request: responses.pop(0)))
        for _ in range(3):
            with pytest.raises(WechatPayUnknownError) as info:
                await client.query_by_out_trade_no("CK20260101ABC")
            assert info.value.kind == "unknown" and info.value.code == "RESPONSE_UNVERIFIED"

    async def test_timeout_and_5xx_are_unknown_and_4xx_is_rejected(self, keys):
        def handler(request: httpx.Request) -> httpx.Response:
            if "TIMEOUT" in request.url.path:
                raise httpx.ReadTimeout("slow", request=request)
            if "BUSY" in request.url.path:
                return signed_response(keys, 500, {"code": "SYSTEM_ERROR", "message": "系统错误"})
            return signed_response(keys, 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"})

        client = make_client(keys, httpx.MockTransport(handler))
        with pytest.raises(WechatPayUnknownError) as info:
            await client.query_by_out_trade_no("TIMEOUT1")
        assert info.value.code == "TIMEOUT"
        with pytest.raises(WechatPayUnknownError) as info:
            await client.query_by_out_trade_no("BUSY01")
        assert (info.value.status, info.value.code) == (500, "SYSTEM_ERROR")
        with pytest.raises(WechatPayRejectedError) as rejected:
            await client.query_by_out_trade_no("MISSING1")
        assert rejected.value.kind == "rejected" and rejected.value.not_found and rejected.value.verified
        assert rejected.value.status == 404

    async def test_bill_with_wrong_hash_is_refused(self, keys):
        content = BILL.encode()

        def handler(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/v3/bill/tradebill":
                return signed_response(
                    keys,
                    200,
                    {
                        "hash_type": "SHA1",
                        "hash_value": hashlib.sha1(content + b" ").hexdigest(),
                        "download_url": "https://api.mch.weixin.qq.com/v3/billdownload/file?token=T",
                    },
                )
            return httpx.Response(200, content=gzip.compress(content))

        client = make_client(keys, httpx.MockTransport(handler))
        with pytest.raises(WechatPayUnknownError) as info:
            await client.download_trade_bill(date(2026, 1, 1))
        assert info.value.code == "BILL_HASH_MISMATCH"

    async def test_bill_download_url_must_be_wechat(self, keys):
        def handler(request: httpx.Request) -> httpx.Response:
            return signed_response(
                keys,
                200,
                {
                    "hash_type": "SHA1",
                    "hash_value": "00",
                    "download_url": "https://evil.example/v3/billdownload/file",
                },
            )

        client = make_client(keys, httpx.MockTransport(handler))
        with pytest.raises(WechatPayUnknownError) as info:
            await client.download_trade_bill(date(2026, 1, 1))
        assert info.value.code == "BAD_DOWNLOAD_URL"

    async def test_client_refuses_bad_input_before_any_call(self, keys):
        calls: list[httpx.Request] = []
        transport = httpx.MockTransport(lambda request: calls.append(request) or httpx.Response(500))
        with pytest.raises(ValueError):
            make_client(keys, transport, apiv3_key=b"short")
        client = make_client(keys, transport)
        expire = datetime.now(UTC) + timedelta(minutes=15)
        good = {
            "out_trade_no": "CK2026A",
            "description": "体检费",
            "amount_fen": 1,
            "openid": "o1",
            "time_expire": expire,
        }
        for bad in (
            {"out_trade_no": "CK1"},  # shorter than 6
            {"out_trade_no": "CK2026/0001"},  # outside [A-Za-z0-9_-]
            {"amount_fen": 0},
            {"amount_fen": 1.5},
            {"time_expire": expire.replace(tzinfo=None)},
        ):
            with pytest.raises(ValueError):
                await client.prepay_jsapi(**{**good, **bad})
        with pytest.raises(ValueError):
            await client.refund(out_refund_no="RF1", amount_fen=2, total_fen=1, out_trade_no="CK2026A")
        assert calls == []


BILL = (
    "\ufeff交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,"
    "应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,"
    "手续费,费率,订单金额,申请退款金额,费率备注\r\n"
    "`2026-01-01 10:21:15,`wx8888888888888888,`1900000109,`0,`,`4200000985202601016014826014,`CK20260101A,"
    "`oUpF8u,`JSAPI,`SUCCESS,`OTHERS,`CNY,`1234.56,`0.00,`0,`0,`0.00,`0.00,`,`,`体检中心体检费,`,`7.41000,`0.60%,"
    "`1234.56,`0.00,`\r\n"
    "`2026-01-01 11:00:00,`wx8888888888888888,`1900000109,`0,`,`4200000985202601016014826015,`CK20260101B,"
    "`oUpF8v,`JSAPI,`SUCCESS,`OTHERS,`CNY,`19.99,`0.00,`0,`0,`0.00,`0.00,`,`,`体检中心体检费,`,`0.12000,`0.60%,"
    "`19.99,`0.00,`\r\n"
    "`2026-01-01 15:30:00,`wx8888888888888888,`1900000109,`0,`,`4200000985202601016014826014,`CK20260101A,"
    "`oUpF8u,`JSAPI,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`50300000012026010100000001,`RF20260101A,`0.07,`0.00,"
    "`ORIGINAL,`SUCCESS,`体检中心体检费,`,`0.00000,`0.60%,`0.00,`0.07,`\r\n"
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n"
    "`3,`1254.55,`0.07,`0.00,`7.53000,`1254.55,`0.07\r\n"
)


class TestTradeBill:
    def test_rows_and_summary_are_parsed_with_exact_fen(self):
        bill = parse_trade_bill(BILL, bill_date=date(2026, 1, 1))
        assert len(bill.rows) == 3
        first, second, refund = bill.rows
        assert first.trade_time == datetime(2026, 1, 1, 2, 21, 15, tzinfo=UTC)
        assert (first.out_trade_no, first.transaction_id, first.trade_state) == (
            "CK20260101A",
            "4200000985202601016014826014",
            "SUCCESS",
        )
        assert first.settlement_total_fen == 123456 and first.total_fen == 123456
        assert (
            first.description == "体检中心体检费"
            and first.fee_yuan == Decimal("7.41000")
            and first.fee_rate == "0.60%"
        )
        assert second.total_fen == 1999  # float(19.99) * 100 would give 1998.99…
        assert refund.is_refund and refund.refund_fen == 7 and refund.requested_refund_fen == 7
        assert refund.out_refund_no == "RF20260101A" and refund.settlement_total_fen == 0
        assert bill.summary.count == 3
        assert bill.summary.settlement_total_fen == 125455 and bill.summary.refund_total_fen == 7
        assert bill.summary.fee_total_yuan == Decimal("7.53")

    def test_yuan_to_fen_is_exact_and_refuses_sub_fen(self):
        assert yuan_to_fen("0.07") == 7
        assert yuan_to_fen("19.99") == 1999
        assert yuan_to_fen("1234.5") == 123450
        assert yuan_to_fen("0") == 0
        with pytest.raises(TradeBillFormatError):
            yuan_to_fen("0.001")
        with pytest.raises(TradeBillFormatError):
            yuan_to_fen("abc")

    def test_field_without_backtick_is_a_bad_row_not_a_bad_bill(self):
        # One unreadable detail row is a row-level difference; the other rows still count.
        bill = parse_trade_bill(BILL.replace("`19.99,`0.00,`0,", "19.99,`0.00,`0,", 1))
        assert [(r.out_trade_no, r.trade_state) for r in bill.rows] == [
            ("CK20260101A", "SUCCESS"), ("CK20260101A", "REFUND")]
        assert [(b.line_no, "backtick" in b.error) for b in bill.bad_rows] == [(3, True)]
        assert "CK20260101B" in bill.bad_rows[0].text
        # the summary is file-level: without its backticks the bill is refused
        with pytest.raises(TradeBillFormatError, match="backtick"):
            parse_trade_bill(BILL.replace("`3,`1254.55,", "3,`1254.55,"))

    def test_summary_that_does_not_add_up_is_refused(self):
        with pytest.raises(TradeBillFormatError, match="应结订单总金额"):
            parse_trade_bill(BILL.replace("`3,`1254.55,", "`3,`1254.56,"))
        with pytest.raises(TradeBillFormatError, match="rows"):
            parse_trade_bill(BILL.replace("`3,`1254.55,", "`4,`1254.55,"))

    def test_missing_summary_is_refused(self):
        with pytest.raises(TradeBillFormatError, match="summary"):
            parse_trade_bill(BILL.split("总交易单数")[0])


class TestSandboxKeys:
    def test_keys_are_generated_once_marked_and_reloaded(self, tmp_path):
        first = ensure_sandbox_keys(tmp_path / "keys")
        second = ensure_sandbox_keys(tmp_path / "keys")
        assert first == second
        assert first.platform_public_key_id.startswith("PUB_KEY_ID_0123")
        assert len(first.apiv3_key) == 32 and first.apiv3_key.startswith(b"sandbox-test-")
        files = sorted(p.name for p in (tmp_path / "keys").iterdir() if not p.name.startswith("."))
        assert files and all(name.startswith("sandbox-test-") for name in files)
        private_file = first.merchant_private_key_path
        assert private_file is not None and (private_file.stat().st_mode & 0o077) == 0
        assert private_file.read_bytes().startswith(b"# SANDBOX TEST KEYS")
        assert (tmp_path / "keys" / ".gitignore").read_text().splitlines()[-1] == "*"
        # The file as the app's settings would read it loads in the client (header line tolerated).
        key = pay_crypto.load_private_key(private_file.read_bytes())
        assert key.key_size == 2048

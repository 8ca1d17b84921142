"""WeChat Pay as merchants really have it: platform-certificate mode, the switch-over period (either key
signs), and the service-provider (partner) API family — our client against the sandbox over HTTP,
cross-checked with wechatpayv3 where it helps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from wechatpayv3 import WeChatPay, WeChatPayType

from checkup.integrations.wechat.pay import TradeState, WechatPayRejectedError, WechatPayUnknownError
from checkup.integrations.wechat.pay.crypto import decrypt_resource
from checkup.sandbox.wechatpay import SandboxKeys, generate_sandbox_keys
from support.wechatpay import APPID, MCHID, World, wechatpay_world

SP_APPID = "wx00000000000000sp"
SUB_MCHID = "1900000209"
CERT_ONLY = {"wechatpay_public_key_pem": None, "wechatpay_public_key_id": None, "platform_certificates": True}


@pytest.fixture(scope="module")
def keys() -> SandboxKeys:
    return generate_sandbox_keys()


def expire_in(minutes: int = 15) -> datetime:
    return datetime.now(UTC) + timedelta(minutes=minutes)


async def prepay(world: World, out_trade_no: str, amount_fen: int = 39900, openid: str = "o-patient-1") -> str:
    return await world.client.prepay_jsapi(
        out_trade_no=out_trade_no, description="体检中心体检费", amount_fen=amount_fen, openid=openid,
        time_expire=expire_in(),
    )


class TestCertificateMode:
    async def test_merchant_without_public_key_downloads_decrypts_and_uses_certificates(self, keys):
        async with wechatpay_world(keys, signing="certificate", client_options=CERT_ONLY) as world:
            assert world.client.verification.keys() == {}
            await prepay(world, "CM20260101CERT1")  # first call fetches /v3/certificates
            serials = set(world.client.verification.keys())
            assert serials == {keys.certificate_serial}
            await world.control("pay", {"payment_no": "CM20260101CERT1", "wait": True})
            await world.receiver.wait_for(lambda r: len(r.of("TRANSACTION.SUCCESS")) == 1)
            headers = world.receiver.raw[-1][0]
            assert headers["wechatpay-serial"] == keys.certificate_serial  # the certificate signed it
            assert world.receiver.errors == []
            txn = await world.client.query_by_out_trade_no("CM20260101CERT1")
            assert txn.trade_state == TradeState.SUCCESS

    async def test_certificates_answer_is_encrypted_with_the_apiv3_key(self, keys):
        async with wechatpay_world(keys, signing="certificate", client_options=CERT_ONLY) as world:
            await world.client.ensure_certificates()
            response = await world.client._send("GET", world.wechatpay_url + "/v3/certificates", body=b"")
            item = response.json()["data"][0]
            assert item["serial_no"] == keys.certificate_serial
            sealed = item["encrypt_certificate"]
            assert sealed["algorithm"] == "AEAD_AES_256_GCM" and sealed["associated_data"] == "certificate"
            assert b"BEGIN CERTIFICATE" not in response.content  # never in clear
            pem = decrypt_resource(apiv3_key=keys.apiv3_key, nonce=sealed["nonce"],
                                   associated_data="certificate", ciphertext=sealed["ciphertext"])
            assert pem == keys.certificate_pem

    async def test_rotated_certificate_is_fetched_when_its_serial_appears(self, keys):
        async with wechatpay_world(keys, signing="certificate", client_options=CERT_ONLY) as world:
            await prepay(world, "CM20260101ROT01")
            rotated = await world.control("wechatpay/rotate-certificate")
            assert rotated["current"] != keys.certificate_serial
            txn = await world.client.query_by_out_trade_no("CM20260101ROT01")  # signed by the new one
            assert txn.trade_state == TradeState.NOTPAY
            assert rotated["current"] in world.client.verification.keys()

    async def test_certificates_are_refreshed_before_they_are_due(self, keys):
        async with wechatpay_world(keys, signing="certificate", client_options=CERT_ONLY) as world:
            await prepay(world, "CM20260101REF01")
            first = world.client.verification.fetched_at
            assert first is not None
            await world.client.query_by_out_trade_no("CM20260101REF01")
            assert world.client.verification.fetched_at == first  # cached, not fetched per call
            world.client.verification.fetched_at = first - timedelta(hours=13)  # as if fetched yesterday
            await world.client.query_by_out_trade_no("CM20260101REF01")
            assert world.client.verification.fetched_at > first  # fetched again before using them

    async def test_certificate_near_expiry_needs_refresh(self, keys):
        async with wechatpay_world(keys, signing="certificate", client_options=CERT_ONLY) as world:
            await world.client.ensure_certificates()
            cert = next(iter(world.client.verification.certificates.values()))
            assert not world.client.verification.needs_refresh(datetime.now(UTC))
            assert world.client.verification.needs_refresh(cert.not_after - timedelta(hours=2))

    async def test_public_key_merchant_has_no_certificates_to_download(self, keys):
        async with wechatpay_world(keys, client_options={"platform_certificates": True}) as world:
            with pytest.raises(WechatPayRejectedError) as info:
                await world.client.refresh_certificates()
            assert info.value.code == "RESOURCE_NOT_EXISTS"

    async def test_wechatpayv3_in_certificate_mode_accepts_the_sandbox(self, keys):
        async with wechatpay_world(keys, url_prefix="", signing="certificate", client_options=CERT_ONLY) as world:
            wxpay = WeChatPay(
                wechatpay_type=WeChatPayType.MINIPROG, mchid=MCHID, private_key=keys.merchant_private_key_pem.decode(),
                cert_serial_no=keys.merchant_serial_no, appid=APPID, apiv3_key=keys.apiv3_key.decode(),
                notify_url=f"{world.base_url}/notify/payment",
                public_key=keys.platform_public_key_pem.decode(), public_key_id=keys.platform_public_key_id,
            )
            # Switch the oracle to certificate mode against the sandbox (its gateway is hard-coded).
            core = wxpay._core
            core._gate_way, core._public_key, core._public_key_id = world.base_url, None, None
            await _in_thread(core._update_certificates)
            assert [format(c.serial_number, "X") for c in core._certificates] == [keys.certificate_serial]
            await prepay(world, "CM20260101V3C01")
            await world.control("pay", {"payment_no": "CM20260101V3C01", "wait": True})
            headers, body = world.receiver.raw[-1]
            theirs = core.callback(headers, body)
            assert theirs is not None and theirs["resource"]["out_trade_no"] == "CM20260101V3C01"


async def _in_thread(fn):
    import asyncio

    return await asyncio.to_thread(fn)


class TestMixedSigning:
    async def test_either_key_verifies_through_the_serial_map(self, keys):
        mixed = {"platform_certificates": True}  # the public key and the certificates
        async with wechatpay_world(keys, signing="mixed", retry_scale=0.001, client_options=mixed) as world:
            for i in range(12):
                no = f"MX20260101MIX{i:02d}"
                await prepay(world, no)
                await world.client.query_by_out_trade_no(no)
                await world.control("pay", {"payment_no": no, "wait": True})
            await world.receiver.wait_for(lambda r: len(r.of("TRANSACTION.SUCCESS")) == 12)
            serials = {headers["wechatpay-serial"] for headers, _ in world.receiver.raw}
            assert serials == {keys.platform_public_key_id, keys.certificate_serial}  # both were used
            assert world.receiver.errors == []

    async def test_public_key_only_client_refuses_certificate_signed_answers(self, keys):
        # What the issue saw: during the switch-over a public-key-only merchant refuses part of them.
        async with wechatpay_world(keys, signing="mixed", retry_scale=0.001) as world:
            codes = set()
            for i in range(12):
                try:
                    await prepay(world, f"MX20260101PK{i:02d}")
                except WechatPayUnknownError as exc:
                    codes.add(exc.code)
            assert codes == {"RESPONSE_UNVERIFIED"}


class TestPartnerMode:
    PARTNER = {"sub_mchid": SUB_MCHID, "sp_appid": SP_APPID}

    @pytest.fixture
    async def world(self, keys):
        async with wechatpay_world(keys, sp_appid=SP_APPID, sub_mchid=SUB_MCHID, refund_delay=0.01,
                                   client_options=self.PARTNER) as w:
            yield w

    async def test_order_pay_query_close_refund_and_bill(self, world: World):
        await prepay(world, "SP20260101PAY01", amount_fen=500)
        order = await world.control("GET wechatpay/orders/SP20260101PAY01")
        assert order["order"]["sub_mchid"] == SUB_MCHID and order["order"]["mchid"] == MCHID
        paid = await world.control("pay", {"payment_no": "SP20260101PAY01", "wait": True})
        await world.receiver.wait_for(lambda r: len(r.of("TRANSACTION.SUCCESS")) == 1)
        note = world.receiver.of("TRANSACTION.SUCCESS")[0]
        assert note.resource["sp_mchid"] == MCHID and note.resource["sub_mchid"] == SUB_MCHID
        assert note.resource["payer"] == {"sub_openid": "o-patient-1"}
        txn = note.transaction()
        assert (txn.appid, txn.mchid, txn.sub_mchid, txn.payer_openid) == (APPID, MCHID, SUB_MCHID, "o-patient-1")

        by_no = await world.client.query_by_out_trade_no("SP20260101PAY01")
        by_id = await world.client.query_by_transaction_id(paid["transaction_id"])
        assert by_no.trade_state == by_id.trade_state == TradeState.SUCCESS
        assert by_no.raw["sp_appid"] == SP_APPID and by_no.sub_mchid == SUB_MCHID

        await prepay(world, "SP20260101CLS01")
        await world.client.close("SP20260101CLS01")
        assert (await world.client.query_by_out_trade_no("SP20260101CLS01")).trade_state == TradeState.CLOSED

        refund = await world.client.refund(out_refund_no="SPRF20260101A", amount_fen=200, total_fen=500,
                                           out_trade_no="SP20260101PAY01")
        assert refund.refund_fen == 200
        await world.receiver.wait_for(lambda r: len(r.of("REFUND.SUCCESS")) == 1)
        assert world.receiver.of("REFUND.SUCCESS")[0].resource["sub_mchid"] == SUB_MCHID
        assert (await world.client.query_refund("SPRF20260101A")).status == "SUCCESS"

        bill = await world.client.download_trade_bill(datetime.now(UTC).astimezone(_cst()).date())
        rows = {(r.out_trade_no, r.trade_state) for r in bill.rows}
        assert rows == {("SP20260101PAY01", "SUCCESS"), ("SP20260101PAY01", "REFUND")}
        assert {(r.appid, r.mchid, r.sub_mchid) for r in bill.rows} == {(SP_APPID, MCHID, SUB_MCHID)}

    async def test_partner_requests_go_to_the_partner_paths(self, world: World):
        sent: list[tuple[str, str, bytes]] = []
        original = world.client._send

        async def spy(method, url, *, body):
            sent.append((method, url, body))
            return await original(method, url, body=body)

        world.client._send = spy
        await prepay(world, "SP20260101PTH01")
        await world.client.query_by_out_trade_no("SP20260101PTH01")
        await world.client.close("SP20260101PTH01")
        paths = [(m, u.removeprefix(world.wechatpay_url)) for m, u, _ in sent]
        assert paths == [
            ("POST", "/v3/pay/partner/transactions/jsapi"),
            ("GET", f"/v3/pay/partner/transactions/out-trade-no/SP20260101PTH01?sp_mchid={MCHID}&sub_mchid={SUB_MCHID}"),
            ("POST", "/v3/pay/partner/transactions/out-trade-no/SP20260101PTH01/close"),
        ]
        order_body = json.loads(sent[0][2])
        assert {k: order_body[k] for k in ("sp_appid", "sp_mchid", "sub_appid", "sub_mchid")} == {
            "sp_appid": SP_APPID, "sp_mchid": MCHID, "sub_appid": APPID, "sub_mchid": SUB_MCHID}
        assert order_body["payer"] == {"sub_openid": "o-patient-1"} and "appid" not in order_body
        assert json.loads(sent[2][2]) == {"sp_mchid": MCHID, "sub_mchid": SUB_MCHID}

    async def test_sandbox_refuses_wrong_sub_merchant_and_refund_without_it(self, world: World, keys):
        from support.wechatpay import make_client

        other = make_client(keys, base_url=world.wechatpay_url, notify_base=world.base_url,
                            sub_mchid="1900000999", sp_appid=SP_APPID)
        direct = make_client(keys, base_url=world.wechatpay_url, notify_base=world.base_url)
        try:
            with pytest.raises(WechatPayRejectedError) as info:
                await other.prepay_jsapi(out_trade_no="SP20260101BAD01", description="体检费", amount_fen=1,
                                         openid="o-1", time_expire=expire_in())
            assert info.value.code == "MCH_NOT_EXISTS"
            await prepay(world, "SP20260101BAD02", amount_fen=100)
            await world.control("pay", {"payment_no": "SP20260101BAD02", "wait": True})
            with pytest.raises(WechatPayRejectedError):
                await direct.refund(out_refund_no="SPRF20260101X", amount_fen=1, total_fen=100,
                                    out_trade_no="SP20260101BAD02")
            with pytest.raises(WechatPayRejectedError):  # a partner order is not the provider's own
                await direct.query_by_out_trade_no("SP20260101BAD02")
        finally:
            await other.aclose()
            await direct.aclose()


async def test_sandbox_refuses_http_notify_url_when_required(keys):
    async with wechatpay_world(keys, require_https_notify=True) as world:
        with pytest.raises(WechatPayRejectedError) as info:
            await prepay(world, "HT20260101HTTP1")
        assert info.value.code == "PARAM_ERROR" and "https" in info.value.message
    async with wechatpay_world(keys) as world:  # the local default: http notify_url accepted
        assert await prepay(world, "HT20260101HTTP2")


def _cst():
    from checkup.sandbox.wechatpay.service import CST

    return CST


class TestSettings:
    """The product's settings configure each mode (deploy/env/checkup.env.example documents them)."""

    @staticmethod
    def settings(keys: SandboxKeys, url: str, **overrides):
        from checkup.config import Settings

        values = dict(
            env="dev", sandbox=False, wechatpay_url=url, wechat_appid=APPID, wechatpay_mchid=MCHID,
            wechatpay_private_key_path=keys.merchant_private_key_path, wechatpay_serial_no=keys.merchant_serial_no,
            wechatpay_apiv3_key=keys.apiv3_key.decode(), his_url="http://127.0.0.1:9/his",
            peis_url="http://127.0.0.1:9/peis",
        )
        values.update(overrides)
        return Settings(**values)

    async def test_certificate_mode_merchant_is_configured_without_a_public_key(self, tmp_path):
        from checkup.bootstrap.wechatpay import build_wechatpay_client, load_keys
        from checkup.sandbox.wechatpay.keys import ensure_sandbox_keys

        keys = ensure_sandbox_keys(tmp_path)
        async with wechatpay_world(keys, signing="certificate") as world:
            settings = self.settings(keys, world.wechatpay_url, wechatpay_key_mode="certificate")
            loaded = load_keys(settings)
            assert loaded.public_key_pem is None and loaded.public_key_id is None
            client = build_wechatpay_client(settings, loaded)
            try:
                await client.prepay_jsapi(out_trade_no="ST20260101CERT1", description="体检费", amount_fen=100,
                                          openid="o-1", time_expire=expire_in())
                assert (await client.query_by_out_trade_no("ST20260101CERT1")).trade_state == TradeState.NOTPAY
                assert set(client.verification.keys()) == {keys.certificate_serial}
            finally:
                await client.aclose()
            # public_key and mixed modes still need the public key and its id
            with pytest.raises(ValueError, match="CHECKUP_WECHATPAY_PUBLIC_KEY_PATH"):
                load_keys(self.settings(keys, world.wechatpay_url, wechatpay_key_mode="mixed"))

    async def test_mixed_mode_holds_both_keys(self, tmp_path):
        from checkup.bootstrap.wechatpay import build_wechatpay_client, load_keys
        from checkup.sandbox.wechatpay.keys import ensure_sandbox_keys

        keys = ensure_sandbox_keys(tmp_path)
        async with wechatpay_world(keys, signing="mixed") as world:
            settings = self.settings(keys, world.wechatpay_url, wechatpay_key_mode="mixed",
                                     wechatpay_public_key_path=keys.platform_public_key_path,
                                     wechatpay_public_key_id=keys.platform_public_key_id)
            client = build_wechatpay_client(settings, load_keys(settings))
            try:
                for i in range(6):
                    await client.prepay_jsapi(out_trade_no=f"ST20260101MIX{i}", description="体检费", amount_fen=100,
                                              openid="o-1", time_expire=expire_in())
                assert set(client.verification.keys()) == {keys.certificate_serial, keys.platform_public_key_id}
            finally:
                await client.aclose()

    async def test_partner_mode_from_settings(self, tmp_path):
        from pydantic import ValidationError

        from checkup.bootstrap.wechatpay import build_wechatpay_client, load_keys
        from checkup.sandbox.wechatpay.keys import ensure_sandbox_keys

        keys = ensure_sandbox_keys(tmp_path)
        async with wechatpay_world(keys, sp_appid=SP_APPID, sub_mchid=SUB_MCHID) as world:
            settings = self.settings(keys, world.wechatpay_url, wechatpay_sub_mchid=SUB_MCHID,
                                     wechatpay_sp_appid=SP_APPID,
                                     wechatpay_public_key_path=keys.platform_public_key_path,
                                     wechatpay_public_key_id=keys.platform_public_key_id)
            client = build_wechatpay_client(settings, load_keys(settings))
            try:
                assert client.partner
                await client.prepay_jsapi(out_trade_no="ST20260101SP01", description="体检费", amount_fen=100,
                                          openid="o-1", time_expire=expire_in())
                txn = await client.query_by_out_trade_no("ST20260101SP01")
                assert (txn.sub_mchid, txn.mchid, txn.appid) == (SUB_MCHID, MCHID, APPID)
            finally:
                await client.aclose()
            with pytest.raises(ValidationError, match="SP_APPID"):
                self.settings(keys, world.wechatpay_url, wechatpay_sub_mchid=SUB_MCHID)
            assert self.settings(keys, world.wechatpay_url, wechatpay_sub_mchid="", wechatpay_sp_appid="") \
                .wechatpay_sub_mchid is None  # empty in the env file = direct merchant


async def test_sandbox_partner_api_accepts_wechatpayv3_in_partner_mode(keys):
    """wechatpayv3's partner mode (an independent implementation of the same documented API) against the
    sandbox: its paths, bodies and sub_mchid parameters are accepted, and it verifies every answer."""
    import asyncio

    async with wechatpay_world(keys, url_prefix="", sp_appid=SP_APPID, sub_mchid=SUB_MCHID,
                               refund_delay=0.01) as world:
        wxpay = WeChatPay(
            wechatpay_type=WeChatPayType.MINIPROG, mchid=MCHID, private_key=keys.merchant_private_key_pem.decode(),
            cert_serial_no=keys.merchant_serial_no, appid=SP_APPID, apiv3_key=keys.apiv3_key.decode(),
            notify_url=f"{world.base_url}/notify/payment", partner_mode=True,
            public_key=keys.platform_public_key_pem.decode(), public_key_id=keys.platform_public_key_id,
        )
        wxpay._core._gate_way = world.base_url

        def call(fn, **kwargs):
            return asyncio.to_thread(fn, **kwargs)

        code, text = await call(wxpay.pay, description="体检中心体检费", out_trade_no="V3SP20260101001",
                                amount={"total": 300, "currency": "CNY"}, payer={"sub_openid": "o-sub-1"},
                                sub_mchid=SUB_MCHID, sub_appid=APPID, time_expire=expire_in().isoformat())
        assert code == 200, text
        code, text = await call(wxpay.query, out_trade_no="V3SP20260101001", sub_mchid=SUB_MCHID)
        assert code == 200 and json.loads(text)["sub_mchid"] == SUB_MCHID, text
        await world.control("pay", {"payment_no": "V3SP20260101001", "wait": True})
        code, text = await call(wxpay.refund, out_refund_no="V3SPRF001", amount={"refund": 100, "total": 300,
                                "currency": "CNY"}, out_trade_no="V3SP20260101001", sub_mchid=SUB_MCHID)
        assert code == 200, text
        code, text = await call(wxpay.query_refund, out_refund_no="V3SPRF001", sub_mchid=SUB_MCHID)
        assert code == 200 and json.loads(text)["out_refund_no"] == "V3SPRF001", text
        code, text = await call(wxpay.pay, description="体检费", out_trade_no="V3SP20260101002",
                                amount={"total": 1, "currency": "CNY"}, payer={"sub_openid": "o-sub-1"},
                                sub_mchid=SUB_MCHID, sub_appid=APPID)
        assert code == 200, text
        code, text = await call(wxpay.close, out_trade_no="V3SP20260101002", sub_mchid=SUB_MCHID)
        assert code == 204, text
        today = datetime.now(UTC).astimezone(_cst()).date().isoformat()
        code, text = await call(wxpay.trade_bill, bill_date=today, sub_mchid=SUB_MCHID)
        assert code == 200 and json.loads(text)["hash_type"] == "SHA1", text
        # the wrong sub-merchant is refused by the sandbox
        code, text = await call(wxpay.query, out_trade_no="V3SP20260101001", sub_mchid="1900000999")
        assert code == 400 and json.loads(text)["code"] == "PARAM_ERROR", text


def test_sandbox_https_notify_defaults_on_outside_dev(tmp_path):
    import secrets

    from checkup.app import wechatpay_sandbox_config
    from checkup.config import Settings
    from checkup.sandbox.wechatpay.keys import ensure_sandbox_keys

    keys = ensure_sandbox_keys(tmp_path)
    dev = Settings(env="dev")
    assert dev.sandbox_wechatpay_https_notify is False  # tests and `make run` over plain http
    assert wechatpay_sandbox_config(dev, keys).require_https_notify is False
    assert wechatpay_sandbox_config(Settings(env="dev", sandbox_wechatpay_https_notify=True), keys).require_https_notify
    secret = lambda: secrets.token_urlsafe(32)  # noqa: E731
    prod = Settings(env="prod", sandbox=False, db_url="mysql://u:p@h/db", his_url="https://his", peis_url="https://peis",
                    secret_key=secret(), pii_key=secret(), his_secret=secret(), peis_secret=secret(),
                    audit_key=secret(), wechat_secret=secret(), wechatpay_apiv3_key=secrets.token_hex(16),
                    wechatpay_private_key_path=keys.merchant_private_key_path, wechat_appid="wx1234567890abcdef",
                    wechatpay_mchid="1612345678", sms_secret_id="AKID" + secrets.token_hex(16),
                    sms_secret_key=secret())
    assert prod.sandbox_wechatpay_https_notify is True  # outside dev: as WeChat
    assert wechatpay_sandbox_config(prod, keys).require_https_notify is True

"""TencentSmsSender against the sandbox SMS service over real HTTP: TC3 signing, refusals, what was sent."""

from __future__ import annotations

import time

import httpx
import pytest

from checkup.integrations.result import Outcome
from checkup.integrations.sms.tencent import TencentSmsSender, tc3_authorization
from support.sandbox import RunningSandbox, running_sandbox
from support.server import free_port


@pytest.fixture
async def sandbox():
    async with running_sandbox() as sb:
        yield sb


def sender(sandbox: RunningSandbox, **overrides) -> TencentSmsSender:
    config = sandbox.config
    values = dict(base_url=f"{sandbox.base_url}/sandbox/sms", secret_id=config.sms_secret_id,
                  secret_key=config.sms_secret_key, sdk_app_id=config.sms_sdk_app_id, sign_name=config.sms_sign_name,
                  template_id=config.sms_template_id, timeout=5.0)
    values.update(overrides)
    return TencentSmsSender(**values)


async def texts(sandbox: RunningSandbox, phone: str | None = None) -> list[dict]:
    return (await sandbox.control("GET sms/messages" + (f"?phone={phone}" if phone else "")))["items"]


def test_tc3_header_names_the_scope_of_the_timestamps_utc_day():
    # The inputs of the worked example of Tencent Cloud's "签名方法 v3" page (CVM DescribeInstances); the
    # signature itself is checked by the sandbox's own implementation in the tests below.
    payload = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    header = tc3_authorization(secret_id="AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
                               secret_key="Gu5t9xGARNpq86cd98joQYCN3*******", host="cvm.tencentcloudapi.com",
                               payload=payload, timestamp=1551113065, action="DescribeInstances", service="cvm")
    assert header.startswith("TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/"
                             "tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=")
    assert len(header.rsplit("=", 1)[1]) == 64


async def test_code_is_delivered_and_kept_newest_first(sandbox):
    client = sender(sandbox)
    try:
        first = await client.send_code(phone="13812345678", code="123456", minutes=5)
        second = await client.send_code(phone="13812345678", code="654321", minutes=5)
        other = await client.send_code(phone="13987654321", code="111111", minutes=5)
    finally:
        await client.aclose()
    assert first.ok and second.ok and other.ok and first.value.serial_no != second.value.serial_no
    mine = await texts(sandbox, "13812345678")
    assert [t["code"] for t in mine] == ["654321", "123456"]
    assert mine[0]["phone"] == "13812345678" and mine[0]["sent_at"]
    assert mine[0]["text"].startswith("【体检中心】") and "654321" in mine[0]["text"] and "5分钟" in mine[0]["text"]
    assert len(await texts(sandbox)) == 3
    bad = await sandbox.http.get("/sandbox/control/sms/messages", params={"phone": "abc"})
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"secret_key": "sandbox-test-wrong-key"}, "AuthFailure.SignatureFailure"),
        ({"secret_id": "unknown-id"}, "AuthFailure.SecretIdNotFound"),
        ({"clock": lambda: time.time() - 3600}, "AuthFailure.SignatureExpire"),
        ({"sdk_app_id": "1400999999"}, "InvalidParameterValue.SdkAppIdNotExist"),
        ({"sign_name": "别的医院"}, "FailedOperation.SignatureIncorrectOrUnapproved"),
        ({"template_id": "999"}, "FailedOperation.TemplateIncorrectOrUnapproved"),
    ],
)
async def test_refusals_are_definite_and_send_nothing(sandbox, overrides, code):
    client = sender(sandbox, **overrides)
    try:
        result = await client.send_code(phone="13812345678", code="123456", minutes=5)
    finally:
        await client.aclose()
    assert result.outcome is Outcome.FAILED and result.code == code
    assert await texts(sandbox) == []


async def test_a_tampered_body_fails_the_signature(sandbox):
    config = sandbox.config
    host = sandbox.base_url.split("//", 1)[1]
    body = b'{"PhoneNumberSet":["+8613812345678"],"SmsSdkAppId":"%s","SignName":"%s","TemplateId":"%s",' \
           b'"TemplateParamSet":["123456","5"]}' % (config.sms_sdk_app_id.encode(), config.sms_sign_name.encode(),
                                                    config.sms_template_id.encode())
    now = int(time.time())
    auth = tc3_authorization(secret_id=config.sms_secret_id, secret_key=config.sms_secret_key, host=host,
                             payload=body, timestamp=now)
    headers = {"Authorization": auth, "Content-Type": "application/json; charset=utf-8", "X-TC-Action": "SendSms",
               "X-TC-Timestamp": str(now), "X-TC-Version": "2021-01-11", "X-TC-Region": "ap-guangzhou"}
    tampered = body.replace(b"13812345678", b"13800000000")
    r = await sandbox.http.post("/sandbox/sms", content=tampered, headers=headers)
    assert r.json()["Response"]["Error"]["Code"] == "AuthFailure.SignatureFailure"
    ok = await sandbox.http.post("/sandbox/sms", content=body, headers=headers)
    assert ok.json()["Response"]["SendStatusSet"][0]["Code"] == "Ok"
    assert [t["phone"] for t in await texts(sandbox)] == ["13812345678"]


async def test_unreachable_service_is_unknown():
    client = TencentSmsSender(base_url=f"http://127.0.0.1:{free_port()}", secret_id="x", secret_key="y",
                              sdk_app_id="1", sign_name="s", template_id="t", timeout=1.0,
                              client=httpx.AsyncClient(timeout=1.0))
    try:
        result = await client.send_code(phone="13812345678", code="123456", minutes=5)
    finally:
        await client.aclose()
    assert result.outcome is Outcome.UNKNOWN

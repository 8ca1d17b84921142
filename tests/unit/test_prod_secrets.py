"""Production refuses weak secrets: example values, short or low-entropy values, one value for two
purposes, and the sandbox's keys; a real start (`checkup serve`) stops with the reason."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

from checkup.config import Settings, secret_weakness


def strong() -> str:
    return secrets.token_urlsafe(32)


def prod(**overrides) -> dict:
    values = dict(
        env="prod", db_url="mysql://u:p@h/db", his_url="https://his", peis_url="https://peis",
        secret_key=strong(), pii_key=strong(), audit_key=strong(), his_secret=strong(), peis_secret=strong(),
        wechat_secret=secrets.token_hex(16), wechatpay_apiv3_key=secrets.token_urlsafe(24)[:32],
        wechatpay_private_key_path="/etc/checkup/apiclient_key.pem",
        wechat_appid="wx1234567890abcdef", wechatpay_mchid="1612345678",
        sms_secret_id="AKID" + secrets.token_hex(16), sms_secret_key=strong(),
    )
    values.update(overrides)
    return values


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for key in list(os.environ):
        if key.startswith("CHECKUP_"):
            monkeypatch.delenv(key)


def test_strong_distinct_secrets_start():
    assert Settings(**prod()).sandbox is False


def test_production_logs_an_answer_outside_its_model_instead_of_refusing_it():
    assert Settings(**prod()).response_check == "log"  # CHECKUP_RESPONSE_CHECK (api/routing.py check_response)
    assert Settings(**prod(response_check="strict")).response_check == "strict"


WEAK = {
    "shipped example": "CHANGE-ME-at-least-32-random-characters",
    "example word": "example-" + secrets.token_hex(16),
    "placeholder word": secrets.token_hex(16) + "PLACEHOLDER",
    "one character": "x",
    "short": secrets.token_hex(8),
    "forty of one letter": "x" * 40,
    "two letters repeated": "ab" * 20,
    "sandbox test key": "sandbox-test-" + secrets.token_hex(16),
}


@pytest.mark.parametrize("name", ["secret_key", "pii_key", "audit_key", "his_secret", "peis_secret",
                                  "wechat_secret", "wechatpay_apiv3_key", "sms_secret_key"])
@pytest.mark.parametrize("kind", sorted(WEAK))
def test_each_weak_secret_is_refused(name, kind):
    with pytest.raises(ValueError, match=f"CHECKUP_{name.upper()} is"):
        Settings(**prod(**{name: WEAK[kind]}))


@pytest.mark.parametrize("first,second", [("secret_key", "pii_key"), ("pii_key", "audit_key"),
                                          ("his_secret", "peis_secret"), ("secret_key", "metrics_token")])
def test_one_value_for_two_purposes_is_refused(first, second):
    value = strong()
    with pytest.raises(ValueError, match="have the same value"):
        Settings(**prod(**{first: value, second: value}))


def test_the_pii_hash_key_may_be_the_pii_key_material():
    value = strong()
    assert Settings(**prod(pii_key=value, pii_hash_key=value)).pii_hash_key == value


def test_sandbox_defaults_and_sandbox_key_files_are_refused():
    defaults = prod()
    for name in ("secret_key", "pii_key", "audit_key", "his_secret"):
        del defaults[name]
    with pytest.raises(ValueError) as refused:
        Settings(**defaults)
    for name in ("SECRET_KEY", "PII_KEY", "AUDIT_KEY", "HIS_SECRET"):
        assert f"CHECKUP_{name} is a sandbox test value" in str(refused.value)
    with pytest.raises(ValueError, match="sandbox's generated keys"):
        Settings(**prod(wechatpay_private_key_path="/var/lib/checkup/sandbox-keys/merchant_key.pem"))


def test_secret_weakness_accepts_random_hex_of_32():
    assert all(secret_weakness(secrets.token_hex(16)) is None for _ in range(200))


@pytest.mark.parametrize("kind", ["shipped example", "forty of one letter", "one character"])
def test_a_production_start_stops_with_the_reason(kind, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHECKUP_")}
    env.update({f"CHECKUP_{k.upper()}": str(v) for k, v in prod().items()})
    env["CHECKUP_HIS_SECRET"] = WEAK[kind]
    env["CHECKUP_VAR_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "checkup.cli", "serve"], env=env, capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert done.returncode != 0
    assert "unsafe production settings" in done.stderr and "CHECKUP_HIS_SECRET is" in done.stderr, done.stderr
    assert len(WEAK[kind]) < 8 or WEAK[kind] not in done.stderr  # the reason, never the secret


def test_the_sandbox_sms_account_is_refused():
    """Verification codes of 就诊人 go out through the hospital's own SMS account, never the sandbox's."""
    with pytest.raises(ValueError, match="CHECKUP_SMS_SECRET_ID"):
        Settings(**prod(sms_secret_id="sandbox-test-sms-secret-id"))
    with pytest.raises(ValueError, match="CHECKUP_SMS_SECRET_KEY"):
        Settings(**{k: v for k, v in prod().items() if k != "sms_secret_key"})

"""Tokens, personal data encryption and production settings."""

import secrets
from datetime import UTC, datetime, timedelta

import pytest

from checkup.config import Settings
from checkup.domain.errors import TokenExpired, Unauthorized
from checkup.pii import PiiCipher
from checkup.services.tokens import TokenSigner

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_token_round_trip_and_expiry():
    signer = TokenSigner("k" * 32)
    token = signer.issue(kind="patient", subject="42", ttl=60, now=NOW)
    assert signer.verify(token, kind="patient", now=NOW).subject == "42"
    with pytest.raises(TokenExpired):
        signer.verify(token, kind="patient", now=NOW + timedelta(seconds=61))
    with pytest.raises(Unauthorized):
        signer.verify(token, kind="staff", now=NOW)


def test_token_forgeries_refused():
    signer = TokenSigner("k" * 32)
    token = signer.issue(kind="patient", subject="42", ttl=60, now=NOW)
    body, sig = token.split(".")
    other = TokenSigner("other").issue(kind="patient", subject="43", ttl=60, now=NOW)
    for forged in (other, body + "." + sig[:-2] + "AA", other.split(".")[0] + "." + sig, "garbage", ""):
        with pytest.raises(Unauthorized):
            signer.verify(forged, kind="patient", now=NOW)


def test_pii_encryption():
    cipher = PiiCipher(key_material="material-1", key_id="k1")
    sealed = cipher.encrypt("110101199001011234")
    assert "1101011990" not in sealed and sealed.startswith("k1:")
    assert cipher.decrypt(sealed) == "110101199001011234"
    assert cipher.encrypt("x") != cipher.encrypt("x")  # random nonce
    assert cipher.lookup_hash("x") == cipher.lookup_hash("x")
    assert PiiCipher(key_material="material-2", key_id="k1").lookup_hash("x") != cipher.lookup_hash("x")
    with pytest.raises(Exception):  # noqa: B017 - authentication failure of AES-GCM
        PiiCipher(key_material="material-2", key_id="k1").decrypt(sealed)


def test_production_refuses_unsafe_settings(monkeypatch):
    for key in list(__import__("os").environ):
        if key.startswith("CHECKUP_"):
            monkeypatch.delenv(key)
    with pytest.raises(ValueError, match="CHECKUP_SANDBOX must be off"):
        Settings(env="prod", sandbox=True, db_url="mysql://u:p@h/db")
    with pytest.raises(ValueError, match="CHECKUP_DB_URL is required"):
        Settings(env="prod")
    with pytest.raises(ValueError, match="placeholder"):
        Settings(env="prod", db_url="mysql://u:p@h/db", his_url="https://his", peis_url="https://peis")
    good = Settings(
        env="prod", db_url="mysql://u:p@h/db", his_url="https://his", peis_url="https://peis",
        secret_key=secrets.token_urlsafe(32), pii_key=secrets.token_urlsafe(32), audit_key=secrets.token_urlsafe(32),
        his_secret=secrets.token_urlsafe(32), peis_secret=secrets.token_urlsafe(32), wechat_secret=secrets.token_hex(16),
        wechatpay_apiv3_key=secrets.token_hex(16), wechatpay_private_key_path="/etc/checkup/apiclient_key.pem",
        wechat_appid="wx1234567890abcdef", wechatpay_mchid="1612345678",
        sms_secret_id="AKID" + secrets.token_hex(16), sms_secret_key=secrets.token_urlsafe(32),
    )
    assert good.sandbox is False
    with pytest.raises(ValueError, match="sandbox values"):
        Settings(**{**good.model_dump(include={"env", "db_url", "his_url", "peis_url", "secret_key", "pii_key",
                                               "his_secret", "peis_secret", "wechat_secret", "wechatpay_apiv3_key",
                                               "audit_key",
                                               "wechatpay_private_key_path", "wechatpay_mchid"})})
    assert Settings(env="dev").sandbox is True

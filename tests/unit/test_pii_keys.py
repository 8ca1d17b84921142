"""The PII key ring: settings (old keys, hash key, production refusals) and compatibility with rows
written by the one-key cipher."""

from __future__ import annotations

import secrets

import pytest

from checkup.config import Settings
from checkup.pii import PiiCipher, PiiDecryptError, UnknownPiiKey, cipher_from_settings

OLD = "old-material-0123456789abcdef0123456789"
NEW = "new-material-0123456789abcdef0123456789"
PROD = dict(env="prod", db_url="mysql://u:p@h/db", his_url="https://his", peis_url="https://peis",
            secret_key=secrets.token_urlsafe(32), pii_key=NEW, audit_key=secrets.token_urlsafe(32),
            his_secret=secrets.token_urlsafe(32), peis_secret=secrets.token_urlsafe(32), wechat_secret=secrets.token_hex(16),
            wechatpay_apiv3_key=secrets.token_hex(16), wechatpay_private_key_path="/etc/checkup/apiclient_key.pem",
            wechat_appid="wx1234567890abcdef", wechatpay_mchid="1612345678",
            sms_secret_id="AKID" + secrets.token_hex(16), sms_secret_key=secrets.token_urlsafe(32))


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for key in list(__import__("os").environ):
        if key.startswith("CHECKUP_"):
            monkeypatch.delenv(key)


def test_rows_of_the_one_key_cipher_read_and_match_after_rotation():
    legacy = PiiCipher(key_material=OLD, key_id="k1")
    sealed, digest = legacy.encrypt("110101199001011234"), legacy.lookup_hash("110101199001011234")
    for old_keys in (f"k1:{OLD}", f'{{"k1": "{OLD}"}}'):
        ring = cipher_from_settings(Settings(pii_key=NEW, pii_key_id="k2", pii_old_keys=old_keys, pii_hash_key=OLD))
        assert ring.key_ids == ("k2", "k1")
        assert ring.decrypt(sealed) == "110101199001011234"
        assert ring.lookup_hash("110101199001011234") == digest  # hashes survive the rotation
        fresh = ring.encrypt("13812345678")
        assert fresh.startswith("k2:") and ring.decrypt(fresh) == "13812345678"
        assert ring.reencrypt(sealed).startswith("k2:") and ring.reencrypt(fresh) == fresh
        with pytest.raises(UnknownPiiKey):
            legacy.decrypt(fresh)
    # no rotation configured: exactly the one-key cipher (hash from CHECKUP_PII_KEY)
    same = cipher_from_settings(Settings(pii_key=OLD, pii_key_id="k1"))
    assert same.decrypt(sealed) == "110101199001011234" and same.lookup_hash("110101199001011234") == digest


def test_tampered_or_moved_values_do_not_decrypt():
    ring = PiiCipher(keys={"k1": OLD, "k2": NEW}, current_id="k2", hash_key=OLD)
    sealed = ring.encrypt("13812345678")
    with pytest.raises(PiiDecryptError):
        ring.decrypt("k1:" + sealed.partition(":")[2])  # moved under another key id (AAD)
    with pytest.raises(PiiDecryptError):
        ring.decrypt(sealed[:-4] + "AAAA")
    with pytest.raises(PiiDecryptError):
        ring.decrypt("k2:not base64!")


def test_settings_refuse_a_broken_ring():
    with pytest.raises(ValueError, match="CHECKUP_PII_HASH_KEY is required"):
        Settings(pii_key=NEW, pii_key_id="k2", pii_old_keys=f"k1:{OLD}")
    with pytest.raises(ValueError, match="CHECKUP_PII_OLD_KEYS"):
        Settings(pii_old_keys="no-colon-here", pii_hash_key=OLD)
    with pytest.raises(ValueError, match="CHECKUP_PII_OLD_KEYS"):
        Settings(pii_old_keys=f"k1:{OLD},k1:{NEW}", pii_hash_key=OLD)
    with pytest.raises(ValueError, match="current key id"):
        Settings(pii_key=NEW, pii_key_id="k2", pii_old_keys=f"k2:{OLD}", pii_hash_key=OLD)
    with pytest.raises(ValueError):
        Settings(pii_key_id="bad:id")


def test_production_refuses_placeholder_or_short_pii_keys():
    assert Settings(**PROD, pii_key_id="k2", pii_old_keys=f"k1:{OLD}", pii_hash_key=OLD).env == "prod"
    with pytest.raises(ValueError, match="CHECKUP_PII_KEY"):
        Settings(**{**PROD, "pii_key": "short"})
    with pytest.raises(ValueError, match="placeholder"):
        Settings(**{**PROD, "pii_key": "sandbox-test-pii-key-0123456789abcdef0123456789abcdef"})
    with pytest.raises(ValueError, match="CHECKUP_PII_OLD_KEYS is shorter than 32"):
        Settings(**PROD, pii_key_id="k2", pii_old_keys="k1:short", pii_hash_key=OLD)
    with pytest.raises(ValueError, match="CHECKUP_PII_HASH_KEY is a sandbox test value or placeholder"):
        Settings(**PROD, pii_hash_key="change-me")


def test_empty_settings_from_the_env_file_mean_unset(monkeypatch):
    monkeypatch.setenv("CHECKUP_PII_OLD_KEYS", "")
    monkeypatch.setenv("CHECKUP_PII_HASH_KEY", "")
    monkeypatch.setenv("CHECKUP_PII_KEY", OLD)
    legacy = PiiCipher(key_material=OLD, key_id="k1")
    ring = cipher_from_settings(Settings())
    assert ring.key_ids == ("k1",) and ring.lookup_hash("x") == legacy.lookup_hash("x")

"""The WeChat Pay sandbox's own crypto (independent of the product's client on purpose)."""

from __future__ import annotations

import base64
import re
import secrets
import string
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SCHEMA = "WECHATPAY2-SHA256-RSA2048"
_AUTH_PARAM = re.compile(r'\s*([a-z_]+)="([^"]*)"\s*')
_NONCE_ALPHABET = string.ascii_letters + string.digits


def private_key_from_pem(pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(key, rsa.RSAPrivateKey)
    return key


def public_key_from_pem(pem: bytes) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(pem)
    assert isinstance(key, rsa.RSAPublicKey)
    return key


def random_string(length: int = 32) -> str:
    return "".join(secrets.choice(_NONCE_ALPHABET) for _ in range(length))


def sign(private_key: rsa.RSAPrivateKey, lines: list[bytes]) -> str:
    """SHA256withRSA over the lines, each terminated by ``\\n``; base64."""
    message = b"".join(line + b"\n" for line in lines)
    return base64.b64encode(private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def verify(public_key: rsa.RSAPublicKey, lines: list[bytes], signature: str) -> bool:
    message = b"".join(line + b"\n" for line in lines)
    try:
        public_key.verify(
            base64.b64decode(signature, validate=True), message, padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def parse_authorization(header: str) -> dict[str, str] | None:
    """``WECHATPAY2-SHA256-RSA2048 k="v",...`` → dict; None when malformed."""
    schema, _, rest = header.strip().partition(" ")
    if schema != SCHEMA or not rest:
        return None
    params: dict[str, str] = {}
    for part in rest.split(","):
        match = _AUTH_PARAM.fullmatch(part)
        if not match:
            return None
        params[match.group(1)] = match.group(2)
    required = {"mchid", "nonce_str", "timestamp", "serial_no", "signature"}
    return params if required <= params.keys() else None


def signed_headers(
    private_key: rsa.RSAPrivateKey,
    key_id: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """The Wechatpay-* headers WeChat puts on responses and notifications."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    nonce = nonce or random_string(32)
    return {
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Timestamp": ts,
        "Wechatpay-Serial": key_id,
        "Wechatpay-Signature-Type": SCHEMA,
        "Wechatpay-Signature": sign(private_key, [ts.encode(), nonce.encode(), body]),
    }


def encrypt_resource(apiv3_key: bytes, plaintext: bytes, *, associated_data: str) -> dict[str, str]:
    """AEAD_AES_256_GCM as WeChat does: 12-char nonce, tag appended, base64."""
    nonce = random_string(12)
    sealed = AESGCM(apiv3_key).encrypt(nonce.encode(), plaintext, associated_data.encode())
    return {
        "algorithm": "AEAD_AES_256_GCM",
        "ciphertext": base64.b64encode(sealed).decode(),
        "nonce": nonce,
        "associated_data": associated_data,
    }

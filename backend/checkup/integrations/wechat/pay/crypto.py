"""Pure WeChat Pay API v3 crypto: request signing, response/notification verification, AES-256-GCM."""

from __future__ import annotations

import base64
import binascii
import secrets
import time
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from checkup.integrations.wechat.pay.errors import WechatPaySignatureError

AUTH_SCHEMA = "WECHATPAY2-SHA256-RSA2048"
SIGNTEST_PREFIX = "WECHATPAY/SIGNTEST/"
MAX_CLOCK_SKEW = timedelta(minutes=5)
APIV3_KEY_LENGTH = 32


def load_private_key(pem: bytes) -> rsa.RSAPrivateKey:
    """Load an RSA private key (PKCS#8 or PKCS#1 PEM; text before the PEM block is ignored)."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("WeChat Pay merchant key must be an RSA private key")
    return key


def load_public_key(pem: bytes) -> rsa.RSAPublicKey:
    """Load an RSA public key (SubjectPublicKeyInfo PEM, as WeChat Pay publishes it)."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("WeChat Pay public key must be an RSA public key")
    return key


def new_nonce() -> str:
    """A 32-character random nonce."""
    return secrets.token_hex(16).upper()


def _b(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode("utf-8")


def request_sign_message(
    *, method: str, url_path: str | bytes, timestamp: str, nonce: str, body: bytes
) -> bytes:
    """``METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n`` over the exact bytes sent."""
    return b"\n".join([_b(method.upper()), _b(url_path), _b(timestamp), _b(nonce), body]) + b"\n"


def response_sign_message(*, timestamp: str, nonce: str, body: bytes) -> bytes:
    """``TIMESTAMP\\nNONCE\\nBODY\\n``: what WeChat signs on responses and notifications."""
    return b"\n".join([_b(timestamp), _b(nonce), body]) + b"\n"


def pay_sign_message(*, appid: str, timestamp: str, nonce: str, package: str) -> bytes:
    """``appId\\ntimeStamp\\nnonceStr\\npackage\\n`` for ``wx.requestPayment``."""
    return f"{appid}\n{timestamp}\n{nonce}\n{package}\n".encode()


def rsa_sign(private_key: rsa.RSAPrivateKey, message: bytes) -> str:
    """SHA256withRSA (PKCS#1 v1.5), base64."""
    return base64.b64encode(private_key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")


def rsa_verify(public_key: rsa.RSAPublicKey, message: bytes, signature: str) -> bool:
    """Check a base64 SHA256withRSA signature; False on any malformed input."""
    try:
        raw = base64.b64decode(signature, validate=True)
        public_key.verify(raw, message, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def build_authorization(
    *,
    mchid: str,
    serial_no: str,
    private_key: rsa.RSAPrivateKey,
    method: str,
    url_path: str | bytes,
    body: bytes = b"",
    timestamp: str | None = None,
    nonce: str | None = None,
) -> str:
    """The ``Authorization`` header value for one request."""
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or new_nonce()
    message = request_sign_message(
        method=method, url_path=url_path, timestamp=timestamp, nonce=nonce, body=body
    )
    signature = rsa_sign(private_key, message)
    return (
        f'{AUTH_SCHEMA} mchid="{mchid}",nonce_str="{nonce}",timestamp="{timestamp}",'
        f'serial_no="{serial_no}",signature="{signature}"'
    )


def verify_wechatpay_signature(
    *,
    headers: Mapping[str, str],
    body: bytes,
    public_key: rsa.RSAPublicKey | None = None,
    public_key_id: str | None = None,
    keys: Mapping[str, rsa.RSAPublicKey] | None = None,
    now: datetime | None = None,
    max_skew: timedelta = MAX_CLOCK_SKEW,
) -> None:
    """Check WeChat's signature headers on a response or notification; raise WechatPaySignatureError.

    ``keys`` maps serial → key (WeChat Pay public key id and/or platform certificate serials):
    ``Wechatpay-Serial`` picks the key. Without it, the one ``public_key`` under ``public_key_id``."""
    lowered = {k.lower(): v for k, v in headers.items()}
    signature = lowered.get("wechatpay-signature", "")
    timestamp = lowered.get("wechatpay-timestamp", "")
    nonce = lowered.get("wechatpay-nonce", "")
    serial = lowered.get("wechatpay-serial", "")
    signature_type = lowered.get("wechatpay-signature-type")
    if not (signature and timestamp and nonce and serial):
        raise WechatPaySignatureError("缺少微信支付签名头", code="SIGNATURE_MISSING")
    if signature.startswith(SIGNTEST_PREFIX):
        raise WechatPaySignatureError("微信支付签名探测请求，拒绝", code="SIGNTEST")
    if signature_type is not None and signature_type != AUTH_SCHEMA:
        raise WechatPaySignatureError(f"不支持的签名类型 {signature_type}", code="SIGNATURE_TYPE")
    if keys is None:
        keys = {public_key_id: public_key} if public_key is not None and public_key_id else {}
    key = keys.get(serial)
    if key is None:
        raise WechatPaySignatureError("微信支付公钥 ID 或平台证书序列号与配置不符", code="SERIAL_MISMATCH")
    if not timestamp.isdigit():
        raise WechatPaySignatureError("签名时间戳格式错误", code="TIMESTAMP_INVALID")
    current = (now or datetime.now(UTC)).timestamp()
    if abs(current - int(timestamp)) > max_skew.total_seconds():
        raise WechatPaySignatureError("签名时间戳超出 5 分钟", code="TIMESTAMP_EXPIRED")
    message = response_sign_message(timestamp=timestamp, nonce=nonce, body=body)
    if not rsa_verify(key, message, signature):
        raise WechatPaySignatureError("微信支付签名验证失败", code="SIGNATURE_INVALID")


def decrypt_resource(*, apiv3_key: bytes, nonce: str, associated_data: str, ciphertext: str) -> bytes:
    """AEAD_AES_256_GCM decryption (16-byte tag at the end of the base64 ciphertext)."""
    if len(apiv3_key) != APIV3_KEY_LENGTH:
        raise ValueError("APIv3 key must be 32 bytes")
    try:
        data = base64.b64decode(ciphertext, validate=True)
        return AESGCM(apiv3_key).decrypt(nonce.encode("utf-8"), data, associated_data.encode("utf-8"))
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise WechatPaySignatureError("通知密文解密失败", code="DECRYPT_FAILED") from exc

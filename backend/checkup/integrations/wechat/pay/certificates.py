"""The keys that verify WeChat Pay: a map serial → public key holding the WeChat Pay public key
(public-key mode), the platform certificates downloaded from ``GET /v3/certificates`` (certificate
mode), or both (the switch-over period, when WeChat signs with either)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from checkup.integrations.wechat.pay.crypto import decrypt_resource
from checkup.integrations.wechat.pay.errors import WechatPaySignatureError

# WeChat recommends fetching the certificates again well before the newest one expires; a certificate
# is replaced about 10 days before its end, so a daily look is early enough.
REFRESH_INTERVAL = timedelta(hours=12)
REFRESH_BEFORE_EXPIRY = timedelta(days=1)
# An unknown serial on a response or notification triggers a download at most this often.
UNKNOWN_SERIAL_COOLDOWN = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class PlatformCertificate:
    """One WeChat Pay platform certificate (decrypted from /v3/certificates)."""

    serial_no: str
    public_key: rsa.RSAPublicKey
    not_before: datetime
    not_after: datetime

    def valid_at(self, now: datetime) -> bool:
        return self.not_before <= now <= self.not_after


def certificate_serial(cert: x509.Certificate) -> str:
    """The serial as WeChat writes it: upper-case hex without leading zeros' padding."""
    return format(cert.serial_number, "X")


def decrypt_certificates(data: Mapping[str, Any], apiv3_key: bytes) -> list[PlatformCertificate]:
    """The certificates of a /v3/certificates answer, decrypted with the APIv3 key (AES-256-GCM)."""
    items = data.get("data")
    if not isinstance(items, list):
        raise WechatPaySignatureError("平台证书应答格式错误", code="MALFORMED")
    found: list[PlatformCertificate] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("encrypt_certificate"), dict):
            raise WechatPaySignatureError("平台证书应答格式错误", code="MALFORMED")
        sealed = item["encrypt_certificate"]
        if sealed.get("algorithm") != "AEAD_AES_256_GCM":
            raise WechatPaySignatureError("平台证书加密算法不支持", code="MALFORMED")
        pem = decrypt_resource(
            apiv3_key=apiv3_key,
            nonce=str(sealed.get("nonce") or ""),
            associated_data=str(sealed.get("associated_data") or ""),
            ciphertext=str(sealed.get("ciphertext") or ""),
        )
        try:
            cert = x509.load_pem_x509_certificate(pem)
        except ValueError as exc:
            raise WechatPaySignatureError("平台证书无法解析", code="MALFORMED") from exc
        key = cert.public_key()
        serial = certificate_serial(cert)
        if not isinstance(key, rsa.RSAPublicKey) or serial != str(item.get("serial_no") or "").upper():
            raise WechatPaySignatureError("平台证书序列号与内容不符", code="MALFORMED")
        found.append(PlatformCertificate(serial, key, cert.not_valid_before_utc, cert.not_valid_after_utc))
    return found


class VerificationKeys:
    """serial → key. ``Wechatpay-Serial`` of a response or notification picks the key."""

    def __init__(
        self,
        *,
        public_key: rsa.RSAPublicKey | None = None,
        public_key_id: str | None = None,
        use_certificates: bool = False,
    ) -> None:
        if (public_key is None) != (public_key_id is None):
            raise ValueError("the WeChat Pay public key and its id go together")
        if public_key is None and not use_certificates:
            raise ValueError("configure the WeChat Pay public key, platform certificates, or both")
        self.public_key_id = public_key_id
        self._public_key = public_key
        self.use_certificates = use_certificates
        self.certificates: dict[str, PlatformCertificate] = {}
        self.fetched_at: datetime | None = None
        self.unknown_serial_tried_at: datetime | None = None

    def keys(self, now: datetime | None = None) -> dict[str, rsa.RSAPublicKey]:
        """Every key that verifies now."""
        now = now or datetime.now(UTC)
        found = {s: c.public_key for s, c in self.certificates.items() if c.valid_at(now)}
        if self._public_key is not None and self.public_key_id is not None:
            found[self.public_key_id] = self._public_key
        return found

    def needs_refresh(self, now: datetime) -> bool:
        """Certificates never fetched, fetched long ago, or the newest about to expire."""
        if not self.use_certificates:
            return False
        if self.fetched_at is None or now - self.fetched_at >= REFRESH_INTERVAL:
            return True
        latest = max((c.not_after for c in self.certificates.values()), default=None)
        return latest is None or latest - now <= REFRESH_BEFORE_EXPIRY

    def should_fetch_for(self, serial: str, now: datetime) -> bool:
        """An unknown serial: fetch the certificates again (WeChat rotated them), but not in a loop."""
        if not self.use_certificates or not serial or serial in self.keys(now):
            return False
        tried = self.unknown_serial_tried_at
        return tried is None or now - tried >= UNKNOWN_SERIAL_COOLDOWN

    def update(self, certificates: list[PlatformCertificate], now: datetime) -> None:
        self.certificates = {c.serial_no: c for c in certificates}
        self.fetched_at = now

    def request_serial(self, now: datetime) -> str | None:
        """What a request sends as ``Wechatpay-Serial``: the public key id, else the newest valid certificate."""
        if self.public_key_id:
            return self.public_key_id
        valid = [c for c in self.certificates.values() if c.valid_at(now)]
        return max(valid, key=lambda c: c.not_after).serial_no if valid else None

"""SANDBOX TEST KEYS for the local WeChat Pay sandbox: generated on first use, never committed."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

SANDBOX_TEST_PREFIX = "sandbox-test-"
WARNING = (
    "SANDBOX TEST KEYS - generated for the local WeChat Pay sandbox of this checkup system; "
    "worthless anywhere else; never use them in production and never commit them."
)
MERCHANT_PRIVATE_KEY_FILE = "sandbox-test-merchant-private-key.pem"
MERCHANT_PUBLIC_KEY_FILE = "sandbox-test-merchant-public-key.pem"
PLATFORM_PRIVATE_KEY_FILE = "sandbox-test-wechatpay-platform-private-key.pem"
PLATFORM_PUBLIC_KEY_FILE = "sandbox-test-wechatpay-platform-public-key.pem"
CERTIFICATE_KEY_FILE = "sandbox-test-wechatpay-platform-cert-key.pem"
CERTIFICATE_FILE = "sandbox-test-wechatpay-platform-cert.pem"
IDS_FILE = "sandbox-test-keys.json"
_PEM_HEADER = b"# " + WARNING.encode() + b"\n"


@dataclass(frozen=True, slots=True)
class SandboxKeys:
    """Merchant key + serial, WeChat Pay platform key pair + id, APIv3 key (all sandbox test values)."""

    merchant_private_key_pem: bytes
    merchant_public_key_pem: bytes
    merchant_serial_no: str
    platform_private_key_pem: bytes
    platform_public_key_pem: bytes
    platform_public_key_id: str
    apiv3_key: bytes
    directory: Path | None = None
    # The platform certificate (certificate mode, and the switch-over period): its own key pair.
    certificate_private_key_pem: bytes = b""
    certificate_pem: bytes = b""

    @property
    def certificate_serial(self) -> str:
        """Upper-case hex serial, as WeChat names platform certificates."""
        return format(x509.load_pem_x509_certificate(self.certificate_pem).serial_number, "X")

    @property
    def merchant_private_key_path(self) -> Path | None:
        """The file the app's settings point at (CHECKUP_WECHATPAY_PRIVATE_KEY_PATH or alike)."""
        return self.directory / MERCHANT_PRIVATE_KEY_FILE if self.directory else None

    @property
    def platform_public_key_path(self) -> Path | None:
        return self.directory / PLATFORM_PUBLIC_KEY_FILE if self.directory else None


def _private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def generate_platform_certificate(
    *, valid_from: datetime | None = None, lifetime: timedelta = timedelta(days=5 * 365)
) -> tuple[bytes, bytes]:
    """A SANDBOX TEST platform certificate: (private key PEM, certificate PEM), self-signed like
    nothing real (WeChat's are issued by Tenpay's CA); serial 40 hex digits as WeChat's."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    start = (valid_from or datetime.now(UTC)) - timedelta(minutes=5)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SANDBOX TEST WeChat Pay platform (not real)"),
        x509.NameAttribute(NameOID.COMMON_NAME, "sandbox-test-wechatpay-platform"),
    ])
    serial = secrets.randbits(159) | (1 << 156)  # 40 hex digits, positive, under 20 bytes
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start + lifetime)
        .sign(key, hashes.SHA256())
    )
    return _private_pem(key), cert.public_bytes(serialization.Encoding.PEM)


def generate_sandbox_keys() -> SandboxKeys:
    """Fresh in-memory sandbox keys (tests)."""
    merchant = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    platform = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    alphabet = string.ascii_letters + string.digits
    apiv3 = SANDBOX_TEST_PREFIX + "".join(
        secrets.choice(alphabet) for _ in range(32 - len(SANDBOX_TEST_PREFIX))
    )
    certificate_key, certificate = generate_platform_certificate()
    return SandboxKeys(
        certificate_private_key_pem=certificate_key,
        certificate_pem=certificate,
        merchant_private_key_pem=_private_pem(merchant),
        merchant_public_key_pem=_public_pem(merchant),
        merchant_serial_no=secrets.token_hex(20).upper(),
        platform_private_key_pem=_private_pem(platform),
        platform_public_key_pem=_public_pem(platform),
        platform_public_key_id="PUB_KEY_ID_0123" + "".join(secrets.choice(string.digits) for _ in range(21)),
        apiv3_key=apiv3.encode("ascii"),
    )


def pem_block(data: bytes) -> bytes:
    """The PEM block of a file, without the SANDBOX TEST KEY header lines."""
    start = data.find(b"-----BEGIN ")
    if start < 0:
        raise ValueError("no PEM block")
    return data[start:]


def _write(path: Path, data: bytes, *, private: bool) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX
        yield
        return
    with open(directory / ".sandbox-test-keys.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _ensure_certificate(directory: Path) -> None:
    """Key directories made before certificate mode existed get their platform certificate now."""
    if (directory / CERTIFICATE_FILE).exists():
        return
    key_pem, cert_pem = generate_platform_certificate()
    _write(directory / CERTIFICATE_KEY_FILE, _PEM_HEADER + key_pem, private=True)
    _write(directory / CERTIFICATE_FILE, _PEM_HEADER + cert_pem, private=False)


def _load(directory: Path) -> SandboxKeys:
    ids = json.loads((directory / IDS_FILE).read_text("utf-8"))
    _ensure_certificate(directory)
    return SandboxKeys(
        certificate_private_key_pem=pem_block((directory / CERTIFICATE_KEY_FILE).read_bytes()),
        certificate_pem=pem_block((directory / CERTIFICATE_FILE).read_bytes()),
        merchant_private_key_pem=pem_block((directory / MERCHANT_PRIVATE_KEY_FILE).read_bytes()),
        merchant_public_key_pem=pem_block((directory / MERCHANT_PUBLIC_KEY_FILE).read_bytes()),
        merchant_serial_no=ids["merchant_serial_no"],
        platform_private_key_pem=pem_block((directory / PLATFORM_PRIVATE_KEY_FILE).read_bytes()),
        platform_public_key_pem=pem_block((directory / PLATFORM_PUBLIC_KEY_FILE).read_bytes()),
        platform_public_key_id=ids["wechatpay_public_key_id"],
        apiv3_key=ids["apiv3_key"].encode("ascii"),
        directory=directory,
    )


def ensure_sandbox_keys(directory: str | os.PathLike[str]) -> SandboxKeys:
    """Load the sandbox keys from ``directory``, generating them there once (safe across processes)."""
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        if (path / IDS_FILE).exists():
            return _load(path)
        keys = generate_sandbox_keys()
        (path / ".gitignore").write_text("# " + WARNING + "\n*\n", "utf-8")
        _write(path / MERCHANT_PRIVATE_KEY_FILE, _PEM_HEADER + keys.merchant_private_key_pem, private=True)
        _write(path / MERCHANT_PUBLIC_KEY_FILE, _PEM_HEADER + keys.merchant_public_key_pem, private=False)
        _write(path / PLATFORM_PRIVATE_KEY_FILE, _PEM_HEADER + keys.platform_private_key_pem, private=True)
        _write(path / PLATFORM_PUBLIC_KEY_FILE, _PEM_HEADER + keys.platform_public_key_pem, private=False)
        _write(path / CERTIFICATE_KEY_FILE, _PEM_HEADER + keys.certificate_private_key_pem, private=True)
        _write(path / CERTIFICATE_FILE, _PEM_HEADER + keys.certificate_pem, private=False)
        ids = {
            "warning": WARNING,
            "merchant_serial_no": keys.merchant_serial_no,
            "wechatpay_public_key_id": keys.platform_public_key_id,
            "apiv3_key": keys.apiv3_key.decode("ascii"),
        }
        # Written last: its presence means the set is complete.
        _write(path / IDS_FILE, json.dumps(ids, ensure_ascii=False, indent=2).encode("utf-8"), private=True)
        return _load(path)

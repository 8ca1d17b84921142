"""Request signing of the data-sharing open API (docs/interfaces/data-sharing.md), as plain functions.

string to sign = METHOD \\n PATH \\n canonical query \\n timestamp \\n nonce \\n hex SHA-256 of the body;
signature = hex HMAC-SHA256(secret, string to sign). The canonical query is every (name, value) pair
of the query string, decoded, sorted by name then value, each percent-encoded (RFC 3986, only
``A-Z a-z 0-9 - _ . ~`` left as they are) and joined as ``name=value`` with ``&``; so how a client
encoded its query does not matter, only what it means.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from urllib.parse import parse_qsl, quote

TIMESTAMP_TOLERANCE = 300  # seconds either side of the server's clock
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
TIMESTAMP_PATTERN = re.compile(r"^\d{1,12}$")
SIGNATURE_PATTERN = re.compile(r"^[0-9a-fA-F]{64}$")


def _encode(text: str) -> str:
    return quote(text, safe="-_.~")


def canonical_query(query_string: str) -> str:
    """``b=2&a=1&a=0`` -> ``a=0&a=1&b=2`` (decoded, sorted, percent-encoded again)."""
    pairs = parse_qsl(query_string or "", keep_blank_values=True)
    return "&".join(f"{_encode(k)}={_encode(v)}" for k, v in sorted(pairs))


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body or b"").hexdigest()


def string_to_sign(*, method: str, path: str, query_string: str, timestamp: str, nonce: str, body: bytes) -> str:
    return "\n".join((method.upper(), path, canonical_query(query_string), timestamp, nonce, body_digest(body)))


def sign(secret: str, text: str) -> str:
    return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def signature_matches(expected: str, given: str) -> bool:
    """Constant-time comparison of two hex signatures (case-insensitive)."""
    return hmac.compare_digest(expected.lower().encode("ascii"), given.lower().encode("ascii", "replace"))

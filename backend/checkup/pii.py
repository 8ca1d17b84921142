"""Personal data at rest: AES-256-GCM under a key ring (for rotation) and a keyed lookup hash.

Stored form: ``"<key id>:" + base64(nonce(12) + ciphertext + tag)``, the key id also being the
AEAD associated data, so a value cannot be moved under another key id. New values are written
under the current key; values under any key still in the ring (old keys) are read; ``checkup pii
rotate`` re-encrypts them under the current key (services/pii_rotation.py).

The lookup hash (HMAC-SHA256) has its own key, which must stay the same across rotations: every
stored ``*_hash`` column depends on it (duplicate ID detection, the report's phone search). By
default it is derived from the current key's material, which is what every row written before
key rotation existed uses; before the first rotation set CHECKUP_PII_HASH_KEY to that material
(the settings refuse old keys without it). See docs/security.md.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

if TYPE_CHECKING:
    from checkup.config import Settings


def _derive(material: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"checkup-pii", info=info).derive(
        material.encode("utf-8")
    )


class UnknownPiiKey(ValueError):
    """A stored value names a key id that is not in the ring (neither current nor old)."""


class PiiDecryptError(ValueError):
    """A stored value does not decrypt under the key it names (corrupt, or wrong material)."""


def key_id_of(token: str) -> str:
    return token.partition(":")[0]


class PiiCipher:
    """Encrypts ID numbers and phones; ``lookup_hash`` finds a record without decrypting.

    ``PiiCipher(keys={"k1": m1, "k2": m2}, current_id="k2", hash_key=m1)``; the one-key form
    ``PiiCipher(key_material=m, key_id="k1")`` (hash key derived from ``m``) is kept.
    """

    def __init__(self, *, keys: Mapping[str, str] | None = None, current_id: str | None = None,
                 hash_key: str | None = None, key_material: str | None = None, key_id: str | None = None) -> None:
        ring = dict(keys or {})
        if key_material is not None:
            ring[key_id or "k1"] = key_material
            current_id = current_id or key_id or "k1"
        if not current_id or current_id not in ring:
            raise ValueError("the current PII key id must be in the key ring")
        for kid in ring:
            if not kid or ":" in kid:
                raise ValueError(f"bad PII key id {kid!r}")
        self.key_id = current_id
        self._aead = {kid: AESGCM(_derive(material, b"enc")) for kid, material in ring.items()}
        self._hash_key = _derive(hash_key or ring[current_id], b"lookup")  # unset or empty: the current key

    @property
    def key_ids(self) -> tuple[str, ...]:
        """Every key id this cipher reads (the current one first)."""
        return (self.key_id, *sorted(k for k in self._aead if k != self.key_id))

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead[self.key_id].encrypt(nonce, plaintext.encode("utf-8"), self.key_id.encode())
        return f"{self.key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, token: str) -> str:
        key_id, _, payload = token.partition(":")
        aead = self._aead.get(key_id)
        if aead is None:
            raise UnknownPiiKey(f"PII key id {key_id!r} is not configured")
        try:
            raw = base64.b64decode(payload, validate=True)
            return aead.decrypt(raw[:12], raw[12:], key_id.encode()).decode("utf-8")
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise PiiDecryptError(f"PII value under key {key_id!r} does not decrypt") from exc

    def reencrypt(self, token: str) -> str:
        """The same value under the current key (unchanged when it already is)."""
        if key_id_of(token) == self.key_id:
            return token
        return self.encrypt(self.decrypt(token))

    def lookup_hash(self, value: str) -> str:
        return hmac.new(self._hash_key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def cipher_from_settings(settings: Settings) -> PiiCipher:
    """The ring of CHECKUP_PII_KEY (current), CHECKUP_PII_OLD_KEYS and CHECKUP_PII_HASH_KEY."""
    keys = {**settings.pii_old_key_map, settings.pii_key_id: settings.pii_key}
    return PiiCipher(keys=keys, current_id=settings.pii_key_id, hash_key=settings.pii_hash_key)

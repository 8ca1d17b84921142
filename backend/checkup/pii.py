"""Personal data at rest: AES-256-GCM with a key id (for rotation) and a keyed lookup hash."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF


def _derive(material: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"checkup-pii", info=info).derive(
        material.encode("utf-8")
    )


class PiiCipher:
    """Encrypts ID numbers and phones; ``lookup_hash`` finds a record without decrypting."""

    def __init__(self, *, key_material: str, key_id: str) -> None:
        self.key_id = key_id
        self._aead = {key_id: AESGCM(_derive(key_material, b"enc"))}
        self._hash_key = _derive(key_material, b"lookup")

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = self._aead[self.key_id].encrypt(nonce, plaintext.encode("utf-8"), self.key_id.encode())
        return f"{self.key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def decrypt(self, token: str) -> str:
        key_id, _, payload = token.partition(":")
        raw = base64.b64decode(payload)
        return self._aead[key_id].decrypt(raw[:12], raw[12:], key_id.encode()).decode("utf-8")

    def lookup_hash(self, value: str) -> str:
        return hmac.new(self._hash_key, value.encode("utf-8"), hashlib.sha256).hexdigest()

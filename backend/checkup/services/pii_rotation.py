"""Re-encrypting personal data under the current key (`checkup pii rotate`) and counting rows per key
(`checkup pii status`).

Each batch is one transaction: the next ``batch`` patient rows still under an old key of the ring
are read (locked FOR UPDATE on MySQL/MariaDB, so a concurrent writer waits rather than being
overwritten), decrypted, encrypted under the current key and saved with the new ``pii_key_id``.
A stopped rotation loses nothing: committed batches are done, the next run starts with the rows
still under old keys; a run with nothing left to do changes nothing. Rows under a key id that is
not configured are left alone and reported (they cannot be read until their key is configured).

The secrets of data-sharing clients (open_client.secret_enc, a few rows) are re-encrypted too, in
one transaction on every run, so an old key can leave the ring once a rotation finished.

The lookup hashes are not touched (their key does not rotate); each re-encrypted value is checked
against its stored hash, so a wrong CHECKUP_PII_HASH_KEY stops the rotation before it writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checkup.db.uow import unit_of_work
from checkup.pii import PiiCipher, key_id_of
from checkup.services.tx import retry_deadlocks

if TYPE_CHECKING:
    from checkup.db.models import Patient


class RotationError(RuntimeError):
    """A row that cannot be rotated safely (does not decrypt, or its hash does not match)."""


@dataclass
class KeyStatus:
    current: str
    counts: dict[str, int]  # patient rows per stored key id
    unknown: dict[str, int] = field(default_factory=dict)  # key ids not in the ring

    @property
    def pending(self) -> int:
        """Rows under an old key of the ring (what a rotation would re-encrypt)."""
        return sum(n for kid, n in self.counts.items() if kid != self.current and kid not in self.unknown)


@dataclass
class RotationResult:
    rotated: int = 0
    batches: int = 0
    remaining: int = 0  # rows still under an old key of the ring (non-zero only when stopped early)
    unknown: dict[str, int] = field(default_factory=dict)
    secrets: int = 0  # data-sharing client secrets re-encrypted


async def key_status(pii: PiiCipher) -> KeyStatus:
    async with unit_of_work(write=False) as work:
        counts = await work.pii.patients_per_key()
    known = set(pii.key_ids)
    return KeyStatus(current=pii.key_id, counts=dict(sorted(counts.items())),
                     unknown={k: n for k, n in sorted(counts.items()) if k not in known})


def _rotate_row(pii: PiiCipher, row: Patient) -> None:
    try:
        id_number = pii.decrypt(row.id_number_enc)
        phone = pii.decrypt(row.phone_enc)
    except ValueError as exc:
        raise RotationError(f"patient {row.id}: {exc}") from None
    if pii.lookup_hash(id_number) != row.id_number_hash or pii.lookup_hash(phone) != row.phone_hash:
        raise RotationError(f"patient {row.id}: stored lookup hash does not match (is CHECKUP_PII_HASH_KEY the "
                            "material the rows were hashed with?)")
    row.id_number_enc = pii.encrypt(id_number)
    row.phone_enc = pii.encrypt(phone)
    row.pii_key_id = pii.key_id


async def _one_batch(pii: PiiCipher, old_ids: list[str], batch: int) -> int:
    async with unit_of_work() as work:
        rows = await work.pii.lock_batch_under(old_ids, limit=batch)
        for row in rows:
            _rotate_row(pii, row)
            await work.pii.save_encrypted(row)
        return len(rows)


async def _rotate_client_secrets(pii: PiiCipher, old_ids: list[str]) -> int:
    """Re-encrypt the data-sharing client secrets still under an old key of the ring (one transaction)."""
    async with unit_of_work() as work:
        done = 0
        for client in await work.sharing.lock_all_clients():
            if key_id_of(client.secret_enc) in old_ids:
                try:
                    client.secret_enc = pii.reencrypt(client.secret_enc)
                except ValueError as exc:
                    raise RotationError(f"open client {client.app_key}: {exc}") from None
                await work.sharing.save_client(client, ["secret_enc", "updated_at"])
                done += 1
        return done


async def rotate(pii: PiiCipher, *, batch: int = 500, max_batches: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> RotationResult:
    """Re-encrypt every patient row under an old key of the ring; ``progress(done, left)`` after each batch."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    old_ids = [k for k in pii.key_ids if k != pii.key_id]
    result = RotationResult()
    if old_ids:
        while max_batches is None or result.batches < max_batches:
            done = await retry_deadlocks(lambda: _one_batch(pii, old_ids, batch))
            if not done:
                break
            result.rotated += done
            result.batches += 1
            if progress is not None:
                async with unit_of_work(write=False) as work:
                    left = await work.pii.count_under(old_ids)
                progress(result.rotated, left)
            if done < batch:
                break
        result.secrets = await retry_deadlocks(lambda: _rotate_client_secrets(pii, old_ids))
    status = await key_status(pii)
    result.remaining = status.pending
    result.unknown = status.unknown
    return result

"""The personal-data keys repository (issue 15): which key encrypts the patient rows, and the batches a key
rotation re-encrypts (services/pii_rotation.py)."""

from __future__ import annotations

from tortoise import connections
from tortoise.functions import Count

from checkup.db.models import Patient
from checkup.db.repos import Repository


class PiiRepository(Repository):
    __slots__ = ()

    def _supports_for_update(self) -> bool:
        conn = self.conn if self.conn is not None else connections.get("default")
        return bool(conn.capabilities.support_for_update)

    async def patients_per_key(self) -> dict[str, int]:
        """How many patient rows each stored key id encrypts."""
        rows = await Patient.annotate(n=Count("id")).group_by("pii_key_id").using_db(self.conn).values(
            "pii_key_id", "n")
        return {r["pii_key_id"]: int(r["n"]) for r in rows}

    async def count_under(self, key_ids: list[str]) -> int:
        return await Patient.filter(pii_key_id__in=key_ids).using_db(self.conn).count()

    async def lock_batch_under(self, key_ids: list[str], *, limit: int) -> list[Patient]:
        """The next ``limit`` patient rows under one of ``key_ids``, locked where the database can."""
        query = Patient.filter(pii_key_id__in=key_ids).order_by("id").limit(limit).using_db(self.conn)
        if self._supports_for_update():
            query = query.select_for_update()
        return await query

    async def save_encrypted(self, row: Patient) -> None:
        """Store a row re-encrypted under another key (ciphertexts and key id)."""
        await row.save(using_db=self.conn, update_fields=["id_number_enc", "phone_enc", "pii_key_id", "updated_at"])

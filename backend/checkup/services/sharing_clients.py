"""Clients of the data-sharing open API: managed by admins in the console, verified on every signed call.

The secret is generated here, answered once (on creation and on rotation) and stored only under
the PII cipher (checkup/pii.py), which the signature check decrypts; no read path answers it.
Used nonces are rows (open_nonce, unique per client), so a replay is refused by every process and
instance, with or without Redis; rows older than the timestamp window are removed as calls come in.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from checkup.db.errors import UniqueViolation
from checkup.db.uow import unit_of_work
from checkup.domain.clock import iso
from checkup.domain.errors import NonceReplayed, NotFound, SignatureInvalid, TimestampExpired
from checkup.domain.open_signature import (
    NONCE_PATTERN,
    SIGNATURE_PATTERN,
    TIMESTAMP_PATTERN,
    TIMESTAMP_TOLERANCE,
    sign,
    signature_matches,
    string_to_sign,
)
from checkup.pii import PiiCipher
from checkup.services.audit import AuditEntry, audited_change

if TYPE_CHECKING:
    from checkup.db.models import OpenClient

# What a client may read; each open route names the scope it needs.
SCOPES: dict[str, str] = {
    "bookings:read": "预约明细（脱敏）",
    "counts:read": "每日预约统计",
    "payments:read": "每日缴费与退款金额",
}
APP_KEY_PREFIX = "ck_"
NONCE_TTL = timedelta(seconds=2 * TIMESTAMP_TOLERANCE)  # a nonce is refused while its timestamp could pass
_LAST_USED_EVERY = timedelta(seconds=60)  # last_used_at is written at most this often per client


def new_app_key() -> str:
    return APP_KEY_PREFIX + secrets.token_hex(8)


def new_secret() -> str:
    return secrets.token_urlsafe(32)  # 43 characters, 256 bits


def _scopes(scopes: list[str]) -> list[str]:
    return [s for s in SCOPES if s in set(scopes)]  # canonical order, no duplicates


def client_json(client: OpenClient) -> dict[str, Any]:
    """A client as the console shows it: never its secret."""
    return {
        "id": client.id,
        "app_key": client.app_key,
        "name": client.name,
        "remark": client.remark,
        "scopes": list(client.scopes or []),
        "rate_limit_per_minute": client.rate_limit_per_minute,
        "enabled": client.enabled,
        "created_by": client.created_by,
        "created_at": iso(client.created_at),
        "secret_rotated_at": iso(client.secret_rotated_at),
        "last_used_at": iso(client.last_used_at),
    }


def _audit_view(client: OpenClient) -> dict[str, Any]:
    return {"name": client.name, "remark": client.remark, "scopes": list(client.scopes or []),
            "rate_limit_per_minute": client.rate_limit_per_minute, "enabled": client.enabled}


# ---- management (console, admin) ----------------------------------------------------------------
async def list_clients(*, page: int, page_size: int) -> dict[str, Any]:
    async with unit_of_work(write=False) as work:
        total = await work.sharing.count_clients()
        rows = await work.sharing.clients_page(offset=(page - 1) * page_size, limit=page_size)
    return {"items": [client_json(c) for c in rows], "total": total}


async def create_client(*, pii: PiiCipher, name: str, remark: str, scopes: list[str], rate_limit_per_minute: int,
                        created_by: str, entry: AuditEntry) -> dict[str, Any]:
    """A new enabled client; the answer carries its secret, the only time it is shown."""
    secret = new_secret()

    async def change(work: Any) -> OpenClient:
        client = await work.sharing.add_client(
            app_key=new_app_key(), name=name.strip(), remark=remark.strip(),
            secret_enc=pii.encrypt(secret), scopes=_scopes(scopes), rate_limit_per_minute=rate_limit_per_minute,
            enabled=True, created_by=created_by,
        )
        entry.change(target=f"open_client:{client.app_key}", after=_audit_view(client))
        return client

    client = await audited_change(entry, change, uow=unit_of_work)
    return {**client_json(client), "secret": secret}


async def _locked(work: Any, client_id: int) -> OpenClient:
    client = await work.sharing.lock_client(client_id)
    if client is None:
        raise NotFound("接入应用不存在")
    return client


async def update_client(*, client_id: int, changes: dict[str, Any], entry: AuditEntry) -> dict[str, Any]:
    """Change name, remark, scopes, rate limit or enabled; the secret is unchanged."""
    entry.change(target=f"open_client:{client_id}")

    async def change(work: Any) -> OpenClient:
        client = await _locked(work, client_id)
        before = _audit_view(client)
        for name in ("name", "remark"):
            if name in changes:
                setattr(client, name, changes[name].strip())
        if "scopes" in changes:
            client.scopes = _scopes(changes["scopes"])
        for name in ("rate_limit_per_minute", "enabled"):
            if name in changes:
                setattr(client, name, changes[name])
        await work.sharing.save_client(client)
        entry.change(target=f"open_client:{client.app_key}", before=before, after=_audit_view(client))
        return client

    return client_json(await audited_change(entry, change, uow=unit_of_work))


async def rotate_secret(*, pii: PiiCipher, client_id: int, now: datetime, entry: AuditEntry) -> dict[str, Any]:
    """A new secret, answered once; the old one stops working at once."""
    entry.change(target=f"open_client:{client_id}")
    secret = new_secret()

    async def change(work: Any) -> OpenClient:
        client = await _locked(work, client_id)
        client.secret_enc = pii.encrypt(secret)
        client.secret_rotated_at = now
        await work.sharing.save_client(client, ["secret_enc", "secret_rotated_at", "updated_at"])
        entry.change(target=f"open_client:{client.app_key}", rotated_at=iso(now))
        return client

    client = await audited_change(entry, change, uow=unit_of_work)
    return {**client_json(client), "secret": secret}


async def delete_client(*, client_id: int, entry: AuditEntry) -> None:
    """Remove a client (its nonces go with it); its calls stay in the audit trail under its app key."""
    entry.change(target=f"open_client:{client_id}")

    async def change(work: Any) -> None:
        client = await _locked(work, client_id)
        entry.change(target=f"open_client:{client.app_key}", before=_audit_view(client))
        await work.sharing.delete_client(client)

    await audited_change(entry, change, uow=unit_of_work)


# ---- verifying a signed call ---------------------------------------------------------------------
@dataclass(frozen=True)
class SignedRequest:
    method: str
    path: str
    query_string: str
    body: bytes
    app_key: str
    timestamp: str
    nonce: str
    signature: str


HEADERS = ("X-App-Key", "X-Timestamp", "X-Nonce", "X-Signature")


def check_form(req: SignedRequest, *, now: datetime) -> None:
    """The headers are present and well formed, and the timestamp is within the window."""
    for header, value in zip(HEADERS, (req.app_key, req.timestamp, req.nonce, req.signature), strict=True):
        if not value:
            raise SignatureInvalid(f"缺少请求头 {header}", header=header)
    if not TIMESTAMP_PATTERN.match(req.timestamp) or abs(now.timestamp() - int(req.timestamp)) > TIMESTAMP_TOLERANCE:
        raise TimestampExpired(server_time=int(now.timestamp()))
    if not NONCE_PATTERN.match(req.nonce):
        raise SignatureInvalid("X-Nonce 应为16至64位字母、数字、下划线或连字符", header="X-Nonce")
    if not SIGNATURE_PATTERN.match(req.signature):
        raise SignatureInvalid("X-Signature 应为64位十六进制", header="X-Signature")


async def find_client(app_key: str) -> OpenClient | None:
    """The client of an app key, enabled or not (None when unknown)."""
    if len(app_key) > 32:
        return None
    async with unit_of_work(write=False) as work:
        return await work.sharing.client_by_app_key(app_key)


def check_signature(pii: PiiCipher, client: OpenClient, req: SignedRequest) -> None:
    text = string_to_sign(method=req.method, path=req.path, query_string=req.query_string,
                          timestamp=req.timestamp, nonce=req.nonce, body=req.body)
    if not signature_matches(sign(pii.decrypt(client.secret_enc), text), req.signature):
        raise SignatureInvalid()


_last_purge = 0.0


async def claim_nonce(client: OpenClient, nonce: str, *, now: datetime) -> None:
    """Record the nonce as used; a nonce already used by this client within the window is a replay."""
    global _last_purge
    work = unit_of_work(write=False)  # each statement on its own, no transaction
    if time.monotonic() - _last_purge > 30:
        _last_purge = time.monotonic()
        await work.sharing.purge_nonces(now)
    existing = await work.sharing.nonce(client.id, nonce)
    if existing is not None and existing.expires_at > now:
        raise NonceReplayed()
    if existing is not None:  # used long ago (its window is over): the timestamp check already guards it
        await work.sharing.drop_nonce(existing.id)
    try:
        await work.sharing.add_nonce(client.id, nonce, expires_at=now + NONCE_TTL)
    except UniqueViolation:  # a concurrent call with the same nonce got there first
        raise NonceReplayed() from None


async def touch(client: OpenClient, *, now: datetime) -> None:
    """Note when the client was last seen (at most once a minute, not a write per call)."""
    if client.last_used_at is None or now - client.last_used_at >= _LAST_USED_EVERY:
        async with unit_of_work(write=False) as work:
            await work.sharing.set_last_used(client.id, now)
        client.last_used_at = now

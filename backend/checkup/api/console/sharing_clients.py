"""Data sharing (数据共享) clients (admin): list, create, change, rotate the secret, delete.

The secret is in the answer of create and rotate-secret only; nothing else answers it, and the
audit trail never records it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sanic import Request

from checkup.api.audit import audit_entry
from checkup.api.console.common import ADMINS, blueprint, deps, staff
from checkup.api.console.schemas import Paging
from checkup.api.routing import route
from checkup.api.schemas import In, Out
from checkup.services import sharing_clients

bp = blueprint("sharing_clients")

Scope = Literal["bookings:read", "counts:read", "payments:read"]
NAME_PATTERN = r"\S"  # not only spaces


class OpenClientCreateIn(In):
    name: str = Field(min_length=1, max_length=100, pattern=NAME_PATTERN)
    remark: str = Field("", max_length=200)
    scopes: list[Scope] = Field(min_length=1, max_length=3)
    rate_limit_per_minute: int = Field(60, ge=1, le=10_000)


class OpenClientUpdateIn(In):
    name: str | None = Field(None, min_length=1, max_length=100, pattern=NAME_PATTERN)
    remark: str | None = Field(None, max_length=200)
    scopes: list[Scope] | None = Field(None, min_length=1, max_length=3)
    rate_limit_per_minute: int | None = Field(None, ge=1, le=10_000)
    enabled: bool | None = None


class OpenClientOut(Out):
    id: int
    app_key: str
    name: str
    remark: str
    scopes: list[Scope]
    rate_limit_per_minute: int
    enabled: bool
    created_by: str
    created_at: str | None = None
    secret_rotated_at: str | None = None
    last_used_at: str | None = None


class OpenClientSecretOut(OpenClientOut):
    secret: str = Field(description="签名密钥：只在创建和重置时返回这一次")


class OpenClientList(Out):
    items: list[OpenClientOut]
    total: int


@route(bp, "GET", "/open-clients", auth="staff", roles=ADMINS, query=Paging, response=OpenClientList)
async def list_open_clients(request: Request, query: Paging):
    """Every data-sharing client (never a secret)."""
    return await sharing_clients.list_clients(page=query.page, page_size=query.page_size)


@route(bp, "POST", "/open-clients", auth="staff", roles=ADMINS, body=OpenClientCreateIn,
       response=OpenClientSecretOut, status=201, audit="open_client.create")
async def create_open_client(request: Request, body: OpenClientCreateIn):
    """Create a client; its secret is answered this once."""
    return await sharing_clients.create_client(
        pii=deps(request).pii, name=body.name, remark=body.remark, scopes=list(body.scopes),
        rate_limit_per_minute=body.rate_limit_per_minute, created_by=staff(request).username,
        entry=audit_entry(request),
    )


@route(bp, "PUT", "/open-clients/{client_id:int}", auth="staff", roles=ADMINS, body=OpenClientUpdateIn,
       response=OpenClientOut, audit="open_client.update")
async def update_open_client(request: Request, client_id: int, body: OpenClientUpdateIn):
    """Change a client's name, remark, scopes, rate limit or enabled flag."""
    return await sharing_clients.update_client(client_id=client_id, changes=body.model_dump(exclude_none=True),
                                            entry=audit_entry(request))


@route(bp, "POST", "/open-clients/{client_id:int}/rotate-secret", auth="staff", roles=ADMINS,
       response=OpenClientSecretOut, audit="open_client.rotate_secret")
async def rotate_open_client_secret(request: Request, client_id: int):
    """A new secret, answered this once; the old one stops working at once."""
    return await sharing_clients.rotate_secret(pii=deps(request).pii, client_id=client_id, now=deps(request).now(),
                                            entry=audit_entry(request))


@route(bp, "DELETE", "/open-clients/{client_id:int}", auth="staff", roles=ADMINS, status=204,
       audit="open_client.delete")
async def delete_open_client(request: Request, client_id: int):
    """Delete a client: its app key stops working at once."""
    await sharing_clients.delete_client(client_id=client_id, entry=audit_entry(request))

"""The data-sharing open API (/api/open/v1/...): read-only, signed by supervising platforms' clients.

Every route is ``auth="openapi"`` (api/sharing/auth.py); its ``roles`` are the client scopes it needs.
Every call of an identified client is audited under its app key (action ``open.*``).
"""

from __future__ import annotations

from sanic import Blueprint, Request

from checkup.api.audit import audit_entry
from checkup.api.routing import route
from checkup.api.sharing.schemas import (
    OpenBookingCountList,
    OpenBookingList,
    OpenBookingsQuery,
    OpenPaymentDayList,
    OpenPingOut,
    OpenRangeQuery,
)
from checkup.services import sharing_data

bp = Blueprint("open", url_prefix="/api/open/v1")


def _deps(request: Request):
    return request.app.ctx.deps


@route(bp, "GET", "/ping", auth="openapi", response=OpenPingOut, audit="open.ping")
async def open_ping(request: Request):
    """Check the signature: who the call was signed as, its scopes and the server's clock."""
    client = request.ctx.open_client
    audit_entry(request).change(target="ping")
    return {"app_key": client.app_key, "name": client.name, "scopes": list(client.scopes or []),
            "server_time": int(_deps(request).now().timestamp())}


@route(bp, "GET", "/bookings", auth="openapi", roles=("bookings:read",), query=OpenBookingsQuery,
       response=OpenBookingList, audit="open.bookings")
async def open_bookings(request: Request, query: OpenBookingsQuery):
    """Bookings by checkup day, with masked personal data only (paged)."""
    entry = audit_entry(request)
    entry.change(target=f"bookings:{query.from_}..{query.to}")
    result = await sharing_data.bookings(_deps(request).pii, start=query.from_, end=query.to, status=query.status,
                                      page=query.page, page_size=query.page_size)
    entry.change(rows=len(result["items"]), total=result["total"])
    return result


@route(bp, "GET", "/booking-counts", auth="openapi", roles=("counts:read",), query=OpenRangeQuery,
       response=OpenBookingCountList, audit="open.booking_counts")
async def open_booking_counts(request: Request, query: OpenRangeQuery):
    """Bookings per checkup day and package, and per day, by status."""
    entry = audit_entry(request)
    entry.change(target=f"booking-counts:{query.from_}..{query.to}")
    result = await sharing_data.booking_counts(start=query.from_, end=query.to)
    entry.change(rows=result["total"])
    return result


@route(bp, "GET", "/payment-totals", auth="openapi", roles=("payments:read",), query=OpenRangeQuery,
       response=OpenPaymentDayList, audit="open.payment_totals")
async def open_payment_totals(request: Request, query: OpenRangeQuery):
    """WeChat payments and succeeded refunds per day, in fen."""
    entry = audit_entry(request)
    entry.change(target=f"payment-totals:{query.from_}..{query.to}")
    result = await sharing_data.payment_totals(start=query.from_, end=query.to)
    entry.change(rows=result["total"])
    return result

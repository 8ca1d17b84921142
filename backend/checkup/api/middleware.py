"""Request ids, security headers and CORS for configured origins only."""

from __future__ import annotations

import contextvars
import logging
import re
import secrets

from sanic import Request, Sanic
from sanic.response import HTTPResponse

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every log record (as ``request_id``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def install_middleware(app: Sanic, *, cors_origins: tuple[str, ...] = ()) -> None:
    allowed = frozenset(o.rstrip("/") for o in cors_origins)

    # Sanic types on_request(priority=...) as returning the middleware, not the decorator it returns
    @app.on_request(priority=100)  # type: ignore[call-arg]
    async def assign_request_id(request: Request) -> HTTPResponse | None:
        incoming = request.headers.get("x-request-id", "")
        rid = incoming if _VALID_ID.match(incoming) else secrets.token_hex(8)
        request.ctx.request_id = rid
        request_id_var.set(rid)
        origin = request.headers.get("origin", "")
        if request.method == "OPTIONS" and origin and origin in allowed:
            response = HTTPResponse(status=204)
            _cors_headers(response, origin, request)
            return response
        return None

    @app.on_response(priority=100)
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        headers = response.headers
        headers.setdefault("X-Request-ID", getattr(request.ctx, "request_id", "-"))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "no-referrer")
        if request.path.startswith("/api/"):
            headers.setdefault("Cache-Control", "no-store")
        elif (response.content_type or "").startswith("text/html"):
            headers.setdefault("Content-Security-Policy", CONSOLE_CSP)
        if request.headers.get("x-forwarded-proto", request.scheme) == "https":
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        origin = request.headers.get("origin", "")
        if origin and origin in allowed:
            _cors_headers(response, origin, request)


def _cors_headers(response: HTTPResponse, origin: str, request: Request) -> None:
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Vary"] = "Origin"
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, DELETE, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, X-Request-ID"
    response.headers["Access-Control-Max-Age"] = "600"

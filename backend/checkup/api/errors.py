"""Every error answers one JSON shape: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
import secrets

from sanic import Request, Sanic
from sanic.exceptions import MethodNotAllowed, NotFound, PayloadTooLarge, SanicException
from sanic.response import json

from checkup.domain.errors import AppError, DatabaseUnavailable
from checkup.services.health import is_database_outage

log = logging.getLogger("checkup.api")


def error_response(status: int, code: str, message: str, details: dict | None = None):
    return json({"error": {"code": code, "message": message, "details": details or {}}}, status=status,
                ensure_ascii=False)


def install_error_handlers(app: Sanic) -> None:
    @app.exception(AppError)
    async def app_error(request: Request, exc: AppError):
        details = dict(exc.details)
        code = details.pop("code", None) if exc.code == "BAD_REQUEST" else None
        response = error_response(exc.status, code or exc.code, exc.message, details)
        if "retry_after" in details:
            response.headers["Retry-After"] = str(details["retry_after"])
        return response

    @app.exception(NotFound)
    async def not_found(request: Request, exc: NotFound):
        return error_response(404, "NOT_FOUND", "请求的地址不存在")

    @app.exception(MethodNotAllowed)
    async def method_not_allowed(request: Request, exc: MethodNotAllowed):
        return error_response(405, "METHOD_NOT_ALLOWED", "不支持该请求方法")

    @app.exception(PayloadTooLarge)
    async def too_large(request: Request, exc: PayloadTooLarge):
        return error_response(413, "PAYLOAD_TOO_LARGE", "请求内容过大")

    @app.exception(SanicException)
    async def sanic_error(request: Request, exc: SanicException):
        status = getattr(exc, "status_code", 500) or 500
        if status >= 500:
            return _internal(request, exc)
        return error_response(status, "BAD_REQUEST", "请求有误")

    @app.exception(Exception)
    async def unexpected(request: Request, exc: Exception):
        if is_database_outage(exc):
            return _database_unavailable(request, exc)
        return _internal(request, exc)


RETRY_AFTER_SECONDS = 5


def _database_unavailable(request: Request, exc: BaseException):
    """503 with Retry-After in the one error shape; one log line, no traceback (the outage is the news)."""
    log.warning("database unavailable: %s %s (%s: %s)", request.method, request.path, type(exc).__name__,
                str(exc).splitlines()[0][:160] if str(exc) else "")
    response = error_response(DatabaseUnavailable.status, DatabaseUnavailable.code, DatabaseUnavailable.default_message,
                              {"retry_after": RETRY_AFTER_SECONDS})
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _internal(request: Request, exc: Exception):
    ref = str(getattr(request.ctx, "request_id", "") or secrets.token_hex(6)).upper()
    log.exception("unhandled error ref=%s %s %s", ref, request.method, request.path, exc_info=exc)
    return error_response(500, "INTERNAL_ERROR", f"系统繁忙，请稍后再试（错误编号 {ref}）", {"ref": ref})

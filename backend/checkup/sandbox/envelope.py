"""Signed JSON envelope endpoints shared by the sandbox HIS and PEIS (authentication, faults, signing)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError
from sanic import Request
from sanic.response import HTTPResponse

from checkup.sandbox.hospital import Refusal
from checkup.sandbox.signing import AuthError, RequestVerifier, response_headers
from checkup.sandbox.state import SandboxState

Operation = Callable[[SandboxState, bytes], Awaitable[dict[str, Any] | None]]
JSON_TYPE = "application/json; charset=utf-8"


class Incoming(BaseModel):
    """Base of every protocol request body: strict JSON types, unknown fields ignored."""

    model_config = ConfigDict(strict=True, extra="ignore", str_strip_whitespace=True, populate_by_name=True)


def envelope(result: str, code: str, message: str, data: Any = None) -> bytes:
    """The protocol's answer body."""
    body = {"result": result, "code": code, "message": message, "data": data}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    """Readable field errors of a pydantic validation failure."""
    return [
        {"field": ".".join(str(part) for part in err["loc"]), "problem": err["msg"]}
        for err in exc.errors(include_url=False, include_context=False, include_input=False)
    ]


async def perform(handler: Operation, state: SandboxState, body: bytes) -> bytes:
    """Run one operation and turn its outcome into an envelope."""
    try:
        data = await handler(state, body)
    except Refusal as refusal:
        return envelope("FAILED", refusal.code, refusal.message, refusal.details or None)
    except ValidationError as exc:
        return envelope("FAILED", "INVALID_REQUEST", "请求参数不正确", {"errors": validation_details(exc)})
    return envelope("SUCCESS", "OK", "成功", data or {})


def signed_operation(
    *, system: str, operation: str, handler: Operation, verifier: RequestVerifier, state: SandboxState
) -> Callable[[Request], Coroutine[Any, Any, HTTPResponse]]:
    """A Sanic handler: authenticate, apply an injected fault if one is queued, answer signed."""

    async def endpoint(request: Request) -> HTTPResponse:
        body = request.body or b""
        try:
            app_id = verifier.verify(
                method=request.method, path=request.path, headers=request.headers, body=body
            )
        except AuthError as refused:
            return HTTPResponse(
                envelope("FAILED", refused.code, refused.message), status=401, content_type=JSON_TYPE
            )
        secret = verifier.credentials[app_id]
        platform = state.platforms.get(system)
        if platform is None:
            return await answer(secret, body)
        if not platform.admit(operation):
            return HTTPResponse(b"Service Unavailable: too many concurrent calls", status=503,
                                content_type="text/plain; charset=utf-8")
        try:
            if platform.latency_seconds:
                await asyncio.sleep(platform.latency_seconds)
            return await answer(secret, body)
        finally:
            platform.leave()

    async def answer(secret: str, body: bytes) -> HTTPResponse:
        fault = state.take_fault(f"{system}.{operation}")
        if fault is None:
            return _signed(secret, await perform(handler, state, body))
        if fault.outcome != "failed" and fault.applied:
            await perform(handler, state, body)  # done, but the caller never learns the result
        if fault.delay_seconds:
            await asyncio.sleep(fault.delay_seconds)
        if fault.outcome == "failed":
            return _signed(secret, envelope("FAILED", "SANDBOX_FAULT", "模拟故障：本次调用被拒绝"))
        if fault.outcome == "processing":
            return _signed(secret, envelope("PROCESSING", "PROCESSING", "处理中，请稍后查询"))
        return HTTPResponse(b"Service Unavailable", status=503, content_type="text/plain; charset=utf-8")

    endpoint.__name__ = f"sandbox_{system}_{operation}"
    return endpoint


def _signed(secret: str, body: bytes) -> HTTPResponse:
    return HTTPResponse(body, status=200, headers=response_headers(secret, body), content_type=JSON_TYPE)

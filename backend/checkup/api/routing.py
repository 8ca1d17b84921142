"""One declaration per route: method, path, who may call it, input and output schemas.

The table (ROUTES) drives authentication, input validation, the OpenAPI document and the tests
that walk every route, so a route cannot exist without saying who may call it.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from sanic import Blueprint, HTTPResponse, Request
from sanic.response import json as json_response

from checkup.api.ratelimit import RULES, limiter_of
from checkup.api.schemas import MAX_ID
from checkup.domain.errors import (
    BadRequest,
    Forbidden,
    NotFound,
    Unauthorized,
    UnsupportedMediaType,
    ValidationFailed,
)

log = logging.getLogger("checkup.api")

Auth = Literal["public", "patient", "staff", "signature", "openapi", "his"]  # openapi: api/sharing/auth.py; his: api/his_notify.py

# Text path parameters by name, with the longest value a record can have (its column). A longer value
# names no record: it answers 404 before the handler instead of reaching the database. None: the
# handler parses the value itself (a day: 422 when it is not YYYY-MM-DD). A route with a text path
# parameter not listed here is refused at declaration.
PATH_TEXT_MAX: dict[str, int | None] = {"code": 32, "payment_no": 32, "refund_no": 64, "username": 64, "day": None}


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str  # full path, e.g. /api/me/patients/{id}
    name: str
    auth: Auth
    roles: tuple[str, ...] = ()  # staff: the roles that may call it; openapi: the client scopes it needs
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    summary: str = ""
    tags: tuple[str, ...] = ()
    produces: tuple[str, ...] = ("application/json",)
    errors: tuple[int, ...] = field(default=())
    audit: str | None = None  # the audit action every call of this route records (staff changes)
    limit: tuple[str, ...] = ()  # rate limit rules (checkup.api.ratelimit.RULES) every call counts against


ROUTES: list[RouteSpec] = []
Authenticator = Callable[[Request, RouteSpec], Awaitable[None]]
_authenticators: dict[str, Authenticator] = {}


class AuditHook:
    """What an audited route does around its call: open an entry, then record the outcome."""

    def begin(self, request: Request, spec: RouteSpec) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    async def end(self, request: Request, spec: RouteSpec, error: Exception | None) -> None:  # pragma: no cover
        raise NotImplementedError


_audit_hook: AuditHook | None = None


class ResponseContractError(RuntimeError):
    """A route answered JSON its declared response model refuses (CHECKUP_RESPONSE_CHECK=strict)."""


ResponseCheck = Literal["strict", "log"]


def response_problems(spec: RouteSpec, body: bytes) -> str | None:
    """Why a 2xx JSON ``body`` is not what ``spec.response`` declares (route and fields named), or None."""
    if spec.response is None:
        return None
    try:
        # JSON-mode strict validation, as for bodies: 12 is not "12", but "2026-12-01" is a date.
        spec.response.model_validate_json(body, strict=True)
    except ValidationError as exc:
        fields = "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'body'}: {err['msg']}"
                           for err in exc.errors(include_url=False, include_input=False)[:10])
        return f"{spec.method} {spec.path} answered outside {spec.response.__name__}: {fields}"
    return None


# In production (log) one answer in LOG_SAMPLE of each route is checked, the first one always: parsing every
# answer again costs the hot routes (the calendar's cached answer, bookings) a measurable share of their time,
# while a drifting field shows in the log within the first answers anyway. Strict (tests, dev) checks all.
LOG_SAMPLE = 100
_answers_seen: dict[tuple[str, str], int] = {}


def check_response(request: Request, spec: RouteSpec, response: HTTPResponse) -> None:
    """Validate a 2xx JSON answer against the route's response model: strict raises (a 500 naming the route
    and the field: tests and dev), log logs an error and lets the answer go (production, sampled)."""
    if spec.response is None or not 200 <= response.status < 300 or response.body is None:
        return
    if not (response.content_type or "").startswith("application/json"):
        return
    settings = getattr(request.app.ctx, "settings", None)
    mode: ResponseCheck = getattr(settings, "response_check", None) or "strict"
    if mode == "log":
        key = (spec.method, spec.path)
        seen = _answers_seen.get(key, 0)
        _answers_seen[key] = seen + 1
        if seen % LOG_SAMPLE:
            return
    problems = response_problems(spec, response.body)
    if problems is None:
        return
    if mode == "strict":
        raise ResponseContractError(problems)
    log.error("response contract: %s", problems)


def register_authenticator(kind: str, fn: Authenticator) -> None:
    _authenticators[kind] = fn


def register_audit_hook(hook: AuditHook) -> None:
    global _audit_hook
    _audit_hook = hook


def _error_details(exc: ValidationError) -> dict[str, str]:
    fields: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "body"
        fields[loc] = _zh(err)
    return fields


def _zh(err: ErrorDetails) -> str:
    kind = err["type"]
    return {
        "missing": "必填",
        "extra_forbidden": "不允许的字段",
        "int_type": "应为整数",
        "int_parsing": "应为整数",
        "string_type": "应为文本",
        "bool_type": "应为布尔值",
        "bool_parsing": "应为布尔值",
        "date_type": "应为日期 YYYY-MM-DD",
        "date_parsing": "应为日期 YYYY-MM-DD",
        "date_from_datetime_parsing": "应为日期 YYYY-MM-DD",
        "list_type": "应为列表",
        "string_too_short": "太短",
        "string_too_long": "太长",
        "greater_than_equal": "太小",
        "less_than_equal": "太大",
        "greater_than": "太小",
        "less_than": "太大",
        "literal_error": "取值无效",
        "enum": "取值无效",
        "string_pattern_mismatch": "格式不正确",
        "too_short": "数量太少",
        "too_long": "数量太多",
    }.get(kind, "格式不正确")


# Content types a cross-site HTML form (or a no-preflight fetch) can send: a JSON body under one of these
# is refused, so another site cannot make a browser post to the API (e.g. repeated logins).
FORM_CONTENT_TYPES = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")


def parse_body(request: Request, model: type[BaseModel]) -> BaseModel:
    raw = request.body or b""
    content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    if raw and content_type in FORM_CONTENT_TYPES:
        raise UnsupportedMediaType()
    try:
        data = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: [[[[... nested past the stack
        raise BadRequest("请求内容不是有效的JSON", code="BAD_JSON") from None
    if not isinstance(data, dict):
        raise ValidationFailed("请求内容应为JSON对象", fields={"body": "应为JSON对象"})
    try:
        # JSON-mode strict validation: "12" is not an integer, but "2026-12-01" is a date.
        return model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise ValidationFailed(fields=_error_details(exc)) from None


def parse_query(request: Request, model: type[BaseModel]) -> BaseModel:
    data = {k: v[0] if len(v) == 1 else v for k, v in request.args.items()}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(fields=_error_details(exc)) from None


def route(
    bp: Blueprint,
    method: str,
    path: str,
    *,
    auth: Auth,
    roles: tuple[str, ...] = (),
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    summary: str = "",
    produces: tuple[str, ...] = ("application/json",),
    audit: str | None = None,
    limit: tuple[str, ...] = (),
) -> Callable:
    """Declare and register a handler. ``path`` is relative to the blueprint's url_prefix.

    ``audit`` names the action recorded in the audit trail for every call (success or failure).
    ``limit`` names the rate limit rules of the route: per client address ones are counted before
    authentication, per user ones after it, per account ones after the body is read; a refused call
    (429 RATE_LIMITED) reaches no handler.
    """
    unknown = [name for name in limit if name not in RULES]
    if unknown:
        raise ValueError(f"route {method} {path}: unknown rate limit rules {unknown}")
    if auth == "staff" and not roles:
        raise ValueError(f"staff route {method} {path} must name its roles")
    unbounded = [name for name, kind in re.findall(r"\{(\w+)(?::(\w+))?\}", path)
                 if kind != "int" and name not in PATH_TEXT_MAX]
    if unbounded:
        raise ValueError(f"route {method} {path}: path parameters {unbounded} have no PATH_TEXT_MAX entry")
    prefix = bp.url_prefix or ""
    full = prefix + path
    sanic_path = path.replace("{", "<").replace("}", ">")

    def decorator(handler: Callable[..., Awaitable[Any]]) -> Callable:
        spec = RouteSpec(
            method=method,
            path=full,
            name=handler.__name__,
            auth=auth,
            roles=roles,
            body=body,
            query=query,
            response=response,
            status=status,
            summary=summary or (handler.__doc__ or "").strip().split("\n")[0],
            tags=(bp.name,),
            produces=produces,
            audit=audit,
            limit=tuple(limit),
        )
        ROUTES.append(spec)
        by_ip = tuple(n for n in limit if RULES[n].subject == "ip")
        by_user = tuple(n for n in limit if RULES[n].subject == "user")
        by_account = tuple(n for n in limit if RULES[n].subject in ("account", "id_number"))  # read from the body

        @functools.wraps(handler)
        async def wrapper(request: Request, **params: Any) -> HTTPResponse:
            if spec.audit is None:
                return await call(request, params)
            if _audit_hook is None:
                raise RuntimeError(f"route {spec.method} {spec.path} is audited but no audit hook is registered")
            _audit_hook.begin(request, spec)
            try:
                response = await call(request, params)
            except Exception as exc:
                await _audit_hook.end(request, spec, exc)
                raise
            await _audit_hook.end(request, spec, None)
            return response

        async def call(request: Request, params: dict[str, Any]) -> HTTPResponse:
            limiter = limiter_of(request) if limit else None
            if limiter and by_ip:
                await limiter.check(by_ip, request)
            if auth != "public":
                authenticate = _authenticators.get(auth)
                if authenticate is None:
                    raise Unauthorized()
                await authenticate(request, spec)
            check_path_params(params)
            if limiter and by_user:
                await limiter.check(by_user, request)
            kwargs: dict[str, Any] = dict(params)
            if body is not None:
                kwargs["body"] = parse_body(request, body)
            if limiter and by_account:
                await limiter.check(by_account, request, kwargs.get("body"))
            if query is not None:
                kwargs["query"] = parse_query(request, query)
            result = await handler(request, **kwargs)
            if result is None:
                return HTTPResponse(status=204)
            if isinstance(result, HTTPResponse):
                answer = result
            else:
                if isinstance(result, BaseModel):
                    result = result.model_dump(mode="json")
                answer = json_response(result, status=status, ensure_ascii=False)
            check_response(request, spec, answer)
            return answer

        wrapper.__route_spec__ = spec  # type: ignore[attr-defined]
        # unquote: a path parameter reaches the handler as text ("%E4%BD%93" is "体").
        bp.add_route(wrapper, sanic_path, methods=[method], name=f"{handler.__name__}_{method.lower()}",
                     unquote=True)
        return wrapper

    return decorator


def check_path_params(params: dict[str, Any]) -> None:
    """A path parameter outside what a record can hold names no record: 404 (see PATH_TEXT_MAX)."""
    for name, value in params.items():
        if isinstance(value, int) and not 1 <= value <= MAX_ID:
            raise NotFound()
        longest = PATH_TEXT_MAX.get(name) if isinstance(value, str) else None
        if longest is not None and len(value) > longest:
            raise NotFound()


def require_roles(staff_roles: list[str], spec: RouteSpec) -> None:
    if not set(staff_roles) & set(spec.roles):
        raise Forbidden()

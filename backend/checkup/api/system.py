"""Health, readiness, metrics and the OpenAPI document."""

from __future__ import annotations

import re
from typing import Literal

from sanic import Blueprint, HTTPResponse, Request

from checkup import __version__
from checkup.api.errors import error_response
from checkup.api.metrics import CONTENT_TYPE, check_metrics_access, is_ready, readiness, render_metrics
from checkup.api.routing import PATH_TEXT_MAX, ROUTES, route
from checkup.api.schemas import MAX_ID, ErrorOut, HealthOut, Out
from checkup.services.health import database_answers
from checkup.services.ops_counters import COUNTERS

bp = Blueprint("system", url_prefix="/api")


class PingOut(Out):
    status: Literal["ok"]


class ReadyOut(Out):
    status: Literal["ready"]
    db: str
    migrations: str
    redis: str


class OpenApiOut(Out):
    openapi: str
    info: dict
    paths: dict
    components: dict


@route(bp, "GET", "/health", auth="public", response=HealthOut)
async def health(request: Request):
    """Liveness with the state of the database and Redis."""
    db = "ok"
    try:
        await database_answers()
    except Exception:  # noqa: BLE001 - health must answer whatever broke
        db = "error"
    redis = "disabled"
    client = request.app.ctx.redis
    if client is not None:
        try:
            await client.ping()
            redis = "ok"
        except Exception:  # noqa: BLE001
            redis = "error"
    status = "ok" if db == "ok" and redis != "error" else "degraded"
    return {"status": status, "db": db, "redis": redis, "version": __version__}


@route(bp, "GET", "/ping", auth="public", response=PingOut)
async def ping(request: Request):
    """Liveness without touching the database or Redis (load balancers; the bench's ceiling)."""
    return {"status": "ok"}


@route(bp, "GET", "/ready", auth="public", response=ReadyOut)
async def ready(request: Request):
    """Readiness: 200 when the database answers, its migrations are current and Redis (when configured)
    answers; 503 NOT_READY naming the failing part otherwise, and from SIGTERM on (load balancers drain)."""
    parts = await readiness(request.app)
    COUNTERS.add("ready", "ready", error=not is_ready(parts))  # availability in the monthly report
    if is_ready(parts):
        return {"status": "ready", **parts}
    return error_response(503, "NOT_READY", "服务暂不可用", parts)


@route(bp, "GET", "/metrics", auth="public", produces=("text/plain",))
async def metrics(request: Request):
    """Prometheus metrics of this process and the database (text format): from CHECKUP_METRICS_ALLOW networks
    or with the bearer CHECKUP_METRICS_TOKEN, otherwise 403."""
    check_metrics_access(request)
    return HTTPResponse(await render_metrics(request.app), content_type=CONTENT_TYPE)


@route(bp, "GET", "/openapi.json", auth="public", response=OpenApiOut)
async def openapi(request: Request):
    """The OpenAPI 3.1 document of this API."""
    return openapi_document()


def _path_schema(name: str, kind: str) -> dict:
    """A path parameter as the routing layer accepts it (outside these bounds: 404, see PATH_TEXT_MAX)."""
    if kind == "int":
        return {"type": "integer", "minimum": 1, "maximum": MAX_ID}
    if kind == "ymd" or name == "day":
        return {"type": "string", "format": "date"}
    longest = PATH_TEXT_MAX.get(name)
    return {"type": "string", "minLength": 1} | ({"maxLength": longest} if longest else {})


def _schema_ref(model, components: dict) -> dict:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
    for name, sub in schema.pop("$defs", {}).items():
        components[name] = sub
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def openapi_document() -> dict:
    components: dict = {}
    paths: dict = {}
    error_ref = _schema_ref(ErrorOut, components)
    for spec in ROUTES:
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", spec.path)
        op: dict = {"operationId": spec.name, "summary": spec.summary, "tags": list(spec.tags), "responses": {}}
        params = [
            {"name": name, "in": "path", "required": True, "schema": _path_schema(name, kind)}
            for name, kind in re.findall(r"\{(\w+)(?::(\w+))?\}", spec.path)
        ]
        if spec.query is not None:
            qs = spec.query.model_json_schema(by_alias=True)
            required = set(qs.get("required", []))
            for name, prop in qs.get("properties", {}).items():
                params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
        if params:
            op["parameters"] = params
        if spec.body is not None:
            op["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _schema_ref(spec.body, components)}},
            }
        if spec.auth in ("patient", "staff"):
            op["security"] = [{"bearer": []}]
        elif spec.auth == "openapi":  # data sharing: all four headers together (docs/interfaces/data-sharing.md)
            op["security"] = [{"openAppKey": [], "openTimestamp": [], "openNonce": [], "openSignature": []}]
        elif spec.auth == "his":  # HIS's own notifications: signed like our calls to HIS (his-peis-protocol.md)
            op["security"] = [{"hisAppId": [], "hisTimestamp": [], "hisNonce": [], "hisSignature": []}]
        if spec.roles:
            op["x-roles"] = list(spec.roles)
        if spec.audit:
            op["x-audit"] = spec.audit
        ok: dict = {"description": "OK"}
        if spec.status != 204:
            schema = _schema_ref(spec.response, components) if spec.response else {"type": "object"}
            binary = {"type": "string", "format": "binary"}  # xlsx, pdf: the file itself
            ok["content"] = {ctype: {"schema": schema if ctype.endswith("json") else binary}
                             for ctype in spec.produces}
        op["responses"][str(spec.status)] = ok
        if spec.limit:
            op["x-rate-limits"] = list(spec.limit)
            op["responses"]["429"] = {
                "description": "操作太频繁 (RATE_LIMITED, details.retry_after)",
                "headers": {"Retry-After": {"description": "seconds", "schema": {"type": "integer"}}},
                "content": {"application/json": {"schema": error_ref}},
            }
        op["responses"]["default"] = {"description": "错误", "content": {"application/json": {"schema": error_ref}}}
        paths.setdefault(path, {})[spec.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "体检预约缴费 API", "version": __version__},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "openAppKey": {"type": "apiKey", "in": "header", "name": "X-App-Key"},
                "openTimestamp": {"type": "apiKey", "in": "header", "name": "X-Timestamp"},
                "openNonce": {"type": "apiKey", "in": "header", "name": "X-Nonce"},
                "openSignature": {"type": "apiKey", "in": "header", "name": "X-Signature",
                                  "description": "hex HMAC-SHA256, see docs/interfaces/data-sharing.md"},
                "hisAppId": {"type": "apiKey", "in": "header", "name": "X-Checkup-AppId"},
                "hisTimestamp": {"type": "apiKey", "in": "header", "name": "X-Checkup-Timestamp"},
                "hisNonce": {"type": "apiKey", "in": "header", "name": "X-Checkup-Nonce"},
                "hisSignature": {"type": "apiKey", "in": "header", "name": "X-Checkup-Signature",
                                 "description": "base64 HMAC-SHA256, see docs/interfaces/his-peis-protocol.md"},
            },
        },
    }

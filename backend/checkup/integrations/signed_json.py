"""Transport shared by the HIS and PEIS HTTP JSON clients: signed POSTs, verified envelope answers.

Every call is ``POST {base_url}/{operation}`` with a JSON body. Only an HTTP 200 answer whose signature
verifies carries a business outcome: ``{"result": "SUCCESS"|"FAILED"|"PROCESSING", "code", "message",
"data"}``. Anything else (timeouts, connection errors, other statuses, unsigned or unparseable answers,
PROCESSING) is UNKNOWN, because the operation may or may not have happened.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from checkup.integrations import signing
from checkup.integrations.result import CallResult, Outcome

SHANGHAI = ZoneInfo("Asia/Shanghai")

# UNKNOWN reasons (CallResult.code) produced by the transport itself.
TIMEOUT = "TIMEOUT"
CONNECTION_ERROR = "CONNECTION_ERROR"
AUTH_REFUSED = "AUTH_REFUSED"
BAD_SIGNATURE = "BAD_SIGNATURE"
BAD_RESPONSE = "BAD_RESPONSE"
PROCESSING = "PROCESSING"


class ResponseFormatError(ValueError):
    """The remote answer does not have the documented shape."""


class SignedJsonClient:
    """Signs requests with an app id and secret, verifies and unwraps the answers."""

    def __init__(
        self,
        *,
        base_url: str,
        app_id: str,
        secret: str,
        timeout: float,
        client: httpx.AsyncClient | None,
        system: str,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._app_id = app_id
        self._secret = secret
        self._timeout = timeout
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._owns_client = client is None
        self._log = logging.getLogger(f"checkup.integrations.{system}")

    async def aclose(self) -> None:
        """Close the HTTP client when this object created it."""
        if self._owns_client:
            await self._client.aclose()

    async def call(self, operation: str, payload: dict[str, Any]) -> CallResult[dict[str, Any]]:
        """Send one operation; SUCCESS carries the envelope's ``data`` object."""
        result = await self._call(operation, payload)
        if not result.ok:
            level = logging.WARNING if result.outcome is Outcome.UNKNOWN else logging.INFO
            self._log.log(level, "%s %s: %s %s", operation, result.outcome, result.code, result.message or "")
        return result

    async def _call(self, operation: str, payload: dict[str, Any]) -> CallResult[dict[str, Any]]:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        url = httpx.URL(f"{self._base_url}/{operation}")
        path = url.raw_path.decode("ascii").split("?", 1)[0]
        headers = signing.sign_request(
            app_id=self._app_id, secret=self._secret, method="POST", path=path, body=body
        )
        headers["Content-Type"] = "application/json; charset=utf-8"
        try:
            response = await self._client.post(url, content=body, headers=headers, timeout=self._timeout)
        except httpx.TimeoutException as exc:
            return CallResult.unknown(TIMEOUT, f"{type(exc).__name__}")
        except httpx.HTTPError as exc:
            return CallResult.unknown(CONNECTION_ERROR, f"{type(exc).__name__}: {exc}")
        if response.status_code in (401, 403):
            return CallResult.unknown(AUTH_REFUSED, f"HTTP {response.status_code}")
        if response.status_code != 200:
            return CallResult.unknown(f"HTTP_{response.status_code}", response.reason_phrase)
        problem = signing.verify_response(
            secret=self._secret, headers=response.headers, body=response.content
        )
        if problem:
            return CallResult.unknown(BAD_SIGNATURE, problem)
        return _unwrap(response.content)


def _unwrap(content: bytes) -> CallResult[dict[str, Any]]:
    try:
        envelope = json.loads(content)
    except ValueError:
        return CallResult.unknown(BAD_RESPONSE, "answer is not JSON")
    if not isinstance(envelope, dict):
        return CallResult.unknown(BAD_RESPONSE, "answer is not a JSON object")
    result = envelope.get("result")
    code = envelope.get("code")
    message = envelope.get("message")
    message = message if isinstance(message, str) else ""
    if result == "SUCCESS":
        data = envelope.get("data")
        if data is None:
            data = {}
        if not isinstance(data, dict):
            return CallResult.unknown(BAD_RESPONSE, "data is not an object")
        return CallResult.success(data)
    if result == "FAILED":
        if not isinstance(code, str) or not code:
            return CallResult.unknown(BAD_RESPONSE, "FAILED answer without a code")
        return CallResult.failed(code, message)
    if result == "PROCESSING":
        return CallResult.unknown(PROCESSING, message)
    return CallResult.unknown(BAD_RESPONSE, f"unexpected result {result!r}")


# Strict readers of remote JSON: a wrong type is a format error, never silently coerced.


def req_str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ResponseFormatError(f"{key} must be a non-empty string")
    return value


def opt_str(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ResponseFormatError(f"{key} must be a string")
    return value


def req_choice(data: dict[str, Any], key: str, allowed: tuple[str, ...]) -> Any:
    value = req_str(data, key)
    if value not in allowed:
        raise ResponseFormatError(f"{key} must be one of {allowed}")
    return value


def req_int(data: dict[str, Any], key: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ResponseFormatError(f"{key} must be an integer")
    return value


def req_datetime(data: dict[str, Any], key: str) -> datetime:
    value = req_str(data, key)
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ResponseFormatError(f"{key} has no UTC offset")
    return parsed


def opt_datetime(data: dict[str, Any], key: str) -> datetime | None:
    return None if data.get(key) in (None, "") else req_datetime(data, key)


def req_date(data: dict[str, Any], key: str) -> date:
    value = req_str(data, key)
    if len(value) != 10:
        raise ResponseFormatError(f"{key} must be YYYY-MM-DD")
    return date.fromisoformat(value)


def req_dict(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise ResponseFormatError(f"{key} must be an object")
    return value


def req_list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise ResponseFormatError(f"{key} must be a list")
    return value


def wire_datetime(value: datetime) -> str:
    """ISO 8601 with offset, in Asia/Shanghai, for an outgoing request."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: pass a timezone-aware value")
    return value.astimezone(SHANGHAI).isoformat(timespec="seconds")


PARSE_ERRORS = (ValueError, TypeError, KeyError, AttributeError)


def format_error(exc: Exception) -> CallResult[Any]:
    """UNKNOWN for a SUCCESS answer whose data could not be read."""
    return CallResult.unknown(BAD_RESPONSE, str(exc))

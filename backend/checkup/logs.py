"""Logging: one JSON object per line (CHECKUP_LOG_FORMAT=json, the default in prod) or text, with the
request id on every record, and no personal data or secrets.

``RedactFilter`` masks ID numbers (110101********1234) and mobile numbers in every written form
(138****5678, +86 138****5678; domain/masking.py), bearer tokens
and Authorization headers, and the values of secret query parameters (token, secret, js_code,
access_token, password) in messages and in the access log's request line; the formatters apply the
same masking to the finished line, so exception texts and extras are covered too.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import datetime
from typing import Any

from checkup.api.middleware import RequestIdFilter
from checkup.domain.masking import mask_personal_text

_AUTH_HEADER = re.compile(r"""(?i)(authorization["']?\s*[:=]\s*["']?)(?:(bearer|basic)\s+)?[^\s"',;}]+""")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]+")
_SECRET_PARAMS = re.compile(r"(?i)([?&](?:token|secret|js_code|access_token|password)=)[^&\s\"']+")


def redact(text: str) -> str:
    """``text`` with personal data and secrets masked."""
    if not text:
        return text
    text = _AUTH_HEADER.sub(lambda m: m.group(1) + (m.group(2) + " " if m.group(2) else "") + "***", text)
    text = _BEARER.sub(r"\1 ***", text)
    text = _SECRET_PARAMS.sub(r"\1***", text)
    return mask_personal_text(text)


class RedactFilter(logging.Filter):
    """Masks personal data and secrets in a record's message and in Sanic's access-log request line."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: leave it to the handler to report
            return True
        clean = redact(message)
        if clean != message or record.args:
            record.msg, record.args = clean, None
        request = getattr(record, "request", None)
        if isinstance(request, str):
            record.request = redact(request)
        return True


# LogRecord attributes that are not extras.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id",
                                                                          "taskName"}


def _access_message(record: logging.LogRecord, message: str) -> str:
    if message or record.name != "sanic.access":
        return message
    return " ".join(str(getattr(record, k, "")) for k in ("host", "request", "status", "byte")).strip()


class JsonFormatter(logging.Formatter):
    """{"ts", "level", "logger", "message", "request_id", ...extras, "exc"} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        message = _access_message(record, record.getMessage())
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in out:
                out[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["exc"] = record.exc_text
        return redact(json.dumps(out, ensure_ascii=False, default=str))


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        if record.name == "sanic.access" and not record.getMessage():
            record.msg, record.args = _access_message(record, ""), None
        return redact(super().format(record))


def make_handler(log_format: str, stream: Any = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter())
    return handler


def install_logging(log_format: str, level: int = logging.INFO) -> None:
    """One handler on the root logger; Sanic's loggers lose their own handlers and propagate to it."""
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(make_handler(log_format))
    root.setLevel(level)
    for name in ("sanic.root", "sanic.error", "sanic.access", "sanic.server", "sanic.websockets"):
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            logger.removeHandler(old)
        logger.propagate = True
    logging.getLogger("httpx").setLevel(logging.WARNING)

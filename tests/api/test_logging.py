"""Structured logs: one JSON object per line with the request id; no personal data or secrets."""

from __future__ import annotations

import io
import json
import logging
import secrets

import httpx

from checkup.app import create_app
from checkup.config import Settings
from checkup.logs import JsonFormatter, RedactFilter, make_handler, redact
from conftest import app_settings
from support.server import free_port

ID_NUMBER = "110101198506121234"
MOBILE = "13812345678"


def test_redact_masks_personal_data_and_secrets():
    text = redact(f"id={ID_NUMBER} tel {MOBILE} Authorization: Bearer abc.def-ghi "
                  "GET /x?token=t0k&js_code=jc&a=1&access_token=at&secret=s3 电话13912345678。")
    assert "110101********1234" in text and ID_NUMBER not in text
    assert "138****5678" in text and MOBILE not in text and "139****5678" in text
    assert "abc.def-ghi" not in text and "Authorization: Bearer ***" in text
    for value in ("t0k", "jc", "=at", "s3"):
        assert value not in text
    assert "&a=1" in text
    # Request ids, amounts and timestamps stay readable.
    assert redact("rid=a13812345678b0c1 amount=138123456789 2026-11-25T20:29:12") == \
        "rid=a13812345678b0c1 amount=138123456789 2026-11-25T20:29:12"


def test_log_format_setting_defaults():
    assert Settings(env="dev").log_format == "text"
    assert Settings(env="dev", log_format="json").log_format == "json"


async def test_request_logs_are_json_with_request_id_and_no_personal_data(sandbox, db):
    stream = io.StringIO()
    handler = make_handler("json", stream)
    root = logging.getLogger()
    root.addHandler(handler)
    app = create_app(app_settings(sandbox), name=f"checkup_logs_{secrets.token_hex(3)}", manage_db=False,
                     sync_packages_on_start=False, run_worker=False)
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=True,
                                     debug=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            r = await client.get(
                f"/api/packages/{ID_NUMBER}?phone={MOBILE}&token=tok-123&js_code=jscode-1&access_token=acc-1"
                "&secret=sec-1",
                headers={"X-Request-ID": "log-test-0001", "Authorization": "Bearer patient-token-xyz"},
            )
            assert r.status_code == 404
        logging.getLogger("checkup.test").warning("header Authorization: Bearer patient-token-xyz id %s tel %s",
                                                  ID_NUMBER, MOBILE, extra={"patient": 7})
    finally:
        await server.before_stop()
        await server.close()
        await server.after_stop()
        root.removeHandler(handler)
    output = stream.getvalue()
    lines = [json.loads(line) for line in output.splitlines()]
    access = [rec for rec in lines if rec["logger"] == "sanic.access"]
    assert access and access[0]["request_id"] == "log-test-0001" and access[0]["status"] == 404
    assert "/api/packages/110101********1234?phone=138****5678&token=***" in access[0]["request"]
    mine = next(rec for rec in lines if rec["logger"] == "checkup.test")
    assert mine["level"] == "WARNING" and mine["patient"] == 7 and mine["ts"][-6] in "+-"
    assert "Bearer ***" in mine["message"] and "110101********1234" in mine["message"]
    for secret in (ID_NUMBER, MOBILE, "tok-123", "jscode-1", "acc-1", "sec-1", "patient-token-xyz"):
        assert secret not in output


def test_json_formatter_fields():
    record = logging.LogRecord("checkup.x", logging.ERROR, __file__, 1, "boom %s", (MOBILE,), None)
    RedactFilter().filter(record)
    out = json.loads(JsonFormatter().format(record))
    assert out["message"] == "boom 138****5678" and out["level"] == "ERROR" and out["logger"] == "checkup.x"
    assert out["request_id"] == "-" and out["ts"][-6] in "+-"

"""Security headers, request ids and CORS on real responses."""

from __future__ import annotations

import secrets

from checkup.app import create_app
from conftest import app_settings


async def test_security_headers_and_request_id(http):
    r = await http.get("/api/packages")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"
    assert len(r.headers["x-request-id"]) >= 8
    mine = await http.get("/api/packages", headers={"X-Request-ID": "client-abc-123"})
    assert mine.headers["x-request-id"] == "client-abc-123"
    bad = await http.get("/api/packages", headers={"X-Request-ID": "<script>"})
    assert bad.headers["x-request-id"] != "<script>"
    https = await http.get("/api/packages", headers={"X-Forwarded-Proto": "https"})
    assert "max-age" in https.headers["strict-transport-security"]
    assert "strict-transport-security" not in r.headers
    assert "access-control-allow-origin" not in (await http.get("/api/packages", headers={"Origin": "https://evil.example"})).headers


async def test_cors_only_for_configured_origins(sandbox, db):
    settings = app_settings(sandbox, cors_origins="https://console.hospital.example")
    app = create_app(settings, name=f"checkup_cors_{secrets.token_hex(3)}", manage_db=False,
                     sync_packages_on_start=False, run_worker=False)
    _, ok = await app.asgi_client.options("/api/packages", headers={"Origin": "https://console.hospital.example"})
    assert ok.status == 204 and ok.headers["access-control-allow-origin"] == "https://console.hospital.example"
    _, other = await app.asgi_client.get("/api/packages", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers

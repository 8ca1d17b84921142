"""Health reports Redis when configured (real Redis), through sanic-testing's ASGI client."""

from __future__ import annotations

import secrets

from checkup.app import create_app
from conftest import REDIS_URL, app_settings


async def test_health_with_real_redis(sandbox, db, redis_client):
    settings = app_settings(sandbox, redis_url=REDIS_URL)
    app = create_app(settings, name=f"checkup_redis_{secrets.token_hex(3)}", manage_db=False,
                     sync_packages_on_start=False)
    _request, response = await app.asgi_client.get("/api/health")
    assert response.status == 200
    assert response.json["redis"] == "ok" and response.json["db"] == "ok"
    await redis_client.set("checkup:test:probe", "1", ex=5)
    assert await redis_client.get("checkup:test:probe") == "1"


async def test_health_says_degraded_when_redis_is_down(sandbox, db):
    settings = app_settings(sandbox, redis_url="redis://127.0.0.1:1/0")
    app = create_app(settings, name=f"checkup_noredis_{secrets.token_hex(3)}", manage_db=False,
                     sync_packages_on_start=False)
    _request, response = await app.asgi_client.get("/api/health")
    assert response.status == 200
    assert response.json["redis"] == "error" and response.json["status"] == "degraded"

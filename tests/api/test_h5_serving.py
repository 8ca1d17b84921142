"""The H5 patient pages are served by the backend under /h5/ (hash routes: one index.html)."""

from __future__ import annotations

import secrets

import httpx

from checkup.app import create_app
from conftest import app_settings
from support.server import free_port, serve


async def test_h5_pages_are_served_under_h5(sandbox, db_url, tmp_path):
    dist = tmp_path / "h5dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>体检H5</title>", encoding="utf-8")
    (dist / "assets" / "index-abc123.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for you", encoding="utf-8")
    settings = app_settings(sandbox, host="127.0.0.1", port=free_port(), h5_dist=dist)
    app = create_app(settings, name=f"checkup_h5_{secrets.token_hex(3)}", manage_db=False,
                     sync_packages_on_start=False)
    async with serve(app, port=settings.port) as url, httpx.AsyncClient(base_url=url) as http:
        index = await http.get("/h5/")
        assert index.status_code == 200 and "体检H5" in index.text
        assert "no-cache" in index.headers["cache-control"]
        asset = await http.get("/h5/assets/index-abc123.js")
        assert asset.status_code == 200 and "immutable" in asset.headers["cache-control"]
        deep = await http.get("/h5/packages?code=x")  # unknown paths are the app's own routes
        assert deep.status_code == 200 and "体检H5" in deep.text
        bare = await http.get("/h5")
        assert bare.status_code in (301, 302, 307, 308) and bare.headers["location"].endswith("/h5/")
        escape = await http.get("/h5/../secret.txt")
        assert "not for you" not in escape.text
        api = await http.get("/api/health")
        assert api.status_code == 200

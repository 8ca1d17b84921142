"""The centre's own facts for the patient pages (GET /api/centre): its name, its phone number and the
centre-wide 体检须知, each one setting (CHECKUP_HOSPITAL_NAME, CHECKUP_CENTRE_PHONE, CHECKUP_CENTRE_NOTICE).
Package-specific notes stay with PEIS (the package's notes); the front ends hard-code neither."""

from __future__ import annotations

import secrets

import httpx

from checkup.app import create_app
from checkup.config import DEFAULT_CENTRE_NOTICE, Settings
from checkup.sandbox import demo_data
from conftest import app_settings
from support.server import free_port, serve


async def test_centre_answers_the_settings(sandbox, db_url):
    settings = app_settings(sandbox, host="127.0.0.1", port=free_port(), hospital_name="某某医院体检中心",
                            centre_phone="0571-87654321", centre_notice="请空腹。\n\n  请带身份证。  \n",
                            wechat_realname_enabled=True)
    app = create_app(settings, name=f"checkup_centre_{secrets.token_hex(3)}", manage_db=False,
                     sync_packages_on_start=False)
    async with serve(app, port=settings.port) as url, httpx.AsyncClient(base_url=url) as http:
        r = await http.get("/api/centre")
        assert r.status_code == 200
        # blank lines and stray spaces of the environment value are dropped
        assert r.json() == {"name": "某某医院体检中心", "phone": "0571-87654321", "notice": "请空腹。\n请带身份证。",
                            "realname_verification": True}  # CHECKUP_WECHAT_REALNAME_ENABLED: the pages offer it


async def test_centre_default_notice_is_the_one_the_demo_packages_carry(http):
    r = await http.get("/api/centre")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"name", "phone", "notice", "realname_verification"}
    assert body["realname_verification"] is False  # off unless the hospital was granted WeChat's check
    assert body["notice"] == Settings().centre_notice_text == DEFAULT_CENTRE_NOTICE
    # The sandbox PEIS packages start with the same general notes: the two never disagree.
    for package in demo_data.demo_packages():
        for number, line in enumerate(DEFAULT_CENTRE_NOTICE.split("\n"), start=1):
            assert f"{number}. {line}" in package["notes"]


def test_centre_notice_from_an_env_file():
    # one line in an environment file: literal "\n" separates the notes; empty means the built-in notes
    assert Settings(centre_notice="请空腹。\\n请带身份证。").centre_notice_text == "请空腹。\n请带身份证。"
    assert Settings(centre_notice="").centre_notice_text == DEFAULT_CENTRE_NOTICE


def test_centre_phone_setting_is_checked():
    assert Settings(centre_phone=" 0571-8888 0000 ").centre_phone == "0571-8888 0000"
    for bad in ("call us", "0571<script>", "1" * 40):
        try:
            Settings(centre_phone=bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} accepted as a phone number")

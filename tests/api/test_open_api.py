"""The data-sharing open API (/api/open/v1/...) and its clients in the console (/api/console/open-clients).

Signed calls answer the figures of the seeded bookings and payments; every way of getting the
signature, the key, the time, the nonce, the scope, the rate or the query wrong answers its error
and changes nothing; every call of an identified client leaves an audit row; a secret is shown
once; the document's worked example is computed here, so it stays true.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import get_args

import httpx
import pytest
from pydantic import BaseModel
from tortoise.exceptions import IntegrityError, OperationalError

from checkup.api.routing import ROUTES
from checkup.app import create_app
from checkup.db.models import AuditLog, Booking, OpenClient, OpenNonce, Payment, Refund, WechatUser
from checkup.domain import open_signature
from checkup.domain.errors import SignatureInvalid, TimestampExpired
from checkup.domain.masking import age_band
from checkup.pii import PiiCipher, key_id_of
from checkup.services.audit import AuditEntry
from checkup.services.pii_rotation import rotate
from checkup.services.sharing_clients import SCOPES, SignedRequest, check_form, create_client
from conftest import REDIS_URL, app_settings
from support.open_api import HttpxSigner, Platform, canonical_query, signature, signed_headers, string_to_sign
from support.server import serve
from support.staff import Staffer, booked_patient, make_staff, staffer

DOC = Path(__file__).resolve().parents[2] / "docs" / "interfaces" / "data-sharing.md"
OPEN_ROUTES = [r for r in ROUTES if r.path.startswith("/api/open/")]
ALL_SCOPES = list(SCOPES)
DAY_A = date(2026, 3, 2)
DAY_B = date(2026, 3, 3)


async def new_platform(http: httpx.AsyncClient, admin: Staffer, *, scopes: list[str] | None = None,
                       limit: int = 1000, name: str = "市卫健委监管平台") -> Platform:
    r = await admin.post("/api/console/open-clients", {"name": name, "scopes": scopes or ALL_SCOPES,
                                                       "rate_limit_per_minute": limit})
    assert r.status_code == 201, r.text
    return Platform(http=http, app_key=r.json()["app_key"], secret=r.json()["secret"])


async def admin_of(http, app) -> Staffer:
    return await staffer(http, app, f"open-admin-{secrets.token_hex(3)}", ["admin"])


async def paid(app, *, amount_fen: int, paid_at: datetime, refund_fen: int = 0,
               refunded_at: datetime | None = None, status: str = "paid") -> Payment:
    """A WeChat payment straight into the database (and a succeeded refund of it when asked)."""
    booking = await booked_patient(app, day=DAY_A + timedelta(days=40))
    n = secrets.token_hex(6).upper()
    patient = await booking.patient
    user = await WechatUser.get(id=patient.user_id)
    payment = await Payment.create(
        payment_no=f"P{n}", user=user, patient=patient, his_patient_id=patient.his_patient_id,
        amount_fen=amount_fen, description="体检中心体检费", status=status, expires_at=paid_at,
        transaction_id=f"T{n}", paid_at=paid_at, paid_amount_fen=amount_fen, his_status="settled",
    )
    if refund_fen:
        await Refund.create(refund_no=f"R{n}", payment=payment, bill_key="ALL", amount_fen=refund_fen,
                            source="patient", status="succeeded", succeeded_at=refunded_at)
    return payment


async def snapshot() -> dict:
    return {
        "bookings": sorted((b.id, b.status, b.day) for b in await Booking.all()),
        "payments": sorted((p.payment_no, p.status) for p in await Payment.all()),
        "clients": sorted((c.app_key, c.enabled, c.secret_enc, c.scopes) for c in await OpenClient.all()),
    }


# ---- the route table ----------------------------------------------------------------------------
def test_every_open_route_is_signed_scoped_audited_and_documented():
    assert {(r.method, r.path) for r in OPEN_ROUTES} == {
        ("GET", "/api/open/v1/ping"), ("GET", "/api/open/v1/bookings"), ("GET", "/api/open/v1/booking-counts"),
        ("GET", "/api/open/v1/payment-totals")}
    assert {r.path for r in ROUTES if r.auth == "openapi"} == {r.path for r in OPEN_ROUTES}
    doc = DOC.read_text(encoding="utf-8")
    for spec in OPEN_ROUTES:
        assert spec.method == "GET" and spec.audit and spec.audit.startswith("open."), spec
        assert set(spec.roles) <= set(SCOPES), spec
        assert spec.response is not None, spec
        assert f"`{spec.method} {spec.path}`" in doc, f"{spec.path} is not described in {DOC.name}"
        for name in spec.response.model_fields:
            if name not in ("items",):
                assert f"`{name}`" in doc, f"field {name} of {spec.path} has no 字段说明 row"
    assert [r.roles for r in OPEN_ROUTES if r.path.endswith("/ping")] == [()]


async def test_unsigned_calls_are_401_and_not_audited(http):
    for spec in OPEN_ROUTES:
        r = await http.get(spec.path, params={"from": "2026-03-01", "to": "2026-03-02"})
        assert r.status_code == 401, (spec.path, r.text)
        assert r.json()["error"]["code"] == "SIGNATURE_INVALID"
        assert set(r.json()["error"]) == {"code", "message", "details"}
    assert await AuditLog.filter(action__startswith="open.").count() == 0


# ---- the figures --------------------------------------------------------------------------------
async def test_daily_counts_add_up_many_bookings_of_one_day_and_package(app, http):
    """Counted per (day, package, status) by the database: several bookings of one kind are summed."""
    admin = await admin_of(http, app)
    platform = await new_platform(http, admin)
    for _ in range(3):
        await booked_patient(app, day=DAY_A, package_code="RZ001")
    for _ in range(2):
        await booked_patient(app, day=DAY_A, package_code="RZ001", status="confirmed")
    r = await platform.get("/api/open/v1/booking-counts", {"from": DAY_A.isoformat(), "to": DAY_A.isoformat()})
    assert r.status_code == 200, r.text
    assert [(i["package_code"], i["booked"], i["confirmed"], i["cancelled"]) for i in r.json()["items"]] == [
        ("RZ001", 3, 2, 0)]
    assert r.json()["days"] == [{"date": DAY_A.isoformat(), "booked": 3, "confirmed": 2, "cancelled": 0}]


async def test_signed_calls_answer_the_seeded_figures(app, http):
    admin = await admin_of(http, app)
    platform = await new_platform(http, admin)
    b1 = await booked_patient(app, day=DAY_A, name="张三丰", phone="13812345678", package_code="RZ001")
    b2 = await booked_patient(app, day=DAY_A, name="李四", phone="13912345678", package_code="RZ001",
                              status="confirmed")
    b3 = await booked_patient(app, day=DAY_A, package_code="XNXG001")
    await Booking.filter(id=b3.id).update(status="cancelled", active=None)
    b4 = await booked_patient(app, day=DAY_B, package_code="RZ001")
    await booked_patient(app, day=DAY_B + timedelta(days=1), package_code="RZ001")  # outside the range
    id_number = (await b1.patient).id_number_enc
    full_id = app.ctx.deps.pii.decrypt(id_number)

    r = await platform.get("/api/open/v1/bookings", {"from": DAY_A.isoformat(), "to": DAY_B.isoformat()})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 4 and body["page"] == 1
    assert [i["booking_id"] for i in body["items"]] == [b1.id, b2.id, b3.id, b4.id]
    first = body["items"][0]
    assert first["date"] == DAY_A.isoformat() and first["package_code"] == "RZ001" and first["package_name"]
    assert first["status"] == "booked" and first["confirmed"] is False
    assert first["patient_name_masked"] == "张*丰" and first["phone_masked"] == "138****5678"
    assert first["id_number_masked"] == full_id[:6] + "********" + full_id[-4:]
    # beside the masked number: the age as a five-year band, never exact (issue 11 point 7)
    patient = await b1.patient
    assert first["age"] == age_band(patient.birth_date, DAY_A) and re.fullmatch(r"\d{1,2}–\d{1,2}|90\+", first["age"])
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$", first["created_at"])
    assert body["items"][1]["confirmed"] is True and body["items"][2]["status"] == "cancelled"
    assert "13812345678" not in r.text and full_id not in r.text and "张三丰" not in r.text

    r = await platform.get("/api/open/v1/bookings", {"from": DAY_A.isoformat(), "to": DAY_B.isoformat(),
                                                     "status": "booked", "page": "2", "page_size": "1"})
    assert r.status_code == 200, r.text
    assert r.json()["total"] == 2 and [i["booking_id"] for i in r.json()["items"]] == [b4.id]

    r = await platform.get("/api/open/v1/booking-counts", {"from": DAY_A.isoformat(), "to": DAY_B.isoformat()})
    assert r.status_code == 200, r.text
    counts = {(i["date"], i["package_code"]): (i["booked"], i["confirmed"], i["cancelled"])
              for i in r.json()["items"]}
    assert counts == {(DAY_A.isoformat(), "RZ001"): (1, 1, 0), (DAY_A.isoformat(), "XNXG001"): (0, 0, 1),
                      (DAY_B.isoformat(), "RZ001"): (1, 0, 0)}
    assert r.json()["days"] == [{"date": DAY_A.isoformat(), "booked": 1, "confirmed": 1, "cancelled": 1},
                                {"date": DAY_B.isoformat(), "booked": 1, "confirmed": 0, "cancelled": 0}]

    # 2026-03-01 16:30 UTC is 00:30 on 2026-03-02 in Shanghai; 15:59 UTC is still 2026-03-01 there.
    await paid(app, amount_fen=35800, paid_at=datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
    await paid(app, amount_fen=12000, paid_at=datetime(2026, 3, 2, 3, 0, tzinfo=UTC), refund_fen=12000,
               refunded_at=datetime(2026, 3, 3, 2, 0, tzinfo=UTC))
    await paid(app, amount_fen=50000, paid_at=datetime(2026, 3, 1, 15, 59, tzinfo=UTC))  # the day before
    await paid(app, amount_fen=70000, paid_at=datetime(2026, 3, 2, 5, 0, tzinfo=UTC), status="held")
    r = await platform.get("/api/open/v1/payment-totals", {"from": DAY_A.isoformat(), "to": DAY_B.isoformat()})
    assert r.status_code == 200, r.text
    assert r.json()["items"] == [
        {"date": "2026-03-02", "paid_fen": 47800, "payment_count": 2, "refund_fen": 0, "refund_count": 0,
         "net_fen": 47800},
        {"date": "2026-03-03", "paid_fen": 0, "payment_count": 0, "refund_fen": 12000, "refund_count": 1,
         "net_fen": -12000},
    ]
    assert r.json()["summary"] == {"paid_fen": 47800, "payment_count": 2, "refund_fen": 12000, "refund_count": 1,
                                   "net_fen": 35800}

    r = await platform.get("/api/open/v1/ping")
    assert r.status_code == 200 and r.json()["app_key"] == platform.app_key
    assert abs(r.json()["server_time"] - time.time()) < 60

    rows = await AuditLog.filter(action__startswith="open.").order_by("id")
    assert [(row.action, row.actor, row.outcome) for row in rows] == [
        ("open.bookings", platform.app_key, "success"), ("open.bookings", platform.app_key, "success"),
        ("open.booking_counts", platform.app_key, "success"), ("open.payment_totals", platform.app_key, "success"),
        ("open.ping", platform.app_key, "success")]
    assert rows[0].detail["platform"] == "市卫健委监管平台" and rows[0].ip == "127.0.0.1"
    assert rows[0].target == f"bookings:{DAY_A}..{DAY_B}" and rows[0].detail["total"] == 4
    assert (await OpenClient.get(app_key=platform.app_key)).last_used_at is not None


async def test_the_signature_does_not_depend_on_how_the_query_is_encoded(app, http):
    admin = await admin_of(http, app)
    platform = await new_platform(http, admin)
    path = "/api/open/v1/booking-counts"
    query = "to=2026-03-03&from=2026%2D03%2D01"  # out of order, needlessly encoded
    headers = signed_headers(platform.app_key, platform.secret, method="GET", path=path, query=query)
    r = await http.get(f"{path}?{query}", headers=headers)
    assert r.status_code == 200, r.text
    assert canonical_query("b=2&a=%E4%BD%93+x&a=1") == "a=1&a=%E4%BD%93%20x&b=2"
    assert open_signature.canonical_query("b=2&a=%E4%BD%93+x&a=1") == "a=1&a=%E4%BD%93%20x&b=2"


# ---- refusals -----------------------------------------------------------------------------------
async def test_refusals_answer_their_error_change_nothing_and_are_audited(app, http):
    admin = await admin_of(http, app)
    platform = await new_platform(http, admin)
    counts_only = await new_platform(http, admin, scopes=["counts:read"], name="只读统计平台")
    disabled = await new_platform(http, admin, name="已停用平台")
    r = await admin.put(f"/api/console/open-clients/{(await OpenClient.get(app_key=disabled.app_key)).id}",
                        {"enabled": False})
    assert r.status_code == 200 and r.json()["enabled"] is False
    await booked_patient(app, day=DAY_A)
    path = "/api/open/v1/bookings"
    query = f"from={DAY_A}&to={DAY_B}"
    now = int(time.time())

    def headers(who: Platform = platform, **kw) -> dict[str, str]:
        return signed_headers(who.app_key, who.secret, method="GET", path=path, query=query, **kw)

    replayed = headers()
    assert (await http.get(f"{path}?{query}", headers=replayed)).status_code == 200
    tampered = headers()
    tampered["X-Signature"] = ("0" if tampered["X-Signature"][0] != "0" else "1") + tampered["X-Signature"][1:]
    no_nonce = headers()
    del no_nonce["X-Nonce"]

    cases: list[tuple[str, dict[str, str], str, int, str, bool]] = [
        # (what, headers, query, status, code, audited under the app key)
        ("wrong secret", signed_headers(platform.app_key, "not-the-secret", method="GET", path=path, query=query),
         query, 401, "SIGNATURE_INVALID", True),
        ("tampered signature", tampered, query, 401, "SIGNATURE_INVALID", True),
        ("signed for another query", headers(), f"from={DAY_A}&to={DAY_A}", 401, "SIGNATURE_INVALID", True),
        ("unknown app key", {**headers(), "X-App-Key": "ck_0000000000000000"}, query, 401, "APP_KEY_INVALID", False),
        ("disabled app key", headers(disabled), query, 401, "APP_KEY_INVALID", True),
        # (the exact bound, 300 s, is in test_the_timestamp_window: these run seconds after `now`)
        ("stale timestamp", headers(timestamp=now - 301), query, 401, "TIMESTAMP_EXPIRED", True),
        ("future timestamp", headers(timestamp=now + 360), query, 401, "TIMESTAMP_EXPIRED", True),
        ("timestamp in milliseconds", headers(timestamp=now * 1000), query, 401, "TIMESTAMP_EXPIRED", True),
        ("replayed nonce", replayed, query, 401, "NONCE_REPLAYED", True),
        ("short nonce", headers(nonce="abc123"), query, 401, "SIGNATURE_INVALID", True),
        ("missing nonce", no_nonce, query, 401, "SIGNATURE_INVALID", True),
        ("missing scope", headers(counts_only), query, 403, "SCOPE_DENIED", True),
    ]
    for what, sent_headers, sent_query, status, code, audited in cases:
        before = await snapshot()
        audit_before = await AuditLog.filter(action="open.bookings").count()
        r = await http.get(f"{path}?{sent_query}", headers=sent_headers)
        assert r.status_code == status, (what, r.text)
        error = r.json()["error"]
        assert error["code"] == code and error["message"], (what, error)
        assert await snapshot() == before, what
        rows = await AuditLog.filter(action="open.bookings").order_by("-id")
        assert len(rows) == audit_before + (1 if audited else 0), what
        if audited:
            assert rows[0].outcome == "failure" and rows[0].detail["error"]["code"] == code, what
            assert rows[0].actor == sent_headers["X-App-Key"], what


def test_the_timestamp_window_is_300_seconds_either_way():
    now = datetime(2026, 3, 31, 1, 30, tzinfo=UTC)
    base = int(now.timestamp())

    def signed(ts: str) -> SignedRequest:
        return SignedRequest(method="GET", path="/api/open/v1/ping", query_string="", body=b"", app_key="ck_x",
                             timestamp=ts, nonce="n" * 16, signature="a" * 64)

    for ts in (base - 300, base, base + 300):
        check_form(signed(str(ts)), now=now)
    for ts in (str(base - 301), str(base + 301), str(base * 1000), "", "-5", "1.5e9", " 1774920600"):
        with pytest.raises((TimestampExpired, SignatureInvalid)):
            check_form(signed(ts), now=now)


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2026-01-01", "to": "2026-04-03"}, "to"),  # 93 days: one too many
    ({"from": "2026-03-05", "to": "2026-03-01"}, "to"),
    ({"from": "2026-02-30", "to": "2026-03-01"}, "from"),
    ({"from": "yesterday", "to": "2026-03-01"}, "from"),
    ({"to": "2026-03-01"}, "from"),
    ({"from": "2026-03-01", "to": "2026-03-01", "page": "0"}, "page"),
    ({"from": "2026-03-01", "to": "2026-03-01", "page_size": "x"}, "page_size"),
    ({"from": "2026-03-01", "to": "2026-03-01", "status": "paid"}, "status"),
    ({"from": "2026-03-01", "to": "2026-03-01", "extra": "1"}, "extra"),
])
async def test_bad_queries_are_422_and_audited(app, http, params, field):
    admin = await admin_of(http, app)
    platform = await new_platform(http, admin)
    before = await snapshot()
    r = await platform.get("/api/open/v1/bookings", params)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and field in error["details"]["fields"], error
    assert await snapshot() == before
    row = await AuditLog.filter(action="open.bookings").order_by("-id").first()
    assert row.actor == platform.app_key and row.outcome == "failure"
    assert row.detail["error"]["code"] == "VALIDATION_ERROR"


async def test_the_longest_range_is_92_days(app, http):
    admin = await admin_of(http, app)
    platform = await new_platform(http, admin)
    for path in ("/api/open/v1/bookings", "/api/open/v1/booking-counts", "/api/open/v1/payment-totals"):
        r = await platform.get(path, {"from": "2026-01-01", "to": "2026-04-02"})  # 92 days, both ends included
        assert r.status_code == 200, (path, r.text)
        r = await platform.get(path, {"from": "2026-01-01", "to": "2026-04-03"})
        assert r.status_code == 422 and r.json()["error"]["details"]["max_days"] == 92, (path, r.text)
    r = await platform.get("/api/open/v1/payment-totals", {"from": "2026-01-01", "to": "2026-04-02"})
    assert len(r.json()["items"]) == 92


async def test_the_rate_limit_of_each_key(app, http):
    admin = await admin_of(http, app)
    slow = await new_platform(http, admin, limit=2, name="限流平台")
    other = await new_platform(http, admin, limit=2, name="其他平台")
    answers = []
    for _ in range(5):  # a minute boundary may reset the count once: at most 2 + 2 calls pass
        r = await slow.get("/api/open/v1/ping")
        answers.append(r.status_code)
        if r.status_code == 429:
            break
    assert answers[-1] == 429 and answers.count(200) in (2, 3, 4), answers
    error = r.json()["error"]
    assert error["code"] == "RATE_LIMITED" and 1 <= error["details"]["retry_after"] <= 60
    assert r.headers["retry-after"] == str(error["details"]["retry_after"])
    row = await AuditLog.filter(action="open.ping", actor=slow.app_key).order_by("-id").first()
    assert row.outcome == "failure" and row.detail["error"]["code"] == "RATE_LIMITED"
    assert (await other.get("/api/open/v1/ping")).status_code == 200  # counted per key


async def test_nonces_are_kept_per_client_and_expire(app, http):
    admin = await admin_of(http, app)
    one = await new_platform(http, admin)
    two = await new_platform(http, admin, name="另一平台")
    nonce = "same-nonce-for-both-0123"
    for who in (one, two):
        h = signed_headers(who.app_key, who.secret, method="GET", path="/api/open/v1/ping", nonce=nonce)
        assert (await http.get("/api/open/v1/ping", headers=h)).status_code == 200
    assert await OpenNonce.filter(nonce=nonce).count() == 2
    row = await OpenNonce.filter(nonce=nonce).first()
    assert timedelta(seconds=590) < row.expires_at - datetime.now(UTC) <= timedelta(seconds=600)


# ---- managing clients in the console -------------------------------------------------------------
async def test_the_secret_is_shown_once_and_never_again(app, http):
    admin = await admin_of(http, app)
    r = await admin.post("/api/console/open-clients", {"name": "省平台", "scopes": ["counts:read", "bookings:read"],
                                                       "rate_limit_per_minute": 30, "remark": "联系人 王工"})
    assert r.status_code == 201, r.text
    created = r.json()
    secret, client_id = created["secret"], created["id"]
    assert len(secret) >= 40 and created["scopes"] == ["bookings:read", "counts:read"]
    assert created["created_by"] == admin.user.username and created["enabled"] is True
    row = await OpenClient.get(id=client_id)
    assert secret not in row.secret_enc and app.ctx.deps.pii.decrypt(row.secret_enc) == secret

    listed = await admin.get("/api/console/open-clients")
    updated = await admin.put(f"/api/console/open-clients/{client_id}", {"rate_limit_per_minute": 10})
    assert updated.status_code == 200 and updated.json()["rate_limit_per_minute"] == 10
    for answer in (listed, updated):
        assert secret not in answer.text and "secret" not in answer.json().get("items", [answer.json()])[0]
    audit_text = " ".join(str(a.detail) for a in await AuditLog.all())
    assert secret not in audit_text and row.secret_enc not in audit_text
    old = Platform(http=http, app_key=created["app_key"], secret=secret)
    assert (await old.get("/api/open/v1/ping")).status_code == 200

    rotated = await admin.post(f"/api/console/open-clients/{client_id}/rotate-secret")
    assert rotated.status_code == 200, rotated.text
    new_secret = rotated.json()["secret"]
    assert new_secret != secret and rotated.json()["secret_rotated_at"]
    assert (await old.get("/api/open/v1/ping")).json()["error"]["code"] == "SIGNATURE_INVALID"
    assert (await Platform(http, created["app_key"], new_secret).get("/api/open/v1/ping")).status_code == 200
    assert new_secret not in " ".join(str(a.detail) for a in await AuditLog.all())

    actions = [(a.action, a.outcome, a.target) for a in await AuditLog.filter(action__startswith="open_client.")
               .order_by("id")]
    target = f"open_client:{created['app_key']}"
    assert actions == [("open_client.create", "success", target), ("open_client.update", "success", target),
                       ("open_client.rotate_secret", "success", target)]
    r = await admin.delete(f"/api/console/open-clients/{client_id}")
    assert r.status_code == 204
    assert (await old.get("/api/open/v1/ping")).json()["error"]["code"] == "APP_KEY_INVALID"
    last = await AuditLog.filter(action="open_client.delete").first()
    assert last.outcome == "success" and last.target == target and last.detail["before"]["name"] == "省平台"


async def test_only_admins_manage_clients(app, http):
    admin = await admin_of(http, app)
    platform = await new_platform(http, admin)
    client_id = (await OpenClient.get(app_key=platform.app_key)).id
    for role in ("staff", "finance", "auditor"):
        other = await staffer(http, app, f"open-{role}", [role])
        for method, path in [("GET", "/api/console/open-clients"), ("POST", "/api/console/open-clients"),
                             ("PUT", f"/api/console/open-clients/{client_id}"),
                             ("POST", f"/api/console/open-clients/{client_id}/rotate-secret"),
                             ("DELETE", f"/api/console/open-clients/{client_id}")]:
            r = await http.request(method, path, headers=other.headers,
                                   json={"name": "x", "scopes": ["counts:read"]} if method != "GET" else None)
            assert r.status_code == 403 and r.json()["error"]["code"] == "FORBIDDEN", (role, method, path)
    assert (await OpenClient.get(id=client_id)).enabled


@pytest.mark.parametrize("body", [
    {"name": "", "scopes": ["counts:read"]},
    {"name": "   ", "scopes": ["counts:read"]},
    {"name": "x", "scopes": []},
    {"name": "x", "scopes": ["bookings:write"]},
    {"name": "x", "scopes": ["counts:read"], "rate_limit_per_minute": 0},
    {"name": "x", "scopes": ["counts:read"], "rate_limit_per_minute": "60"},
    {"name": "x", "scopes": ["counts:read"], "secret": "mine"},
])
async def test_bad_client_input_is_422(app, http, body):
    admin = await admin_of(http, app)
    r = await admin.post("/api/console/open-clients", body)
    assert r.status_code == 422, r.text
    assert await OpenClient.all().count() == 0


# ---- the document --------------------------------------------------------------------------------
def _doc_example() -> dict[str, str]:
    """The worked example: ``name: value`` lines of the first ```text block under the heading 签名示例."""
    doc = DOC.read_text(encoding="utf-8")
    heading = re.search(r"^## .*签名示例", doc, flags=re.M)
    assert heading, "the document has a section 签名示例"
    section = doc[heading.start():]
    values: dict[str, str] = {}
    for block in re.findall(r"```text\n(.*?)```", section, flags=re.S)[:1]:
        for line in block.splitlines():
            name, sep, value = line.partition(": ")
            if sep:
                values[name.strip()] = value
    string_block = re.search(r"待签名串.*?```text\n(.*?)\n```", section, flags=re.S)
    assert string_block, "the document shows the string to sign"
    values["string_to_sign"] = string_block.group(1)
    return values


def test_the_documented_signature_example_is_true():
    ex = _doc_example()
    body = ex.get("body", "").encode()
    text = string_to_sign(ex["method"], ex["path"], ex["query"], ex["X-Timestamp"], ex["X-Nonce"], body)
    assert text == ex["string_to_sign"]
    assert text == open_signature.string_to_sign(method=ex["method"], path=ex["path"], query_string=ex["query"],
                                                 timestamp=ex["X-Timestamp"], nonce=ex["X-Nonce"], body=body)
    assert signature(ex["secret"], text) == ex["X-Signature"]
    assert open_signature.sign(ex["secret"], text) == ex["X-Signature"]


async def test_the_documented_example_is_accepted_by_the_server(app, http):
    """The example's values, with a client holding the example's secret, pass (the clock moved on: new time)."""
    ex = _doc_example()
    admin = await admin_of(http, app)
    platform = await new_platform(http, admin)
    await OpenClient.filter(app_key=platform.app_key).update(secret_enc=app.ctx.deps.pii.encrypt(ex["secret"]))
    r = await http.get(f"{ex['path']}?{ex['query']}", auth=HttpxSigner(platform.app_key, ex["secret"]))
    assert r.status_code == 200, r.text


# ---- storage ---------------------------------------------------------------------------------------
async def test_pii_key_rotation_reencrypts_client_secrets(app, http):
    admin = await admin_of(http, app)
    platform = await new_platform(http, admin)
    settings = app.ctx.settings
    ring = PiiCipher(keys={settings.pii_key_id: settings.pii_key, "k2": "rotated-material-0123456789abcdef0123"},
                     current_id="k2", hash_key=settings.pii_key)
    result = await rotate(ring)
    assert result.secrets == 1
    row = await OpenClient.get(app_key=platform.app_key)
    assert key_id_of(row.secret_enc) == "k2" and ring.decrypt(row.secret_enc) == platform.secret
    assert (await rotate(ring)).secrets == 0  # nothing left under the old key
    original = app.ctx.deps.pii
    app.ctx.deps.pii = ring
    try:
        assert (await platform.get("/api/open/v1/ping")).status_code == 200
    finally:
        app.ctx.deps.pii = original


async def test_the_database_refuses_bad_clients_and_reused_nonces(app, db):
    pii = app.ctx.deps.pii
    refused = (IntegrityError, OperationalError)  # a failed CHECK: SQLite trigger / MariaDB error 4025
    with pytest.raises(refused):
        await OpenClient.create(app_key="ck_zero", name="x", secret_enc=pii.encrypt("s"), scopes=[],
                                rate_limit_per_minute=0, created_by="t")
    client = await OpenClient.create(app_key="ck_one", name="x", secret_enc=pii.encrypt("s"), scopes=[],
                                     created_by="t")
    with pytest.raises(refused):
        await OpenClient.filter(id=client.id).update(rate_limit_per_minute=-5)
    with pytest.raises(IntegrityError):
        await OpenClient.create(app_key="ck_one", name="y", secret_enc=pii.encrypt("s"), scopes=[], created_by="t")
    expires = datetime.now(UTC) + timedelta(minutes=10)
    await OpenNonce.create(client=client, nonce="n" * 16, expires_at=expires)
    with pytest.raises(IntegrityError):
        await OpenNonce.create(client=client, nonce="n" * 16, expires_at=expires)


async def test_the_key_limit_is_shared_between_instances_through_redis(sandbox, app, db, redis_client):
    """Two instances with one Redis count one client's calls together (the same counters as every limit)."""
    admin_user = await make_staff("open-redis-admin", ["admin"])
    pii = app.ctx.deps.pii
    created = await create_client(pii=pii, name="共享计数平台", remark="", scopes=ALL_SCOPES, rate_limit_per_minute=3,
                                  created_by=admin_user.username, entry=AuditEntry(action="open_client.create",
                                                                                    actor=admin_user.username))
    pattern = f"checkup:rl:open_client:{created['app_key']}:*"
    settings = app_settings(sandbox, redis_url=REDIS_URL, pii_key=app.ctx.settings.pii_key,
                            pii_key_id=app.ctx.settings.pii_key_id)
    apps = [create_app(settings, name=f"checkup_open_{secrets.token_hex(3)}", manage_db=False,
                       sync_packages_on_start=False, run_worker=False) for _ in range(2)]
    try:
        async with serve(apps[0]) as url_one, serve(apps[1]) as url_two, \
                httpx.AsyncClient(base_url=url_one, timeout=30) as one, \
                httpx.AsyncClient(base_url=url_two, timeout=30) as two:
            answers = []
            for client in (one, two, one, two, one, two, one, two):
                r = await Platform(client, created["app_key"], created["secret"]).get("/api/open/v1/ping")
                answers.append(r.status_code)
                if r.status_code == 429:
                    break
            # 3 per minute across both instances (a minute boundary may reset the count once)
            assert answers[-1] == 429 and answers.count(200) in (3, 4, 5, 6), answers
            assert [k async for k in redis_client.scan_iter(pattern)]
    finally:
        for key in [k async for k in redis_client.scan_iter(pattern)]:
            await redis_client.delete(key)


def test_schema_names_are_unique_in_the_openapi_document():
    """The document names each schema by its class name: two classes of one name would overwrite each other."""
    seen: dict[str, type] = {}
    clashes = set()

    def walk(model) -> None:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return
        if seen.setdefault(model.__name__, model) is not model:
            clashes.add(model.__name__)
            return
        for field in model.model_fields.values():
            for arg in [field.annotation, *get_args(field.annotation)]:
                for inner in [arg, *get_args(arg)]:
                    if inner is not model:
                        walk(inner)

    for spec in ROUTES:
        for model in (spec.body, spec.query, spec.response):
            walk(model)
    assert not clashes, f"schemas with the same name: {sorted(clashes)}"

"""Generated from the route table: who may call each staff route, and that every change is audited.

A new staff route is covered the moment it is declared: without roles it cannot be declared, a
role that should not reach it shows up here as a missing 403, and a change without an audit
action fails here.
"""

from __future__ import annotations

import re
from datetime import timedelta

from checkup.api.routing import ROUTES, RouteSpec
from checkup.db.models import AuditLog
from checkup.domain.clock import shanghai_today
from support.staff import ROLES, make_staff, session_headers

STAFF_ROUTES = [r for r in ROUTES if r.auth == "staff"]
CHANGES = [r for r in STAFF_ROUTES if r.method != "GET"]


def concrete(spec: RouteSpec) -> str:
    """The route's path with harmless values: ids and codes that do not exist, a far-away day."""
    far_day = (shanghai_today() + timedelta(days=400)).isoformat()

    def value(m: re.Match) -> str:
        name, kind = m.group(1), m.group(2)
        return "999999" if kind == "int" else far_day if kind == "ymd" or name == "day" else "no-such-thing"

    return re.sub(r"\{(\w+)(?::(\w+))?\}", value, spec.path)


def test_the_route_table_has_staff_routes_and_every_console_route_but_login_needs_staff():
    assert len(STAFF_ROUTES) >= 20
    console = [r for r in ROUTES if r.path.startswith("/api/console/")]
    assert {(r.method, r.path) for r in console if r.auth != "staff"} == {("POST", "/api/console/login")}
    for spec in STAFF_ROUTES:
        assert spec.roles and set(spec.roles) <= set(ROLES), spec
        assert "admin" in spec.roles, f"{spec.method} {spec.path}: admin may do everything"


def test_every_change_declares_an_audit_action():
    missing = [f"{r.method} {r.path}" for r in CHANGES if not r.audit]
    assert missing == []
    login = next(r for r in ROUTES if r.path == "/api/console/login")
    assert login.audit == "login"


async def test_role_matrix(app, http):
    users = {role: await make_staff(f"matrix-{role}", [role]) for role in ROLES}
    wrong = []
    for spec in STAFF_ROUTES:
        url = concrete(spec)
        anonymous = await http.request(spec.method, url)
        if anonymous.status_code != 401 or anonymous.json()["error"]["code"] != "UNAUTHORIZED":
            wrong.append(f"{spec.method} {url} without a token: {anonymous.status_code}")
        for role, user in users.items():
            # a fresh session per call: logout ends the one it is called with
            r = await http.request(spec.method, url, headers=await session_headers(app, user))
            allowed = role in spec.roles
            if not allowed and (r.status_code != 403 or r.json()["error"]["code"] != "FORBIDDEN"):
                wrong.append(f"{spec.method} {url} as {role}: {r.status_code}, expected 403")
            if allowed and (r.status_code in (401, 403) or r.status_code >= 500):
                wrong.append(f"{spec.method} {url} as {role}: {r.status_code} {r.text[:120]}")
    assert wrong == []


async def test_every_change_writes_an_audit_row_even_when_refused(app, http):
    admin = await make_staff("audit-walker", ["admin"])
    auditor = await make_staff("audit-walker-ro", ["auditor"])
    for spec in CHANGES:
        url = concrete(spec)
        before = await AuditLog.filter(action=spec.audit).count()
        r = await http.request(spec.method, url, headers=await session_headers(app, admin))
        rows = await AuditLog.filter(action=spec.audit).order_by("-id")
        assert len(rows) == before + 1, f"{spec.method} {url} ({r.status_code}) wrote no {spec.audit} row"
        row = rows[0]
        assert row.actor == "audit-walker" and row.ip == "127.0.0.1"
        assert row.outcome == ("success" if r.status_code < 400 else "failure"), (spec.path, r.status_code)
        if r.status_code >= 400:
            assert row.detail["error"]["code"] == r.json()["error"]["code"]
        if "admin" in spec.roles and "auditor" not in spec.roles:  # a refused role is recorded too
            denied = await http.request(spec.method, url, headers=await session_headers(app, auditor))
            assert denied.status_code == 403
            last = await AuditLog.filter(action=spec.audit).order_by("-id").first()
            assert (last.actor, last.outcome, last.detail["error"]["code"]) == ("audit-walker-ro", "failure",
                                                                                "FORBIDDEN")

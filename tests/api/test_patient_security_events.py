"""Patient-side security events (issue 16, point 3): refused patient tokens and wrong verification codes
are audited, aggregated instead of flooding the trail, and counted in the monthly report."""

from __future__ import annotations

from datetime import timedelta

from checkup.db.models import AuditLog
from checkup.domain.clock import shanghai_today, utcnow
from checkup.services import ops_report
from checkup.services.security_events import ONE_BY_ONE, SECURITY_EVENTS, WINDOW
from support.people import consent, login, next_id_number


async def rows(kind: str) -> list[AuditLog]:
    return await AuditLog.filter(action=f"patient_security.{kind}").order_by("id")


async def test_refused_tokens_are_audited_then_aggregated(app, http):
    SECURITY_EVENTS.reset()
    for _ in range(ONE_BY_ONE + 7):
        r = await http.get("/api/me/patients", headers={"Authorization": "Bearer forged.token"})
        assert r.status_code == 401
    one_by_one = await rows("token_refused")
    assert len(one_by_one) == ONE_BY_ONE  # the rest wait for the window to end
    assert all(r.outcome == "failure" and r.detail["count"] == 1 and r.detail["error"]["code"] == "UNAUTHORIZED"
               for r in one_by_one)
    assert await SECURITY_EVENTS.flush(now=utcnow() + WINDOW) == 1
    aggregate = (await rows("token_refused"))[-1]
    assert aggregate.detail["aggregated"] is True and aggregate.detail["count"] == 7
    assert aggregate.detail["addresses"] == ["127.0.0.1"]

    # a request without a token, or with an expired one, is not an event
    assert (await http.get("/api/me/patients")).status_code == 401
    deps = app.ctx.deps
    expired = deps.tokens.issue(kind="patient", subject="1", ttl=1, now=deps.now() - timedelta(hours=1))
    r = await http.get("/api/me/patients", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "TOKEN_EXPIRED"
    assert len(await rows("token_refused")) == ONE_BY_ONE + 1

    report = await ops_report.day_figures(shanghai_today())
    assert report["security"]["patient_events"] == ONE_BY_ONE + 7  # every event, aggregated or not


async def test_wrong_verification_codes_are_audited_under_the_account(app, http):
    SECURITY_EVENTS.reset()
    headers = await login(http, "sec-events-1")
    await consent(http, headers)
    r = await http.post("/api/me/patients", headers=headers,
                        json={"name": "王小明", "id_number": next_id_number(), "phone": "13900001234"})
    assert r.status_code == 201, r.text
    patient = r.json()
    assert (await http.post(f"/api/me/patients/{patient['id']}/verification-code", headers=headers)).status_code == 202
    for _ in range(2):
        wrong = await http.post(f"/api/me/patients/{patient['id']}/verify", headers=headers, json={"code": "000000"})
        assert wrong.status_code == 422
    found = await rows("verification_failed")
    assert len(found) == 2 and found[0].actor.startswith("user:") and found[0].target == f"patient:{patient['id']}"
    assert "000000" not in str(found[0].detail)  # the code typed is never written down

"""Schemathesis against the served OpenAPI document: no 5xx, and every answer matches the document.

Every operation of GET /api/openapi.json is fuzzed with valid and invalid inputs (positive and negative
generation) over real HTTP, with a patient token on /api/me/*, an admin staff token on
/api/console/* and, on /api/open/*, a signature of a data-sharing client holding every scope (each
request signed as sent, tests/support/open_api.py), so the fuzz reaches the handlers, not just the
authentication. The WeChat Pay
notification routes are fuzzed without a signature: they must answer 401 in the documented error shape.
Nothing is excluded (the sandbox routes are not in the document).

The app is served by the test's event loop, so the (synchronous) schemathesis calls run in a thread
while the loop serves them. Hypothesis is derandomized (a fixed seed from each test's name), has no
example database and does not shrink, so a run is deterministic and bounded; examples per operation
are few enough that the file runs in well under a minute on each database backend.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from checkup.api.routing import ROUTES
from checkup.db.models import OpenClient
from checkup.services.sharing_clients import SCOPES, new_app_key, new_secret
from support.open_api import RequestsSigner
from support.people import day, new_person, set_quota
from support.staff import make_staff, session_headers

EXAMPLES = 12  # per operation and generation mode
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Operations whose call ends the credentials it was given: each example gets fresh ones.
SPENDS_TOKEN = {("POST", "/api/console/logout")}


def run_operation(operation, mode: GenerationMode, base_url: str, session: requests.Session,
                  headers_for: Callable[[str, str], dict[str, str]], statuses: set[int],
                  signer: RequestsSigner | None = None) -> None:
    method = operation.method.upper()
    if signer is not None and operation.path.startswith("/api/open/"):
        # A session that signs every request as sent; check() itself is unchanged, so are its examples.
        session = requests.Session()
        session.auth = signer

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case) -> None:
        headers = headers_for(method, operation.path)
        response = case.call(base_url=base_url, session=session, timeout=30, headers=headers)
        statuses.add(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        check()
    except Unsatisfiable:
        pass  # nothing to make invalid (negative mode of an operation without inputs)


def fuzz(schema, base_url: str, headers_for: Callable[[str, str], dict[str, str]],
         statuses: dict[str, set[int]], signer: RequestsSigner | None = None) -> list[str]:
    """Run every operation; returns one entry per operation and mode that failed (its first failing example).

    ``statuses`` collects the statuses each operation answered.
    """
    failures: list[str] = []
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    label = f"{operation.method.upper()} {operation.path}"
                    run_operation(operation, mode, base_url, session, headers_for, statuses.setdefault(label, set()),
                                  signer)
                # Schemathesis raises its check failures as a BaseExceptionGroup; collect every operation's.
                except (Exception, BaseExceptionGroup) as exc:
                    failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: {exc}")
    return failures


async def test_every_operation_answers_as_documented(http, app, base_url):
    loop = asyncio.get_running_loop()
    await set_quota(day(2), 5)
    patient = await new_person(http, "fuzz-patient")
    admin = await make_staff("fuzz-admin", ["admin"])
    console = await session_headers(app, admin)
    # A data-sharing client with every scope, at an id the fuzz of PUT/DELETE /api/console/open-clients/{id}
    # (which runs first) will not hit.
    secret = new_secret()
    platform = await OpenClient.create(id=48_151_623_420, app_key=new_app_key(), name="fuzz-platform",
                                       secret_enc=app.ctx.deps.pii.encrypt(secret), scopes=list(SCOPES),
                                       rate_limit_per_minute=10_000, created_by="fuzz-admin")
    signer = RequestsSigner(platform.app_key, secret)
    lock = threading.Lock()

    def headers_for(method: str, path: str) -> dict[str, str]:
        if (method, path) in SPENDS_TOKEN:
            with lock:
                return asyncio.run_coroutine_threadsafe(session_headers(app, admin), loop).result(30)
        if path.startswith("/api/me/"):
            return patient.headers
        if path.startswith("/api/console/"):
            return console
        return {}

    r = await http.get("/api/openapi.json")
    assert r.status_code == 200
    schema = schemathesis.openapi.from_dict(r.json())
    statuses: dict[str, set[int]] = {}
    failures = await asyncio.to_thread(fuzz, schema, base_url, headers_for, statuses, signer)
    assert not failures, "\n\n".join(failures)
    # The tokens were valid: every operation was reached beyond authentication (not only 401/403 answers).
    assert len(statuses) == len(ROUTES), "an operation of the route table is missing from the document"
    stopped = sorted(label for label, seen in statuses.items() if seen <= {401, 403}
                     and not label.startswith(("POST /api/wechatpay/notify/", "POST /api/his/notify")))
    assert not stopped, f"only 401/403 answers (tokens not accepted?): {stopped}"


@pytest.mark.parametrize("path", ["/api/wechatpay/notify/payment", "/api/wechatpay/notify/refund"])
async def test_unsigned_notifications_are_401_in_the_error_shape(http, path):
    r = await http.post(path, content=b"{}", headers={"Content-Type": "application/json"})
    assert r.status_code == 401
    assert set(r.json()["error"]) == {"code", "message", "details"}


async def test_what_the_fuzz_found_answers_4xx(http):
    """Regressions of the fuzz's findings: values beyond what a column holds reached the database (500)."""
    patient = await new_person(http, "fuzz-regressions")
    too_big = str(2**63)
    for path in ["/api/packages/" + "X" * 33, "/api/me/payments/" + "P" * 33, "/api/me/bookings/" + too_big,
                 "/api/me/bookings/0"]:
        r = await patient.get(path)
        assert r.status_code == 404 and r.json()["error"]["code"] == "NOT_FOUND", (path, r.text)
    r = await patient.get("/api/me/charges", params={"patient_id": too_big})
    assert r.status_code == 422, r.text
    r = await patient.post("/api/me/payments", {"patient_id": patient.patient_id, "bill_nos": ["B" * 65]})
    assert r.status_code == 422, r.text
    # Path parameters arrive percent-decoded ("RZ%30%30%31" is RZ001).
    r = await http.get("/api/packages/RZ%30%30%31")
    assert r.status_code == 200 and r.json()["code"] == "RZ001", r.text

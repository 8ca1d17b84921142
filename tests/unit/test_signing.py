"""Request/response signing of the HIS/PEIS protocol, checked against fixed vectors and the sandbox's own code."""

from __future__ import annotations

import time

import pytest

from checkup.integrations import signing
from checkup.sandbox.signing import AuthError, RequestVerifier, response_headers

SECRET = "his-secret"
PATH = "/sandbox/his/query_trade"
BODY = b'{"trade_no":"T20250615000001"}'
# Computed independently: printf '...' | openssl dgst -sha256 -hmac his-secret -binary | base64
REQUEST_VECTOR = "Gy1TiGr9u2fntNhP4/snFHFBzFltZEi95rEn6y7PQ+k="
RESPONSE_VECTOR = "eRTRQSRbm2At+gKv+G6uqVA6fkdgw8qlVgEcadsDtcQ="


class TestClientSigning:
    def test_request_string_to_sign_is_method_path_timestamp_nonce_body(self):
        message = signing.request_message(
            method="post", path=PATH, timestamp="1750000000", nonce="0123456789abcdef", body=BODY
        )
        assert message == b"POST\n" + PATH.encode() + b"\n1750000000\n0123456789abcdef\n" + BODY

    def test_request_signature_matches_openssl_vector(self):
        headers = signing.sign_request(
            app_id="checkup-app",
            secret=SECRET,
            method="POST",
            path=PATH,
            body=BODY,
            timestamp=1750000000,
            nonce="0123456789abcdef",
        )
        assert headers == {
            "X-Checkup-AppId": "checkup-app",
            "X-Checkup-Timestamp": "1750000000",
            "X-Checkup-Nonce": "0123456789abcdef",
            "X-Checkup-Signature": REQUEST_VECTOR,
        }

    def test_response_signature_matches_openssl_vector(self):
        message = signing.response_message(
            timestamp="1750000000", nonce="fedcba9876543210", body=b'{"result":"SUCCESS"}'
        )
        assert signing.sign(SECRET, message) == RESPONSE_VECTOR

    def test_each_request_gets_a_fresh_nonce(self):
        first = signing.sign_request(app_id="a", secret=SECRET, method="POST", path=PATH, body=BODY)
        second = signing.sign_request(app_id="a", secret=SECRET, method="POST", path=PATH, body=BODY)
        assert first["X-Checkup-Nonce"] != second["X-Checkup-Nonce"]

    def test_garbage_signature_does_not_match_and_does_not_raise(self):
        assert not signing.signature_matches(SECRET, b"x", "签名")
        assert not signing.signature_matches(SECRET, b"x", "")


class TestResponseVerification:
    def test_sandbox_signed_response_verifies(self):
        body = b'{"result":"SUCCESS","data":{}}'
        assert (
            signing.verify_response(secret=SECRET, headers=response_headers(SECRET, body), body=body) is None
        )

    def test_tampered_body_is_rejected(self):
        headers = response_headers(SECRET, b'{"result":"FAILED"}')
        problem = signing.verify_response(secret=SECRET, headers=headers, body=b'{"result":"SUCCESS"}')
        assert problem == "response signature does not match"

    def test_other_secret_is_rejected(self):
        body = b"{}"
        assert signing.verify_response(secret=SECRET, headers=response_headers("other", body), body=body)

    def test_stale_response_is_rejected(self):
        body = b"{}"
        headers = response_headers(SECRET, body)
        later = time.time() + signing.MAX_CLOCK_SKEW_SECONDS + 5
        assert "clock skew" in signing.verify_response(secret=SECRET, headers=headers, body=body, now=later)

    def test_missing_headers_are_rejected(self):
        assert "missing" in signing.verify_response(secret=SECRET, headers={}, body=b"{}")


class TestSandboxVerifierAcceptsClientRequests:
    def verifier(self) -> RequestVerifier:
        return RequestVerifier(credentials={"checkup-app": SECRET})

    def headers(self, **overrides):
        return signing.sign_request(
            app_id="checkup-app", secret=SECRET, method="POST", path=PATH, body=BODY, **overrides
        )

    def test_client_request_is_accepted(self):
        assert (
            self.verifier().verify(method="POST", path=PATH, headers=self.headers(), body=BODY)
            == "checkup-app"
        )

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            ({"body": b'{"trade_no":"T2"}'}, "AUTH_BAD_SIGNATURE"),
            ({"path": "/sandbox/his/refund"}, "AUTH_BAD_SIGNATURE"),
            ({"method": "PUT"}, "AUTH_BAD_SIGNATURE"),
        ],
    )
    def test_changed_request_is_refused(self, change, code):
        request = {"method": "POST", "path": PATH, "body": BODY, **change}
        with pytest.raises(AuthError) as refused:
            self.verifier().verify(headers=self.headers(), **request)
        assert refused.value.code == code

    def test_replayed_nonce_is_refused(self):
        verifier, headers = self.verifier(), self.headers()
        verifier.verify(method="POST", path=PATH, headers=headers, body=BODY)
        with pytest.raises(AuthError) as refused:
            verifier.verify(method="POST", path=PATH, headers=headers, body=BODY)
        assert refused.value.code == "AUTH_REPLAYED_NONCE"

    def test_stale_timestamp_is_refused(self):
        headers = self.headers(timestamp=int(time.time()) - 301)
        with pytest.raises(AuthError) as refused:
            self.verifier().verify(method="POST", path=PATH, headers=headers, body=BODY)
        assert refused.value.code == "AUTH_STALE_TIMESTAMP"

    def test_unknown_app_is_refused(self):
        headers = signing.sign_request(app_id="intruder", secret=SECRET, method="POST", path=PATH, body=BODY)
        with pytest.raises(AuthError) as refused:
            self.verifier().verify(method="POST", path=PATH, headers=headers, body=BODY)
        assert refused.value.code == "AUTH_UNKNOWN_APP"

    def test_forged_signature_does_not_burn_the_nonce(self):
        verifier, headers = self.verifier(), self.headers()
        forged = {**headers, "X-Checkup-Signature": signing.sign("wrong", b"x")}
        with pytest.raises(AuthError):
            verifier.verify(method="POST", path=PATH, headers=forged, body=BODY)
        assert verifier.verify(method="POST", path=PATH, headers=headers, body=BODY) == "checkup-app"


class TestSandboxPushSigning:
    """What the sandbox HIS pushes to the app's /api/his/notify is signed as the app checks it."""

    def test_push_headers_verify_with_the_apps_code_and_the_sandboxs(self):
        from checkup.sandbox.signing import request_headers

        body = b'{"event":"bill_refunded","bill_no":"SF1"}'
        headers = request_headers(app_id="checkup-app", secret=SECRET, method="POST", path="/api/his/notify",
                                  body=body)
        assert headers["X-Checkup-AppId"] == "checkup-app"
        message = signing.request_message(method="POST", path="/api/his/notify",
                                          timestamp=headers["X-Checkup-Timestamp"],
                                          nonce=headers["X-Checkup-Nonce"], body=body)
        assert signing.signature_matches(SECRET, message, headers["X-Checkup-Signature"])
        assert not signing.signature_matches("another-secret", message, headers["X-Checkup-Signature"])
        verifier = RequestVerifier({"checkup-app": SECRET})
        assert verifier.verify(method="POST", path="/api/his/notify", headers=headers, body=body) == "checkup-app"


class TestSandboxPushSettings:
    def test_checkup_run_points_the_embedded_sandbox_at_itself(self):
        from checkup.app import sandbox_config
        from checkup.cli import embedded_settings
        from checkup.config import Settings

        base = Settings(env="dev", sandbox=True, host="127.0.0.1", port=8123, public_url=None)
        assert base.sandbox_his_push_url is None
        assert sandbox_config(base, state_path=None).his_push_url is None  # off by default
        run = embedded_settings(base)
        assert run.sandbox_his_push_url == "http://127.0.0.1:8123/api/his/notify"
        assert sandbox_config(run, state_path=None).his_push_url == "http://127.0.0.1:8123/api/his/notify"
        off = embedded_settings(base.model_copy(update={"sandbox_his_push_url": ""}))
        assert sandbox_config(off, state_path=None).his_push_url is None  # empty: off, also under `checkup run`
        elsewhere = embedded_settings(base.model_copy(update={"sandbox_his_push_url": "http://h:1/api/his/notify"}))
        assert elsewhere.sandbox_his_push_url == "http://h:1/api/his/notify"
        assert embedded_settings(base.model_copy(update={"sandbox": False})).sandbox_his_push_url is None

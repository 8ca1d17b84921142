"""Every HTTP part of the product, registered in one place: ``install_http`` (called by create_app) adds the
blueprints, the authenticators of the route table and its audit hook. No module registers itself on import.
"""

from __future__ import annotations

from types import ModuleType

from sanic import Sanic

from checkup.api import auth, console, his_notify, patient, system, wechatpay
from checkup.api import sharing as sharing_api
from checkup.api.audit import RouteAudit
from checkup.api.patient import payments as patient_payments
from checkup.api.routing import Authenticator, register_audit_hook, register_authenticator
from checkup.api.sharing import auth as sharing_auth

# route(auth=...) names one of these; a route whose kind is missing here answers 401
AUTHENTICATORS: dict[str, Authenticator] = {
    "patient": auth.authenticate_patient,
    "staff": auth.authenticate_staff,
    "signature": wechatpay.verify_notification,  # WeChat Pay notifications
    "openapi": sharing_auth.authenticate_open_client,  # data-sharing clients
    "his": his_notify.verify_his,  # HIS pushing bill changes
}

BLUEPRINTS = (system.bp, patient.bp, wechatpay.bp, console.group, sharing_api.bp, his_notify.bp)

# Modules whose routes join a blueprint above (patient payments and refunds are on patient.bp).
ROUTE_MODULES: tuple[ModuleType, ...] = (patient_payments,)


def install_authenticators() -> None:
    """The route table's authenticators and audit hook (also what `checkup openapi` needs: no app)."""
    for kind, authenticate in AUTHENTICATORS.items():
        register_authenticator(kind, authenticate)
    register_audit_hook(RouteAudit())


def install_http(app: Sanic) -> None:
    install_authenticators()
    for blueprint in BLUEPRINTS:
        app.blueprint(blueprint)

"""Staff roles (least privilege). Each console route names the roles that may call it, once.

admin: accounts, booking rules, packages, undoing a confirmation, and everything else.
staff: day quotas, closed days, the booked-patient report and its exports, confirming patients.
finance: payments, refunds, reconciliation.
auditor: read-only: the booked-patient report (and exports) and the audit trail.

Beyond the routes of a role, a few sensitive acts are explicit permissions (PERMISSIONS) that a
route names with ``roles=holders(...)``: seeing a patient's full ID number or phone (everything
else shows them masked) is admin only, audited with its reason, and rate limited.
"""

from __future__ import annotations

ADMIN = "admin"
STAFF = "staff"
FINANCE = "finance"
AUDITOR = "auditor"

ALL_ROLES: tuple[str, ...] = (ADMIN, STAFF, FINANCE, AUDITOR)

ROLE_NAMES = {ADMIN: "管理员", STAFF: "体检中心工作人员", FINANCE: "财务", AUDITOR: "审计员"}

# Explicit permissions: the roles that hold each one.
REVEAL_PII = "pii.reveal"  # see a patient's full ID number or phone (audited, reason required)

PERMISSIONS: dict[str, tuple[str, ...]] = {
    REVEAL_PII: (ADMIN,),
}


def holders(permission: str) -> tuple[str, ...]:
    """The roles holding ``permission`` (for a route's ``roles=``)."""
    return PERMISSIONS[permission]


def has_permission(roles: list[str] | tuple[str, ...], permission: str) -> bool:
    return any(role in PERMISSIONS[permission] for role in roles)

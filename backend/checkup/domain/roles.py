"""Staff roles (least privilege). Each console route names the roles that may call it, once.

admin: accounts, booking rules, packages, undoing a confirmation, and everything else.
staff: day quotas, closed days, the booked-patient report and its exports, confirming patients.
finance: payments, refunds, reconciliation.
auditor: read-only: the booked-patient report (and exports) and the audit trail.
"""

from __future__ import annotations

ADMIN = "admin"
STAFF = "staff"
FINANCE = "finance"
AUDITOR = "auditor"

ALL_ROLES: tuple[str, ...] = (ADMIN, STAFF, FINANCE, AUDITOR)

ROLE_NAMES = {ADMIN: "管理员", STAFF: "体检中心工作人员", FINANCE: "财务", AUDITOR: "审计员"}

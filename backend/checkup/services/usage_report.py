"""用户使用报告: the template (checkup/reports/templates/usage_report.md) filled from the report of the
trial period (services/ops_report.period_report). Every ``{{path}}`` of the template names a key of the
report (dotted for nested sections) or one of the derived values below; an unknown name is an error,
so the template cannot drift from the report (tests/api/test_monthly_report.py)."""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def template() -> str:
    return resources.files("checkup.reports").joinpath("templates/usage_report.md").read_text(encoding="utf-8")


def placeholders(text: str | None = None) -> list[str]:
    return PLACEHOLDER.findall(template() if text is None else text)


def context(report: dict[str, Any], *, hospital: str) -> dict[str, Any]:
    """The report plus the derived values the template shows (yuan, totals, lists as lines)."""
    payments, refunds = dict(report["payments"]), dict(report["refunds"])
    payments["paid_yuan"] = f"{payments.get('paid_fen', 0) / 100:.2f}"
    refunds["succeeded_yuan"] = f"{refunds.get('succeeded_fen', 0) / 100:.2f}"
    availability = dict(report["availability"])
    availability["percent"] = "未记录" if availability["percent"] is None else f"{availability['percent']}%"
    capacity = dict(report["capacity"])
    capacity["use_percent"] = "未记录" if capacity["use_percent"] is None else f"{capacity['use_percent']}%"
    return {
        **report, "hospital": hospital, "payments": payments, "refunds": refunds, "availability": availability,
        "capacity": capacity,
        "requests_total": sum(t["count"] for t in report["requests"].values()),
        "requests_errors": sum(t["errors"] for t in report["requests"].values()),
        "upstream_total": sum(t["count"] for t in report["upstream"].values()),
        "upstream_errors": sum(t["errors"] for t in report["upstream"].values()),
        "recommendations": "\n".join(f"{i}. {t}" for i, t in enumerate(report["recommendations"], 1)),
        "not_recorded": "\n".join(f"- {t}" for t in report["not_recorded"]) or "无",
    }


def lookup(values: dict[str, Any], path: str) -> Any:
    value: Any = values
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise KeyError(path)
        value = value[part]
    return value


def render_usage_report(report: dict[str, Any], *, hospital: str) -> str:
    values = context(report, hospital=hospital)
    return PLACEHOLDER.sub(lambda m: str(lookup(values, m.group(1))), template())

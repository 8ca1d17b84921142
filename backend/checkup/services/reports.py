"""The 预约患者 report: bookings of a status in a date range, with masked personal data.

The JSON view pages the rows; the Excel and PDF exports hold every row of the same filter, built
by the same function, so an export and the report never disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from checkup.domain.clock import iso
from checkup.domain.errors import InvalidPhone
from checkup.domain.masking import age_band, mask_id_number, mask_phone, normalise_phone
from checkup.services.calendar import check_range
from checkup.services.deps import Deps


@dataclass(frozen=True)
class ReportFilter:
    start: date
    end: date
    q: str = ""
    status: str = "booked"
    package: str = ""  # a package code; empty: every package


def _phone_hash(deps: Deps, q: str) -> str | None:
    """The lookup hash of q when q is a phone number (a name or bill search matches the phone exactly)."""
    try:
        return deps.pii.lookup_hash(normalise_phone(q))
    except InvalidPhone:
        return None


def _last_four(q: str) -> bool:
    """Four digits: the end of a phone number (what a patient on the phone reads out)."""
    return len(q) == 4 and q.isdigit()


async def _raw_rows(deps: Deps, flt: ReportFilter) -> list[dict[str, Any]]:
    check_range(flt.start, flt.end)
    # name contains q, or the phone is exactly q (through its lookup hash), or the bill number is q
    search = flt.q if flt.q and not _last_four(flt.q) else ""
    rows = await deps.uow(write=False).bookings.report(
        start=flt.start, end=flt.end, status=flt.status, package=flt.package, name_or_bill=search,
        phone_hash=_phone_hash(deps, search) if search else None)
    if flt.q and _last_four(flt.q):
        # Phones are stored encrypted (the lookup hash only finds a whole number): the rows of the range
        # (at most 92 days) are decrypted and matched on their last four digits, or a name / bill match.
        rows = [r for r in rows if deps.pii.decrypt(r["patient__phone_enc"]).endswith(flt.q)
                or flt.q in r["patient__name"] or r["charge__bill_no"] == flt.q]
    return rows


async def _package_names(deps: Deps, raw: list[dict[str, Any]]) -> dict[str, str]:
    codes = {r["charge__package_code"] for r in raw if r["charge__package_code"]}
    if not codes:
        return {}
    return await deps.uow(write=False).packages.names(codes)


def _row(deps: Deps, r: dict[str, Any], names: dict[str, str], *, with_confirmation: bool,
         full_phone: bool = False) -> dict[str, Any]:
    row = {
        "booking_id": r["id"],
        "date": r["day"].isoformat(),
        "patient_name": r["patient__name"],
        "sex": r["patient__sex"],
        "age": age_band(r["patient__birth_date"], r["day"]),  # a band beside the masked ID number
        "phone_masked": mask_phone(deps.pii.decrypt(r["patient__phone_enc"])),
        "id_number_masked": mask_id_number(deps.pii.decrypt(r["patient__id_number_enc"])),
        "package_name": names.get(r["charge__package_code"] or "") or r["charge__item_name"],
        "amount_fen": r["charge__amount_fen"],
        "bill_no": r["charge__bill_no"],
        "booked_at": iso(r["booked_at"]),
    }
    if full_phone:  # only for roles the hospital allows (CHECKUP_REPORT_FULL_PHONE_ROLES); audited by the route
        row["phone"] = deps.pii.decrypt(r["patient__phone_enc"])
    if with_confirmation:
        row.update(status=r["status"], confirmed_at=iso(r["confirmed_at"]), confirmed_by=r["confirmed_by"])
        if r["status"] == "cancelled":  # who ended it and why ("his": refunded / cancelled / re-priced in HIS)
            row.update(cancelled_at=iso(r["cancelled_at"]), cancelled_by=r["cancelled_by"],
                       cancel_reason=r["cancel_reason"])
    return row


def per_day(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Count and amount per checkup day, in date order."""
    counts = Counter(r["day"] for r in raw)
    amounts: Counter = Counter()
    for r in raw:
        amounts[r["day"]] += r["charge__amount_fen"]
    return [{"date": d.isoformat(), "count": n, "amount_fen": amounts[d]} for d, n in sorted(counts.items())]


def per_package(raw: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    """Count and amount per package, most booked first."""
    groups: dict[str, dict[str, Any]] = {}
    for r in raw:
        code = r["charge__package_code"] or ""
        name = names.get(code) or r["charge__item_name"]
        group = groups.setdefault(code or name, {"package_code": code or None, "package_name": name, "count": 0,
                                                 "amount_fen": 0})
        group["count"] += 1
        group["amount_fen"] += r["charge__amount_fen"]
    return sorted(groups.values(), key=lambda g: (-g["count"], g["package_name"]))


async def report_page(deps: Deps, flt: ReportFilter, *, page: int, page_size: int,
                      full_phone: bool = False) -> dict[str, Any]:
    """One page of rows, with the total and the per-day and per-package statistics of the whole filter."""
    raw = await _raw_rows(deps, flt)
    chunk = raw[(page - 1) * page_size: page * page_size]
    names = await _package_names(deps, raw)
    with_confirmation = flt.status != "booked"
    return {
        "items": [_row(deps, r, names, with_confirmation=with_confirmation, full_phone=full_phone) for r in chunk],
        "total": len(raw),
        "amount_fen": sum(r["charge__amount_fen"] for r in raw),
        "per_day": per_day(raw),
        "per_package": per_package(raw, names),
        "from": flt.start.isoformat(),
        "to": flt.end.isoformat(),
    }


@dataclass(frozen=True)
class ReportData:
    """Everything an export shows: the rows and both statistics, from one query."""

    rows: list[dict[str, Any]]
    per_day: list[dict[str, Any]]
    per_package: list[dict[str, Any]]


async def report_rows(deps: Deps, flt: ReportFilter, *, full_phone: bool = False) -> ReportData:
    """Every row of the filter (for the exports) with the per-day and per-package statistics."""
    raw = await _raw_rows(deps, flt)
    names = await _package_names(deps, raw)
    rows = [_row(deps, r, names, with_confirmation=False, full_phone=full_phone) for r in raw]
    return ReportData(rows=rows, per_day=per_day(raw), per_package=per_package(raw, names))

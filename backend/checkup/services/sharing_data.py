"""What the data-sharing open API answers: bookings (masked), booking counts, payment and refund totals.

Days are Asia/Shanghai dates: a booking's day is its checkup day; a payment counts on the day it
was paid (paid_at), a refund on the day it succeeded. Only personal data that is masked leaves here.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from checkup.db.uow import unit_of_work
from checkup.domain.clock import SHANGHAI, iso
from checkup.domain.errors import ValidationFailed
from checkup.domain.masking import age_band, mask_id_number, mask_name, mask_phone
from checkup.pii import PiiCipher

MAX_RANGE_DAYS = 92
STATUSES = ("booked", "confirmed", "cancelled")


def check_range(start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed("结束日期不能早于开始日期", fields={"to": "早于开始日期"})
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise ValidationFailed(f"查询范围不能超过{MAX_RANGE_DAYS}天", fields={"to": "范围过大"},
                               max_days=MAX_RANGE_DAYS)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants from the start of ``start`` to the start of the day after ``end`` (Shanghai)."""
    first = datetime(start.year, start.month, start.day, tzinfo=SHANGHAI).astimezone(UTC)
    after = end + timedelta(days=1)
    return first, datetime(after.year, after.month, after.day, tzinfo=SHANGHAI).astimezone(UTC)


async def _package_names(codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    async with unit_of_work(write=False) as work:
        return await work.sharing.package_names(codes)


async def bookings(pii: PiiCipher, *, start: date, end: date, status: str | None, page: int,
                   page_size: int) -> dict[str, Any]:
    """Bookings whose checkup day is in the range, by day then id, with masked personal data."""
    check_range(start, end)
    async with unit_of_work(write=False) as work:
        rows, total = await work.sharing.bookings_page(start=start, end=end, status=status,
                                                       offset=(page - 1) * page_size, limit=page_size)
    names = await _package_names({r["charge__package_code"] for r in rows if r["charge__package_code"]})
    items = [{
        "booking_id": r["id"],
        "date": r["day"].isoformat(),
        "package_code": r["charge__package_code"] or "",
        "package_name": names.get(r["charge__package_code"] or "") or r["charge__item_name"],
        "status": r["status"],
        "confirmed": r["status"] == "confirmed",
        "created_at": iso(r["booked_at"]),
        "patient_name_masked": mask_name(r["patient__name"]),
        "sex": r["patient__sex"],
        "age": age_band(r["patient__birth_date"], r["day"]),  # a band beside the masked ID number
        "phone_masked": mask_phone(pii.decrypt(r["patient__phone_enc"])),
        "id_number_masked": mask_id_number(pii.decrypt(r["patient__id_number_enc"])),
    } for r in rows]
    return {"items": items, "total": total, "page": page, "page_size": page_size}


async def booking_counts(*, start: date, end: date) -> dict[str, Any]:
    """Per day and package, and per day: bookings by status (every day of the range in ``days``)."""
    check_range(start, end)
    # Counted by the database (one row per day, package and status), not row by row here.
    async with unit_of_work(write=False) as work:
        rows = await work.sharing.booking_counts(start, end)
    by_package: Counter[tuple[date, str, str]] = Counter()
    by_day: Counter[tuple[date, str]] = Counter()
    labels: dict[str, str] = {}
    for day, code, status, n, item_name in rows:
        by_package[(day, code or "", status)] += n
        by_day[(day, status)] += n
        labels.setdefault(code or "", item_name)
    names = await _package_names({c for c in labels if c})
    keys = sorted({(day, code) for day, code, _ in by_package})
    items = [{
        "date": day.isoformat(),
        "package_code": code,
        "package_name": names.get(code) or labels.get(code, ""),
        **{s: by_package[(day, code, s)] for s in STATUSES},
    } for day, code in keys]
    days = [{"date": d.isoformat(), **{s: by_day[(d, s)] for s in STATUSES}} for d in _days(start, end)]
    return {"items": items, "total": len(items), "days": days}


async def payment_totals(*, start: date, end: date) -> dict[str, Any]:
    """Per day: WeChat payments taken (by paid_at) and refunds that succeeded (by succeeded_at), in fen;
    net_fen is net of refunds."""
    check_range(start, end)
    low, high = _bounds(start, end)
    # Payments that went through (not held ones, whose money waits for finance and goes back) and the
    # refunds of those payments: net_fen is what the hospital keeps.
    async with unit_of_work(write=False) as work:
        paid = await work.sharing.paid_between(low, high)
        refunds = await work.sharing.refunded_between(low, high)
    sums: dict[date, dict[str, int]] = {d: {"paid_fen": 0, "payment_count": 0, "refund_fen": 0, "refund_count": 0}
                                        for d in _days(start, end)}
    for at, amount in paid:
        day = sums[at.astimezone(SHANGHAI).date()]
        day["paid_fen"] += amount
        day["payment_count"] += 1
    for at, amount in refunds:
        day = sums[at.astimezone(SHANGHAI).date()]
        day["refund_fen"] += amount
        day["refund_count"] += 1
    items: list[dict[str, Any]] = [{"date": d.isoformat(), **v, "net_fen": v["paid_fen"] - v["refund_fen"]}
                                   for d, v in sums.items()]
    summary = {k: sum(i[k] for i in items) for k in ("paid_fen", "payment_count", "refund_fen", "refund_count",
                                                        "net_fen")}
    return {"items": items, "total": len(items), "summary": summary}

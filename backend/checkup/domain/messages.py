"""Subscription messages (订阅消息): kinds, template field mapping and WeChat's value rules.

A template's fields are keywords such as ``thing1`` or ``date2``: the letters name the type, which
decides what WeChat accepts (``thing`` at most 20 characters, ``amount`` a number with 元, ...).
The mapping says which of our values goes into which keyword; each hospital's templates have
their own keyword numbers, so the mapping comes from settings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from checkup.domain.clock import SHANGHAI

KINDS = ("payment", "booking", "change", "cancel", "reminder", "refund")
KIND_TEXT = {"payment": "缴费成功", "booking": "预约成功", "change": "改约成功", "cancel": "预约取消",
             "reminder": "体检提醒", "refund": "退款成功"}

# The values each kind carries (job payload "data"), and "tip": the kind's fixed sentence.
FIELDS: dict[str, tuple[str, ...]] = {
    "payment": ("item_name", "amount_fen", "patient_name", "paid_at", "payment_no", "tip"),
    "booking": ("package_name", "date", "patient_name", "tip"),
    "change": ("package_name", "date", "old_date", "patient_name", "tip"),
    "cancel": ("package_name", "date", "patient_name", "tip"),
    "reminder": ("package_name", "date", "patient_name", "tip"),
    "refund": ("item_name", "amount_fen", "patient_name", "reason", "refund_no", "tip"),
}
TIPS = {
    "payment": "缴费已到账，可在已缴费中预约",
    "booking": "请按预约日期空腹到体检中心登记",
    "change": "请按新的日期空腹到体检中心登记",
    "cancel": "名额已释放，如需体检可重新预约",
    "reminder": "明天请空腹并带身份证到体检中心",
    "refund": "款项已原路退回，请留意微信零钱或银行卡",
}
# Common keywords of WeChat's public template library (类目: 医疗服务); a hospital whose templates
# number them differently sets CHECKUP_WECHAT_TEMPLATE_FIELDS.
DEFAULT_FIELDS: dict[str, dict[str, str]] = {
    "payment": {"thing1": "item_name", "amount2": "amount_fen", "name3": "patient_name", "time4": "paid_at",
                "character_string5": "payment_no"},
    "booking": {"thing1": "package_name", "date2": "date", "name3": "patient_name", "thing4": "tip"},
    "change": {"thing1": "package_name", "date2": "date", "date3": "old_date", "name4": "patient_name"},
    "cancel": {"thing1": "package_name", "date2": "date", "name3": "patient_name", "thing4": "tip"},
    "reminder": {"thing1": "package_name", "date2": "date", "name3": "patient_name", "thing4": "tip"},
    "refund": {"thing1": "item_name", "amount2": "amount_fen", "name3": "patient_name", "thing4": "reason",
               "character_string5": "refund_no"},
}
# The mini-program page a message opens (no leading slash, as WeChat wants it).
PAGES = {
    "payment": "pages/pay/index/index?patient_id={patient_id}&tab=paid",
    "booking": "pages/booking/detail/index?id={booking_id}",
    "change": "pages/booking/detail/index?id={booking_id}",
    "cancel": "pages/booking/detail/index?id={booking_id}",
    "reminder": "pages/booking/detail/index?id={booking_id}",
    "refund": "pages/pay/index/index?patient_id={patient_id}&tab=paid",
}
# The H5 page (official account) a template message opens, after the H5 base URL (hash routes).
H5_PAGES = {
    "payment": "#/charges?patient_id={patient_id}&tab=paid",
    "booking": "#/bookings/{booking_id}",
    "change": "#/bookings/{booking_id}",
    "cancel": "#/bookings/{booking_id}",
    "reminder": "#/bookings/{booking_id}",
}
MINIPROGRAM_STATES = ("formal", "trial", "developer")

# Keyword type -> the most characters WeChat takes (None: a format, not a length, decides).
KEYWORD_TYPES: dict[str, int | None] = {
    "thing": 20, "name": 10, "phrase": 5, "character_string": 32, "number": 32, "letter": 32,
    "symbol": 5, "phone_number": 17, "car_number": 8, "amount": None, "date": None, "time": None,
}
_KEYWORD = re.compile(r"^([a-z_]+?)(\d+)$")


def keyword_type(keyword: str) -> str:
    """``thing1`` -> ``thing``; ValueError for a keyword WeChat does not have."""
    match = _KEYWORD.match(keyword)
    if not match or match.group(1) not in KEYWORD_TYPES:
        raise ValueError(f"unknown template keyword {keyword!r} (expected e.g. thing1, date2, amount3, name4)")
    return match.group(1)


def parse_field_mapping(raw: str | None) -> dict[str, dict[str, str]]:
    """DEFAULT_FIELDS with the kinds given as JSON ``{kind: {keyword: field}}`` replaced; ValueError if bad."""
    mapping = {kind: dict(fields) for kind, fields in DEFAULT_FIELDS.items()}
    if not raw or not raw.strip():
        return mapping
    try:
        given = json.loads(raw)
    except ValueError as exc:
        raise ValueError(f"template field mapping is not JSON: {exc}") from None
    if not isinstance(given, dict):
        raise ValueError("template field mapping must be a JSON object {kind: {keyword: field}}")
    for kind, fields in given.items():
        if kind not in FIELDS:
            raise ValueError(f"template field mapping: unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
        if not isinstance(fields, dict) or not fields:
            raise ValueError(f"template field mapping of {kind!r} must be a non-empty object")
        for keyword, name in fields.items():
            keyword_type(keyword)
            if name not in FIELDS[kind]:
                raise ValueError(f"template field mapping of {kind!r}: unknown field {name!r} "
                                 f"(fields: {', '.join(FIELDS[kind])})")
        mapping[kind] = {str(k): str(v) for k, v in fields.items()}
    return mapping


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value).astimezone(SHANGHAI).date() if "T" in value else date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_value(kind_of_keyword: str, value: Any) -> str:
    """One value in the form WeChat accepts for the keyword type."""
    if value is None:
        return ""
    if kind_of_keyword == "amount":
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value // 100}.{value % 100:02d}元"
        return str(value)
    if kind_of_keyword in ("date", "time"):
        day = _day(value)
        if day is None:
            return str(value)
        text = f"{day.year}年{day.month}月{day.day}日"
        if kind_of_keyword == "time" and isinstance(value, str) and "T" in value:
            moment = datetime.fromisoformat(value).astimezone(SHANGHAI)
            text += f" {moment:%H:%M}"
        return text
    text = str(value)
    if kind_of_keyword == "character_string":
        text = re.sub(r"[^A-Za-z0-9_\-]", "", text)
    limit = KEYWORD_TYPES.get(kind_of_keyword)
    return _clip(text, limit) if limit else text


@dataclass(frozen=True)
class MessageConfig:
    """Which messages are on (a template id each; empty = off), their field mapping and delivery."""

    templates: dict[str, str] = field(default_factory=dict)
    fields: dict[str, dict[str, str]] = field(default_factory=lambda: parse_field_mapping(None))
    miniprogram_state: str = "formal"
    lang: str = "zh_CN"
    reminder_after: time = time(18, 0)  # Asia/Shanghai; the day-before reminders go out after this
    # Official account template messages (模板消息) for patients who use its H5 pages: template ids per
    # kind (same keyword mapping), and the H5 pages' base URL their links open.
    oa_templates: dict[str, str] = field(default_factory=dict)
    h5_url: str = ""

    @classmethod
    def disabled(cls) -> MessageConfig:
        return cls()

    def template(self, kind: str) -> str:
        return (self.templates.get(kind) or "").strip()

    def oa_template(self, kind: str) -> str:
        return (self.oa_templates.get(kind) or "").strip()

    def enabled(self, kind: str) -> bool:
        """On for at least one channel (mini-program subscription or official account template)."""
        return bool(self.template(kind) or self.oa_template(kind))

    def render(self, kind: str, data: dict[str, Any]) -> dict[str, dict[str, str]]:
        """WeChat's ``data`` object: ``{keyword: {"value": text}}``."""
        values = {**data, "tip": data.get("tip") or TIPS[kind]}  # a cancellation may say why
        return {kw: {"value": render_value(keyword_type(kw), values.get(name))}
                for kw, name in self.fields[kind].items()}

    def page(self, kind: str, data: dict[str, Any]) -> str:
        return PAGES[kind].format(patient_id=data.get("patient_id", ""), booking_id=data.get("booking_id", ""))

    def h5_link(self, kind: str, data: dict[str, Any]) -> str:
        path = H5_PAGES[kind].format(patient_id=data.get("patient_id", ""), booking_id=data.get("booking_id", ""))
        return f"{self.h5_url}{path}" if self.h5_url else ""

"""The sandbox's in-memory world (HIS, PEIS, WeChat) with optional JSON persistence."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from checkup.sandbox.demo_data import demo_packages, demo_templates
from checkup.sandbox.platform import Platform
from checkup.sandbox.records import (
    AccessToken,
    Bill,
    Fault,
    Patient,
    PeisOrder,
    Refund,
    Settlement,
    WechatUser,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
FORMAT_VERSION = 1
MESSAGES_KEPT = 1000  # recorded subscription messages (oldest dropped first)


def now_shanghai() -> datetime:
    """The current time in Asia/Shanghai."""
    return datetime.now(SHANGHAI)


class SandboxState:
    """Everything the sandbox systems know; mutate only inside ``async with state.mutation()``."""

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, clock: Callable[[], datetime] | None = None
    ):
        self.path = Path(path) if path else None
        self.clock = clock or now_shanghai
        self.lock = asyncio.Lock()
        self.faults: dict[str, deque[Fault]] = {}  # not persisted: a restart clears injected faults
        # Latency and concurrency cap of the interface platform per system ("his", "peis"); not persisted.
        self.platforms: dict[str, Platform] = {"his": Platform(), "peis": Platform()}
        # Counters start at a random point so numbers stay unique across sandbox instances and resets.
        self.counters: dict[str, int] = {}
        self._clear()
        if self.path and self.path.exists():
            self._load(json.loads(self.path.read_text(encoding="utf-8")))

    def _clear(self) -> None:
        self.packages: dict[str, dict[str, Any]] = {p["code"]: p for p in demo_packages()}
        self.patients: dict[str, Patient] = {}
        self.bills: dict[str, Bill] = {}
        self.settlements: dict[str, Settlement] = {}
        self.refunds: dict[str, Refund] = {}
        self.peis_orders: dict[str, PeisOrder] = {}
        self.wechat_users: dict[str, WechatUser] = {}
        self.access_tokens: dict[str, AccessToken] = {}  # appid -> its current token
        # WeChat real names (openid -> (name, ID number), as given when opening WeChat Pay) and the one-time
        # codes of users' consent to a check (code -> openid). Not persisted: tests set them.
        self.wechat_realnames: dict[str, tuple[str, str]] = {}
        self.wechat_realname_codes: dict[str, str] = {}
        # Official account menu (as last created, and every create received) and subscription messages.
        self.wechat_menu: dict[str, Any] | None = None
        self.wechat_menu_history: list[dict[str, Any]] = []
        self.wechat_templates: dict[str, dict[str, Any]] = demo_templates()
        self.wechat_messages: list[dict[str, Any]] = []
        self.wechat_refusals: set[tuple[str, str]] = set()  # (openid, template_id) the user did not accept
        self.wechat_calls: dict[str, int] = {}  # calls per WeChat API, for tests (not persisted)
        self.sms_messages: list[dict[str, Any]] = []  # text messages the sandbox SMS service "delivered"
        self.faults.clear()
        self._reindex()

    def _reindex(self) -> None:
        self._by_id_number = {p.id_number: p.his_patient_id for p in self.patients.values()}
        self._by_trade = {s.trade_no: s.settle_no for s in self.settlements.values() if s.trade_no}
        self._by_order_no = {o.order_no: o.peis_order_no for o in self.peis_orders.values() if o.order_no}

    # -- inserts (keep the indexes in step) --------------------------------------------------------

    def add_patient(self, patient: Patient) -> None:
        self.patients[patient.his_patient_id] = patient
        self._by_id_number[patient.id_number] = patient.his_patient_id

    def add_settlement(self, settlement: Settlement) -> None:
        self.settlements[settlement.settle_no] = settlement
        if settlement.trade_no:
            self._by_trade[settlement.trade_no] = settlement.settle_no

    def add_order(self, order: PeisOrder) -> None:
        self.peis_orders[order.peis_order_no] = order
        if order.order_no:
            self._by_order_no[order.order_no] = order.peis_order_no

    # -- lookups ---------------------------------------------------------------------------------

    def patient_by_id_number(self, id_number: str) -> Patient | None:
        """The patient registered with this ID number (any ID type)."""
        key = self._by_id_number.get(id_number)
        return self.patients[key] if key else None

    def settlement_by_trade(self, trade_no: str) -> Settlement | None:
        """The settlement written back with our trade number."""
        key = self._by_trade.get(trade_no)
        return self.settlements[key] if key else None

    def order_by_order_no(self, order_no: str) -> PeisOrder | None:
        """The PEIS order opened for our order number."""
        key = self._by_order_no.get(order_no)
        return self.peis_orders[key] if key else None

    # -- numbering, time, faults -------------------------------------------------------------------

    def next_number(self, kind: str) -> int:
        """The next value of a named counter."""
        if kind not in self.counters:
            self.counters[kind] = secrets.randbelow(80_000_000) + 10_000_000
        self.counters[kind] += 1
        return self.counters[kind]

    def dated_no(self, prefix: str) -> str:
        """A document number such as SF2025061812345678."""
        return f"{prefix}{self.clock():%Y%m%d}{self.next_number(prefix):08d}"

    def now_iso(self) -> str:
        """Now, ISO 8601 with offset, in Asia/Shanghai."""
        return self.clock().astimezone(SHANGHAI).isoformat(timespec="seconds")

    def count_call(self, api: str) -> None:
        """Count one call of a WeChat API (tests check how often tokens were fetched)."""
        self.wechat_calls[api] = self.wechat_calls.get(api, 0) + 1

    def record_message(self, message: dict[str, Any]) -> None:
        """Keep a subscription message WeChat accepted."""
        self.wechat_messages.append(message)
        del self.wechat_messages[:-MESSAGES_KEPT]

    def record_sms(self, message: dict[str, Any]) -> None:
        """Keep a text message the SMS service accepted."""
        self.sms_messages.append(message)
        del self.sms_messages[:-MESSAGES_KEPT]

    def add_fault(self, key: str, fault: Fault, times: int) -> int:
        """Queue ``times`` faults for an operation; returns how many are pending."""
        queue = self.faults.setdefault(key, deque())
        queue.extend([fault] * times)
        return len(queue)

    def take_fault(self, key: str) -> Fault | None:
        """Consume the next fault queued for an operation."""
        queue = self.faults.get(key)
        return queue.popleft() if queue else None

    # -- mutation and persistence ------------------------------------------------------------------

    @asynccontextmanager
    async def mutation(self) -> AsyncIterator[SandboxState]:
        """Hold the lock while changing state, then save atomically (also after a refusal)."""
        async with self.lock:
            try:
                yield self
            finally:
                if self.path is not None:
                    await asyncio.to_thread(self._write, self.snapshot())

    async def reset(self) -> None:
        """Forget every record (counters keep running, so numbers are never reused)."""
        async with self.mutation():
            self._clear()

    def snapshot(self) -> dict[str, Any]:
        """The persisted form of the state."""
        return {
            "version": FORMAT_VERSION,
            "counters": dict(self.counters),
            "packages": list(self.packages.values()),
            "patients": [asdict(p) for p in self.patients.values()],
            "bills": [asdict(b) for b in self.bills.values()],
            "settlements": [asdict(s) for s in self.settlements.values()],
            "refunds": [asdict(r) for r in self.refunds.values()],
            "peis_orders": [asdict(o) for o in self.peis_orders.values()],
            "wechat_users": [asdict(u) for u in self.wechat_users.values()],
            "access_tokens": {appid: asdict(t) for appid, t in self.access_tokens.items()},
            "wechat_menu": self.wechat_menu,
            "wechat_menu_history": self.wechat_menu_history,
            "wechat_templates": self.wechat_templates,
            "wechat_messages": self.wechat_messages,
            "wechat_refusals": sorted(list(pair) for pair in self.wechat_refusals),
            "sms_messages": self.sms_messages,
        }

    def _load(self, data: dict[str, Any]) -> None:
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"sandbox state file {self.path} has an unsupported version")
        self.counters = {k: int(v) for k, v in data["counters"].items()}
        self.packages = {p["code"]: p for p in data["packages"]}
        self.patients = {p["his_patient_id"]: Patient(**p) for p in data["patients"]}
        self.bills = {b["bill_no"]: Bill.load(b) for b in data["bills"]}
        self.settlements = {s["settle_no"]: Settlement(**s) for s in data["settlements"]}
        self.refunds = {r["refund_no"]: Refund(**r) for r in data["refunds"]}
        self.peis_orders = {o["peis_order_no"]: PeisOrder(**o) for o in data["peis_orders"]}
        self.wechat_users = {u["openid"]: WechatUser(**u) for u in data["wechat_users"]}
        self.access_tokens = {appid: AccessToken(**t) for appid, t in (data.get("access_tokens") or {}).items()}
        self.wechat_menu = data.get("wechat_menu")
        self.wechat_menu_history = list(data.get("wechat_menu_history") or [])
        self.wechat_templates = data.get("wechat_templates") or demo_templates()
        self.wechat_messages = list(data.get("wechat_messages") or [])
        self.wechat_refusals = {(o, t) for o, t in data.get("wechat_refusals") or []}
        self.sms_messages = list(data.get("sms_messages") or [])
        self._reindex()

    def _write(self, snapshot: dict[str, Any]) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(snapshot, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

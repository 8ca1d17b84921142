"""In-memory state of the WeChat Pay sandbox, optionally persisted to a JSON file."""

from __future__ import annotations

import asyncio
import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any


@dataclass
class SandboxOrder:
    out_trade_no: str
    appid: str
    mchid: str
    description: str
    notify_url: str
    total: int
    openid: str
    prepay_id: str
    prepay_created_at: float
    created_at: str
    time_expire: str | None = None
    attach: str = ""
    currency: str = "CNY"
    trade_state: str = "NOTPAY"
    transaction_id: str | None = None
    success_time: str | None = None
    payer_total: int | None = None
    bank_type: str | None = None
    notification_id: str | None = None
    sub_mchid: str | None = None  # partner mode: the sub-merchant (mchid is the provider's)


@dataclass
class SandboxRefund:
    out_refund_no: str
    refund_id: str
    out_trade_no: str
    transaction_id: str
    refund: int
    total: int
    reason: str
    notify_url: str | None
    create_time: str
    status: str = "PROCESSING"
    success_time: str | None = None
    notification_id: str | None = None


@dataclass
class SandboxNotification:
    id: str
    event_type: str
    notify_url: str
    body: str  # the exact JSON text sent every time (re-signed per delivery)
    out_trade_no: str
    out_refund_no: str | None = None
    acknowledged: bool = False
    given_up: bool = False
    attempts: list[dict[str, Any]] = field(default_factory=list)


def _from_dict(cls: type, data: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


class WechatPaySandboxState:
    """Orders, refunds and notifications of the sandbox; ``save()`` after every change."""

    def __init__(self, *, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path else None
        self.orders: dict[str, SandboxOrder] = {}
        self.refunds: dict[str, SandboxRefund] = {}
        self.notifications: dict[str, SandboxNotification] = {}
        self.refund_faults: list[str] = []  # statuses for the next refunds: ABNORMAL / CLOSED
        self.refund_request_faults: list[str] = []  # refusals of the next refund requests: NOT_ENOUGH ...
        # Not persisted: bill download tokens and running delivery tasks.
        self.bill_tokens: dict[str, tuple[bytes, float]] = {}
        self.tasks: set[asyncio.Task[Any]] = set()
        self.delivering: set[str] = set()
        # Platform certificates added by the rotate control, newest last (not persisted).
        self.rotated_certificates: list[Any] = []
        if self.path and self.path.exists():
            self._load()

    def reset(self) -> None:
        """Forget every order, refund and notification (tests that need an empty day)."""
        for task in list(self.tasks):
            task.cancel()
        self.orders.clear()
        self.refunds.clear()
        self.notifications.clear()
        self.refund_faults.clear()
        self.refund_request_faults.clear()
        self.bill_tokens.clear()
        self.delivering.clear()
        self.save()

    def order_by_transaction_id(self, transaction_id: str) -> SandboxOrder | None:
        for order in self.orders.values():
            if order.transaction_id == transaction_id:
                return order
        return None

    def order_by_prepay_id(self, prepay_id: str) -> SandboxOrder | None:
        for order in self.orders.values():
            if order.prepay_id == prepay_id:
                return order
        return None

    def refunds_of(self, out_trade_no: str) -> list[SandboxRefund]:
        return [r for r in self.refunds.values() if r.out_trade_no == out_trade_no]

    def save(self) -> None:
        """Write the state atomically to the JSON file, if one is configured."""
        if not self.path:
            return
        data = {
            "orders": [asdict(o) for o in self.orders.values()],
            "refunds": [asdict(r) for r in self.refunds.values()],
            "notifications": [asdict(n) for n in self.notifications.values()],
            "refund_faults": self.refund_faults,
            "refund_request_faults": self.refund_request_faults,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
        os.replace(tmp, self.path)

    def _load(self) -> None:
        assert self.path is not None
        data = json.loads(self.path.read_text("utf-8"))
        self.orders = {o["out_trade_no"]: _from_dict(SandboxOrder, o) for o in data.get("orders", [])}
        self.refunds = {r["out_refund_no"]: _from_dict(SandboxRefund, r) for r in data.get("refunds", [])}
        self.notifications = {
            n["id"]: _from_dict(SandboxNotification, n) for n in data.get("notifications", [])
        }
        self.refund_faults = list(data.get("refund_faults", []))
        self.refund_request_faults = list(data.get("refund_request_faults", []))

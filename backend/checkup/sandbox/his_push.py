"""The sandbox HIS telling the app what changed at the window, as a HIS that can push does.

Off unless a push URL is set (``SandboxConfig.his_push_url`` from CHECKUP_SANDBOX_HIS_PUSH_URL, or the
control call ``POST /sandbox/control/his/push {"url"}``). When on, a window refund, a cancellation and a
re-price each send one signed ``POST`` to that URL (the app's ``/api/his/notify``), signed with the HIS
credentials the sandbox accepts (sandbox/signing.py, the same HMAC as every HIS call). The control call
that made the change waits for the delivery, so a test sees its effect at once; a failed delivery is
recorded, not retried (the app's sweep finds the change later, as with a HIS that cannot push).
"""

from __future__ import annotations

import json
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from checkup.sandbox.signing import request_headers

log = logging.getLogger("checkup.sandbox.his_push")

Event = Literal["bill_refunded", "bill_cancelled", "bill_repriced"]
DELIVERIES_KEPT = 100


@dataclass(slots=True)
class HisPusher:
    """Where (and with which HIS credentials) the sandbox HIS pushes; the recent deliveries."""

    app_id: str
    secret: str
    url: str | None = None
    timeout: float = 5.0
    deliveries: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=DELIVERIES_KEPT))

    def view(self) -> dict[str, Any]:
        return {"url": self.url, "deliveries": list(self.deliveries)}

    async def push(self, event: Event, bill_no: str, *, occurred_at: str) -> dict[str, Any] | None:
        """Send one notification (None when pushing is off); never raises for a failed delivery."""
        if not self.url:
            return None
        body = json.dumps({"event": event, "bill_no": bill_no, "occurred_at": occurred_at},
                          ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json",
                   **request_headers(app_id=self.app_id, secret=self.secret, method="POST",
                                     path=urlsplit(self.url).path or "/", body=body)}
        record: dict[str, Any] = {"event": event, "bill_no": bill_no, "url": self.url, "occurred_at": occurred_at}
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as http:
                response = await http.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            record.update(status=None, delivered=False, applied=None, error=type(exc).__name__)
            log.warning("sandbox HIS could not push %s of %s to %s: %s", event, bill_no, self.url, exc)
        else:
            answer = _json(response)
            record.update(status=response.status_code,
                          delivered=response.status_code == 200 and answer.get("result") == "SUCCESS",
                          applied=answer.get("applied"), body=response.text[:500])
        self.deliveries.append(record)
        return record


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        value = response.json()
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}

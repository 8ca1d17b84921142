"""The SMS interface: send one verification code to one mainland mobile number.

A provider adapter (Tencent Cloud SMS ships in ``tencent.py``; another cloud is one more module)
sends a pre-approved template with the hospital's signature (签名); the text itself lives at the
provider, so the app only passes the template parameters (the code and its minutes of validity).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from checkup.integrations.result import CallResult


@dataclass(frozen=True, slots=True)
class SmsReceipt:
    serial_no: str  # the provider's id of the message (for complaints and delivery reports)
    fee: int = 1  # billed message count


class SmsSender(Protocol):
    async def send_code(self, *, phone: str, code: str, minutes: int) -> CallResult[SmsReceipt]:
        """Send the verification-code template to ``phone`` (11 ASCII digits, mainland)."""
        ...

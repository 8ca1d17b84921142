"""SMS: the interface (``base``) and the Tencent Cloud SMS adapter (``tencent``)."""

from checkup.integrations.sms.base import SmsReceipt, SmsSender

__all__ = ["SmsReceipt", "SmsSender"]

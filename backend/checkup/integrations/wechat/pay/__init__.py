"""WeChat Pay API v3: the client (``client.py``), its signatures and AES-GCM (``crypto.py``), platform
certificates (``certificates.py``), errors (``errors.py``) and the answers it reads (``models.py``)."""

from checkup.integrations.wechat.pay.client import WechatPayClient, verify_and_decrypt_notification
from checkup.integrations.wechat.pay.errors import (
    WechatPayError,
    WechatPayRejectedError,
    WechatPaySignatureError,
    WechatPayUnknownError,
)
from checkup.integrations.wechat.pay.models import Notification, TradeState

__all__ = [
    "Notification",
    "TradeState",
    "WechatPayClient",
    "WechatPayError",
    "WechatPayRejectedError",
    "WechatPaySignatureError",
    "WechatPayUnknownError",
    "verify_and_decrypt_notification",
]

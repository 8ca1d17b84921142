"""The collaborators use cases need, wired once in app.py (tests wire their own)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from checkup.db.uow import UnitOfWork, unit_of_work
from checkup.domain.bill_scope import BillScope
from checkup.domain.checkup_bills import CheckupBills
from checkup.domain.clock import utcnow
from checkup.domain.documents import DEFAULT_HIS_CODES
from checkup.domain.messages import MessageConfig
from checkup.domain.verification import SendLimits
from checkup.integrations.his import HisClient
from checkup.integrations.peis import PeisClient
from checkup.integrations.sms import SmsSender
from checkup.integrations.wechat.login import WechatLoginClient
from checkup.integrations.wechat.oauth import HttpWechatOAuthClient
from checkup.integrations.wechat.pay import WechatPayClient
from checkup.integrations.wechat.realname import RealNameChecker
from checkup.integrations.wechat.subscribe import HttpTemplateMessageClient, SubscribeMessageClient
from checkup.pii import PiiCipher
from checkup.services.tokens import TokenSigner


@dataclass(slots=True)
class Deps:
    his: HisClient
    peis: PeisClient
    wechat_login: WechatLoginClient
    pii: PiiCipher
    tokens: TokenSigner
    wechatpay: WechatPayClient
    payment_expire_minutes: int = 15
    payment_query_after_seconds: int = 5
    cache_seconds: float = 0  # how stale booking rules, holidays and package limits may be read (0: never)
    now: Callable[[], datetime] = utcnow
    messages: MessageConfig = field(default_factory=MessageConfig.disabled)  # subscription messages (off)
    wechat_subscribe: SubscribeMessageClient | None = None
    bill_scope: BillScope | None = None  # our rows of a shared merchant's bill; None: our appid(s), TJ / RF
    wechat_oauth: HttpWechatOAuthClient | None = None  # official account web authorisation (H5 login)
    h5_url: str = ""
    wechat_template: HttpTemplateMessageClient | None = None  # official account template messages
    audit_anchor_path: Path | None = None  # where the worker anchors the audit chain daily (None: nowhere)
    checkup_bills: CheckupBills = field(default_factory=CheckupBills)  # which HIS bills are the centre's
    his_sweep_seconds: float = 300  # how often the worker asks HIS about paid bills with future bookings
    his_booking_check_seconds: float = 0.1  # how long a booking waits for HIS's check of its bill (then: after)
    verification_limits: SendLimits = field(default_factory=SendLimits)
    his_doc_type_codes: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_HIS_CODES))  # doc_type -> HIS code
    sms: SmsSender | None = None  # verification codes of 就诊人 (None: verification by SMS is unavailable)
    # The account holder's own 就诊人 checked against their WeChat real name (None: switched off)
    realname: RealNameChecker | None = None
    # The transaction and repositories of a use case (db/uow.py); tests of use cases give an in-memory one
    uow: Callable[..., UnitOfWork] = unit_of_work

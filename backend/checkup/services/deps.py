"""The collaborators use cases need, wired once in app.py (tests wire their own)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from checkup.domain.clock import utcnow
from checkup.integrations.his import HisClient
from checkup.integrations.peis import PeisClient
from checkup.integrations.wechat.login import WechatLoginClient
from checkup.pii import PiiCipher
from checkup.services.tokens import TokenSigner


@dataclass(slots=True)
class Deps:
    his: HisClient
    peis: PeisClient
    wechat_login: WechatLoginClient
    pii: PiiCipher
    tokens: TokenSigner
    now: Callable[[], datetime] = utcnow

"""One typed settings object, read from the environment (and an optional ``.env``)."""

from __future__ import annotations

import ipaddress
import json
import math
import re
from collections import Counter
from datetime import time
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from checkup.domain.messages import KINDS as MESSAGE_KINDS
from checkup.domain.messages import MessageConfig, parse_field_mapping

# Values below are sandbox test credentials, generated for this project's local sandbox and
# worthless anywhere else. A production start refuses every one of them (see ``_is_placeholder``).
SANDBOX_TEST_PREFIX = "sandbox-test-"
SANDBOX_TEMPLATE_PREFIX = "sandbox-tmpl-"  # the sandbox WeChat knows these subscription templates
RATE_PATTERN = r"^\s*\d+\s*/\s*(second|minute|hour|day)\s*$"
# The centre-wide 体检须知 (one line a note) the patient pages show; a package's own notes come from PEIS.
DEFAULT_CENTRE_NOTICE = "\n".join((
    "体检前一天请清淡饮食，晚上 10 点后禁食，体检当日早晨空腹（可少量饮水），抽血及腹部彩超完成后再进食。",
    "请携带本人有效身份证件原件，按预约日期 7:30—10:30 到体检中心前台签到。",
    "体检前 3 天避免饮酒、熬夜及剧烈运动；慢性病患者降压药等常规药物可照常服用。",
    "请穿着宽松衣物，勿佩戴金属饰品；孕妇及可能怀孕者请勿做 X 线、CT 类检查并提前告知医生。",
    "女性月经期间不宜做妇科检查及尿检，可改约或待经期结束后补检。",
))
_PLACEHOLDERS = {"", "change-me", "changeme", "secret", "password"}
# Words that mark an example value copied from documentation (checkup.env.example and the like).
_EXAMPLE_WORDS = re.compile(r"change[-_ ]?(me|this)|example|placeholder|your[-_]|replace[-_]?me|xxxx", re.IGNORECASE)
PII_KEY_ID_PATTERN = r"^[A-Za-z0-9_.-]{1,16}$"
MIN_SECRET_LENGTH = 32
MIN_SECRET_BITS = 128  # Shannon estimate of the value's characters; 'x'*40 has 0, a random 32-hex value ~110-128
MIN_SECRET_BITS_PER_CHAR = 3.0


def _is_placeholder(value: str | None) -> bool:
    return value is None or value.strip().lower() in _PLACEHOLDERS or value.startswith(SANDBOX_TEST_PREFIX)


def secret_weakness(value: str | None, *, min_length: int = MIN_SECRET_LENGTH) -> str | None:
    """Why ``value`` may not be a production secret, or None: unset, a sandbox test value, an example
    (change-me, example, placeholder...), shorter than ``min_length``, or too few distinct characters
    (low entropy: 'x'*40, 'abababab...')."""
    if value is None or not value.strip():
        return "not set"
    if value.startswith(SANDBOX_TEST_PREFIX) or value.strip().lower() in _PLACEHOLDERS:
        return "a sandbox test value or placeholder"
    if _EXAMPLE_WORDS.search(value):
        return "an example value (change-me / example / placeholder)"
    if len(value) < min_length:
        return f"shorter than {min_length} characters"
    counts = Counter(value)
    per_char = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    if per_char < MIN_SECRET_BITS_PER_CHAR or per_char * len(value) < MIN_SECRET_BITS * 0.75:
        return "low entropy (too few different characters)"
    return None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHECKUP_", env_file=".env", extra="ignore")

    env: Literal["dev", "prod"] = "dev"
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    db_url: str | None = None  # default: SQLite file under var/ (dev only)
    redis_url: str | None = None
    # Connections per API process, all opened at start so that a booking rush at the daily release time
    # meets warm pools instead of opening them under load (processes x db_pool_size <= max_connections).
    db_pool_size: int = Field(20, ge=1, le=200)
    redis_pool_size: int = Field(32, ge=1, le=1000)  # requests wait for a free Redis connection beyond this
    admin_password: str | None = None
    sandbox: bool | None = None  # default: on in dev, refused in prod
    public_url: str | None = None  # how outside systems (and the sandbox) reach us; default http://host:port
    var_dir: Path = Path("var")
    console_dist: Path | None = None  # built console to serve at /; default console/dist when present
    h5_dist: Path | None = None  # the built H5 patient pages (default h5/dist), served at /h5/
    run_worker: bool = True  # run the durable-job worker inside the server process
    cors_origins: str = ""  # comma-separated browser origins allowed to call the API (the console is same-origin)
    sandbox_persist: bool = True  # keep the sandbox's HIS/PEIS state in var/ across restarts
    # The sandbox HIS pushes its window changes (refund, cancel, re-price) to this URL, signed with the HIS
    # credentials, as a HIS that can push would: our POST /api/his/notify. Empty: off; unset: off, except
    # that `checkup run` points it at itself ({public_url}/api/his/notify).
    sandbox_his_push_url: str | None = None

    # Session tokens (HMAC-signed) and personal data protection.
    secret_key: str = SANDBOX_TEST_PREFIX + "token-signing-key"
    pii_key: str = SANDBOX_TEST_PREFIX + "pii-key-0123456789abcdef0123456789abcdef"  # AES key material
    pii_key_id: str = Field("k1", pattern=PII_KEY_ID_PATTERN)  # stored with every value (max 16 chars)
    # Key rotation: keys still read but no longer written, "k0:material,k1:material" or a JSON map
    # {"k0": "material"}; `checkup pii rotate` re-encrypts their rows under CHECKUP_PII_KEY.
    pii_old_keys: str = ""
    # Key of the lookup hashes (HMAC) of ID numbers and phones. It must never change (a change needs
    # every *_hash column recomputed). Unset: derived from CHECKUP_PII_KEY, as for rows written before
    # rotation existed; set it to that material before the first rotation (required with old keys).
    pii_hash_key: str | None = None
    # Key of the audit chain's HMAC (services/audit.py). Never stored in the database; it must stay the
    # same for the life of the audit trail (rows hashed under another key fail `checkup audit verify`).
    audit_key: str = SANDBOX_TEST_PREFIX + "audit-chain-hmac-key"
    # Anchors of the audit chain's head outside the database (one JSON line each, at least daily);
    # default {var_dir}/audit-anchors.jsonl. Put it on another disk or ship it off the host.
    audit_anchor_path: Path | None = None
    # 网络安全自查 (checkup selfcheck and the console page): the vulnerability list imported offline (JSON) and
    # where deploy/backup/backup.sh writes; unset: the self-check says they were not checked.
    vulns_path: Path | None = None
    backup_dir: Path | None = None
    patient_token_ttl: int = 7 * 24 * 3600
    pdf_font: Path = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")  # CJK TTF for PDF exports
    # Processes per API process that build xlsx/pdf exports (reports/offload.py), so that an export never holds
    # the GIL of the process serving patients; 0 builds in a thread of the API process.
    export_processes: int = Field(1, ge=0, le=8)
    hospital_name: str = Field("体检中心", max_length=60)  # heads the report's Excel and PDF files; GET /api/centre
    # The centre's phone number, shown by the patient pages wherever a patient is told to call (GET /api/centre).
    centre_phone: str = Field("", max_length=30, pattern=r"^[0-9+() -]*$")
    # The centre-wide 体检须知, one note a line (in an env file: "\n" between notes is read as a line break);
    # empty: the built-in notes (DEFAULT_CENTRE_NOTICE).
    centre_notice: str = Field(DEFAULT_CENTRE_NOTICE, max_length=4000)
    # Roles that may see full phone numbers in the 预约患者 report (to call a patient); every such view is
    # audited. Empty: nobody (masked everywhere). Comma-separated, of admin, staff, finance, auditor.
    report_full_phone_roles: str = "admin,staff"

    # HIS (HTTP JSON reference protocol, docs/interfaces/his-peis-protocol.md)
    his_url: str | None = None  # default with sandbox: {public_url}/sandbox/his
    his_app_id: str = "checkup-app"
    his_secret: str = SANDBOX_TEST_PREFIX + "his-hmac-secret"
    his_timeout: float = 10.0
    # Which HIS bills are the checkup centre's (the only ones the app lists, pays and books): comma-
    # separated department names and item names; a bill matches when both lists accept it (an empty
    # list accepts everything). Default: the item PEIS pushes, 体检中心体检费.
    his_checkup_depts: str = ""
    his_checkup_items: str = "体检中心体检费"
    # The document type codes HIS uses, as JSON {"passport": "03", ...}; types left out keep the defaults of
    # domain/documents.py (01 居民身份证, 03 护照, 06 港澳通行证, 07 台湾通行证, 08 外国人永久居留身份证,
    # 09 港澳台居民居住证 — 08 and 09 are placeholders to confirm with the HIS vendor).
    his_doc_type_codes: str = ""
    # How often the worker asks HIS about paid bills with future bookings (refunded, cancelled or
    # re-priced at the window); 0 turns the sweep off (pre-checks and HIS's own notifications remain).
    his_sweep_seconds: float = Field(300, ge=0, le=86400)

    # PEIS
    peis_url: str | None = None  # default with sandbox: {public_url}/sandbox/peis
    peis_app_id: str = "checkup-app"
    peis_secret: str = SANDBOX_TEST_PREFIX + "peis-hmac-secret"
    peis_timeout: float = 10.0

    # Protection of HIS and PEIS (docs/scaling.md, "HIS 保护"): per API or worker process, at most
    # *_max_concurrent calls in flight (a call waits *_wait_seconds for a slot, then fails fast with
    # 503 + Retry-After); after *_failure_threshold consecutive timeouts / connection errors / 5xx the
    # circuit opens for *_open_seconds (calls fail fast), then one trial call decides.
    his_max_concurrent: int = Field(8, ge=1, le=1000)
    his_wait_seconds: float = Field(3.0, ge=0.05, le=60)
    his_failure_threshold: int = Field(5, ge=1, le=1000)
    his_open_seconds: float = Field(15.0, ge=0.1, le=600)
    # How long a patient's bill lists read from HIS may be shown again from this process's memory
    # (never used to decide a payment, booking or refund). Default: 3 s in prod, 0 (off) in dev.
    his_cache_seconds: float | None = Field(None, ge=0, le=60)
    # How long booking (or rescheduling) a paid bill waits for HIS's word that the bill is still paid as we
    # hold it. A slower HIS does not hold the booking up: the check goes on after the answer and a change
    # HIS reports then ends the booking it made, as the sweep would (0: never wait, always check after).
    his_booking_check_seconds: float = Field(0.1, ge=0, le=10)
    peis_max_concurrent: int = Field(4, ge=1, le=1000)
    peis_wait_seconds: float = Field(5.0, ge=0.05, le=60)
    peis_failure_threshold: int = Field(5, ge=1, le=1000)
    peis_open_seconds: float = Field(15.0, ge=0.1, le=600)
    # SMS verification codes for 就诊人 (Tencent Cloud SMS, API 3.0; docs/patient-identity.md)
    sms_url: str | None = None  # default https://sms.tencentcloudapi.com; with sandbox {public_url}/sandbox/sms
    sms_secret_id: str = SANDBOX_TEST_PREFIX + "sms-secret-id"
    sms_secret_key: str = SANDBOX_TEST_PREFIX + "sms-secret-key"
    sms_sdk_app_id: str = "1400000000"
    sms_sign_name: str = "体检中心"  # the approved signature (签名)
    sms_template_id: str = "100001"  # the approved template: {1} = the code, {2} = minutes valid
    sms_region: str = "ap-guangzhou"
    sms_timeout: float = 5.0
    verification_send_interval_seconds: int = Field(60, ge=0, le=3600)  # per 就诊人 row and per phone
    verification_sends_per_day: int = Field(10, ge=1, le=1000)  # per 就诊人 row and per phone
    verification_lock_minutes: int = Field(30, ge=1, le=1440)  # after 5 wrong codes

    # WeChat mini-program
    wechat_api_url: str | None = None  # default https://api.weixin.qq.com; with sandbox {public_url}/sandbox/wechat
    wechat_appid: str = "wx0000000000sandbox"
    wechat_secret: str = SANDBOX_TEST_PREFIX + "wechat-app-secret"
    wechat_timeout: float = 5.0
    # The account holder's own 就诊人 verified against their WeChat real name (城市服务「实名信息校验」, applied
    # for per mini-program; docs/patient-identity.md section 8). Off: SMS only.
    wechat_realname_enabled: bool = False

    # WeChat official account (公众号) that shows the 体检中心 menu: its own appid and secret, used
    # only by `checkup wechat menu push|show`. The menu's buttons open the mini-program above.
    wechat_oa_appid: str = "wx00000000000000oa"
    wechat_oa_secret: str = SANDBOX_TEST_PREFIX + "wechat-oa-secret"
    # Official account web authorisation (H5 login): open.weixin.qq.com by default, the sandbox when on.
    wechat_oauth_url: str | None = None
    # The H5 patient pages (served at /h5/): the OAuth redirect target and the menu's H5 links.
    h5_url: str | None = None  # default {public_url}/h5/
    wechat_menu_title: str = "体检中心"
    wechat_menu_names: str | None = None  # JSON {"packages"|"pay"|"bookings": "button name"}
    # One web page for WeChat clients without mini-programs; default: each entry's H5 page (never the console).
    wechat_menu_url: str | None = None
    wechat_menu_target: Literal["miniprogram", "h5"] = "miniprogram"  # where the 体检中心 entries open

    # Subscription messages (订阅消息). A template id per message; empty = that message is off;
    # unset = the sandbox's templates when the sandbox is on, otherwise off.
    wechat_template_payment: str | None = None
    wechat_template_booking: str | None = None
    wechat_template_change: str | None = None
    wechat_template_cancel: str | None = None
    wechat_template_reminder: str | None = None
    wechat_template_refund: str | None = None  # 退款成功, with the reason (every automatic refund sends one)
    # Official account template messages for its H5 users: JSON {kind: template_id} (sandbox: its templates).
    wechat_oa_templates: str | None = None
    wechat_template_fields: str | None = None  # JSON {kind: {keyword: field}}, see docs/wechat-integration.md
    wechat_miniprogram_state: Literal["formal", "trial", "developer"] | None = None  # default formal in prod
    wechat_reminder_time: str = Field("18:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")  # Asia/Shanghai

    # WeChat Pay API v3 (docs/payments.md「微信支付商户模式」). In dev with the sandbox and no key files
    # configured, sandbox test keys are generated under var/sandbox-keys/ and used on both sides.
    wechatpay_url: str | None = None  # default https://api.mch.weixin.qq.com; sandbox {public_url}/sandbox/wechatpay
    wechatpay_mchid: str = "1900000109"
    wechatpay_serial_no: str | None = None  # merchant API certificate serial
    wechatpay_private_key_path: Path | None = None  # merchant private key (PEM)
    wechatpay_public_key_path: Path | None = None  # WeChat Pay public key (PEM)
    wechatpay_public_key_id: str | None = None  # PUB_KEY_ID_...
    wechatpay_apiv3_key: str | None = None  # 32 characters
    # How WeChat Pay's answers and notifications are verified: public_key (the WeChat Pay public key, what
    # new merchants get), certificate (platform certificates downloaded from /v3/certificates, decrypted
    # with the APIv3 key, cached and refreshed; no public key configured) or mixed (both, during WeChat's
    # switch from certificates to the public key: the Wechatpay-Serial of each answer picks the key).
    wechatpay_key_mode: Literal["public_key", "certificate", "mixed"] = "public_key"
    # Service-provider mode (服务商/特约商户): set both. CHECKUP_WECHATPAY_MCHID is then the provider's
    # sp_mchid (its key signs), CHECKUP_WECHAT_APPID stays the mini-program (sub_appid).
    wechatpay_sub_mchid: str | None = None  # the hospital's sub-merchant number
    wechatpay_sp_appid: str | None = None  # the service provider's appid
    # The sandbox WeChat Pay: how it signs (default: as CHECKUP_WECHATPAY_KEY_MODE) and whether it refuses
    # a notify_url that is not https, as WeChat does (default: on outside dev; off in dev so that tests and
    # `make run` over plain http work).
    sandbox_wechatpay_signing: Literal["public_key", "certificate", "mixed"] | None = None
    sandbox_wechatpay_https_notify: bool | None = None
    # Reconciliation of a merchant number shared with other systems (门诊, 住院, other vendors): only bill
    # rows of these appids (comma-separated; default the mini-program's, plus the provider's in partner
    # mode) whose 商户订单号 / 商户退款单号 start with our prefixes are ours; the rest are not compared.
    reconcile_appids: str = ""
    reconcile_trade_prefix: str = Field("TJ", min_length=1, max_length=16)  # our payment numbers (TJ…)
    reconcile_refund_prefix: str = Field("RF", min_length=1, max_length=16)  # our refund numbers (RF…)
    wechatpay_timeout: float = 10.0
    payment_expire_minutes: int = Field(15, ge=5, le=120)
    payment_query_after_seconds: int = 5  # a status check of a still-pending payment queries WeChat after this

    # Patient calendar (GET /api/calendar): an answer may be served from a per-process cache for this
    # many seconds. Bookings are held by the database (guarded update), never by this cache, so the
    # staleness only shows in 'remaining'. Default: 1 s in prod, 0 (off) in dev so that changes show at once.
    calendar_cache_seconds: float | None = Field(None, ge=0, le=10)

    # Rate limits ("N/second", "N/minute" or "N/hour"), counted in Redis when CHECKUP_REDIS_URL is set,
    # otherwise per process. Routes name the rules they obey in the route table (route(limit=...)).
    rate_limits: bool = True  # false switches every limit off
    rate_limit_login_ip: str = Field("20/minute", pattern=RATE_PATTERN)  # console login, per client address
    rate_limit_login_account: str = Field("10/minute", pattern=RATE_PATTERN)  # console login + own password change, per username
    rate_limit_wechat_login_ip: str = Field("60/minute", pattern=RATE_PATTERN)  # mini-program login, per address
    rate_limit_patient_create: str = Field("20/hour", pattern=RATE_PATTERN)  # new 就诊人, per user
    rate_limit_patient_create_ip: str = Field("120/hour", pattern=RATE_PATTERN)  # new 就诊人, per address (mobile NATs are shared)
    rate_limit_patient_create_id: str = Field("10/hour", pattern=RATE_PATTERN)  # new 就诊人, per ID number, every account
    rate_limit_verification: str = Field("30/hour", pattern=RATE_PATTERN)  # codes sent + entered, per user
    rate_limit_verification_ip: str = Field("300/hour", pattern=RATE_PATTERN)  # codes sent + entered, per address
    rate_limit_order: str = Field("30/hour", pattern=RATE_PATTERN)  # orders, per user
    rate_limit_payment: str = Field("30/hour", pattern=RATE_PATTERN)  # payments, per user
    rate_limit_booking: str = Field("30/hour", pattern=RATE_PATTERN)  # book, reschedule, cancel, per user
    rate_limit_charges: str = Field("60/minute", pattern=RATE_PATTERN)  # bill lists (read from HIS), per user
    rate_limit_refund: str = Field("10/hour", pattern=RATE_PATTERN)  # refund requests (may ask HIS), per user
    rate_limit_staff_upstream: str = Field("20/minute", pattern=RATE_PATTERN)  # reconciliation, package sync, per staff
    rate_limit_pii_reveal: str = Field("30/hour", pattern=RATE_PATTERN)  # full ID/phone views, per staff member
    # Client addresses: how many reverse proxies in front of us append to X-Forwarded-For. 0 = trust no
    # forwarded header and use the socket peer (right when clients connect directly). Behind one nginx: 1.
    proxies_count: int = Field(0, ge=0, le=10)

    # Logs: one JSON object per line (json) or plain text; default text in dev, json in prod.
    log_format: Literal["json", "text"] | None = None

    # Durable jobs
    worker_poll_seconds: float = 1.0
    worker_lease_seconds: int = 10  # a killed worker's job is taken over after this (a heartbeat renews it)
    # Jobs of one claimed batch run this many at a time (write-backs wait on HIS: with 300 ms per call,
    # one at a time is ~3 per second). Their HIS calls still obey CHECKUP_HIS_MAX_CONCURRENT.
    worker_concurrency: int = Field(1, ge=1, le=64)

    # Operations (docs/deployment.md): GET /api/metrics answers clients whose address (the forwarded one
    # behind CHECKUP_PROXIES_COUNT proxies) is in metrics_allow (comma-separated CIDRs; empty = none), or
    # that send "Authorization: Bearer <metrics_token>" (unset = no token accepted; 16+ characters).
    metrics_allow: str = "127.0.0.0/8,::1/128"
    metrics_token: str | None = None
    # On SIGTERM, GET /api/ready answers 503 at once; the process keeps serving this many seconds before it
    # stops listening, so that a load balancer polling /api/ready takes it out first (0: nginx's passive
    # proxy_next_upstream is enough).
    shutdown_drain_seconds: float = Field(0.0, ge=0, le=60)
    # Every JSON answer is validated against its route's response model (api/routing.py): strict answers
    # 500 and logs the route and the field on a mismatch (tests, dev); log logs that error and still sends
    # the answer. Unset: log in prod, strict otherwise.
    response_check: Literal["strict", "log"] | None = None

    @model_validator(mode="after")
    def _production_is_safe(self) -> Settings:
        if self.env == "prod":
            problems = []
            if self.sandbox:
                problems.append("CHECKUP_SANDBOX must be off in prod")
            if not self.db_url:
                problems.append("CHECKUP_DB_URL is required in prod")
            problems.extend(self._weak_secrets())
            if _is_placeholder(self.sms_secret_id):
                # 就诊人 verification codes must leave through the hospital's own SMS account
                problems.append("CHECKUP_SMS_SECRET_ID is a sandbox test value or placeholder")
            if self.wechat_appid.endswith("sandbox") or self.wechatpay_mchid == "1900000109":
                problems.append("CHECKUP_WECHAT_APPID / CHECKUP_WECHATPAY_MCHID still have the sandbox values")
            for name in ("wechatpay_private_key_path", "wechatpay_public_key_path"):
                path = getattr(self, name)
                if path is not None and "sandbox-keys" in Path(path).parts:
                    problems.append(f"CHECKUP_{name.upper()} points at the sandbox's generated keys")
            if _is_placeholder(self.wechatpay_apiv3_key) or not self.wechatpay_private_key_path:
                problems.append("WeChat Pay keys (CHECKUP_WECHATPAY_*) are required in prod")
            for name in ("his_url", "peis_url"):
                if not getattr(self, name):
                    problems.append(f"CHECKUP_{name.upper()} is required in prod")
            if problems:
                raise ValueError("unsafe production settings: " + "; ".join(problems))
        old_keys = self.pii_old_key_map  # a malformed ring stops the start
        if self.pii_key_id in old_keys and old_keys[self.pii_key_id] != self.pii_key:
            raise ValueError(f"CHECKUP_PII_OLD_KEYS names the current key id {self.pii_key_id!r} with other material")
        if old_keys and not self.pii_hash_key:
            raise ValueError("CHECKUP_PII_HASH_KEY is required once CHECKUP_PII_OLD_KEYS is set (lookup hashes "
                             "must not change with the key): set it to the material the rows were hashed with")
        if self.sandbox is None:
            self.sandbox = self.env == "dev"
        if self.log_format is None:
            self.log_format = "json" if self.env == "prod" else "text"
        if self.sandbox_wechatpay_https_notify is None:
            self.sandbox_wechatpay_https_notify = self.env != "dev"
        if self.response_check is None:
            self.response_check = "log" if self.env == "prod" else "strict"
        if self.calendar_cache_seconds is None:
            self.calendar_cache_seconds = 1.0 if self.env == "prod" else 0.0
        if self.his_cache_seconds is None:
            self.his_cache_seconds = 3.0 if self.env == "prod" else 0.0
        parse_field_mapping(self.wechat_template_fields)  # a bad mapping stops the start, not a send
        if (self.wechatpay_sub_mchid is None) != (self.wechatpay_sp_appid is None):
            raise ValueError("service-provider mode needs both CHECKUP_WECHATPAY_SUB_MCHID and CHECKUP_WECHATPAY_SP_APPID")
        _ = self.message_config  # so does a bad CHECKUP_WECHAT_OA_TEMPLATES
        return self

    @field_validator("wechatpay_sub_mchid", "wechatpay_sp_appid", "wechatpay_public_key_path",
                     "wechatpay_public_key_id", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("his_doc_type_codes")
    @classmethod
    def _doc_type_codes(cls, value: str) -> str:
        from checkup.domain.documents import his_code_map

        his_code_map(value)  # raises ValueError with what is wrong
        return value

    @field_validator("centre_phone", mode="before")
    @classmethod
    def _phone_stripped(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("centre_notice", mode="before")
    @classmethod
    def _empty_notice_is_default(cls, value: object) -> object:
        return DEFAULT_CENTRE_NOTICE if isinstance(value, str) and not value.replace("\\n", "").strip() else value

    @property
    def centre_notice_text(self) -> str:
        """CHECKUP_CENTRE_NOTICE as the patient pages get it: one note a line, blank lines dropped."""
        lines = self.centre_notice.replace("\\n", "\n").splitlines()
        return "\n".join(line.strip() for line in lines if line.strip())

    @property
    def reconcile_appid_set(self) -> frozenset[str]:
        """The appids whose bill rows are ours."""
        given = {a.strip() for a in self.reconcile_appids.split(",") if a.strip()}
        return frozenset(given or {self.wechat_appid, *([self.wechatpay_sp_appid] if self.wechatpay_sp_appid else [])})

    def secret_values(self) -> dict[str, str | None]:
        """Every secret by setting name (each a different purpose, so no two may share a value)."""
        values: dict[str, str | None] = {
            name: getattr(self, name)
            for name in ("secret_key", "pii_key", "pii_hash_key", "audit_key", "his_secret", "peis_secret",
                         "wechat_secret", "wechat_oa_secret", "wechatpay_apiv3_key", "sms_secret_key", "metrics_token",
                         "admin_password")
        }
        for kid, material in self.pii_old_key_map.items():
            values[f"pii_old_keys[{kid}]"] = material
        return values

    def _weak_secrets(self) -> list[str]:
        """Production refusals: weak, example or sandbox secrets, and one value used for two purposes."""
        problems = []
        optional = {"pii_hash_key", "metrics_token", "admin_password", "wechat_oa_secret"}
        values = self.secret_values()
        for name, value in values.items():
            if value is None and name in optional:
                continue
            if name == "admin_password":
                if _EXAMPLE_WORDS.search(value or "") or _is_placeholder(value):
                    problems.append("CHECKUP_ADMIN_PASSWORD is a placeholder")
                continue
            if name == "wechat_oa_secret" and value == SANDBOX_TEST_PREFIX + "wechat-oa-secret":
                continue  # only `checkup wechat menu` uses it, and it refuses a placeholder itself
            why = secret_weakness(value, min_length=16 if name == "metrics_token" else MIN_SECRET_LENGTH)
            if why:
                label = f"CHECKUP_{name.upper()}" if "[" not in name else "CHECKUP_PII_OLD_KEYS"
                problems.append(f"{label} is {why}")
        seen: dict[str, str] = {}
        for name, value in values.items():
            if not value:
                continue
            other = seen.get(value)
            # The PII keys are one purpose: the hash key is meant to be some key's material.
            if other and not (other.startswith("pii_") and name.startswith("pii_")):
                problems.append(f"CHECKUP_{other.upper()} and CHECKUP_{name.upper()} have the same value: "
                                "each purpose needs its own secret")
            seen.setdefault(value, name)
        return problems

    @field_validator("metrics_allow")
    @classmethod
    def _metrics_networks_parse(cls, value: str) -> str:
        for part in value.split(","):
            if part.strip():
                try:
                    ipaddress.ip_network(part.strip(), strict=False)
                except ValueError:
                    raise ValueError(f"CHECKUP_METRICS_ALLOW: {part.strip()!r} is not an address or CIDR network") from None
        return value

    @field_validator("metrics_token")
    @classmethod
    def _metrics_token_long_enough(cls, value: str | None) -> str | None:
        if value is not None and value.strip() == "":
            return None  # CHECKUP_METRICS_TOKEN= (empty): no token
        if value is not None and (len(value) < 16 or _is_placeholder(value)):
            raise ValueError("CHECKUP_METRICS_TOKEN must be at least 16 characters and not a placeholder")
        return value

    @property
    def metrics_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(p.strip(), strict=False) for p in self.metrics_allow.split(",") if p.strip()]

    @property
    def pii_old_key_map(self) -> dict[str, str]:
        """CHECKUP_PII_OLD_KEYS as {key id: material}."""
        text = self.pii_old_keys.strip()
        if not text:
            return {}
        if text.startswith("{"):
            try:
                pairs = list(json.loads(text).items())
            except (ValueError, AttributeError):
                raise ValueError("CHECKUP_PII_OLD_KEYS is not a JSON object") from None
        else:
            pairs = [tuple(part.strip().split(":", 1)) for part in text.split(",") if part.strip()]
        keys: dict[str, str] = {}
        for pair in pairs:
            if len(pair) != 2 or not isinstance(pair[1], str) or not pair[1] \
                    or not re.match(PII_KEY_ID_PATTERN, str(pair[0])) or pair[0] in keys:
                raise ValueError("CHECKUP_PII_OLD_KEYS: expected distinct 'id:material' entries (ids of "
                                 "letters, digits, _ . -, at most 16)")
            keys[str(pair[0])] = pair[1]
        return keys

    @property
    def cors_origin_list(self) -> list[str]:
        return [o.strip() for o in self.cors_origins.split(",") if o.strip()]

    @cached_property
    def base_url(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def audit_anchor_file(self) -> Path:
        return self.audit_anchor_path or self.var_dir / "audit-anchors.jsonl"

    @cached_property
    def database_url(self) -> str:
        if self.db_url:
            return self.db_url
        return f"sqlite://{(self.var_dir / 'checkup.sqlite3').as_posix()}"

    @property
    def is_mysql(self) -> bool:
        return self.database_url.startswith("mysql://")

    def _sandboxed(self, explicit: str | None, suffix: str, real: str | None) -> str:
        if explicit:
            return explicit.rstrip("/")
        if self.sandbox:
            return f"{self.base_url}/sandbox/{suffix}"
        if real:
            return real
        raise ValueError(f"no URL configured for {suffix}")

    @property
    def his_base_url(self) -> str:
        return self._sandboxed(self.his_url, "his", None)

    @property
    def peis_base_url(self) -> str:
        return self._sandboxed(self.peis_url, "peis", None)

    @property
    def sms_base_url(self) -> str:
        return self._sandboxed(self.sms_url, "sms", "https://sms.tencentcloudapi.com")

    @property
    def wechatpay_base_url(self) -> str:
        return self._sandboxed(self.wechatpay_url, "wechatpay", "https://api.mch.weixin.qq.com")

    @property
    def wechat_api_base_url(self) -> str:
        return self._sandboxed(self.wechat_api_url, "wechat", "https://api.weixin.qq.com")

    @property
    def wechat_oauth_base_url(self) -> str:
        return self._sandboxed(self.wechat_oauth_url, "wechat", "https://open.weixin.qq.com")

    @property
    def h5_base_url(self) -> str:
        return (self.h5_url or f"{self.base_url}/h5/").rstrip("/") + "/"

    @property
    def message_config(self) -> MessageConfig:
        """Subscription message templates, field mapping and delivery settings."""
        templates = {}
        for kind in MESSAGE_KINDS:
            given = getattr(self, f"wechat_template_{kind}")
            templates[kind] = given if given is not None else (SANDBOX_TEMPLATE_PREFIX + kind if self.sandbox else "")
        hour, minute = (int(part) for part in self.wechat_reminder_time.split(":"))
        try:
            oa_templates = json.loads(self.wechat_oa_templates) if self.wechat_oa_templates else None
        except ValueError:
            raise ValueError("CHECKUP_WECHAT_OA_TEMPLATES is not JSON {kind: template_id}") from None
        if oa_templates is None:
            # The sandbox's templates, for the kinds the mini-program has on (its template set to "" turns a kind off).
            oa_templates = {kind: SANDBOX_TEMPLATE_PREFIX + kind for kind in MESSAGE_KINDS
                            if templates[kind]} if self.sandbox else {}
        if not isinstance(oa_templates, dict) or set(oa_templates) - set(MESSAGE_KINDS):
            raise ValueError(f"CHECKUP_WECHAT_OA_TEMPLATES: an object with kinds among {', '.join(MESSAGE_KINDS)}")
        return MessageConfig(
            oa_templates={str(k): str(v) for k, v in oa_templates.items()},
            h5_url=self.h5_base_url,
            templates=templates,
            fields=parse_field_mapping(self.wechat_template_fields),
            miniprogram_state=self.wechat_miniprogram_state or ("formal" if self.env == "prod" else "developer"),
            reminder_after=time(hour, minute),
        )

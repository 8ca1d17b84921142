"""Building the WeChat Pay client from settings (real keys from files, or generated sandbox keys)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from checkup.config import Settings
from checkup.integrations.wechat.pay import WechatPayClient


@dataclass(frozen=True, slots=True)
class WechatPayKeys:
    serial_no: str
    private_key_pem: bytes
    public_key_pem: bytes | None  # None in certificate mode
    public_key_id: str | None
    apiv3_key: bytes


def load_keys(settings: Settings) -> WechatPayKeys:
    """Configured key files; in dev with the sandbox and none configured, the sandbox's test keys."""
    uses_public_key = settings.wechatpay_key_mode in ("public_key", "mixed")
    if settings.wechatpay_private_key_path:
        needed = ["wechatpay_serial_no", "wechatpay_apiv3_key"]
        if uses_public_key:
            needed += ["wechatpay_public_key_path", "wechatpay_public_key_id"]
        missing = [name for name in needed if not getattr(settings, name)]
        if missing:
            raise ValueError("WeChat Pay settings missing: " + ", ".join(f"CHECKUP_{m.upper()}" for m in missing))
        return WechatPayKeys(
            serial_no=settings.wechatpay_serial_no or "",
            private_key_pem=Path(settings.wechatpay_private_key_path).read_bytes(),
            public_key_pem=Path(settings.wechatpay_public_key_path or "").read_bytes() if uses_public_key else None,
            public_key_id=settings.wechatpay_public_key_id if uses_public_key else None,
            apiv3_key=(settings.wechatpay_apiv3_key or "").encode("utf-8"),
        )
    if not settings.sandbox:
        raise ValueError("CHECKUP_WECHATPAY_PRIVATE_KEY_PATH is required when the sandbox is off")
    from checkup.sandbox.wechatpay.keys import ensure_sandbox_keys

    keys = ensure_sandbox_keys(settings.var_dir / "sandbox-keys")
    return WechatPayKeys(
        serial_no=keys.merchant_serial_no,
        private_key_pem=keys.merchant_private_key_pem,
        public_key_pem=keys.platform_public_key_pem if uses_public_key else None,
        public_key_id=keys.platform_public_key_id if uses_public_key else None,
        apiv3_key=keys.apiv3_key,
    )


def build_wechatpay_client(settings: Settings, keys: WechatPayKeys) -> WechatPayClient:
    return WechatPayClient(
        base_url=settings.wechatpay_base_url,
        mchid=settings.wechatpay_mchid,
        appid=settings.wechat_appid,
        merchant_serial_no=keys.serial_no,
        merchant_private_key_pem=keys.private_key_pem,
        wechatpay_public_key_pem=keys.public_key_pem,
        wechatpay_public_key_id=keys.public_key_id,
        platform_certificates=settings.wechatpay_key_mode in ("certificate", "mixed"),
        sub_mchid=settings.wechatpay_sub_mchid,
        sp_appid=settings.wechatpay_sp_appid,
        apiv3_key=keys.apiv3_key,
        notify_url_payment=f"{settings.base_url}/api/wechatpay/notify/payment",
        notify_url_refund=f"{settings.base_url}/api/wechatpay/notify/refund",
        timeout=settings.wechatpay_timeout,
    )

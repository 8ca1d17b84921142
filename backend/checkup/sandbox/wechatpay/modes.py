"""How the sandbox WeChat Pay signs (public key, platform certificate, or either at random during the
switch-over) and what the service-provider (partner) API family looks like.

WeChat's facts modelled here:
- public-key mode: responses and notifications carry ``Wechatpay-Serial: PUB_KEY_ID_…``;
- certificate mode: they carry the platform certificate's serial (upper-case hex), and
  ``GET /v3/certificates`` lists the certificates, each encrypted with the APIv3 key (AES-256-GCM,
  associated_data ``certificate``);
- switch-over ("mixed"): either key signs, at random, request by request;
- partner: ``/v3/pay/partner/transactions/…`` with sp_appid, sp_mchid, sub_appid, sub_mchid and
  ``payer.sub_openid``; answers and notifications name sp_/sub_ fields; refunds carry ``sub_mchid``.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa

from checkup.sandbox.wechatpay import crypto

SIGNING_MODES = ("public_key", "certificate", "mixed")
_CST = timezone(timedelta(hours=8), "Asia/Shanghai")


@dataclass(frozen=True, slots=True)
class SandboxCertificate:
    serial: str
    private_key: rsa.RSAPrivateKey
    pem: bytes
    not_before: datetime
    not_after: datetime

    @classmethod
    def load(cls, private_key_pem: bytes, certificate_pem: bytes) -> SandboxCertificate:
        cert = x509.load_pem_x509_certificate(certificate_pem)
        return cls(
            serial=format(cert.serial_number, "X"),
            private_key=crypto.private_key_from_pem(private_key_pem),
            pem=certificate_pem,
            not_before=cert.not_valid_before_utc,
            not_after=cert.not_valid_after_utc,
        )


class SandboxSigner:
    """The keys WeChat signs with, by mode; rotated certificates come from the shared state."""

    def __init__(
        self,
        *,
        mode: str,
        public_key: rsa.RSAPrivateKey,
        public_key_id: str,
        certificates: list[SandboxCertificate],
        rotated: list[SandboxCertificate] | None = None,
    ) -> None:
        if mode not in SIGNING_MODES:
            raise ValueError(f"signing mode must be one of {SIGNING_MODES}")
        if mode != "public_key" and not certificates:
            raise ValueError(f"signing mode {mode} needs a platform certificate")
        self.mode = mode
        self.public_key = public_key
        self.public_key_id = public_key_id
        self._base = certificates
        self._rotated = rotated if rotated is not None else []  # shared with the state: control adds

    @property
    def certificates(self) -> list[SandboxCertificate]:
        return self._base + self._rotated

    def rotate(self, certificate: SandboxCertificate) -> None:
        """WeChat issues a new platform certificate; it signs from now on, the old one stays listed."""
        self._rotated.append(certificate)

    def current_certificate(self) -> SandboxCertificate:
        """The newest certificate: the one WeChat signs with."""
        return max(self.certificates, key=lambda c: c.not_before)

    def signing_key(self) -> tuple[rsa.RSAPrivateKey, str]:
        use_certificate = self.mode == "certificate" or (self.mode == "mixed" and secrets.randbelow(2) == 1)
        if use_certificate:
            cert = self.current_certificate()
            return cert.private_key, cert.serial
        return self.public_key, self.public_key_id

    def accepted_serials(self) -> set[str]:
        """What a request may send as ``Wechatpay-Serial``."""
        serials = {c.serial for c in self.certificates} if self.mode != "public_key" else set()
        if self.mode != "certificate":
            serials.add(self.public_key_id)
        return serials

    def certificates_json(self, apiv3_key: bytes) -> dict[str, Any]:
        """``GET /v3/certificates``: every certificate still valid, encrypted with the APIv3 key."""
        items = []
        for cert in sorted(self.certificates, key=lambda c: c.not_before):
            sealed = crypto.encrypt_resource(apiv3_key, cert.pem, associated_data="certificate")
            items.append({
                "serial_no": cert.serial,
                "effective_time": cert.not_before.astimezone(_CST).isoformat(timespec="seconds"),
                "expire_time": cert.not_after.astimezone(_CST).isoformat(timespec="seconds"),
                "encrypt_certificate": sealed,
            })
        return {"data": items}


# ---- partner (service provider) ----


def to_partner(data: dict[str, Any], *, sp_appid: str, sub_mchid: str) -> dict[str, Any]:
    """A direct-merchant transaction JSON as the partner API answers it."""
    result = dict(data)
    result["sp_appid"] = sp_appid
    result["sp_mchid"] = result.pop("mchid")
    result["sub_appid"] = result.pop("appid")
    result["sub_mchid"] = sub_mchid
    payer = result.get("payer")
    if isinstance(payer, dict) and "openid" in payer:
        result["payer"] = {"sub_openid": payer["openid"]}
    return result


def partner_prepay_to_direct(
    body: Mapping[str, Any], *, mchid: str, sp_appid: str | None, sub_mchid: str | None, appid: str
) -> dict[str, Any]:
    """Check a partner prepay body's merchant fields; the order fields, in the direct layout."""
    from checkup.sandbox.wechatpay.service import SandboxError

    if sub_mchid is None or sp_appid is None:
        raise SandboxError(403, "NO_AUTH", "当前商户号不是服务商，无权调用服务商接口")
    if body.get("sp_mchid") != mchid:
        raise SandboxError(400, "PARAM_ERROR", "sp_mchid 与请求签名的商户号不一致")
    if body.get("sp_appid") != sp_appid:
        raise SandboxError(400, "APPID_MCHID_NOT_MATCH", "sp_appid 和 sp_mchid 不匹配")
    if body.get("sub_mchid") != sub_mchid:
        raise SandboxError(400, "MCH_NOT_EXISTS", "sub_mchid 不是该服务商的特约商户")
    if body.get("sub_appid") != appid:
        raise SandboxError(400, "APPID_MCHID_NOT_MATCH", "sub_appid 和 sub_mchid 不匹配")
    payer = body.get("payer") or {}
    openid = payer.get("sub_openid") if isinstance(payer, dict) else None
    if isinstance(payer, dict) and payer.get("openid") and not openid:
        raise SandboxError(400, "PARAM_ERROR", "小程序支付须传 payer.sub_openid（sub_appid 下的 openid）")
    direct = {k: v for k, v in body.items() if k not in ("sp_appid", "sp_mchid", "sub_appid", "sub_mchid", "payer")}
    direct.update(appid=appid, mchid=mchid, payer={"openid": openid})
    return direct


def check_partner_ids(*, sp_mchid: Any, sub_mchid: Any, mchid: str, expected_sub_mchid: str | None) -> None:
    """Query and close name both merchants; both must be the configured pair."""
    from checkup.sandbox.wechatpay.service import SandboxError

    if expected_sub_mchid is None:
        raise SandboxError(403, "NO_AUTH", "当前商户号不是服务商，无权调用服务商接口")
    if sp_mchid != mchid:
        raise SandboxError(400, "PARAM_ERROR", "sp_mchid 参数缺失或与商户号不一致")
    if sub_mchid != expected_sub_mchid:
        raise SandboxError(400, "PARAM_ERROR", "sub_mchid 参数缺失或不是该服务商的特约商户")


def check_refund_merchant(order_sub_mchid: str | None, given: Any) -> None:
    """A partner order is refunded with its sub_mchid; a direct order without one."""
    from checkup.sandbox.wechatpay.service import SandboxError

    if order_sub_mchid is None and given:
        raise SandboxError(400, "PARAM_ERROR", "直连商户的订单不能传 sub_mchid")
    if order_sub_mchid is not None and given != order_sub_mchid:
        raise SandboxError(400, "PARAM_ERROR", "服务商模式退款须传该订单的 sub_mchid")

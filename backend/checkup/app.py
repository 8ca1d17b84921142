"""create_app: the one place where the real collaborators are wired."""

from __future__ import annotations

import asyncio
import gc
import logging
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sanic import Request, Sanic
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, file, redirect

from checkup.api.errors import install_error_handlers
from checkup.api.metrics import install_metrics
from checkup.api.middleware import install_middleware
from checkup.api.ratelimit import RateLimiter
from checkup.api.wiring import install_http
from checkup.bootstrap.wechat import build_realname_checker, build_subscribe_client, build_template_client
from checkup.bootstrap.wechatpay import build_wechatpay_client, load_keys
from checkup.config import Settings
from checkup.db.runtime import close_db, init_db
from checkup.domain.bill_scope import BillScope
from checkup.domain.checkup_bills import CheckupBills
from checkup.domain.documents import his_code_map
from checkup.domain.verification import SendLimits
from checkup.integrations.guard import Guard, GuardPolicy
from checkup.integrations.his.guard import GuardedHisClient
from checkup.integrations.his.http import HttpHisClient
from checkup.integrations.peis.guard import GuardedPeisClient
from checkup.integrations.peis.http import HttpPeisClient
from checkup.integrations.sms.tencent import TencentSmsSender
from checkup.integrations.wechat.http_login import HttpWechatLoginClient
from checkup.integrations.wechat.oauth import HttpWechatOAuthClient
from checkup.logs import install_logging
from checkup.pii import cipher_from_settings
from checkup.redis_client import create_redis, warm_redis
from checkup.reports.offload import ExportRunner
from checkup.services import audit
from checkup.services.deps import Deps
from checkup.services.login_throttle import LoginThrottle
from checkup.services.ops_counters import COUNTERS
from checkup.services.packages import sync_packages
from checkup.services.tokens import TokenSigner
from checkup.worker.runner import Worker

if TYPE_CHECKING:
    from checkup.sandbox import SandboxConfig

log = logging.getLogger("checkup")


def count_upstream_call(system: str, operation: str, seconds: float, answered: bool) -> None:
    """Every HIS / PEIS call, counted for the monthly 运行报告 (services/ops_counters)."""
    COUNTERS.upstream(system, operation, seconds, answered=answered)


def build_deps(settings: Settings) -> Deps:
    his = HttpHisClient(settings.his_base_url, settings.his_app_id, settings.his_secret, settings.his_timeout)
    peis = HttpPeisClient(settings.peis_base_url, settings.peis_app_id, settings.peis_secret, settings.peis_timeout)
    audit.set_key(settings.audit_key)
    return Deps(
        his=GuardedHisClient(his, Guard("HIS", GuardPolicy(
            max_concurrent=settings.his_max_concurrent, wait_seconds=settings.his_wait_seconds,
            failure_threshold=settings.his_failure_threshold, open_seconds=settings.his_open_seconds,
        ), observe=count_upstream_call), cache_seconds=settings.his_cache_seconds or 0),
        peis=GuardedPeisClient(peis, Guard("PEIS", GuardPolicy(
            max_concurrent=settings.peis_max_concurrent, wait_seconds=settings.peis_wait_seconds,
            failure_threshold=settings.peis_failure_threshold, open_seconds=settings.peis_open_seconds,
        ), observe=count_upstream_call)),
        wechat_login=HttpWechatLoginClient(
            settings.wechat_api_base_url, settings.wechat_appid, settings.wechat_secret, settings.wechat_timeout
        ),
        pii=cipher_from_settings(settings),
        tokens=TokenSigner(settings.secret_key),
        wechatpay=build_wechatpay_client(settings, load_keys(settings)),
        payment_expire_minutes=settings.payment_expire_minutes,
        payment_query_after_seconds=settings.payment_query_after_seconds,
        cache_seconds=settings.calendar_cache_seconds or 0,
        messages=settings.message_config,
        wechat_subscribe=build_subscribe_client(settings),
        bill_scope=BillScope(settings.reconcile_appid_set, settings.reconcile_trade_prefix,
                             settings.reconcile_refund_prefix),
        wechat_oauth=HttpWechatOAuthClient(
            authorize_base_url=settings.wechat_oauth_base_url, api_base_url=settings.wechat_api_base_url,
            appid=settings.wechat_oa_appid, secret=settings.wechat_oa_secret, timeout=settings.wechat_timeout,
        ),
        h5_url=settings.h5_base_url,
        wechat_template=build_template_client(settings),
        audit_anchor_path=settings.audit_anchor_file,
        checkup_bills=CheckupBills.parse(settings.his_checkup_depts, settings.his_checkup_items),
        his_sweep_seconds=settings.his_sweep_seconds,
        his_booking_check_seconds=settings.his_booking_check_seconds,
        verification_limits=SendLimits(
            interval=timedelta(seconds=settings.verification_send_interval_seconds),
            per_day=settings.verification_sends_per_day,
            lock_for=timedelta(minutes=settings.verification_lock_minutes),
        ),
        his_doc_type_codes=his_code_map(settings.his_doc_type_codes),
        realname=build_realname_checker(settings) if settings.wechat_realname_enabled else None,
        sms=TencentSmsSender(
            base_url=settings.sms_base_url, secret_id=settings.sms_secret_id, secret_key=settings.sms_secret_key,
            sdk_app_id=settings.sms_sdk_app_id, sign_name=settings.sms_sign_name,
            template_id=settings.sms_template_id, region=settings.sms_region, timeout=settings.sms_timeout,
        ),
    )


def create_app(settings: Settings | None = None, *, name: str = "checkup", manage_db: bool = True,
               deps: Deps | None = None, sync_packages_on_start: bool = True,
               run_worker: bool | None = None, configure_logs: bool = False, freeze_gc: bool = False) -> Sanic:
    """The API (and, when configured, the sandbox and the built console) on one address.

    ``configure_logs`` (the server, in every worker process) installs the product's logging
    (CHECKUP_LOG_FORMAT, request ids, redaction) instead of Sanic's own. ``freeze_gc`` (the server) moves
    what exists once the worker has started into the collector's permanent generation (``settle_gc``).
    """
    settings = settings or Settings()
    if configure_logs:
        install_logging(settings.log_format or "text")
    app = Sanic(name, configure_logging=not configure_logs)
    app.config.REQUEST_MAX_SIZE = 1_000_000
    app.config.FALLBACK_ERROR_FORMAT = "json"
    # Forwarded client addresses are trusted only behind this many proxies (0: the socket peer).
    # (SANIC_PROXIES_COUNT / SANIC_REAL_IP_HEADER in the environment keep working when this is 0.)
    if settings.proxies_count:
        app.config.PROXIES_COUNT = settings.proxies_count
    app.ctx.settings = settings
    app.ctx.deps = deps or build_deps(settings)
    app.ctx.exports = ExportRunner(settings.export_processes)  # xlsx/pdf builders off this process (issue 17)
    app.ctx.redis = None
    app.ctx.rate_limiter = RateLimiter(settings, lambda: app.ctx.redis)
    app.ctx.login_throttle = LoginThrottle(lambda: app.ctx.redis) if settings.rate_limits else None
    install_error_handlers(app)
    install_middleware(app, cors_origins=tuple(settings.cors_origin_list))
    install_metrics(app)  # request metrics, the shutting-down flag of /api/ready
    install_http(app)  # every blueprint, authenticator and the audit hook (api/wiring.py)
    if settings.sandbox:
        _mount_sandbox(app, settings)
    _mount_h5(app, settings)
    _mount_console(app, settings)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # httpx logs URLs; WeChat puts secrets in some

    @app.before_server_start
    async def start(app: Sanic) -> None:
        if manage_db:
            await init_db(settings.database_url, pool_max=settings.db_pool_size, pool_min=settings.db_pool_size)
        app.ctx.redis = create_redis(settings.redis_url, pool_size=settings.redis_pool_size)
        await warm_redis(app.ctx.redis, min(8, settings.redis_pool_size))

    in_process_worker = settings.run_worker if run_worker is None else run_worker

    @app.after_server_start
    async def after_start(app: Sanic) -> None:
        if manage_db:  # the monthly report's request figures and heartbeats (services/ops_counters.py)
            app.ctx.ops_stop = asyncio.Event()
            app.ctx.ops_task = asyncio.get_running_loop().create_task(COUNTERS.run_flusher(app.ctx.ops_stop))
        if sync_packages_on_start:
            app.add_task(_sync_packages_until_done(app.ctx.deps), name="sync_packages")
        if in_process_worker:
            app.ctx.worker_stop = asyncio.Event()
            worker = Worker(app.ctx.deps, lease_seconds=settings.worker_lease_seconds,
                            poll_seconds=settings.worker_poll_seconds, concurrency=settings.worker_concurrency)
            app.ctx.worker_task = asyncio.get_running_loop().create_task(worker.run_forever(app.ctx.worker_stop))
        if freeze_gc:
            settle_gc()

    @app.before_server_stop
    async def stop(app: Sanic) -> None:
        # Still listening here: /api/ready answers 503 from now on, and responses say Connection: close.
        app.ctx.shutting_down = True
        if settings.shutdown_drain_seconds:
            await asyncio.sleep(settings.shutdown_drain_seconds)
        if in_process_worker and getattr(app.ctx, "worker_task", None):
            app.ctx.worker_stop.set()
            await app.ctx.worker_task
        if getattr(app.ctx, "ops_task", None):
            app.ctx.ops_stop.set()
            await app.ctx.ops_task

    @app.after_server_stop
    async def close(app: Sanic) -> None:
        # After the in-flight requests have drained (Sanic's graceful shutdown), not before them.
        for client in (app.ctx.deps.his, app.ctx.deps.peis, app.ctx.deps.wechat_login, app.ctx.deps.wechatpay,
                       app.ctx.deps.wechat_subscribe, app.ctx.deps.wechat_oauth,
                       app.ctx.deps.wechat_template, app.ctx.deps.sms, app.ctx.deps.realname):
            aclose = getattr(client, "aclose", None)
            if aclose:
                await aclose()
        app.ctx.exports.close()
        if app.ctx.redis is not None:
            await app.ctx.redis.aclose()
        if manage_db:
            await close_db()

    return app


def settle_gc() -> None:
    """Keep what start-up built (modules, routes, models, schemas: about 125,000 objects, as long-lived as the
    process) out of the cyclic collector's full passes. Each full pass walked all of them, about 30 ms on
    this project's machines, and under load one came every few seconds: the stalls of ~100 ms that decided
    a rush's p99 (issue 17). Objects made later are collected as before."""
    gc.collect()
    gc.freeze()


async def _sync_packages_until_done(deps: Deps) -> None:
    for attempt in range(10):
        try:
            await sync_packages(deps)
            return
        except Exception as exc:  # noqa: BLE001 - keep serving; retry the sync a little later
            log.warning("package sync failed (attempt %d): %s", attempt + 1, exc)
            await asyncio.sleep(min(2**attempt, 60))


def sandbox_config(settings: Settings, *, state_path: str | None) -> SandboxConfig:
    """The sandbox's side of the credentials the app is configured with (one place for every launcher)."""
    from checkup.sandbox import SandboxConfig

    return SandboxConfig(
        his_app_id=settings.his_app_id,
        his_secret=settings.his_secret,
        peis_app_id=settings.peis_app_id,
        peis_secret=settings.peis_secret,
        wechat_appid=settings.wechat_appid,
        wechat_secret=settings.wechat_secret,
        wechat_oa_appid=settings.wechat_oa_appid,
        wechat_oa_secret=settings.wechat_oa_secret,
        sms_secret_id=settings.sms_secret_id,
        sms_secret_key=settings.sms_secret_key,
        sms_sdk_app_id=settings.sms_sdk_app_id,
        sms_sign_name=settings.sms_sign_name,
        sms_template_id=settings.sms_template_id,
        his_push_url=settings.sandbox_his_push_url or None,
        state_path=state_path,
    )


def _mount_sandbox(app: Sanic, settings: Settings) -> None:
    from checkup.sandbox import SandboxState, create_sandbox_blueprint

    config = sandbox_config(
        settings, state_path=str(settings.var_dir / "sandbox-state.json") if settings.sandbox_persist else None
    )
    app.ctx.sandbox_state = SandboxState(config.state_path)
    app.blueprint(create_sandbox_blueprint(config, app.ctx.sandbox_state))
    _mount_wechatpay_sandbox(app, settings)


def wechatpay_sandbox_config(settings: Settings, keys: Any) -> Any:
    """The sandbox WeChat Pay as the settings describe the merchant: signing mode, partner, https notify."""
    from checkup.sandbox.wechatpay.service import WechatPaySandboxConfig

    return WechatPaySandboxConfig.from_keys(
        keys, mchid=settings.wechatpay_mchid, appid=settings.wechat_appid,
        other_appids=(settings.wechat_oa_appid,),  # the official account, bound to the merchant too
        signing=settings.sandbox_wechatpay_signing or settings.wechatpay_key_mode,
        sp_appid=settings.wechatpay_sp_appid, sub_mchid=settings.wechatpay_sub_mchid,
        require_https_notify=bool(settings.sandbox_wechatpay_https_notify),
    )


def _mount_wechatpay_sandbox(app: Sanic, settings: Settings) -> None:
    from checkup.sandbox.wechat_cashier import create_cashier_blueprint
    from checkup.sandbox.wechatpay import create_wechatpay_blueprint, create_wechatpay_control_blueprint
    from checkup.sandbox.wechatpay.keys import ensure_sandbox_keys
    from checkup.sandbox.wechatpay.state import WechatPaySandboxState

    keys = ensure_sandbox_keys(settings.var_dir / "sandbox-keys")
    config = wechatpay_sandbox_config(settings, keys)
    state = WechatPaySandboxState(
        path=str(settings.var_dir / "sandbox-wechatpay.json") if settings.sandbox_persist else None
    )
    app.ctx.wechatpay_sandbox_state = state
    app.blueprint(create_wechatpay_blueprint(config, state))
    app.blueprint(create_wechatpay_control_blueprint(config, state))
    app.blueprint(create_cashier_blueprint(config, state))


def _mount_h5(app: Sanic, settings: Settings) -> None:
    """The official account's H5 patient pages (h5/dist) at /h5/; one hash-routed index.html."""
    dist = (settings.h5_dist or Path(__file__).resolve().parents[2] / "h5" / "dist").resolve()

    async def h5(request: Request, path: str = "") -> HTTPResponse:
        if not (dist / "index.html").is_file():
            raise NotFound("H5 页面尚未构建（make h5）")
        target = (dist / path).resolve()
        if path and target.is_file() and dist in target.parents:
            # Vite names built assets by content hash: they never change under one name.
            cache = "public, max-age=31536000, immutable" if path.startswith("assets/") else "no-cache"
            return await file(target, headers={"Cache-Control": cache})
        return await file(dist / "index.html", headers={"Cache-Control": "no-cache"})

    async def h5_slash(request: Request) -> HTTPResponse:
        return redirect("/h5/")

    app.add_route(h5_slash, "/h5", methods=["GET"], name="h5_root", strict_slashes=True)
    app.add_route(h5, "/h5/", methods=["GET"], name="h5_index", strict_slashes=True)
    app.add_route(h5, "/h5/<path:path>", methods=["GET"], name="h5_path")


def _mount_console(app: Sanic, settings: Settings) -> None:
    dist = settings.console_dist or Path(__file__).resolve().parents[2] / "console" / "dist"
    if not (dist / "index.html").is_file():
        return
    dist = dist.resolve()

    async def console(request: Request, path: str = "") -> HTTPResponse:
        if path.startswith(("api/", "sandbox/")):
            raise NotFound()
        target = (dist / path).resolve()
        if path and target.is_file() and dist in target.parents:
            return await file(target)
        return await file(dist / "index.html", headers={"Cache-Control": "no-cache"})

    app.add_route(console, "/", methods=["GET"], name="console_index")
    app.add_route(console, "/<path:path>", methods=["GET"], name="console_path")

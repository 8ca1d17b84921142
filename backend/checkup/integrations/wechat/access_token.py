"""WeChat's access token through ``/cgi-bin/stable_token``, shared by every process through Redis.

``stable_token`` (force_refresh false) hands every caller the same token until it expires, so
processes never invalidate each other's token. The token is cached in Redis under a key per appid
with a TTL of ``expires_in`` minus a margin; a refresh runs under a Redis lock (SET NX with an
expiry) so that a cold start of many processes makes one call, not one each. Without Redis the
cache and the lock live in this process, and so they do while Redis is down or hangs: every Redis
call has a short deadline (``redis_timeout``), after which this process uses (and keeps) its own
token, so a Redis outage never fails a subscription message. ``stable_token`` makes that safe: the
per-process token is the same one the other processes hold.

Neither the secret nor a token is ever logged: WeChat puts the token in the query string, and the
httpx logger (which logs URLs) is kept at WARNING by the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from typing import Any, Protocol

import httpx

log = logging.getLogger("checkup.integrations.wechat")

# errcodes that mean "this access token is no good": get a new one and try once more.
TOKEN_ERRCODES = frozenset({40001, 40014, 42001})
# Delete a key only if it still holds the given value (our lock; the token that was refused).
_DELETE_IF_SAME = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class WechatApiError(Exception):
    """A WeChat API answered with an errcode, or could not be reached (``errcode`` None)."""

    def __init__(self, errcode: int | None, errmsg: str) -> None:
        super().__init__(f"{errcode}: {errmsg}" if errcode is not None else errmsg)
        self.errcode = errcode
        self.errmsg = errmsg


class _RedisDown(Exception):
    """Redis did not answer in time (down, refusing, hung): use the per-process cache instead."""


class AccessTokenSource(Protocol):
    async def token(self) -> str:
        """A valid access token (cached, or fetched now)."""
        ...

    async def renew(self, refused: str) -> str:
        """WeChat refused ``refused`` (40001 / 42001): another valid token."""
        ...


def errcode_of(data: Any) -> tuple[int, str]:
    """(errcode, errmsg) of a WeChat answer; success often carries no errcode at all."""
    if not isinstance(data, dict):
        return -2, "answer is not a JSON object"
    errcode = data.get("errcode", 0)
    if not isinstance(errcode, int) or isinstance(errcode, bool):
        return -2, "errcode is not an integer"
    errmsg = data.get("errmsg")
    errmsg = errmsg if isinstance(errmsg, str) else ""
    return errcode, errmsg


class StableAccessToken:
    """AccessTokenSource for one appid over ``/cgi-bin/stable_token``, cached in Redis when given."""

    def __init__(
        self,
        base_url: str,
        appid: str,
        secret: str,
        *,
        redis: Any = None,
        timeout: float = 5.0,
        margin_seconds: int = 300,
        lock_seconds: int = 10,
        namespace: str = "checkup",
        client: httpx.AsyncClient | None = None,
        close_redis: bool = False,
        redis_timeout: float = 1.0,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self.appid = appid
        self._secret = secret
        self._redis = redis
        self._close_redis = close_redis
        self._timeout = timeout
        self._margin = margin_seconds
        self._lock_seconds = lock_seconds
        self.cache_key = f"{namespace}:wechat:access_token:{appid}"
        self._lock_key = f"{self.cache_key}:lock"
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._owns_client = client is None
        self._local: tuple[str, float] | None = None  # (token, monotonic expiry) without Redis
        self._local_lock = asyncio.Lock()
        self._redis_timeout = redis_timeout
        self._redis_down_until = 0.0  # after a Redis failure, skip Redis for a short while

    def __repr__(self) -> str:  # never show the secret or the token
        return f"StableAccessToken(appid={self.appid!r}, redis={self._redis is not None})"

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()
        if self._close_redis and self._redis is not None:
            await self._redis.aclose()

    # -- the cache ----------------------------------------------------------------------------

    async def token(self) -> str:
        if not self._use_redis():
            return await self._local_token()
        try:
            cached = await self._r(self._redis.get(self.cache_key))
            if cached:
                return cached
            return await self._refresh_shared()
        except _RedisDown:
            return await self._local_token()

    async def renew(self, refused: str) -> str:
        # Forget the refused token unless another process already replaced it, then get the current one.
        shared = self._use_redis()
        if shared:
            try:
                await self._r(self._redis.eval(_DELETE_IF_SAME, 1, self.cache_key, refused))
            except _RedisDown:
                shared = False
        if self._local and self._local[0] == refused:
            self._local = None
        token = await self.token()
        if token != refused:
            return token
        # WeChat still hands out the token it refuses: force a new one (WeChat allows 20 a day).
        log.warning("access token for %s refused but still current: forcing a refresh", self.appid)
        token, expires_in = await self._fetch(force=True)
        self._local = (token, time.monotonic() + self._ttl(expires_in))
        if shared and self._use_redis():
            with contextlib.suppress(_RedisDown):
                await self._r(self._redis.set(self.cache_key, token, ex=self._ttl(expires_in)))
        return token

    def _use_redis(self) -> bool:
        return self._redis is not None and time.monotonic() >= self._redis_down_until

    async def _r(self, call: Any) -> Any:
        """One Redis call within the short deadline; any failure means "Redis is down" for 30 s."""
        try:
            return await asyncio.wait_for(call, timeout=self._redis_timeout)
        except Exception as exc:  # noqa: BLE001 - connection refused, timeout, hung socket, protocol error
            if time.monotonic() >= self._redis_down_until:
                log.warning("redis unavailable for the access token (%s): using this process's token",
                            type(exc).__name__)
            self._redis_down_until = time.monotonic() + 30
            raise _RedisDown() from None

    async def _local_token(self) -> str:
        async with self._local_lock:
            if self._local and self._local[1] > time.monotonic():
                return self._local[0]
            token, expires_in = await self._fetch(force=False)
            self._local = (token, time.monotonic() + self._ttl(expires_in))
            return token

    def _ttl(self, expires_in: int) -> int:
        # A short-lived token (near its end at WeChat) is still cached briefly, never for 0 s.
        return max(expires_in - self._margin, min(expires_in, 30), 1)

    async def _refresh_shared(self) -> str:
        """Fetch under the Redis lock; who does not get the lock waits for the one who did."""
        owner = secrets.token_hex(16)
        deadline = time.monotonic() + self._lock_seconds
        while True:
            if await self._r(self._redis.set(self._lock_key, owner, nx=True, ex=self._lock_seconds)):
                try:
                    cached = await self._r(self._redis.get(self.cache_key))  # filled while we waited?
                    if cached:
                        return cached
                    token, expires_in = await self._fetch(force=False)
                    self._local = (token, time.monotonic() + self._ttl(expires_in))
                    await self._r(self._redis.set(self.cache_key, token, ex=self._ttl(expires_in)))
                    return token
                finally:
                    with contextlib.suppress(_RedisDown):
                        await self._r(self._redis.eval(_DELETE_IF_SAME, 1, self._lock_key, owner))
            await asyncio.sleep(0.05)
            cached = await self._r(self._redis.get(self.cache_key))
            if cached:
                return cached
            if time.monotonic() > deadline:
                # The lock holder died or is stuck: its lock expires; fetch without caching twice.
                token, expires_in = await self._fetch(force=False)
                self._local = (token, time.monotonic() + self._ttl(expires_in))
                await self._r(self._redis.set(self.cache_key, token, ex=self._ttl(expires_in)))
                return token

    # -- WeChat ---------------------------------------------------------------------------------

    async def _fetch(self, *, force: bool) -> tuple[str, int]:
        body = {"grant_type": "client_credential", "appid": self.appid, "secret": self._secret,
                "force_refresh": force}
        try:
            response = await self._client.post(f"{self._base_url}/cgi-bin/stable_token", json=body,
                                               timeout=self._timeout)
        except httpx.HTTPError as exc:
            log.warning("stable_token for %s: %s", self.appid, type(exc).__name__)
            raise WechatApiError(None, f"WeChat API unreachable ({type(exc).__name__})") from None
        if response.status_code != 200:
            raise WechatApiError(None, f"stable_token answered HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError:
            raise WechatApiError(None, "stable_token answer is not JSON") from None
        errcode, errmsg = errcode_of(data)
        if errcode != 0:
            log.warning("stable_token for %s refused: %s %s", self.appid, errcode, errmsg)
            raise WechatApiError(errcode, errmsg)
        token, expires_in = data.get("access_token"), data.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(expires_in, int) or expires_in <= 0:
            raise WechatApiError(-2, "stable_token answer has no access_token / expires_in")
        log.info("new access token for %s (expires in %d s)", self.appid, expires_in)
        return token, expires_in

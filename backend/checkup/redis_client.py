"""Optional Redis (redis.asyncio): shared caches, tokens, rate limits. The database stays the truth."""

from __future__ import annotations

import asyncio
import logging

from redis.asyncio import BlockingConnectionPool, Redis
from redis.exceptions import RedisError

log = logging.getLogger("checkup.redis")


def create_redis(url: str | None, *, pool_size: int = 32) -> Redis | None:
    """A client on a bounded pool: under a rush, requests wait (up to 2 s) for one of ``pool_size``
    connections instead of each opening its own."""
    if not url:
        return None
    pool = BlockingConnectionPool.from_url(url, max_connections=pool_size, timeout=2, decode_responses=True,
                                           socket_connect_timeout=2, socket_timeout=2)
    return Redis(connection_pool=pool)


async def warm_redis(client: Redis | None, connections: int) -> None:
    """Open ``connections`` now (concurrent PINGs), so the first burst of requests finds them ready.
    Redis being down is not an error here: the rate limits fall back and /api/health says so."""
    if client is None:
        return
    try:
        await asyncio.gather(*(client.ping() for _ in range(connections)))
    except (RedisError, OSError) as exc:
        log.warning("redis not reachable at start: %s", exc)

"""Optional Redis (redis.asyncio): shared caches, tokens, rate limits. The database stays the truth."""

from __future__ import annotations

from redis.asyncio import Redis


def create_redis(url: str | None) -> Redis | None:
    if not url:
        return None
    return Redis.from_url(url, decode_responses=True, socket_connect_timeout=2, socket_timeout=2)

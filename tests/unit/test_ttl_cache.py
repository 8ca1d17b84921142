"""The calendar's per-process answer cache: TTL, shared computation, errors not kept."""

from __future__ import annotations

import asyncio

import pytest

from checkup.services.calendar import TtlCache


async def test_hit_within_ttl_and_recompute_after():
    cache = TtlCache()
    calls = []

    async def compute():
        calls.append(1)
        return len(calls)

    assert await cache.get("k", 0.2, compute) == 1
    assert await cache.get("k", 0.2, compute) == 1
    await asyncio.sleep(0.25)
    assert await cache.get("k", 0.2, compute) == 2
    assert await cache.get("k", 0, compute) == 3  # ttl 0 = no caching


async def test_concurrent_misses_share_one_computation():
    cache = TtlCache()
    calls = []

    async def compute():
        calls.append(1)
        await asyncio.sleep(0.05)
        return "v"

    assert await asyncio.gather(*[cache.get("k", 5, compute) for _ in range(20)]) == ["v"] * 20
    assert len(calls) == 1


async def test_errors_are_not_kept_and_size_is_bounded():
    cache = TtlCache(max_entries=3)

    async def boom():
        raise ValueError("no")

    with pytest.raises(ValueError):
        await cache.get("bad", 5, boom)

    async def fine():
        return "ok"

    assert await cache.get("bad", 5, fine) == "ok"
    for i in range(10):
        await cache.get(i, 5, fine)
    assert len(cache._entries) <= 3

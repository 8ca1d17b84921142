"""Tortoise's MySQL/MariaDB client with a first-come, first-served connection pool.

aiomysql's pool hands a released connection to whichever task asks next: a task arriving while
a connection is free takes it before the tasks already waiting, which are woken a moment later
and find none. Under a booking rush (hundreds of requests for 20 connections per process) some
requests are overtaken again and again and wait for most of the rush while the median is fast.
Here every acquisition first takes a place in a FIFO queue (asyncio.Semaphore, fair since Python
3.11) sized to the pool, so connections go to requests in the order they asked. Nothing else of
the client changes. Used through the engine name in checkup.db.config (MySQL/MariaDB URLs only).
"""

from __future__ import annotations

import asyncio
from typing import Any

from tortoise.backends.mysql.client import MySQLClient


class FairPool:
    """The aiomysql pool behind a FIFO gate of its size; everything else passes through."""

    def __init__(self, pool: Any, size: int) -> None:
        self._pool = pool
        self._gate = asyncio.Semaphore(size)

    async def acquire(self) -> Any:
        await self._gate.acquire()
        try:
            return await self._pool.acquire()
        except BaseException:
            self._gate.release()
            raise

    def release(self, conn: Any) -> Any:
        try:
            return self._pool.release(conn)
        finally:
            self._gate.release()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


class FairMySQLClient(MySQLClient):
    async def create_connection(self, with_db: bool) -> None:
        await super().create_connection(with_db)
        if self._pool is not None and not isinstance(self._pool, FairPool):
            self._pool = FairPool(self._pool, self.pool_maxsize)


client_class = FairMySQLClient

"""The rush's ceiling: the booking's database work alone, straight through aiomysql.

Each attempt is the transaction at the heart of POST /api/me/bookings — the guarded UPDATE of the
day's count and the INSERT of the booking row, committed together (rolled back when the day is
full) — at the same open-loop arrival rate as the HTTP rush, sharing a pool with as many connections as the
API workers have together (workers x their pool size), since MariaDB's default max_connections (151)
cannot take one per client and the app itself never has more.

The product's booking table carries triggers that take the place in the INSERT itself (migration
0005), so the ceiling runs its two statements on copies of day_quota and booking made with CREATE
TABLE ... LIKE (same columns, keys and checks; no triggers, no foreign keys): exactly the guarded
UPDATE plus INSERT in one transaction, as the benchmark defines it. ``rush_trigger_ceiling`` is a
second reference: the product's own statement (INSERT, the trigger's guarded UPDATE) through aiomysql.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import aiomysql
from loadgen import Result

QUOTA, BOOKING = "ceiling_day_quota", "ceiling_booking"
GUARDED_UPDATE = (f"UPDATE {QUOTA} SET booked = booked + 1, updated_at = %s "
                  "WHERE day = %s AND open = 1 AND booked < capacity")
INSERT_COLUMNS = ("(charge_id, patient_id, his_patient_id, day, status, active, booked_at, reschedule_count, "
                  "created_at, updated_at) VALUES (%s, %s, %s, %s, 'booked', 1, %s, 0, %s, %s)")
INSERT_BOOKING = f"INSERT INTO {BOOKING} {INSERT_COLUMNS}"


async def prepare_tables(db: dict, days: list[date], capacity: int) -> None:
    """Fresh trigger-free copies of day_quota and booking, with each day's quota."""
    conn = await aiomysql.connect(autocommit=True, **db)
    try:
        async with conn.cursor() as cur:
            await cur.execute(f"DROP TABLE IF EXISTS {BOOKING}, {QUOTA}")
            await cur.execute(f"CREATE TABLE {QUOTA} LIKE day_quota")
            await cur.execute(f"CREATE TABLE {BOOKING} LIKE booking")
            for day in days:
                await cur.execute(f"INSERT INTO {QUOTA} (day, capacity, booked, open, updated_at) "
                                  "VALUES (%s, %s, 0, 1, %s)", (day, capacity, datetime.now(UTC).replace(tzinfo=None)))
    finally:
        conn.close()


async def finish_tables(db: dict) -> tuple[int, int]:
    """(booking rows, quota booked) the ceiling left over all its days; then drop the copies."""
    conn = await aiomysql.connect(autocommit=True, **db)
    try:
        async with conn.cursor() as cur:
            await cur.execute(f"SELECT COUNT(*) FROM {BOOKING} WHERE active = 1")
            rows = (await cur.fetchone())[0]
            await cur.execute(f"SELECT COALESCE(SUM(booked), 0) FROM {QUOTA}")
            booked = int((await cur.fetchone())[0])
            await cur.execute(f"DROP TABLE IF EXISTS {BOOKING}, {QUOTA}")
        return rows, booked
    finally:
        conn.close()


Charge = tuple[int, int, str, date]  # (charge_id, patient_id, his_patient_id, the day it books)
Attempt = Callable[[Any, Any, Charge, datetime], Awaitable[int]]  # (conn, cursor, charge, now) -> 201 / 409


async def _drive(name: str, db: dict, charges: list[Charge], attempt: Attempt, *, rate: float,
                 connections: int, autocommit: bool) -> Result:
    """Open loop, as the HTTP rush: attempt k starts at ``k / rate`` seconds whatever came before,
    sharing a pool of ``connections`` (waiting for one counts in its latency); ``result.series`` holds
    (second of starting, latency, status) per attempt."""
    result = Result(name)
    pool = await aiomysql.create_pool(minsize=connections, maxsize=connections, autocommit=autocommit, **db)
    loop = asyncio.get_running_loop()
    series: list[tuple[int, float, int]] = []
    t0 = loop.time()

    async def one(k: int, charge: Charge) -> None:
        await asyncio.sleep(max(0.0, t0 + k / rate - loop.time()))
        started = loop.time()
        t_start = time.perf_counter()
        async with pool.acquire() as conn, conn.cursor() as cur:
            status = await attempt(conn, cur, charge, datetime.now(UTC).replace(tzinfo=None))
        latency = time.perf_counter() - t_start
        result.latencies.append(latency)
        result.statuses[status] += 1
        series.append((int(started - t0), latency, status))

    await asyncio.gather(*(one(k, c) for k, c in enumerate(charges)))
    result.wall = loop.time() - t0
    result.series = series  # type: ignore[attr-defined]
    pool.close()
    await pool.wait_closed()
    return result


async def rush_ceiling(db: dict, charges: list[Charge], *, rate: float, connections: int) -> Result:
    """The guarded UPDATE and the INSERT in one transaction (rolled back when the day is full)."""

    async def attempt(conn, cur, charge: Charge, now: datetime) -> int:
        charge_id, patient_id, his_patient_id, day = charge
        await conn.begin()
        await cur.execute(GUARDED_UPDATE, (now, day))
        if cur.rowcount != 1:
            await conn.rollback()
            return 409
        await cur.execute(INSERT_BOOKING, (charge_id, patient_id, his_patient_id, day, now, now, now))
        await conn.commit()
        return 201

    return await _drive("ceiling", db, charges, attempt, rate=rate, connections=connections, autocommit=False)


async def rush_trigger_ceiling(db: dict, charges: list[Charge], *, rate: float, connections: int) -> Result:
    """The product's statement alone: INSERT INTO booking (its trigger takes the place), autocommit."""

    async def attempt(conn, cur, charge: Charge, now: datetime) -> int:
        charge_id, patient_id, his_patient_id, day = charge
        try:
            await cur.execute(f"INSERT INTO booking {INSERT_COLUMNS}",
                              (charge_id, patient_id, his_patient_id, day, now, now, now))
        except aiomysql.OperationalError:  # CHECKUP_NO_PLACE
            return 409
        return 201

    return await _drive("trigger-ceiling", db, charges, attempt, rate=rate, connections=connections,
                        autocommit=True)

"""The rush's ceiling: the booking's database work alone, straight through aiomysql.

Each attempt is the transaction at the heart of POST /api/me/bookings — the guarded UPDATE of the
day's count and the INSERT of the booking row, committed together (rolled back when the day is
full) — at the same concurrency as the HTTP rush: as many concurrent clients, sharing a pool with as many
connections as the API workers have together (workers x their pool size), since MariaDB's default
max_connections (151) cannot take one per client and the app itself never has more.

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


async def prepare_tables(db: dict, day: date, capacity: int) -> None:
    """Fresh trigger-free copies of day_quota and booking, with the day's quota."""
    conn = await aiomysql.connect(autocommit=True, **db)
    try:
        async with conn.cursor() as cur:
            await cur.execute(f"DROP TABLE IF EXISTS {BOOKING}, {QUOTA}")
            await cur.execute(f"CREATE TABLE {QUOTA} LIKE day_quota")
            await cur.execute(f"CREATE TABLE {BOOKING} LIKE booking")
            await cur.execute(f"INSERT INTO {QUOTA} (day, capacity, booked, open, updated_at) VALUES (%s, %s, 0, 1, %s)",
                              (day, capacity, datetime.now(UTC).replace(tzinfo=None)))
    finally:
        conn.close()


async def finish_tables(db: dict, day: date) -> tuple[int, int]:
    """(booking rows, quota booked) the ceiling left; then drop the copies."""
    conn = await aiomysql.connect(autocommit=True, **db)
    try:
        async with conn.cursor() as cur:
            await cur.execute(f"SELECT COUNT(*) FROM {BOOKING} WHERE day = %s AND active = 1", (day,))
            rows = (await cur.fetchone())[0]
            await cur.execute(f"SELECT booked FROM {QUOTA} WHERE day = %s", (day,))
            booked = (await cur.fetchone())[0]
            await cur.execute(f"DROP TABLE IF EXISTS {BOOKING}, {QUOTA}")
        return rows, booked
    finally:
        conn.close()


Charge = tuple[int, int, str]  # (charge_id, patient_id, his_patient_id)
Attempt = Callable[[Any, Any, Charge, datetime], Awaitable[int]]  # (conn, cursor, charge, now) -> 201 / 409


async def _drive(name: str, db: dict, charges: list[Charge], attempt: Attempt, *, concurrency: int,
                 connections: int, autocommit: bool) -> Result:
    """``concurrency`` clients released together, sharing a pool of ``connections``, until every charge
    has had one attempt; answers latencies, status counts and the wall time."""
    result = Result(name)
    pool = await aiomysql.create_pool(minsize=connections, maxsize=connections, autocommit=autocommit, **db)
    queue = list(reversed(charges))
    gate = asyncio.Event()

    async def client() -> None:
        await gate.wait()
        while queue:
            charge = queue.pop()
            t0 = time.perf_counter()
            async with pool.acquire() as conn, conn.cursor() as cur:
                status = await attempt(conn, cur, charge, datetime.now(UTC).replace(tzinfo=None))
            result.latencies.append(time.perf_counter() - t0)
            result.statuses[status] += 1

    tasks = [asyncio.create_task(client()) for _ in range(concurrency)]
    t0 = time.perf_counter()
    gate.set()
    await asyncio.gather(*tasks)
    result.wall = time.perf_counter() - t0
    pool.close()
    await pool.wait_closed()
    return result


async def rush_ceiling(db: dict, day: date, charges: list[Charge], *, concurrency: int, connections: int) -> Result:
    """The guarded UPDATE and the INSERT in one transaction (rolled back when the day is full)."""

    async def attempt(conn, cur, charge: Charge, now: datetime) -> int:
        charge_id, patient_id, his_patient_id = charge
        await conn.begin()
        await cur.execute(GUARDED_UPDATE, (now, day))
        if cur.rowcount != 1:
            await conn.rollback()
            return 409
        await cur.execute(INSERT_BOOKING, (charge_id, patient_id, his_patient_id, day, now, now, now))
        await conn.commit()
        return 201

    return await _drive("ceiling", db, charges, attempt, concurrency=concurrency, connections=connections,
                        autocommit=False)


async def rush_trigger_ceiling(db: dict, day: date, charges: list[Charge], *, concurrency: int,
                               connections: int) -> Result:
    """The product's statement alone: INSERT INTO booking (its trigger takes the place), autocommit."""

    async def attempt(conn, cur, charge: Charge, now: datetime) -> int:
        charge_id, patient_id, his_patient_id = charge
        try:
            await cur.execute(f"INSERT INTO booking {INSERT_COLUMNS}",
                              (charge_id, patient_id, his_patient_id, day, now, now, now))
        except aiomysql.OperationalError:  # CHECKUP_NO_PLACE
            return 409
        return 201

    return await _drive("trigger-ceiling", db, charges, attempt, concurrency=concurrency, connections=connections,
                        autocommit=True)

"""The rush's ceiling: the booking's database work alone, straight through aiomysql.

Each attempt is the transaction at the heart of POST /api/me/bookings — the guarded UPDATE of the
day's count and the INSERT of the booking row, committed together (rolled back when the day is
full) — at the same concurrency as the HTTP rush: as many concurrent clients, sharing a pool with as many
connections as the API workers have together (workers x their pool size), since MariaDB's default
max_connections (151) cannot take one per client and the app itself never has more.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, date, datetime

import aiomysql
from loadgen import Result

GUARDED_UPDATE = ("UPDATE day_quota SET booked = booked + 1, updated_at = %s "
                  "WHERE day = %s AND open = 1 AND booked < capacity")
INSERT_BOOKING = ("INSERT INTO booking (charge_id, patient_id, his_patient_id, day, status, active, booked_at, "
                  "reschedule_count, created_at, updated_at) VALUES (%s, %s, %s, %s, 'booked', 1, %s, 0, %s, %s)")


async def rush_ceiling(db: dict, day: date, charges: list[tuple[int, int, str]], *, concurrency: int,
                       connections: int) -> Result:
    """charges: (charge_id, patient_id, his_patient_id). Answers latencies and 201/409-like counts."""
    result = Result("ceiling")
    pool = await aiomysql.create_pool(minsize=connections, maxsize=connections, autocommit=False, **db)
    queue = list(reversed(charges))
    gate = asyncio.Event()

    async def client() -> None:
        await gate.wait()
        while queue:
            charge_id, patient_id, his_patient_id = queue.pop()
            t0 = time.perf_counter()
            async with pool.acquire() as conn, conn.cursor() as cur:
                now = datetime.now(UTC).replace(tzinfo=None)
                await conn.begin()
                await cur.execute(GUARDED_UPDATE, (now, day))
                if cur.rowcount == 1:
                    await cur.execute(INSERT_BOOKING, (charge_id, patient_id, his_patient_id, day, now, now, now))
                    await conn.commit()
                    status = 201
                else:
                    await conn.rollback()
                    status = 409
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

"""The rush's ceiling: the booking's database work alone, straight through aiomysql.

Each attempt is the transaction at the heart of POST /api/me/bookings — the guarded UPDATE of the
day's count and the INSERT of the booking row, committed together (rolled back when the day is
full) — at the same concurrency as the HTTP rush, one connection per concurrent client.
"""

from __future__ import annotations

import asyncio
import time
from datetime import date, datetime, timezone

import aiomysql

from loadgen import Result

GUARDED_UPDATE = ("UPDATE day_quota SET booked = booked + 1, updated_at = %s "
                  "WHERE day = %s AND open = 1 AND booked < capacity")
INSERT_BOOKING = ("INSERT INTO booking (charge_id, patient_id, his_patient_id, day, status, active, booked_at, "
                  "reschedule_count, created_at, updated_at) VALUES (%s, %s, %s, %s, 'booked', 1, %s, 0, %s, %s)")


async def rush_ceiling(db: dict, day: date, charges: list[tuple[int, int, str]], *, concurrency: int) -> Result:
    """charges: (charge_id, patient_id, his_patient_id). Answers latencies and 201/409-like counts."""
    result = Result("ceiling")
    conns = [await aiomysql.connect(autocommit=False, **db) for _ in range(concurrency)]
    queue = list(reversed(charges))
    gate = asyncio.Event()

    async def client(conn) -> None:
        await gate.wait()
        async with conn.cursor() as cur:
            while queue:
                charge_id, patient_id, his_patient_id = queue.pop()
                t0 = time.perf_counter()
                now = datetime.now(timezone.utc).replace(tzinfo=None)
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

    tasks = [asyncio.create_task(client(c)) for c in conns]
    t0 = time.perf_counter()
    gate.set()
    await asyncio.gather(*tasks)
    result.wall = time.perf_counter() - t0
    for c in conns:
        c.close()
    return result

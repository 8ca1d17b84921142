"""A small HTTP/1.1 keep-alive load generator on asyncio (uvloop when present).

One connection per virtual user, as wrk does: the connections are opened before the clock starts
(a patient's mini-program, or nginx's upstream keep-alive, holds a warm connection), then every
user sends its requests back to back. It only speaks what the bench needs: requests with a
Content-Length body and answers with a Content-Length body (Sanic always sends one for JSON/raw).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Req:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def encode(self, host: str) -> bytes:
        lines = [f"{self.method} {self.path} HTTP/1.1", f"Host: {host}", "Connection: keep-alive"]
        lines += [f"{k}: {v}" for k, v in self.headers]
        if self.body or self.method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


@dataclass
class Result:
    """Latencies in seconds, status counts, wall time of the measured part."""

    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)  # transport errors by exception name
    bodies: list[tuple[int, bytes]] = field(default_factory=list)  # kept only when asked
    wall: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.count / self.wall if self.wall else 0.0

    def pct_ms(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        k = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[k] * 1000

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def errors_5xx(self) -> int:
        return sum(n for s, n in self.statuses.items() if s >= 500)


class Conn:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self.open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, _, rest = head.partition(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        length = 0
        close = False
        for line in rest.split(b"\r\n"):
            name, _, value = line.partition(b":")
            lname = name.strip().lower()
            if lname == b"content-length":
                length = int(value)
            elif lname == b"connection" and value.strip().lower() == b"close":
                close = True
            elif lname == b"transfer-encoding":
                raise RuntimeError("chunked answers are not supported by the bench client")
        body = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, body


async def _open_all(host: str, port: int, n: int) -> list[Conn]:
    conns = [Conn(host, port) for _ in range(n)]
    sem = asyncio.Semaphore(50)  # open in waves: the server's listen backlog is 100

    async def one(c: Conn) -> None:
        async with sem:
            await c.open()

    await asyncio.gather(*(one(c) for c in conns))
    return conns


async def run_requests(name: str, host: str, port: int, requests: Sequence[Req], *, concurrency: int,
                       keep_bodies: bool = False, limit_s: float = 120.0) -> Result:
    """Send every request once over ``concurrency`` warm connections, all starting together."""
    result = Result(name)
    raw = [r.encode(f"{host}:{port}") for r in requests]
    conns = await _open_all(host, port, min(concurrency, len(raw)))
    queue = list(reversed(raw))
    start_gate = asyncio.Event()

    async def user(conn: Conn) -> None:
        await start_gate.wait()
        while queue:
            payload = queue.pop()
            t0 = time.perf_counter()
            try:
                status, body = await conn.send(payload)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, RuntimeError) as exc:
                result.errors[type(exc).__name__] += 1
                conn.close()
                continue
            result.latencies.append(time.perf_counter() - t0)
            result.statuses[status] += 1
            if keep_bodies:
                result.bodies.append((status, body))

    tasks = [asyncio.create_task(user(c)) for c in conns]
    t0 = time.perf_counter()
    start_gate.set()
    await asyncio.wait_for(asyncio.gather(*tasks), limit_s)
    result.wall = time.perf_counter() - t0
    for c in conns:
        c.close()
    return result


async def run_for(name: str, host: str, port: int, make: Callable[[int], Req], *, concurrency: int,
                  seconds: float, warmup: float = 1.0) -> Result:
    """Closed loop for ``seconds`` (after ``warmup`` seconds not counted) over warm connections."""
    result = Result(name)
    hostport = f"{host}:{port}"
    conns = await _open_all(host, port, concurrency)
    loop = asyncio.get_running_loop()
    t_start = loop.time()
    t_measure = t_start + warmup
    t_end = t_measure + seconds

    async def user(i: int, conn: Conn) -> None:
        n = 0
        while True:
            now = loop.time()
            if now >= t_end:
                return
            payload = make(i * 1_000_000 + n).encode(hostport)
            n += 1
            t0 = time.perf_counter()
            try:
                status, _body = await conn.send(payload)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, RuntimeError) as exc:
                result.errors[type(exc).__name__] += 1
                conn.close()
                continue
            done = loop.time()
            if now >= t_measure and done <= t_end:
                result.latencies.append(time.perf_counter() - t0)
                result.statuses[status] += 1

    await asyncio.wait_for(asyncio.gather(*(user(i, c) for i, c in enumerate(conns))), seconds + warmup + 60)
    result.wall = seconds
    for c in conns:
        c.close()
    return result


async def run_open(name: str, host: str, port: int, requests: Sequence[Req], *, rate: float,
                   keep_bodies: bool = False, max_conns: int = 2000, limit_s: float = 600.0) -> Result:
    """Open loop: request k is sent at ``k / rate`` seconds whatever the answers before it (patients do
    not wait for each other), each on a free warm connection or a new one. ``result.series`` holds
    (second of sending, latency, status) per request, for figures per second."""
    result = Result(name)
    hostport = f"{host}:{port}"
    idle: list[Conn] = await _open_all(host, port, min(len(requests), max(1, int(rate)), max_conns))
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    series: list[tuple[int, float, int]] = []

    async def one(k: int, req: Req) -> None:
        await asyncio.sleep(max(0.0, t0 + k / rate - loop.time()))
        sent = loop.time()
        conn = idle.pop() if idle else Conn(host, port)
        t_send = time.perf_counter()
        try:
            if conn.writer is None:
                await conn.open()
            status, body = await conn.send(req.encode(hostport))
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, RuntimeError) as exc:
            result.errors[type(exc).__name__] += 1
            conn.close()
            series.append((int(sent - t0), time.perf_counter() - t_send, 0))
            return
        latency = time.perf_counter() - t_send
        result.latencies.append(latency)
        result.statuses[status] += 1
        series.append((int(sent - t0), latency, status))
        if keep_bodies:
            result.bodies.append((status, body))
        if conn.writer is not None:
            idle.append(conn)

    await asyncio.wait_for(asyncio.gather(*(one(k, r) for k, r in enumerate(requests))), limit_s)
    result.wall = loop.time() - t0
    result.series = series  # type: ignore[attr-defined]
    for c in idle:
        c.close()
    return result


def per_second(series: list[tuple[int, float, int]]) -> list[dict]:
    """Figures of each second of an open-loop run: sent, answered 2xx, 5xx, p50 and p99 (ms)."""
    out = []
    for second in range(max((s for s, _l, _st in series), default=-1) + 1):
        rows = [(lat, st) for s, lat, st in series if s == second]
        lats = sorted(lat for lat, _st in rows)

        def pct(p: float, lats: list[float] = lats) -> float | None:
            return round(lats[min(len(lats) - 1, int(len(lats) * p / 100))] * 1000, 1) if lats else None

        out.append({"second": second, "sent": len(rows), "ok": sum(1 for _l, st in rows if 200 <= st < 300),
                    "errors_5xx": sum(1 for _l, st in rows if st >= 500 or st == 0),
                    "p50_ms": pct(50), "p99_ms": pct(99)})
    return out

"""Many payments through the real API and the sandbox while faults are injected, then a drain and the
money invariants. Used by tests/integration/test_payment_faults.py and by the soak (bench/soak.py).

Faults: HIS failing / timing out (applied or not, delayed) on confirm_payment, query_trade, refund and
pending_charges (so a HIS refund answered UNKNOWN but applied, then FAILED on the retry); WeChat
notifications duplicated, delayed, reordered, forged and replayed; wrong amounts (held); WeChat refunds
refused for a while (429 FREQUENCY_LIMITED, 403 NOT_ENOUGH, 500 BANK_ERROR) or ended CLOSED;
`checkup worker` processes killed with SIGKILL and restarted; MariaDB connections of the app and the
workers KILLed mid-transaction; other systems sharing the merchant number taking (and refunding)
payments that appear in the day's bill. The end invariant includes "no one-sided refund": every refund
is refunded on both sides (HIS when it had settled, and WeChat) or on neither.

Given ``backlog`` (how many faults wait in a sandbox queue: "his.refund", "wechatpay.refund_request"
...), the injectors keep each queue short, so that faults meet calls as the traffic makes them instead
of piling up ahead of it (a pile of HIS faults fails every order and write-back of a long run).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import signal
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from checkup.db.models import Booking, DayQuota, Job, Payment, Refund
from checkup.domain.clock import shanghai_today, utcnow
from checkup.services.payments import query_and_apply
from checkup.services.refunds import poll_wechat_refund, wechat_no
from checkup.worker.runner import Worker
from support.people import next_id_number, next_phone
from support.reconciliation import today_reconcilable
from support.waits import bound
from support.workers import start_worker

HIS_FAULT_OPS = ("confirm_payment", "query_trade", "refund", "pending_charges")
FINAL_REFUND = ("succeeded", "failed", "abnormal")
MOVING_REFUND = ("pending", "his_done", "wechat_pending")
WECHAT_REFUND_FAULTS = ("FREQUENCY_LIMITED", "NOT_ENOUGH", "BANK_ERROR", "CLOSED")
WECHAT_REFUND_REQUEST_FAULTS = ("FREQUENCY_LIMITED", "NOT_ENOUGH", "BANK_ERROR")
MAX_BACKLOG = 2  # faults waiting in one sandbox queue, when the run can see the queues
# Other systems on the same merchant number (outpatient, inpatient, a vendor): appid ("" = ours), number prefix
FOREIGN_SOURCES = (("wx1111111111outpat", "MZ"), ("", "ZY"), ("wx2222222222vendor", "TJ-VENDOR-"))


class GaveUp(Exception):
    pass


@dataclass
class Chaos:
    http: httpx.AsyncClient  # the product's API
    sandbox: httpx.AsyncClient  # the sandbox's base URL (control calls)
    db_url: str
    worker_env: dict[str, str]
    seed: int = 7
    workers: int = 3
    small_day: date = field(default_factory=lambda: shanghai_today() + timedelta(days=3))
    small_capacity: int = 8
    book_day: date = field(default_factory=lambda: shanghai_today() + timedelta(days=4))
    injected: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    payments: dict[str, dict] = field(default_factory=dict)  # payment_no -> what we did to it
    backlog: Callable[[str], int] | None = None  # faults waiting in a sandbox queue (see the module text)
    foreign_appid: str = ""  # our appid: inpatient bills of the same mini-program use it with their own numbers
    foreign_rows: int = 0  # bill rows of other systems (trades and refunds) added to today's bill
    refund_share: float = 0.25  # of the patients whose payment settled, those who then ask for a refund
    _procs: list[asyncio.subprocess.Process] = field(default_factory=list)
    _codes: itertools.count = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.prefix = f"chaos{self.seed}-{random.randrange(10**6)}"

    async def control(self, path: str, payload: dict | None = None, *, expect: int | None = 200) -> Any:
        # "wait" calls last as long as the app takes to answer a notification: under faults on a busy
        # machine that can pass the sandbox client's 10 s, which would fail the run for the harness' sake
        if path.startswith("GET "):
            r = await self.sandbox.get(f"/sandbox/control/{path[4:]}", timeout=60)
        else:
            r = await self.sandbox.post(f"/sandbox/control/{path}", json=payload or {}, timeout=60)
        assert expect is None or r.status_code == expect, (path, r.status_code, r.text)
        return r.json() if r.status_code == 200 else None

    # -- HTTP with retries (faults make some answers 5xx / 409 in progress) -----------------------

    async def _call(self, method: str, path: str, *, headers=None, json=None, ok=(200, 201),
                    retry_on=(409,), tries: int = 12) -> httpx.Response:
        last = None
        for attempt in range(tries):
            try:
                r = await self.http.request(method, path, headers=headers, json=json)
            except httpx.HTTPError as exc:
                self.outcomes["http_error_retried"] += 1
                last = exc
            else:
                if r.status_code in ok:
                    return r
                if r.status_code < 500 and r.status_code not in retry_on:
                    return r
                self.outcomes[f"http_{r.status_code}_retried"] += 1
                last = r
            await asyncio.sleep(0.1 * (attempt + 1))
        raise GaveUp(f"{method} {path}: {getattr(last, 'text', last)}")

    async def new_patient(self) -> dict[str, str]:
        code = f"{self.prefix}-{next(self._codes)}"
        r = await self._call("POST", "/api/auth/wechat", json={"code": code}, retry_on=())
        headers = {"Authorization": f"Bearer {r.json()['token']}"}
        notice = await self._call("GET", "/api/privacy-notice", retry_on=())
        await self._call("POST", "/api/me/consents", headers=headers, retry_on=(),
                         json={"version": notice.json()["version"]})
        phone = next_phone()
        r = await self._call("POST", "/api/me/patients", headers=headers, retry_on=(),
                             json={"name": "王小明", "id_number": next_id_number(), "phone": phone})
        if r.status_code != 201:  # e.g. PATIENT_EXISTS: an earlier try committed, then its connection was killed
            self.outcomes[f"patient_create_{r.status_code}"] += 1
            raise GaveUp(r.text)
        patient_id = r.json()["id"]
        r = await self._call("POST", f"/api/me/patients/{patient_id}/verification-code", headers=headers,
                             ok=(202,), retry_on=())
        texts = (await self.control(f"GET sms/messages?phone={phone}"))["items"]
        r = await self._call("POST", f"/api/me/patients/{patient_id}/verify", headers=headers, retry_on=(),
                             json={"code": texts[0]["code"] if texts else "000000"})
        if r.status_code != 200:
            self.outcomes[f"patient_verify_{r.status_code}"] += 1
            raise GaveUp(r.text)
        return {"headers": headers, "patient_id": patient_id}

    # -- one patient's payment -----------------------------------------------------------------

    async def one_payment(self, i: int) -> None:
        rng = random.Random(self.seed * 100003 + i)
        try:
            me = await self.new_patient()
            h = me["headers"]
            r = await self._call("POST", "/api/me/orders", headers=h, retry_on=(),
                                 json={"patient_id": me["patient_id"], "package_code": rng.choice(["RZ001", "RZ001", "ZLN001"])})
            assert r.status_code == 201, r.text
            bill_no = r.json()["charge"]["bill_no"]
            r = await self._call("POST", "/api/me/payments", headers=h,
                                 json={"patient_id": me["patient_id"], "bill_nos": [bill_no]})
            assert r.status_code == 201, r.text
        except GaveUp:
            self.outcomes["gave_up_before_paying"] += 1
            return
        payment = r.json()
        no = payment["payment_no"]
        record = {"bill_no": bill_no, "amount_fen": payment["amount_fen"], "headers": h, "held": False}
        self.payments[no] = record
        if rng.random() < 0.15:  # forged and replayed (stale) notifications before the real one
            defect = rng.choice(["signature", "stale", "altered", "wrong_serial", "bad_ciphertext"])
            answer = await self.control("wechatpay/notify-forged", {"payment_no": no, "defect": defect})
            assert answer["status"] == 401, answer
            self.injected[f"forged_{defect}"] += 1
        if rng.random() < 0.05:
            self.outcomes["never_paid"] += 1
            return
        body: dict[str, Any] = {"payment_no": no, "wait": rng.random() < 0.6}
        if rng.random() < 0.06:
            body["amount_fen"] = payment["amount_fen"] - rng.randint(1, 100)
            record["held"] = True
            self.injected["wrong_amount"] += 1
        if rng.random() < 0.2:
            await asyncio.sleep(rng.uniform(0.05, 0.6))
            self.injected["notification_delayed"] += 1
        await self.control("pay", body)
        record["paid"] = True
        self.outcomes["paid_at_wechat"] += 1
        if rng.random() < 0.25:  # duplicates, some concurrent
            n = rng.randint(1, 3)
            await asyncio.gather(*[self.control("renotify", {"payment_no": no, "wait": rng.random() < 0.5})
                                   for _ in range(n)])
            self.injected["notification_duplicated"] += n
        older = [p for p, rec in self.payments.items() if rec.get("paid") and p != no]
        if older and rng.random() < 0.2:  # an older notification arrives after this newer one
            await self.control("renotify", {"payment_no": rng.choice(older), "wait": False})
            self.injected["notification_reordered"] += 1
        if record["held"]:
            return
        # the patient watches the payment; later they book or ask for a refund
        settled = False
        # write-backs run in worker processes: seconds on a busy machine; a patient keeps watching that long
        watch_until = time.monotonic() + bound(20)
        while time.monotonic() < watch_until:
            await asyncio.sleep(0.25)
            with contextlib.suppress(GaveUp):
                seen = await self._call("GET", f"/api/me/payments/{no}", headers=h, tries=3)
                if seen.json()["status"] == "paid":
                    settled = True
                    break
                if seen.json()["status"] in ("refunding", "refunded"):
                    break
        if not settled:
            return
        choice = rng.random()
        if choice < self.refund_share:
            with contextlib.suppress(GaveUp):
                r = await self._call("POST", "/api/me/refunds", headers=h, json={"bill_no": bill_no, "reason": "时间冲突"},
                                     retry_on=())
                self.outcomes[f"patient_refund_{r.status_code}"] += 1
                if r.status_code == 201:
                    record["patient_refund"] = r.json()["refund_no"]
        elif choice < self.refund_share + 0.2:
            on = self.small_day if rng.random() < 0.7 else self.book_day
            with contextlib.suppress(GaveUp):
                r = await self._call("POST", "/api/me/bookings", headers=h, json={"bill_no": bill_no, "date": on.isoformat()},
                                     retry_on=())
                kind = "small_day" if on == self.small_day else "day"
                self.outcomes[f"booking_{kind}_{r.status_code}"] += 1
                record["booked"] = r.status_code == 201

    # -- fault injectors -----------------------------------------------------------------------

    def _full(self, key: str) -> bool:
        return self.backlog is not None and self.backlog(key) >= MAX_BACKLOG

    async def his_faults(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            op = self.rng.choice(HIS_FAULT_OPS)
            if self._full(f"his.{op}"):
                await self._sleep(stop, 0.2)
                continue
            if op == "refund" and self.rng.random() < 0.3:
                # HIS refunds but the answer is lost (UNKNOWN), then refuses the retry (FAILED): the trade
                # query must find the refund standing, and WeChat must refund too
                await self.control("his-faults", {"operation": op, "outcome": "unknown", "times": 1, "applied": True})
                await self.control("his-faults", {"operation": op, "outcome": "failed", "times": 1})
                self.injected["his_refund_unknown_applied_then_failed"] += 1
                await self._sleep(stop, self.rng.uniform(0.1, 0.4))
                continue
            outcome = self.rng.choice(["failed", "unknown", "unknown", "processing"])
            if op == "confirm_payment" and outcome == "failed" and self.rng.random() < 0.5:
                outcome = "unknown"  # keep definitive refusals (automatic refunds) a minority
            body: dict[str, Any] = {"operation": op, "outcome": outcome, "times": self.rng.randint(1, 2),
                                    "applied": self.rng.random() < 0.5}
            if self.rng.random() < 0.3:
                body["delay_seconds"] = self.rng.choice([0.2, 0.5, 1.0])
            await self.control("his-faults", body)
            self.injected[f"his_{op}_{outcome}{'_applied' if body['applied'] and outcome != 'failed' else ''}"] += body["times"]
            await self._sleep(stop, self.rng.uniform(0.1, 0.4))

    async def wechat_refund_faults(self, stop: asyncio.Event) -> None:
        """WeChat refuses the next refund for a while (429, NOT_ENOUGH, BANK_ERROR) or ends it CLOSED."""
        while not stop.is_set():
            await self._sleep(stop, self.rng.uniform(0.8, 2.5))
            if stop.is_set():
                break
            status = self.rng.choice(WECHAT_REFUND_FAULTS)
            queue = "wechatpay.refund_request" if status in WECHAT_REFUND_REQUEST_FAULTS else "wechatpay.refund"
            if self._full(queue):
                continue
            await self.control("wechatpay/refund-faults", {"status": status, "times": 1})
            self.injected[f"wechat_refund_{status}"] += 1

    async def foreign_trades(self, stop: asyncio.Event) -> None:
        """Other systems sharing the merchant number take payments (some refunded) that appear in today's
        bill: reconciliation must compare only our rows."""
        n = 0
        while not stop.is_set():
            await self._sleep(stop, self.rng.uniform(0.5, 2.0))
            if stop.is_set():
                break
            n += 1
            appid, prefix = self.rng.choice(FOREIGN_SOURCES)
            body: dict[str, Any] = {"appid": appid or self.foreign_appid,
                                    "out_trade_no": f"{prefix}{self.seed}{self.rng.randrange(10**6):06d}{n:05d}",
                                    "amount_fen": self.rng.randint(100, 50000)}
            if self.rng.random() < 0.3:
                body["out_refund_no"] = f"{prefix}TK{self.seed}{self.rng.randrange(10**6):06d}{n:05d}"
                body["refund_fen"] = self.rng.randint(1, body["amount_fen"])
            await self.control("wechatpay/foreign-trade", body)
            self.foreign_rows += 2 if "out_refund_no" in body else 1
            self.injected["foreign_trade" + ("_refunded" if "out_refund_no" in body else "")] += 1

    async def start_workers(self) -> None:
        for _ in range(self.workers):
            self._procs.append(await start_worker(self.worker_env))

    async def worker_killer(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self._sleep(stop, self.rng.uniform(1.0, 3.0))
            if stop.is_set():
                break
            k = self.rng.randrange(len(self._procs))
            proc = self._procs[k]
            if proc.returncode is None:
                proc.send_signal(signal.SIGKILL)
                await proc.wait()
                self.injected["worker_sigkill"] += 1
            self._procs[k] = await start_worker(self.worker_env)

    async def stop_workers(self) -> None:
        for proc in self._procs:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self._procs:
            try:
                await asyncio.wait_for(proc.wait(), timeout=15)
            except TimeoutError:
                proc.kill()
                await proc.wait()
        self._procs.clear()

    def worker_pids(self) -> list[int]:
        return [p.pid for p in self._procs if p.returncode is None]

    async def _admin(self):
        import aiomysql

        parts = urlsplit(self.db_url)
        return await aiomysql.connect(host=parts.hostname, port=parts.port or 3306, user=parts.username or "root",
                                      password=parts.password or "", autocommit=True)

    async def db_killer(self, stop: asyncio.Event) -> None:
        """KILL a connection of the app's or a worker's pool, preferring one inside a statement/transaction."""
        database = urlsplit(self.db_url).path.lstrip("/")
        conn = await self._admin()
        try:
            while not stop.is_set():
                await self._sleep(stop, self.rng.uniform(0.4, 1.2))
                async with conn.cursor() as cur:
                    await cur.execute(
                        "SELECT p.ID, p.COMMAND, t.trx_id FROM information_schema.PROCESSLIST p "
                        "LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID "
                        "WHERE p.DB = %s AND p.ID <> CONNECTION_ID()", (database,))
                    rows = await cur.fetchall()
                    if not rows:
                        continue
                    busy = [r for r in rows if r[2] is not None or r[1] == "Query"]
                    victim = self.rng.choice(busy or rows)
                    with contextlib.suppress(Exception):
                        await cur.execute(f"KILL {int(victim[0])}")
                        self.injected["db_connection_killed" + ("_in_transaction" if victim[2] else "")] += 1
        finally:
            conn.close()

    async def threads_connected(self) -> int:
        conn = await self._admin()
        try:
            async with conn.cursor() as cur:
                await cur.execute("SHOW STATUS LIKE 'Threads_connected'")
                return int((await cur.fetchone())[1])
        finally:
            conn.close()

    @staticmethod
    async def _sleep(stop: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)

    # -- the run ---------------------------------------------------------------------------------

    async def run(self, count: int, *, concurrency: int = 24, seconds: float | None = None,
                  foreign_trades: bool = False) -> None:
        """``count`` payments (or as many as fit in ``seconds``) with all injectors running."""
        await self.start_workers()
        stop = asyncio.Event()
        kinds = [self.his_faults, self.worker_killer, self.db_killer, self.wechat_refund_faults]
        if foreign_trades:
            kinds.append(self.foreign_trades)
        injectors = [asyncio.create_task(f(stop)) for f in kinds]
        gate = asyncio.Semaphore(concurrency)
        loop = asyncio.get_running_loop()
        numbers = itertools.count()

        async def one(i: int) -> None:
            async with gate:
                await self.one_payment(i)

        async def lane(end: float) -> None:
            # each patient lane starts its next payment as soon as its last one is over: a slow payment
            # holds up its own lane only (batches waited for their slowest, and starved a busy run)
            while loop.time() < end:
                await self.one_payment(next(numbers))

        try:
            if seconds is None:
                await asyncio.gather(*[one(i) for i in range(count)])
            else:
                await asyncio.gather(*[lane(loop.time() + seconds) for _ in range(concurrency)])
        finally:
            stop.set()
            await asyncio.gather(*injectors, return_exceptions=True)
        for task in injectors:
            if task.exception():
                raise task.exception()

    async def drain(self, deps, *, within: float = bound(40.0)) -> None:
        """Workers stopped; run every job due (skipping backoff waits), ask WeChat about unpaid orders and
        refunds still waiting, until nothing is left in flight."""
        await self.stop_workers()
        worker = Worker(deps, lease_seconds=30)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while True:
            past = utcnow() - timedelta(seconds=1)  # skip backoff waits; leases of killed workers run out
            await Job.filter(status__in=("pending", "running")).update(run_after=past, lease_until=past)
            while await worker.run_once():
                pass
            for payment in await Payment.filter(status="pending", payment_no__in=list(self.payments)):
                if self.payments[payment.payment_no].get("paid"):
                    await query_and_apply(deps, payment)
            for refund in await Refund.filter(status="wechat_pending"):
                await poll_wechat_refund(deps, refund)
            busy = [f"job {j.id} {j.kind} {j.status} {j.payload} {j.last_error}"
                    for j in await Job.filter(status__in=("pending", "running"))]
            busy += [f"refund {r.refund_no} {r.status} {r.error}"
                     for r in await Refund.filter(status__in=MOVING_REFUND)]
            busy += [f"payment {p.payment_no} pending, paid at WeChat"
                     for p in await Payment.filter(status="pending", payment_no__in=list(self.payments))
                     if self.payments[p.payment_no].get("paid")]
            if not busy:
                return
            assert loop.time() < deadline, f"drain did not finish: {busy}"
            await asyncio.sleep(0.3)

    async def fill_small_day(self) -> int:
        """Patients whose payment settled only after they stopped watching (a busy machine: the worker
        processes write back late) book the small day now, all at once, so that the day is filled to its
        capacity whatever the machine's speed, under the same concurrent pressure. The new bookings."""
        candidates = []
        for no, record in self.payments.items():
            if record.get("held") or record.get("patient_refund") or record.get("booked"):
                continue
            seen = await self._call("GET", f"/api/me/payments/{no}", headers=record["headers"], tries=3)
            if seen.json()["status"] == "paid":
                candidates.append(record)

        async def book(record: dict) -> int:
            r = await self._call("POST", "/api/me/bookings", headers=record["headers"], retry_on=(),
                                 json={"bill_no": record["bill_no"], "date": self.small_day.isoformat()})
            self.outcomes[f"late_booking_small_day_{r.status_code}"] += 1
            return int(r.status_code == 201)

        return sum(await asyncio.gather(*[book(record) for record in candidates]))

    async def refund_held(self, finance_headers: dict[str, str]) -> None:
        for payment in await Payment.filter(status="held", payment_no__in=list(self.payments)):
            r = await self._call("POST", f"/api/console/payments/{payment.payment_no}/refund", headers=finance_headers,
                                 json={"reason": "金额异常"}, retry_on=())
            assert r.status_code == 201, r.text
            self.outcomes["held_refunded_by_finance"] += 1

    async def rerun_stopped_refunds(self, finance_headers: dict[str, str]) -> int:
        """Finance re-runs, from the console, every refund that became a staff task (WeChat CLOSED it too
        often); answers how many."""
        r = await self._call("GET", "/api/console/refunds", headers=finance_headers, retry_on=())
        assert r.status_code == 200, r.text
        rerun = 0
        for task in r.json()["items"]:
            if task["status"] != "abnormal" or task["payment_no"] not in self.payments:
                continue
            assert task["reason_text"], task  # the 任务 page says why, in Chinese
            r = await self._call("POST", f"/api/console/refunds/{task['refund_no']}/retry", headers=finance_headers,
                                 retry_on=())
            assert r.status_code == 200, r.text
            rerun += 1
            self.outcomes["refund_rerun_by_finance"] += 1
        return rerun

    # -- the end invariants --------------------------------------------------------------------

    async def one_sided_refunds(self, no: str, order: dict, his: Any) -> tuple[list[str], Counter]:
        """Each refund of ours is refunded on both sides (HIS when it had settled, and WeChat) or on neither."""
        problems: list[str] = []
        counts: Counter = Counter()
        ours = await Payment.get(payment_no=no)
        his_refunds = {r["refund_no"] for r in (his.get("refunds", []) if isinstance(his, dict) else [])}
        wechat_ok = {r["out_refund_no"] for r in order.get("refunds", []) if r["status"] == "SUCCESS"}
        for refund in await Refund.filter(payment_id=ours.id):
            at_his = refund.refund_no in his_refunds
            at_wechat = wechat_no(refund) in wechat_ok or refund.refund_no in wechat_ok
            if refund.status == "succeeded":
                if not at_wechat or (refund.needs_his_refund and not at_his):
                    problems.append(f"{no}: one-sided refund {refund.refund_no}: HIS {at_his}, WeChat {at_wechat}")
                counts["refund_both_sides"] += 1
            elif refund.status == "failed":
                if at_his or at_wechat:
                    problems.append(f"{no}: one-sided refund {refund.refund_no} (failed): HIS {at_his}, "
                                    f"WeChat {at_wechat}")
                counts["refund_neither_side"] += 1
            else:
                problems.append(f"{no}: refund {refund.refund_no} did not converge: {refund.status} {refund.error}")
            if refund.wechat_tries:
                counts["refund_sent_again_after_closed"] += 1
        return problems, counts

    async def check(self, finance_headers: dict[str, str]) -> dict:
        """Every payment WeChat took is settled in HIS once or refunded once (held: refunded by finance);
        no failed job; no day beyond capacity; reconciliation explains every difference."""
        problems: list[str] = []
        counts: Counter = Counter()
        for no in self.payments:
            order = await self.control(f"GET wechatpay/orders/{no}")
            taken = order["order"]["trade_state"] in ("SUCCESS", "REFUND")
            ours = await Payment.get(payment_no=no)
            refunds = await Refund.filter(payment_id=ours.id)
            done = [r for r in refunds if r.status == "succeeded"]
            wechat_refunds = [r for r in order.get("refunds", []) if r["status"] == "SUCCESS"]
            refunded = sum(r["amount"]["refund"] for r in wechat_refunds)
            his = await self.control(f"GET his/trades/{no}", expect=None)
            applied = his.get("applied", 0) if isinstance(his, dict) else 0
            his_refunds = his.get("refunds", []) if isinstance(his, dict) else []
            sided, refund_counts = await self.one_sided_refunds(no, order, his)
            problems += sided
            counts.update(refund_counts)
            if not taken:
                if applied or done or ours.transaction_id:
                    problems.append(f"{no}: not paid at WeChat but applied={applied} refunds={len(done)}")
                counts["not_paid"] += 1
                continue
            taken_fen = order["order"]["payer_total"] or order["order"]["total"]
            if ours.status == "held":
                if len(done) != 1 or refunded != taken_fen or applied:
                    problems.append(f"{no}: held but refunds={len(done)} refunded={refunded}/{taken_fen} applied={applied}")
                counts["held_then_refunded"] += 1
            elif ours.his_status == "settled":
                if applied != 1:
                    problems.append(f"{no}: settled but HIS applied {applied} times")
                if done:  # a patient's refund after settling: HIS refunded once and WeChat refunded once
                    if len(done) != 1 or refunded != taken_fen or len(his_refunds) != 1:
                        problems.append(f"{no}: patient refund refunds={len(done)} refunded={refunded}/{taken_fen} "
                                        f"his_refunds={len(his_refunds)}")
                    counts["settled_then_refunded_by_patient"] += 1
                else:
                    if refunded:
                        problems.append(f"{no}: settled, no refund of ours, but WeChat refunded {refunded}")
                    counts["settled"] += 1
            elif ours.his_status == "failed":
                if applied or len(done) != 1 or refunded != taken_fen:
                    problems.append(f"{no}: HIS refused but applied={applied} refunds={len(done)} "
                                    f"refunded={refunded}/{taken_fen}")
                counts["his_refused_then_refunded"] += 1
            else:
                problems.append(f"{no}: WeChat took {taken_fen} but ours is {ours.status}/{ours.his_status}")
        failed_jobs = await Job.filter(status="failed")
        problems += [f"job {j.id} {j.kind} failed: {j.last_error}" for j in failed_jobs]
        for quota in await DayQuota.filter(day__in=[self.small_day, self.book_day]):
            active = await Booking.filter(day=quota.day, active=1).count()
            if quota.booked > quota.capacity or active != quota.booked:
                problems.append(f"day {quota.day}: capacity {quota.capacity}, booked {quota.booked}, active {active}")
            counts[f"booked_{'small' if quota.day == self.small_day else 'other'}_day"] = active
        with today_reconcilable():  # the run's payments are all today's
            r = await self.http.get("/api/console/reconciliation", headers=finance_headers,
                                    params={"date": shanghai_today().isoformat()})
        assert r.status_code == 200, r.text
        recon = r.json()
        for d in recon["differences"]:
            explained = (d["kind"] == "wechat_not_his" and "自动" in d["action"]) or d["kind"] == "held"
            counts[f"reconciliation_{d['kind']}"] += 1
            if not explained:
                problems.append(f"reconciliation: unexplained {d}")
        counts["reconciliation_matched"] = recon.get("matched", 0)
        counts["reconciliation_foreign_rows"] = recon["sources"].get("foreign_rows", 0)
        if recon["sources"].get("foreign_rows", 0) != self.foreign_rows:
            problems.append(f"reconciliation: {recon['sources'].get('foreign_rows')} foreign rows, "
                            f"{self.foreign_rows} added by other systems")
        counts["refund_one_sided"] = sum(1 for p in problems if "one-sided" in p or "did not converge" in p)
        assert not problems, "\n".join(problems[:40])
        return dict(counts)

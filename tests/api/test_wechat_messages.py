"""Subscription messages: queued with the change they report, sent by the worker to the sandbox WeChat.

Through the real API, the real clients and the worker; each check reads what the sandbox received.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from datetime import UTC, datetime, time, timedelta

import pytest

from checkup.db.models import Booking, Holiday, Job
from checkup.db.uow import unit_of_work
from checkup.domain.clock import SHANGHAI, shanghai_today, utcnow
from checkup.domain.messages import KINDS, MessageConfig
from checkup.sandbox.wechat_api import session_for
from checkup.services.messages import enqueue_message
from checkup.worker.runner import Worker
from support.payments import drain, open_order, pay_in_wechat, start_payment
from support.people import day, new_person, next_id_number, paid_at_window, set_quota
from support.sandbox import TEST_CONFIG


@pytest.fixture
def messaging(app):
    """The app with every message on, using the sandbox account's templates."""
    deps = app.ctx.deps
    saved = deps.messages
    deps.messages = MessageConfig(templates={kind: f"sandbox-tmpl-{kind}" for kind in KINDS},
                                  miniprogram_state="developer")
    yield deps.messages
    deps.messages = saved


def person_code(name: str) -> tuple[str, str]:
    """A login code of our own and the openid the sandbox WeChat gives it."""
    code = f"msg-{name}-{secrets.token_hex(4)}"
    return code, session_for(TEST_CONFIG.wechat_appid, code)["openid"]


async def received(sandbox, openid: str) -> list[dict]:
    return (await sandbox.control(f"GET wechat/messages?touser={openid}"))["items"]


async def message_jobs() -> list[Job]:
    return await Job.filter(kind="send_message").order_by("id")


def cn_day(d) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


async def paid_person(http, sandbox, name: str):
    code, openid = person_code(name)
    number = next_id_number()
    me = await new_person(http, code, name="王小明", id_number=number)
    bill_no = await paid_at_window(sandbox, me, number)
    return me, openid, number, bill_no


async def test_booking_made_changed_cancelled(http, sandbox, app, messaging):
    me, openid, number, bill_no = await paid_person(http, sandbox, "booking")
    await set_quota(day(2), 5)
    await set_quota(day(3), 5)
    r = await me.post("/api/me/bookings", {"bill_no": bill_no, "date": day(2).isoformat()})
    assert r.status_code == 201, r.text
    booking = r.json()
    jobs = await message_jobs()
    assert [(j.payload["kind"], j.dedupe_key) for j in jobs] == [("booking", f"msg:booking:{booking['id']}")]
    assert await received(sandbox, openid) == []  # queued, never sent inline
    await drain(app)
    [made] = await received(sandbox, openid)
    assert made["template_id"] == "sandbox-tmpl-booking" and made["touser"] == openid
    assert made["page"] == f"pages/booking/detail/index?id={booking['id']}"
    assert made["miniprogram_state"] == "developer" and made["lang"] == "zh_CN"
    assert set(made["data"]) == {"thing1", "date2", "name3", "thing4"}
    assert made["data"]["date2"]["value"] == cn_day(day(2))
    assert made["data"]["name3"]["value"] == "王*明"
    assert made["data"]["thing1"]["value"] == booking["package_name"][:20]

    r = await me.post(f"/api/me/bookings/{booking['id']}/reschedule", {"date": day(3).isoformat()})
    assert r.status_code == 200, r.text
    r = await me.post(f"/api/me/bookings/{booking['id']}/cancel")
    assert r.status_code == 200, r.text
    await drain(app)
    made, changed, cancelled = await received(sandbox, openid)
    assert changed["template_id"] == "sandbox-tmpl-change"
    assert (changed["data"]["date2"]["value"], changed["data"]["date3"]["value"]) == (cn_day(day(3)), cn_day(day(2)))
    assert cancelled["template_id"] == "sandbox-tmpl-cancel"
    assert cancelled["data"]["date2"]["value"] == cn_day(day(3))
    assert cancelled["page"] == f"pages/booking/detail/index?id={booking['id']}"
    assert [j.status for j in await message_jobs()] == ["done"] * 3
    sent = json.dumps([made, changed, cancelled], ensure_ascii=False)
    assert number not in sent and number[-8:] not in sent and "13900001234" not in sent and "王小明" not in sent


async def test_payment_success_after_write_back(http, sandbox, app, messaging):
    code, openid = person_code("payment")
    me = await new_person(http, code)
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"])
    assert await message_jobs() == []  # money taken, not yet in HIS: nothing to tell yet
    await drain(app)  # write-back, then the message it queued
    [paid] = await received(sandbox, openid)
    assert paid["template_id"] == "sandbox-tmpl-payment"
    assert paid["page"] == f"pages/pay/index/index?patient_id={me.patient_id}&tab=paid"
    assert set(paid["data"]) == {"thing1", "amount2", "name3", "time4", "character_string5"}
    fen = payment["amount_fen"]
    assert paid["data"]["amount2"]["value"] == f"{fen // 100}.{fen % 100:02d}元"
    assert paid["data"]["character_string5"]["value"] == payment["payment_no"]
    assert paid["data"]["thing1"]["value"] == charge["item_name"]
    assert paid["data"]["time4"]["value"].startswith(cn_day(shanghai_today()))
    await sandbox.control("renotify", {"payment_no": payment["payment_no"], "wait": True})
    await drain(app)
    assert len(await received(sandbox, openid)) == 1  # a repeated notification sends nothing more


async def test_reminder_the_day_before(http, sandbox, app, messaging):
    me, openid, _, bill_no = await paid_person(http, sandbox, "reminder")
    await set_quota(day(1), 5)
    r = await me.post("/api/me/bookings", {"bill_no": bill_no, "date": day(1).isoformat()})
    assert r.status_code == 201, r.text
    booking_id = r.json()["id"]
    await drain(app)  # the booking message
    today = shanghai_today()

    def worker_at(hour: int, minute: int) -> Worker:
        moment = datetime.combine(today, time(hour, minute), tzinfo=SHANGHAI).astimezone(UTC)
        return Worker(dataclasses.replace(app.ctx.deps, now=lambda: moment))

    await worker_at(17, 59).daily_reminders()
    assert [j.payload["kind"] for j in await message_jobs()] == ["booking"]
    for _ in range(3):  # every sweep after 18:00, any number of workers: one reminder
        await worker_at(18, 30).daily_reminders()
    reminders = [j for j in await message_jobs() if j.payload["kind"] == "reminder"]
    assert [j.dedupe_key for j in reminders] == [f"reminder:{booking_id}:{day(1).isoformat()}"]
    evening = worker_at(18, 30)
    while await evening.run_once():  # the worker's clock says 18:30
        pass
    _made, reminded = await received(sandbox, openid)
    assert reminded["template_id"] == "sandbox-tmpl-reminder"
    assert reminded["data"]["date2"]["value"] == cn_day(day(1))
    assert reminded["page"] == f"pages/booking/detail/index?id={booking_id}"


async def test_no_reminder_for_a_booking_cancelled_after_it_was_queued(http, sandbox, app, messaging):
    me, openid, _, bill_no = await paid_person(http, sandbox, "reminder-cancelled")
    await set_quota(day(1), 5)
    booking_id = (await me.post("/api/me/bookings", {"bill_no": bill_no, "date": day(1).isoformat()})).json()["id"]
    # the evening run, at 19:00 or now if later: the booking's own message (queued at the real now) is due then
    moment = max(datetime.combine(shanghai_today(), time(19, 0), tzinfo=SHANGHAI).astimezone(UTC),
                 utcnow() + timedelta(seconds=1))
    evening = Worker(dataclasses.replace(app.ctx.deps, now=lambda: moment))
    await evening.daily_reminders()
    assert len(await message_jobs()) == 2
    await Booking.filter(id=booking_id).update(status="cancelled", active=None)  # e.g. by staff, at the desk
    while await evening.run_once():
        pass
    assert [m["template_id"] for m in await received(sandbox, openid)] == ["sandbox-tmpl-booking"]


async def test_disabled_template_queues_nothing(http, sandbox, app, messaging):
    app.ctx.deps.messages = dataclasses.replace(messaging, templates={**messaging.templates, "booking": ""})
    me, _openid, _, bill_no = await paid_person(http, sandbox, "disabled")
    await set_quota(day(2), 5)
    booking = (await me.post("/api/me/bookings", {"bill_no": bill_no, "date": day(2).isoformat()})).json()
    assert await message_jobs() == []
    await me.post(f"/api/me/bookings/{booking['id']}/cancel")
    assert [j.payload["kind"] for j in await message_jobs()] == ["cancel"]  # the others stay on


async def test_refused_subscription_is_not_retried(http, sandbox, app, messaging):
    me, openid, _, bill_no = await paid_person(http, sandbox, "refused")
    await sandbox.control("wechat/subscribe-refusals", {"touser": openid, "template_id": "sandbox-tmpl-booking"})
    await set_quota(day(2), 5)
    await me.post("/api/me/bookings", {"bill_no": bill_no, "date": day(2).isoformat()})
    await drain(app)
    [job] = await message_jobs()
    assert (job.status, job.attempts) == ("done", 1)
    assert await received(sandbox, openid) == []


async def test_other_failures_are_retried(http, sandbox, app, messaging):
    app.ctx.deps.messages = dataclasses.replace(messaging, templates={**messaging.templates, "booking": "tmpl-gone"})
    me, _openid, _, bill_no = await paid_person(http, sandbox, "retried")
    await set_quota(day(2), 5)
    await me.post("/api/me/bookings", {"bill_no": bill_no, "date": day(2).isoformat()})
    await drain(app)
    [job] = await message_jobs()
    assert (job.status, job.attempts) == ("pending", 1) and "40037" in job.last_error
    assert job.run_after > datetime.now(UTC)  # backing off


async def test_sent_after_the_token_was_revoked(http, sandbox, app, messaging):
    me, openid, _, bill_no = await paid_person(http, sandbox, "revoked")
    await set_quota(day(2), 5)
    await me.post("/api/me/bookings", {"bill_no": bill_no, "date": day(2).isoformat()})
    await drain(app)
    await sandbox.control("wechat/revoke-token", {"appid": TEST_CONFIG.wechat_appid})
    booking = (await me.get("/api/me/bookings")).json()["items"][0]
    await me.post(f"/api/me/bookings/{booking['id']}/cancel")
    await drain(app)  # 40001, renewed, sent
    assert [m["template_id"] for m in await received(sandbox, openid)] == ["sandbox-tmpl-booking",
                                                                          "sandbox-tmpl-cancel"]
    assert all(j.status == "done" for j in await message_jobs())


async def test_a_repeated_event_is_dropped_and_the_transaction_goes_on(db):
    async with unit_of_work() as uow:
        first = await enqueue_message(kind="cancel", user_id=1, data={"booking_id": 1}, now=utcnow(), uow=uow,
                                      dedupe_key="msg:cancel:1")
        again = await enqueue_message(kind="cancel", user_id=1, data={"booking_id": 1}, now=utcnow(), uow=uow,
                                      dedupe_key="msg:cancel:1")
        await uow.quota.create_holidays({day(40): "test"})  # the change the message was about
    assert first is not None and again is None
    assert await Job.filter(dedupe_key="msg:cancel:1").count() == 1
    assert await Holiday.exists(day=day(40))
    off = MessageConfig(templates={"cancel": ""})
    async with unit_of_work() as uow:
        assert await enqueue_message(kind="cancel", user_id=1, data={}, now=utcnow(), uow=uow, config=off) is None
        with pytest.raises(ValueError):
            await enqueue_message(kind="no-such-kind", user_id=1, data={}, now=utcnow(), uow=uow)


async def test_payment_message_goes_out_while_redis_is_down(http, sandbox, app, messaging):
    """Redis down: the send_message job gets its token per process and ends done (issue 12, item 7)."""
    from checkup.bootstrap.wechat import build_subscribe_client

    deps = app.ctx.deps
    down = build_subscribe_client(app.ctx.settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"}))
    saved, deps.wechat_subscribe = deps.wechat_subscribe, down
    try:
        code, openid = person_code("redis-down")
        me = await new_person(http, code)
        charge = await open_order(me)
        payment = await start_payment(me, [charge["bill_no"]])
        await pay_in_wechat(sandbox, payment["payment_no"])
        await drain(app)
        [job] = await message_jobs()
        assert job.status == "done", job.last_error
        [paid] = await received(sandbox, openid)
        assert paid["template_id"] == "sandbox-tmpl-payment"
    finally:
        deps.wechat_subscribe = saved
        await down.aclose()


async def test_automatic_refund_tells_the_patient_why(http, sandbox, app, messaging):
    """HIS refuses the write-back: the money goes back and the patient is told, with the reason."""
    code, openid = person_code("auto-refund")
    me = await new_person(http, code)
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await sandbox.control("his-faults", {"operation": "confirm_payment", "outcome": "failed", "times": 1})
    await pay_in_wechat(sandbox, payment["payment_no"])
    from support.payments import settle_refund

    await drain(app)
    from checkup.db.models import Payment, Refund

    refund = await Refund.get(payment_id=(await Payment.get(payment_no=payment["payment_no"])).id)
    assert (await settle_refund(app, refund.refund_no)).status == "succeeded"
    await drain(app)
    [sent] = await received(sandbox, openid)
    assert sent["template_id"] == "sandbox-tmpl-refund"
    assert sent["data"]["character_string5"]["value"] == refund.refund_no
    assert "医院系统拒绝入账" in sent["data"]["thing4"]["value"]
    fen = payment["amount_fen"]
    assert sent["data"]["amount2"]["value"] == f"{fen // 100}.{fen % 100:02d}元"

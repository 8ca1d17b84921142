"""Stored times are UTC on every database: a payment made now reads back as paid now (issue 12, item 2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tortoise import connections

from checkup.db.models import Charge, Payment
from checkup.domain.clock import utcnow
from support.payments import drain, open_order, pay_in_wechat, start_payment
from support.people import new_person

MINUTE = timedelta(minutes=1)


async def test_paid_and_settled_times_are_within_a_minute_of_real_time(http, sandbox, app):
    me = await new_person(http, "times-utc")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"])
    await drain(app)
    now = utcnow()
    stored = await Payment.get(payment_no=payment["payment_no"])
    assert stored.his_status == "settled"
    assert abs(stored.paid_at - now) < MINUTE, (stored.paid_at, now)
    assert abs(stored.his_settled_at - now) < MINUTE, (stored.his_settled_at, now)
    paid_charge = await Charge.get(bill_no=charge["bill_no"])
    assert abs(paid_charge.paid_at - now) < MINUTE, (paid_charge.paid_at, now)
    # the database itself compares the stored value as the same instant (a range query finds it)
    found = await Payment.filter(paid_at__gte=now - MINUTE, paid_at__lte=now + MINUTE,
                                 his_settled_at__gte=now - MINUTE, his_settled_at__lte=now + MINUTE)
    assert [p.payment_no for p in found] == [payment["payment_no"]]
    # what the patient sees is the Asia/Shanghai wall time of now
    seen = (await me.get(f"/api/me/payments/{payment['payment_no']}")).json()
    assert seen["paid_at"].endswith("+08:00")
    from datetime import datetime
    assert abs(datetime.fromisoformat(seen["paid_at"]) - now) < MINUTE


async def test_repair_migration_fixes_rows_stored_eight_hours_off(http, sandbox, app, db_url):
    """Rows written by the old code (+08:00 wall time in UTC columns on MariaDB) are moved back once."""
    from checkup.migrations._times import repair_stored_times

    me = await new_person(http, "times-repair")
    charge = await open_order(me)
    payment = await start_payment(me, [charge["bill_no"]])
    await pay_in_wechat(sandbox, payment["payment_no"])
    await drain(app)
    stored = await Payment.get(payment_no=payment["payment_no"])
    right_paid, right_settled = stored.paid_at, stored.his_settled_at
    conn = connections.get("default")
    mysql = db_url.startswith("mysql")
    eight = timedelta(hours=8)
    if mysql:  # what the old code wrote: the Shanghai wall time in a UTC column
        fmt = "%Y-%m-%d %H:%M:%S.%f"
        await conn.execute_query(
            "UPDATE payment SET paid_at = %s, his_settled_at = %s WHERE id = %s",
            [(right_paid + eight).strftime(fmt), (right_settled + eight).strftime(fmt), stored.id])
        await conn.execute_query("UPDATE charge SET paid_at = %s WHERE bill_no = %s",
                                 [(right_paid + eight).strftime(fmt), charge["bill_no"]])
    else:  # what the old code wrote on SQLite: the +08:00 text, which sorts wrongly against UTC text
        from checkup.domain.clock import SHANGHAI
        await conn.execute_query(
            "UPDATE payment SET paid_at = ?, his_settled_at = ? WHERE id = ?",
            [right_paid.astimezone(SHANGHAI).isoformat(" "), right_settled.astimezone(SHANGHAI).isoformat(" "),
             stored.id])
    await repair_stored_times(conn)
    await repair_stored_times(conn)  # running it again changes nothing
    again = await Payment.get(id=stored.id)
    assert abs(again.paid_at - right_paid) < timedelta(seconds=1), (again.paid_at, right_paid)
    assert abs(again.his_settled_at - right_settled) < timedelta(seconds=1)
    assert abs((await Charge.get(bill_no=charge["bill_no"])).paid_at - right_paid) < timedelta(seconds=1)
    found = await Payment.filter(paid_at__gte=right_paid - MINUTE, paid_at__lte=right_paid + MINUTE)
    assert [p.id for p in found] == [stored.id]


@pytest.mark.parametrize("db_url", ["mariadb"], indirect=True)  # SQLite kept the offset: 0008 rewrote those
async def test_repair_migration_fixes_his_bill_times_stored_eight_hours_off(http, app, db_url):
    """Bills mirrored from HIS carried HIS's +08:00 times too (billed_at; paid_at of a bill paid at the
    window): on MariaDB the old code stored the Shanghai wall time in UTC columns. Migration 0012 moves
    them back once and leaves right ones alone."""
    from checkup.migrations._times import repair_his_charge_times

    me = await new_person(http, "times-his-bills")
    now = utcnow().replace(microsecond=0)
    real_billed, real_paid = now - timedelta(hours=2), now - timedelta(minutes=30)
    window = await Charge.create(bill_no="MZ-TIMES-1", his_patient_id="H-TIMES", patient_id=me.patient_id,
                                 item_name="血常规", amount_fen=2000, source="onsite", status="paid",
                                 paid_channel="WINDOW", billed_at=real_billed, paid_at=real_paid)
    unpaid = await Charge.create(bill_no="MZ-TIMES-2", his_patient_id="H-TIMES", patient_id=me.patient_id,
                                 item_name="胸片", amount_fen=9000, source="onsite", status="unpaid",
                                 billed_at=real_billed)
    right = await Charge.create(bill_no="MZ-TIMES-3", his_patient_id="H-TIMES", patient_id=me.patient_id,
                                item_name="心电图", amount_fen=3000, source="onsite", status="paid",
                                paid_channel="WINDOW", billed_at=real_billed, paid_at=real_paid)
    conn = connections.get("default")
    fmt, eight = "%Y-%m-%d %H:%M:%S.%f", timedelta(hours=8)
    # what the old code wrote: the Shanghai wall time in a UTC column
    await conn.execute_query("UPDATE charge SET billed_at = %s, paid_at = %s WHERE id = %s",
                             [(real_billed + eight).strftime(fmt), (real_paid + eight).strftime(fmt), window.id])
    await conn.execute_query("UPDATE charge SET billed_at = %s WHERE id = %s",
                             [(real_billed + eight).strftime(fmt), unpaid.id])
    assert await repair_his_charge_times(conn) == 2
    assert await repair_his_charge_times(conn) == 0  # running it again changes nothing
    for charge in (window, unpaid, right):
        again = await Charge.get(id=charge.id)
        assert abs(again.billed_at - real_billed) < timedelta(seconds=1), (charge.bill_no, again.billed_at)
        if charge is not unpaid:
            assert abs(again.paid_at - real_paid) < timedelta(seconds=1), (charge.bill_no, again.paid_at)
    assert (await Charge.get(id=unpaid.id)).paid_at is None

"""The hospital's real day: why a booking was cancelled, no-shows, the rolling weekly template, the
no-show rebooking rule, and the nonces of HIS's inbound notifications."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state_apps import StateApps

from checkup.migrations._checks import add_checks, drop_checks

OLD_CHECKS = [
    (
        "booking",
        "ck_booking_active_status",
        "(status = 'cancelled' AND active IS NULL) OR (status <> 'cancelled' AND active IS NOT NULL AND active = 1)",
    ),
    ("booking", "ck_booking_status", "status IN ('booked', 'confirmed', 'cancelled')"),
]
NEW_CHECKS = [
    (
        "booking",
        "ck_booking_active_status",
        "(status IN ('cancelled', 'no_show') AND active IS NULL)"
        " OR (status IN ('booked', 'confirmed') AND active IS NOT NULL AND active = 1)",
    ),
    ("booking", "ck_booking_status", "status IN ('booked', 'confirmed', 'cancelled', 'no_show')"),
]


async def forward(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
    await drop_checks(schema_editor, OLD_CHECKS)
    await add_checks(schema_editor, NEW_CHECKS)


async def backward(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
    await drop_checks(schema_editor, NEW_CHECKS)
    await add_checks(schema_editor, OLD_CHECKS)


class Migration(migrations.Migration):
    dependencies = [("checkup", "0009_refund_convergence")]

    initial = False

    operations = [
        ops.AddField(model_name="Booking", name="cancel_reason", field=fields.CharField(null=True, max_length=200)),
        ops.AddField(model_name="Booking", name="no_show_at", field=fields.DatetimeField(null=True)),
        ops.AddField(model_name="Booking", name="no_show_by", field=fields.CharField(null=True, max_length=64)),
        ops.AddField(
            model_name="BookingRulesRow",
            name="weekly_capacity",
            field=fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads),
        ),
        ops.AddField(model_name="BookingRulesRow", name="no_show_may_rebook", field=fields.BooleanField(default=True)),
        ops.CreateModel(
            name="HisNonce",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("nonce", fields.CharField(unique=True, max_length=64)),
                ("expires_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={"table": "his_nonce", "app": "checkup", "pk_attr": "id",
                     "table_description": "A nonce HIS used on an inbound notification (replay protection)."},
            bases=["Model"],
        ),
        ops.RunPython(forward, backward),
    ]

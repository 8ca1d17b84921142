"""Database-held invariants the model layer cannot declare portably.

MySQL 8 / MariaDB 10.2+ enforce CHECK constraints added with ALTER TABLE, SQLite cannot add a
constraint to an existing table, so there the same rules are triggers that abort the statement.
"""

from tortoise import migrations
from tortoise.migrations import operations as ops

from checkup.migrations._checks import checks_operation

CHECKS = [
    ("day_quota", "ck_day_quota_booked", "booked >= 0 AND booked <= capacity"),
    ("booking", "ck_booking_active", "active IS NULL OR active = 1"),
    (
        "booking",
        "ck_booking_active_status",
        "(status = 'cancelled' AND active IS NULL) OR (status <> 'cancelled' AND active IS NOT NULL AND active = 1)",
    ),
    ("booking", "ck_booking_status", "status IN ('booked', 'confirmed', 'cancelled')"),
    ("charge", "ck_charge_amount", "amount_fen >= 0"),
    ("package", "ck_package_price", "price_fen >= 0"),
    ("patient", "ck_patient_active", "active IS NULL OR active = 1"),
]


class Migration(migrations.Migration):
    dependencies = [("checkup", "0001_initial")]

    operations = [ops.RunPython(*checks_operation(CHECKS))]

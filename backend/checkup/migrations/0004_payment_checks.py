"""Money invariants of payments and refunds, held by the database."""

from tortoise import migrations
from tortoise.migrations import operations as ops

from checkup.migrations._checks import checks_operation

CHECKS = [
    ("payment", "ck_payment_amount", "amount_fen >= 1"),
    ("payment", "ck_payment_status", "status IN ('pending', 'paid', 'closed', 'held')"),
    ("payment", "ck_payment_his_status", "his_status IN ('none', 'pending', 'settled', 'failed')"),
    ("payment", "ck_payment_paid_has_tx", "status NOT IN ('paid', 'held') OR transaction_id IS NOT NULL"),
    ("payment_bill", "ck_payment_bill_amount", "amount_fen >= 0"),
    ("payment_bill", "ck_payment_bill_open", "open IS NULL OR open = 1"),
    ("refund", "ck_refund_amount", "amount_fen >= 1"),
]


class Migration(migrations.Migration):
    dependencies = [("checkup", "0003_payments")]

    operations = [ops.RunPython(*checks_operation(CHECKS))]

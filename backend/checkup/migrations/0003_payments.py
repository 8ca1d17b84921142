import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('checkup', '0002_check_constraints')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Payment',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('payment_no', fields.CharField(unique=True, max_length=32)),
                ('user', fields.ForeignKeyField('checkup.WechatUser', source_field='user_id', db_constraint=True, to_field='id', related_name='payments', on_delete=OnDelete.RESTRICT)),
                ('patient', fields.ForeignKeyField('checkup.Patient', source_field='patient_id', db_constraint=True, to_field='id', related_name='payments', on_delete=OnDelete.RESTRICT)),
                ('his_patient_id', fields.CharField(max_length=64)),
                ('amount_fen', fields.IntField()),
                ('description', fields.CharField(max_length=127)),
                ('status', fields.CharField(default='pending', db_index=True, max_length=10)),
                ('prepay_id', fields.CharField(null=True, max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('transaction_id', fields.CharField(null=True, unique=True, max_length=32)),
                ('paid_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('paid_amount_fen', fields.IntField(null=True)),
                ('held_reason', fields.CharField(default='', max_length=200)),
                ('his_status', fields.CharField(default='none', db_index=True, max_length=10)),
                ('his_settle_no', fields.CharField(null=True, max_length=64)),
                ('his_receipt_no', fields.CharField(null=True, max_length=64)),
                ('his_settled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('his_error', fields.CharField(default='', max_length=200)),
                ('last_queried_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'payment', 'app': 'checkup', 'pk_attr': 'id', 'table_description': 'One WeChat Pay order (out_trade_no = payment_no) for one or more HIS bills of a patient.'},
            bases=['TimestampMixin', 'Model'],
        ),
        ops.CreateModel(
            name='PaymentBill',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('payment', fields.ForeignKeyField('checkup.Payment', source_field='payment_id', db_constraint=True, to_field='id', related_name='bills', on_delete=OnDelete.CASCADE)),
                ('charge', fields.ForeignKeyField('checkup.Charge', source_field='charge_id', db_constraint=True, to_field='id', related_name='payment_bills', on_delete=OnDelete.RESTRICT)),
                ('bill_no', fields.CharField(max_length=64)),
                ('amount_fen', fields.IntField()),
                ('open', fields.SmallIntField(null=True, default=1)),
            ],
            options={'table': 'payment_bill', 'app': 'checkup', 'unique_together': (('bill_no', 'open'), ('payment', 'bill_no')), 'pk_attr': 'id', 'table_description': 'A bill inside a payment.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Reconciliation',
            fields=[
                ('day', fields.DateField(primary_key=True, unique=True, db_index=True)),
                ('created_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('matched', fields.IntField(default=0)),
                ('differences', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('sources', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'reconciliation', 'app': 'checkup', 'pk_attr': 'day', 'table_description': 'The latest three-way match of one day (WeChat bill, HIS settlements, our ledger).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Refund',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('refund_no', fields.CharField(unique=True, max_length=64)),
                ('payment', fields.ForeignKeyField('checkup.Payment', source_field='payment_id', db_constraint=True, to_field='id', related_name='refunds', on_delete=OnDelete.RESTRICT)),
                ('bill_key', fields.CharField(max_length=64)),
                ('amount_fen', fields.IntField()),
                ('reason', fields.CharField(default='', max_length=80)),
                ('source', fields.CharField(max_length=12)),
                ('requested_by', fields.CharField(default='', max_length=64)),
                ('needs_his_refund', fields.BooleanField(default=True)),
                ('status', fields.CharField(default='pending', db_index=True, max_length=16)),
                ('his_refund_no', fields.CharField(null=True, max_length=64)),
                ('wechat_refund_id', fields.CharField(null=True, max_length=64)),
                ('error', fields.CharField(default='', max_length=200)),
                ('succeeded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'refund', 'app': 'checkup', 'unique_together': (('payment', 'bill_key'),), 'pk_attr': 'id', 'table_description': 'A refund (out_refund_no = refund_no) of a whole payment or of one of its bills.'},
            bases=['TimestampMixin', 'Model'],
        ),
    ]

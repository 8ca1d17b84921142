"""Finance alerts (a low WeChat Pay merchant balance holding refunds up, raised once per episode), and
the repair of HIS bill times (charge.billed_at / paid_at) stored 8 hours late on MariaDB (_times.py)."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state_apps import StateApps

from checkup.migrations._times import repair_his_charge_times


async def forward(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
    await repair_his_charge_times(schema_editor.client)


async def backward(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
    """Nothing to undo: the repaired values are the right instants."""


class Migration(migrations.Migration):
    dependencies = [('checkup', '0012_wechat_account_index')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FinanceAlert',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=32)),
                ('open', fields.SmallIntField(null=True, default=1)),
                ('text', fields.CharField(max_length=200)),
                ('times', fields.IntField(default=1)),
                ('refund_no', fields.CharField(default='', max_length=64)),
                ('first_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'finance_alert', 'app': 'checkup', 'unique_together': (('kind', 'open'),),
                     'pk_attr': 'id',
                     'table_description': 'Something finance must act on that the system itself cannot fix, '
                                          'raised once per episode.'},
            bases=['Model'],
        ),
        ops.RunPython(forward, backward),
    ]

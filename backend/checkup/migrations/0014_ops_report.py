"""The monthly operation report (issue 16): counts each process flushes (ops_sample) and the daily
rollup of the report's figures (ops_daily); staff_user.password_changed_at for the self-check's password age."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('checkup', '0013_finance_alerts')]

    initial = False

    operations = [
        ops.AddField(
            model_name='StaffUser',
            name='password_changed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.CreateModel(
            name='OpsSample',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('day', fields.DateField()),
                ('kind', fields.CharField(max_length=16)),
                ('key', fields.CharField(max_length=64)),
                ('count', fields.IntField(default=0)),
                ('errors', fields.IntField(default=0)),
                ('total_ms', fields.BigIntField(default=0)),
                ('max_ms', fields.IntField(default=0)),
                ('slow', fields.IntField(default=0)),
            ],
            options={'table': 'ops_sample', 'app': 'checkup', 'indexes': [Index(fields=('day', 'kind'))], 'pk_attr': 'id', 'table_description': 'Counts one process flushed (services/ops_counters.py): requests per route family, HIS/PEIS calls,'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OpsDaily',
            fields=[
                ('day', fields.DateField(primary_key=True, unique=True, db_index=True)),
                ('figures', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'ops_daily', 'app': 'checkup', 'pk_attr': 'day', 'table_description': "The day's figures of the monthly 运行报告 (services/ops_report.py), written once a day by the"},
            bases=['Model'],
        ),
    ]

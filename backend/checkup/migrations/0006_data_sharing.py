"""Data sharing (数据共享): the open API's clients (supervising platforms) and their used nonces."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from checkup.migrations._checks import checks_operation

CHECKS = [
    ("open_client", "ck_open_client_rate_limit", "rate_limit_per_minute >= 1 AND rate_limit_per_minute <= 100000"),
]


class Migration(migrations.Migration):
    dependencies = [('checkup', '0005_booking_place_triggers')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OpenClient',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('app_key', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(max_length=100)),
                ('remark', fields.CharField(default='', max_length=200)),
                ('secret_enc', fields.CharField(max_length=255)),
                ('scopes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('rate_limit_per_minute', fields.IntField(default=60)),
                ('enabled', fields.BooleanField(default=True)),
                ('created_by', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('secret_rotated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'open_client', 'app': 'checkup', 'pk_attr': 'id', 'table_description': 'A supervising platform calling the data-sharing open API with a signed request (app key and secret).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OpenNonce',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('client', fields.ForeignKeyField('checkup.OpenClient', source_field='client_id', db_constraint=True, to_field='id', related_name='nonces', on_delete=OnDelete.CASCADE)),
                ('nonce', fields.CharField(max_length=64)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'open_nonce', 'app': 'checkup', 'unique_together': (('client', 'nonce'),), 'pk_attr': 'id', 'table_description': 'A nonce an open API client has used, kept until its timestamp window ends (replay protection).'},
            bases=['Model'],
        ),
        ops.RunPython(*checks_operation(CHECKS)),
    ]

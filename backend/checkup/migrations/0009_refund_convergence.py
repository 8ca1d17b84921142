"""Refunds converge: the out_refund_no in use at WeChat (a CLOSED refund is sent again under a new one)
and how many times it was sent."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('checkup', '0008_utc_times')]

    initial = False

    operations = [
        ops.AddField(model_name='Refund', name='wechat_refund_no',
                     field=fields.CharField(null=True, max_length=64, db_index=True)),
        ops.AddField(model_name='Refund', name='wechat_tries', field=fields.IntField(default=0)),
    ]

"""An index on wechat_user.account_id (issue 17): the payment notification and the login look a person's
identities up by account; 0007 added the column without one, so each lookup scanned the whole table."""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('checkup', '0011_patient_identity')]

    initial = False

    operations = [
        ops.AddIndex(model_name='WechatUser', index=Index(fields=('account_id',))),
    ]

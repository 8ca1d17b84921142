"""Patient identity (issue 11): verified 就诊人, their verification codes, texts sent, privacy consents."""

import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('checkup', '0010_hospital_day')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Consent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('checkup.WechatUser', source_field='user_id', db_constraint=True, to_field='id', related_name='consents', on_delete=OnDelete.RESTRICT)),
                ('version', fields.CharField(max_length=32)),
                ('purposes', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('ip', fields.CharField(default='', max_length=64)),
                ('consented_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'consent', 'app': 'checkup', 'unique_together': (('user', 'version'),), 'pk_attr': 'id', 'table_description': "A user's consent (PIPL) to a version of the privacy notice, for processing ID and health data."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PatientVerification',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('patient', fields.OneToOneField('checkup.Patient', source_field='patient_id', db_constraint=True, to_field='id', related_name='verification', on_delete=OnDelete.CASCADE)),
                ('target_phone_enc', fields.CharField(max_length=255)),
                ('target_phone_hash', fields.CharField(db_index=True, max_length=64)),
                ('his_match', fields.CharField(max_length=10)),
                ('his_patient_id', fields.CharField(null=True, max_length=64)),
                ('code_hash', fields.CharField(null=True, max_length=64)),
                ('code_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('tries', fields.IntField(default=0)),
                ('locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'patient_verification', 'app': 'checkup', 'pk_attr': 'id', 'table_description': 'The verification of one 就诊人 row: where its code goes, the code (hashed) and its tries.'},
            bases=['TimestampMixin', 'Model'],
        ),
        ops.CreateModel(
            name='SmsSend',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('patient_id', fields.BigIntField()),
                ('phone_hash', fields.CharField(max_length=64)),
                ('id_number_hash', fields.CharField(max_length=64)),
                ('sent_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('provider_serial', fields.CharField(default='', max_length=100)),
            ],
            options={'table': 'sms_send', 'app': 'checkup', 'indexes': [Index(fields=['patient_id', 'sent_at']), Index(fields=['phone_hash', 'sent_at']), Index(fields=['id_number_hash', 'sent_at'])], 'pk_attr': 'id', 'table_description': 'One verification text sent: the counts behind the per-patient, per-phone and per-ID limits.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Patient',
            name='id_type',
            field=fields.CharField(default='01', max_length=4),
        ),
        ops.AddField(
            model_name='Patient',
            name='verified_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Patient',
            name='verified_by',
            field=fields.CharField(null=True, max_length=16),
        ),
    ]

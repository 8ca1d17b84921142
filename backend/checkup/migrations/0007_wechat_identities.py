"""WeChat identities keyed by (appid, openid): the official account's users beside the mini-program's,
linked to one account by unionid; a payment remembers the appid it was placed under."""

import os

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state import State
from tortoise.migrations.schema_generator.state_apps import StateApps

SANDBOX_MINIPROGRAM_APPID = "wx0000000000sandbox"


def _miniprogram_appid() -> str:
    """Every existing identity came from the mini-program: its configured appid (env or .env)."""
    try:
        from checkup.config import Settings

        return Settings().wechat_appid
    except Exception:  # noqa: BLE001 - settings unusable here: the environment, then the sandbox default
        return os.environ.get("CHECKUP_WECHAT_APPID", SANDBOX_MINIPROGRAM_APPID)


async def fill_appid(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
    await schema_editor.client.execute_query(
        "UPDATE wechat_user SET appid = %s WHERE appid IS NULL"
        if schema_editor.client.capabilities.dialect != "sqlite"
        else "UPDATE wechat_user SET appid = ? WHERE appid IS NULL",
        [_miniprogram_appid()],
    )


async def nothing(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
    return None


class DropOpenidUnique(ops.AlterField):
    """openid stops being unique on its own. MySQL/MariaDB named the index after the column in 0001,
    not the name Tortoise derives now: drop it by the name the database reports."""

    async def database_forward(
        self, app_label: str, old_state: State, new_state: State, state_editor: BaseSchemaEditor | None = None
    ) -> None:
        if state_editor is None or state_editor.client.capabilities.dialect == "sqlite":
            return await super().database_forward(app_label, old_state, new_state, state_editor)
        rows = await state_editor.client.execute_query_dict(
            "SELECT DISTINCT s.index_name AS name FROM information_schema.statistics s"
            " WHERE s.table_schema = DATABASE() AND s.table_name = 'wechat_user' AND s.non_unique = 0"
            " AND s.column_name = 'openid' AND s.index_name <> 'PRIMARY'"
        )
        for row in rows:
            await state_editor.client.execute_script(f"ALTER TABLE `wechat_user` DROP INDEX `{row['name']}`")


class Migration(migrations.Migration):
    dependencies = [('checkup', '0006_data_sharing')]

    initial = False

    operations = [
        ops.AddField(model_name='WechatUser', name='appid', field=fields.CharField(null=True, max_length=32)),
        ops.RunPython(fill_appid, nothing),
        ops.AlterField(model_name='WechatUser', name='appid', field=fields.CharField(default='', max_length=32)),
        DropOpenidUnique(model_name='WechatUser', name='openid', field=fields.CharField(max_length=64)),
        ops.AlterField(model_name='WechatUser', name='unionid',
                       field=fields.CharField(null=True, max_length=64, db_index=True)),
        ops.AddConstraint(model_name='WechatUser', constraint=UniqueConstraint(fields=('appid', 'openid'))),
        ops.AddField(model_name='WechatUser', name='account',
                     field=fields.ForeignKeyField('checkup.WechatUser', source_field='account_id', null=True,
                                                  db_constraint=True, to_field='id', related_name='linked',
                                                  on_delete=OnDelete.SET_NULL)),
        ops.AddField(model_name='WechatUser', name='last_login_at',
                     field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
        ops.AddField(model_name='Payment', name='appid', field=fields.CharField(null=True, max_length=32)),
    ]

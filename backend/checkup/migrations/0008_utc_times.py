"""Every stored time is UTC: repair payment and charge times stored 8 hours off (see _times.py)."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state_apps import StateApps

from checkup.migrations._times import repair_stored_times


async def forward(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
    await repair_stored_times(schema_editor.client)


async def backward(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
    """Nothing to undo: the repaired values are the right instants."""


class Migration(migrations.Migration):
    dependencies = [('checkup', '0007_wechat_identities')]

    initial = False

    operations = [
        ops.RunPython(forward, backward),
    ]

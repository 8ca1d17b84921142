"""Every stored time is UTC: repair payment and charge times stored 8 hours off (see _times.py)."""

from tortoise import migrations
from tortoise.migrations import operations as ops

from checkup.migrations._times import repair_stored_times


async def forward(apps, schema_editor) -> None:
    await repair_stored_times(schema_editor.client)


async def backward(apps, schema_editor) -> None:
    """Nothing to undo: the repaired values are the right instants."""


class Migration(migrations.Migration):
    dependencies = [('checkup', '0007_wechat_identities')]

    initial = False

    operations = [
        ops.RunPython(forward, backward),
    ]

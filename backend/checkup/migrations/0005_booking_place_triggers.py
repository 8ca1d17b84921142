"""day_quota.booked kept by the database: triggers on booking take and release the day's places.

Before this migration the application ran the guarded UPDATE of day_quota itself, in the booking's
transaction. Now every change of booking that makes a row hold a place (insert of an active row,
reactivation, moving to another day) runs ``booked = booked + 1 WHERE open AND booked < capacity``
inside the same statement, and aborts the statement with CHECKUP_NO_PLACE:FULL (open day) or
CHECKUP_NO_PLACE:CLOSED (closed day, or no quota row) when that updates nothing;
every change that frees a place (cancel, move, delete) runs ``booked = booked - 1``. So
``booked`` equals the number of active bookings of the day whoever writes to booking, and a booking
is one statement: the day's row is locked only while that statement runs, not across round trips
between the application and the database (the booking rush waits on that row).

The check ck_day_quota_booked (0 <= booked <= capacity, migration 0002) stays as a second guard.
MariaDB/MySQL: a user creating triggers needs the TRIGGER privilege (deploy/mysql/grants.sql) and,
with binary logging on, log_bin_trust_function_creators=1 or SUPER (docs/deployment.md).
"""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor.base import BaseSchemaEditor
from tortoise.migrations.schema_generator.state_apps import StateApps

from checkup.domain.booking import NO_PLACE  # the message the application matches (services/bookings.py)

# No place: CHECKUP_NO_PLACE:FULL when the day is open, CHECKUP_NO_PLACE:CLOSED when it is closed or
# has no quota row (the application answers QUOTA_FULL or DAY_CLOSED without asking again).
_MY_TAKE = (
    "UPDATE day_quota SET booked = booked + 1 WHERE day = NEW.day AND open = 1 AND booked < capacity; "
    "IF ROW_COUNT() = 0 THEN "
    "IF EXISTS (SELECT 1 FROM day_quota WHERE day = NEW.day AND open = 1) THEN "
    f"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{NO_PLACE}:FULL'; "
    f"ELSE SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{NO_PLACE}:CLOSED'; END IF; "
    "END IF;"
)
_MY_RELEASE = "UPDATE day_quota SET booked = booked - 1 WHERE day = OLD.day AND booked > 0;"

MYSQL = [
    "CREATE TRIGGER booking_place_insert AFTER INSERT ON booking FOR EACH ROW BEGIN "
    f"IF NEW.active = 1 THEN {_MY_TAKE} END IF; END",
    # Two day rows are touched in date order, so two opposite moves wait for each other instead of deadlocking.
    "CREATE TRIGGER booking_place_update AFTER UPDATE ON booking FOR EACH ROW BEGIN "
    "DECLARE take_new BOOLEAN DEFAULT COALESCE(NEW.active = 1, 0) AND (OLD.active IS NULL OR NEW.day <> OLD.day); "
    "DECLARE release_old BOOLEAN DEFAULT COALESCE(OLD.active = 1, 0) AND (NEW.active IS NULL OR NEW.day <> OLD.day); "
    f"IF take_new AND (NOT release_old OR NEW.day < OLD.day) THEN {_MY_TAKE} SET take_new = FALSE; END IF; "
    f"IF release_old THEN {_MY_RELEASE} END IF; "
    f"IF take_new THEN {_MY_TAKE} END IF; "
    "END",
    f"CREATE TRIGGER booking_place_delete AFTER DELETE ON booking FOR EACH ROW BEGIN "
    f"IF OLD.active = 1 THEN {_MY_RELEASE} END IF; END",
]

_SQ_TAKE = (
    f"SELECT RAISE(ABORT, '{NO_PLACE}:CLOSED') WHERE NOT EXISTS "
    "(SELECT 1 FROM day_quota WHERE day = NEW.day AND open = 1); "
    f"SELECT RAISE(ABORT, '{NO_PLACE}:FULL') WHERE NOT EXISTS "
    "(SELECT 1 FROM day_quota WHERE day = NEW.day AND open = 1 AND booked < capacity); "
    "UPDATE day_quota SET booked = booked + 1 WHERE day = NEW.day;"
)
_SQ_RELEASE = "UPDATE day_quota SET booked = booked - 1 WHERE day = OLD.day AND booked > 0;"

SQLITE = [
    f"CREATE TRIGGER booking_place_insert AFTER INSERT ON booking FOR EACH ROW WHEN NEW.active = 1 "
    f"BEGIN {_SQ_TAKE} END",
    "CREATE TRIGGER booking_place_release AFTER UPDATE OF active, day ON booking FOR EACH ROW "
    f"WHEN OLD.active = 1 AND (NEW.active IS NULL OR NEW.day <> OLD.day) BEGIN {_SQ_RELEASE} END",
    "CREATE TRIGGER booking_place_take AFTER UPDATE OF active, day ON booking FOR EACH ROW "
    f"WHEN NEW.active = 1 AND (OLD.active IS NULL OR NEW.day <> OLD.day) BEGIN {_SQ_TAKE} END",
    f"CREATE TRIGGER booking_place_delete AFTER DELETE ON booking FOR EACH ROW WHEN OLD.active = 1 "
    f"BEGIN {_SQ_RELEASE} END",
]

TRIGGERS = ("booking_place_insert", "booking_place_update", "booking_place_release", "booking_place_take",
            "booking_place_delete")

# Counts kept by the application before: make them exactly the active bookings (they should already be).
RECOUNT = ("UPDATE day_quota SET booked = (SELECT COUNT(*) FROM booking "
           "WHERE booking.day = day_quota.day AND booking.active = 1)")


def _sqlite(schema_editor: BaseSchemaEditor) -> bool:
    return schema_editor.client.capabilities.dialect == "sqlite"


async def forward(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
    client = schema_editor.client
    await client.execute_script(RECOUNT)
    for statement in SQLITE if _sqlite(schema_editor) else MYSQL:
        await client.execute_script(statement)


async def backward(apps: StateApps, schema_editor: BaseSchemaEditor) -> None:
    for name in TRIGGERS:
        await schema_editor.client.execute_script(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("checkup", "0004_payment_checks")]

    operations = [ops.RunPython(forward, backward)]

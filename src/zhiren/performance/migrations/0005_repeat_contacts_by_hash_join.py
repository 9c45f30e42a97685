# Repeat contacts: PostgreSQL matches a customer's later contacts in a hash join over a day range
# (rollups.refresh_repeat_flags), so contacts need no index by customer there, and every imported
# row is cheaper. SQLite has no hash join: without an index the same query scans the range once per
# contact, so SQLite keeps one, created here and not part of the model state.

from django.db import migrations

SQLITE_INDEX = "interaction_customer_sqlite_idx"


def create_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SQLITE_INDEX} ON performance_interaction (customer_id, offered_at)"
        )


def drop_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SQLITE_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('performance', '0004_contact_indexes_for_queries'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='interaction',
            name='performance_custome_70ad13_idx',
        ),
        migrations.RunPython(create_on_sqlite, drop_on_sqlite, elidable=False),
    ]

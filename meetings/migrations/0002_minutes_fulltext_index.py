"""A GIN index for full-text search of meeting minutes (PostgreSQL only; see toolkit/fulltext.py)."""

from django.db import migrations

NAME = "meetings_minutes_body_fulltext"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The same expression as fulltext.matching() queries, so that the planner uses the index.
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "meetings_minutes" '
            f"USING gin (to_tsvector('english'::regconfig, COALESCE(\"body\", '')))"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

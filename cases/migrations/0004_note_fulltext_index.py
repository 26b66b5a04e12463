"""A GIN index for full-text search of referral notes (PostgreSQL only; see toolkit/fulltext.py)."""

from django.db import migrations

NAME = "cases_referral_note_fulltext"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # The same expression as fulltext.matching() queries, so that the planner uses the index.
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "cases_referral" '
            f"USING gin (to_tsvector('english'::regconfig, COALESCE(\"note\", '')))"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_referral_created_at_index")]
    operations = [migrations.RunPython(forwards, backwards)]

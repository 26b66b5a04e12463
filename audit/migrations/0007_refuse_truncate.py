"""On PostgreSQL the database also refuses TRUNCATE of the audit trail, even to the table's owner.

The row-level trigger of 0002 does not fire on TRUNCATE (nor on `TRUNCATE agencies_user CASCADE`,
which would empty the trail along with the people it points at). A statement-level trigger does.
It reuses 0002's function, so the error reads the same: "audit_auditentry is append-only: TRUNCATE refused".

A trigger stops mistakes and the app; the table's owner or a superuser can still disable it.
That is why production connects as a role that owns nothing (docs/audit-database-roles.md).
Django's test runner empties tables with TRUNCATE; audit/management/commands/flush.py lifts the
guard for a test database only. SQLite (the embedded default) relies on the model guards.
"""

from django.db import migrations

CREATE = """
CREATE TRIGGER audit_entry_no_truncate
BEFORE TRUNCATE ON audit_auditentry
FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only();
"""

DROP = "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_referral_probe_events")]
    operations = [migrations.RunPython(forwards, backwards)]

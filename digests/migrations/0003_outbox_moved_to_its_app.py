"""The outbox moved to its own app (outbox 0001 takes the model over, on the same table): forget it
here, in state only. The table, its rows and its indexes stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0002_outbox_completion"),
        ("outbox", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="OutboxTask")],
            database_operations=[],
        ),
    ]

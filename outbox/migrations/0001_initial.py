"""The outbox moves out of the digests app: the model is created here in state only, on the table
it already has (digests_outboxtask, created by digests 0001 and 0002); digests 0003 forgets it.

No row moves and no table is renamed. The content type (and so the admin permissions and history
attached to it) follows the model.
"""

from django.db import migrations, models


def _content_type_follows(apps, schema_editor, *, source, target):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label=target, model="outboxtask").exists():
        content_type.objects.filter(app_label=source, model="outboxtask").update(app_label=target)


def forwards(apps, schema_editor):
    _content_type_follows(apps, schema_editor, source="digests", target="outbox")


def backwards(apps, schema_editor):
    _content_type_follows(apps, schema_editor, source="outbox", target="digests")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("digests", "0002_outbox_completion"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxTask",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("task", models.CharField(max_length=120)),
                        ("args", models.JSONField(default=list)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("dispatched_at", models.DateTimeField(blank=True, null=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "digests_outboxtask",
                        "ordering": ["id"],
                        "indexes": [
                            models.Index(fields=["dispatched_at", "created_at"], name="digests_out_dispatc_41febf_idx"),
                            models.Index(fields=["completed_at", "dispatched_at"], name="digests_outbox_open"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]

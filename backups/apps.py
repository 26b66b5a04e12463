from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """`manage.py backup_portal` and `restore_portal`: the database, the uploaded files and a manifest."""

    name = "backups"
    verbose_name = "Backups"

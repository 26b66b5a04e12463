"""Back up the database and the uploaded files into a new folder:

    python manage.py backup_portal --to /backups/portal-2026-12-04

Writes database.dump (pg_dump custom format), media.tar.gz (MEDIA_ROOT) and manifest.json (row
counts per table, applied migrations, checksums; no secrets). The folder holds case data: keep
it encrypted and off the server (README, "Backups and restore").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DEFAULT_DB_ALIAS

from backups.archive import Target
from backups.services import backup_create


class Command(BaseCommand):
    help = "Back up PostgreSQL (pg_dump -Fc) and MEDIA_ROOT into a new folder, with a manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, type=Path, help="A new (or empty) folder for this backup.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database alias to back up.")

    def handle(self, *args: Any, to: Path, database: str, **options: Any) -> None:
        target = Target.from_settings(settings.DATABASES[database])
        to = Path(to)  # call_command passes a str
        manifest = backup_create(target=target, to=to, media_root=Path(settings.MEDIA_ROOT))
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"Backed up {len(manifest['row_counts'])} tables ({rows} rows) and "
            f"{len(manifest['media'])} uploaded files into {to}."
        )

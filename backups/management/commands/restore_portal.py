"""Restore a backup onto a new, empty PostgreSQL database, then check it against the manifest:

    createdb -O portal_owner portal_restored
    RESTORE_DATABASE_URL=postgres://portal_owner:...@db:5432/portal_restored \\
        python manage.py restore_portal --from /backups/portal-2026-12-04 --media-root /srv/portal/media

`--database-url` may name the database on the command line only without a password (a command
line is visible to every user of the machine): put the password in RESTORE_DATABASE_URL or ~/.pgpass.
The restoring role owns the restored tables; run `audit_lock_down --app-role ...` afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from backups.archive import Target
from backups.services import backup_restore

URL_VARIABLE = "RESTORE_DATABASE_URL"


class Command(BaseCommand):
    help = "Restore a backup_portal folder onto an empty database and MEDIA_ROOT, and verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, type=Path, help="The backup folder.")
        parser.add_argument("--database-url", help=f"postgres://user@host:port/name, no password (or {URL_VARIABLE}).")
        parser.add_argument("--media-root", type=Path, help="Where the uploaded files go (default MEDIA_ROOT).")

    def handle(
        self, *args: Any, source: Path, database_url: str | None, media_root: Path | None, **options: Any
    ) -> None:
        target = _target(database_url)
        media, source = Path(media_root or settings.MEDIA_ROOT), Path(source)  # call_command passes str
        problems = backup_restore(source=source, target=target, media_root=media)
        if problems:
            raise CommandError("The restore does not match the backup:\n- " + "\n- ".join(problems))
        self.stdout.write(
            f"Restored {source} onto {target.name} and {media}: row counts, migrations, the audit trail's "
            "triggers and the uploaded files match the manifest. Now run audit_lock_down for the app role."
        )


def _target(database_url: str | None) -> Target:
    if database_url is None:
        database_url = os.environ.get(URL_VARIABLE, "")
        if not database_url:
            raise CommandError(f"Give --database-url (without a password) or set {URL_VARIABLE}.")
        return Target.from_url(database_url)
    target = Target.from_url(database_url)
    if target.password:
        raise CommandError(
            f"Do not put a password on the command line: set {URL_VARIABLE} or use ~/.pgpass (PGPASSFILE)."
        )
    return target

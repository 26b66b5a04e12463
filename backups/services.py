"""Back up the portal's database and uploaded files; restore them onto a new, empty database and check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from psycopg import IsolationLevel

from backups import archive
from backups.archive import DUMP, MEDIA, Target


def backup_create(*, target: Target, to: Path, media_root: Path) -> dict[str, Any]:
    """Writes DUMP, MEDIA and the manifest into `to` (new or empty; made private). Returns the manifest."""
    if to.exists() and any(to.iterdir()):
        raise CommandError(f"{to} is not empty: give a new folder for each backup.")
    to.mkdir(mode=0o700, parents=True, exist_ok=True)
    with target.connect() as connection:
        connection.isolation_level = IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        major = archive.server_major(connection)
        # The dump and the counts read the same snapshot: the counts describe the dump exactly.
        snapshot = archive.one_value(connection, "SELECT pg_export_snapshot()")
        pg_dump = archive.pg_tool("pg_dump", major)
        with archive.libpq_environment(target) as env:
            archive.run_tool([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={to / DUMP}"], env)
        counts, migrations = archive.table_counts(connection), archive.applied_migrations(connection)
        server = connection.info.parameter_status("server_version") or str(major)
    # After the dump: a file uploaded meanwhile is kept; its row waits for the next backup.
    files = archive.media_pack(root=media_root, into=to / MEDIA)
    manifest = {
        "format": archive.FORMAT,
        "created_at": archive.now_iso(),
        "server_version": server,
        "files": {name: archive.sha256_of(to / name) for name in (DUMP, MEDIA)},
        "row_counts": counts,
        "migrations": migrations,
        "media": files,
    }
    archive.manifest_write(to, manifest)
    return manifest


def backup_restore(*, source: Path, target: Target, media_root: Path) -> list[str]:
    """Restores `source` onto the empty database `target` and the files into `media_root` (new or empty).

    Returns what does not match the manifest (empty when the restore is complete)."""
    manifest = archive.manifest_read(source)
    _check_files(source, manifest)
    if media_root.exists() and any(media_root.iterdir()):
        raise CommandError(f"{media_root} is not empty: restore the uploaded files into a new folder.")
    with target.connect(autocommit=True) as connection:
        if archive.one_value(connection, archive.USER_RELATIONS):
            raise CommandError(f"The database {target.name} is not empty: restore onto a new, empty database.")
        pg_restore = archive.pg_tool("pg_restore", archive.server_major(connection))
    command = [pg_restore, "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
    with archive.libpq_environment(target) as env:
        archive.run_tool([*command, f"--dbname={target.name}", str(source / DUMP)], env)
    archive.media_unpack(archive_path=source / MEDIA, into=media_root)
    return backup_verify(manifest=manifest, target=target, media_root=media_root)


def _check_files(source: Path, manifest: dict[str, Any]) -> None:
    for name in (DUMP, MEDIA):
        path = source / name
        if not path.is_file() or archive.sha256_of(path) != manifest["files"].get(name):
            raise CommandError(f"{path} is missing or does not match the manifest: the backup is damaged.")


def backup_verify(*, manifest: dict[str, Any], target: Target, media_root: Path) -> list[str]:
    """Row counts, applied migrations, the audit trail's triggers and the files, against the manifest."""
    with target.connect(autocommit=True) as connection:
        counts = archive.table_counts(connection)
        problems = [
            f"{table}: {counts.get(table)} rows, the backup has {expected}."
            for table, expected in sorted(manifest["row_counts"].items())
            if counts.get(table) != expected
        ]
        problems += [f"{table}: not in the backup." for table in sorted(set(counts) - set(manifest["row_counts"]))]
        if archive.applied_migrations(connection) != manifest["migrations"]:
            problems.append("The applied migrations differ from the backup's.")
        problems += archive.trigger_problems(connection)
    restored = archive.media_files(media_root)
    problems += [
        f"Uploaded file {name}: {restored.get(name)} bytes, the backup has {size}."
        for name, size in sorted(manifest["media"].items())
        if restored.get(name) != size
    ]
    return problems

"""A backup is a folder of three files: the database (pg_dump custom format), the uploaded files
(a tar of MEDIA_ROOT) and manifest.json (row counts per table, applied migrations, checksums).

The row counts and the dump come from one snapshot (`pg_export_snapshot` + `pg_dump --snapshot`), so
a restore can be checked table by table while the portal keeps running. Passwords never reach a
command line or the manifest: pg_dump and pg_restore read them from a private temporary passfile.
Prepared report exports (REPORT_EXPORT_DIR) are left out: they expire within the hour and can be
prepared again. Redis holds nothing to back up: cache entries and queued tasks (the outbox in
PostgreSQL re-enqueues what was lost).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from django.core.management.base import CommandError
from django.utils import timezone
from psycopg import sql
from psycopg.abc import Query

from audit.management.commands.audit_lock_down import _trigger_problems

DUMP, MEDIA, MANIFEST = "database.dump", "media.tar.gz", "manifest.json"
FORMAT = 1
# Everything a non-empty database would hold outside the system schemas.
USER_RELATIONS = (
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')"
    " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
)


@dataclass(frozen=True)
class Target:
    """Where a database is: libpq's parameters, the password kept out of every command line."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""
    sslmode: str = ""

    @classmethod
    def from_settings(cls, database: Mapping[str, Any]) -> Target:
        if "postgresql" not in database["ENGINE"]:
            raise CommandError(
                "Backups are for PostgreSQL. The embedded SQLite default is one file: copy var/portal.sqlite3 "
                "with `sqlite3 var/portal.sqlite3 '.backup copy.sqlite3'` and var/media with it."
            )
        options = database.get("OPTIONS", {})
        return cls(
            name=database["NAME"],
            host=database.get("HOST") or "",
            port=str(database.get("PORT") or ""),
            user=database.get("USER") or "",
            password=database.get("PASSWORD") or "",
            sslmode=options.get("sslmode", ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Target:
        try:
            return cls.from_settings(dj_database_url.parse(url))
        except (ValueError, KeyError) as error:
            raise CommandError("The database URL is not valid: postgres://user@host:port/name.") from error

    def connect(self, **kwargs: Any) -> psycopg.Connection:
        params: dict[str, Any] = {"host": self.host, "port": self.port, "user": self.user, "password": self.password}
        params |= {"sslmode": self.sslmode} if self.sslmode else {}
        try:
            return psycopg.connect(dbname=self.name, **{k: v for k, v in params.items() if v}, **kwargs)
        except psycopg.OperationalError as error:
            raise CommandError(f"Cannot connect to the database {self.name}: {error}") from error


@contextmanager
def libpq_environment(target: Target) -> Iterator[dict[str, str]]:
    """The environment for pg_dump/pg_restore: the password in a 0600 passfile that is deleted after."""
    env = {**os.environ, "PGDATABASE": target.name}
    env |= {key: value for key, value in (("PGHOST", target.host), ("PGPORT", target.port)) if value}
    env |= {key: value for key, value in (("PGUSER", target.user), ("PGSSLMODE", target.sslmode)) if value}
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as private:
        if target.password:
            env.pop("PGPASSWORD", None)
            passfile = Path(private) / "pgpass"
            passfile.touch(mode=0o600)
            passfile.write_text(f"*:*:*:*:{_pgpass_escape(target.password)}\n")
            env["PGPASSFILE"] = str(passfile)
        yield env


def _pgpass_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def one_value(connection: psycopg.Connection, query: Query) -> Any:
    """The value of a query that always returns one row (SHOW, count(*), a function call)."""
    row = connection.execute(query).fetchone()
    assert row is not None
    return row[0]


def server_major(connection: psycopg.Connection) -> int:
    return int(one_value(connection, "SHOW server_version_num")) // 10000


def pg_tool(name: str, major: int) -> str:
    """The pg_dump/pg_restore made for this server's major version (Debian keeps one per version)."""
    candidates = [f"/usr/lib/postgresql/{major}/bin/{name}", shutil.which(name)]
    for candidate in filter(None, candidates):
        if Path(candidate).is_file() and _tool_major(candidate) >= major:
            return candidate
    raise CommandError(f"No {name} of PostgreSQL {major} or later found: install postgresql-client-{major}.")


def _tool_major(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    return int(found.group(1)) if found else 0


def run_tool(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{Path(command[0]).name} failed:\n{result.stderr.strip()[-2000:]}")


def table_counts(connection: psycopg.Connection) -> dict[str, int]:
    """Exact row counts of every table in the portal's schema."""
    names = connection.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1"
    ).fetchall()
    query = "SELECT count(*) FROM {}"
    return {name: one_value(connection, sql.SQL(query).format(sql.Identifier(name))) for (name,) in names}


def applied_migrations(connection: psycopg.Connection) -> list[list[str]]:
    rows = connection.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    return [[app, name] for app, name in rows]


def trigger_problems(connection: psycopg.Connection) -> list[str]:
    """audit_lock_down's check: both append-only triggers of the trail exist and are enabled."""
    with connection.cursor() as cursor:
        # Same execute/fetchall as the Django cursor it is annotated with (audit's to widen to a Protocol).
        return _trigger_problems(cursor)  # type: ignore[arg-type]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_files(root: Path) -> dict[str, int]:
    """Regular files under `root` (relative name -> size); symlinks are not followed nor kept."""
    if not root.is_dir():
        return {}
    found = (path for path in root.rglob("*") if path.is_file() and not path.is_symlink())
    return {path.relative_to(root).as_posix(): path.stat().st_size for path in sorted(found)}


def media_pack(*, root: Path, into: Path) -> dict[str, int]:
    files = media_files(root)
    with tarfile.open(into, "w:gz") as archive:
        for name in files:
            archive.add(root / name, arcname=name, recursive=False)
    return files


def media_unpack(*, archive_path: Path, into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        # "data": no absolute paths, no "..", no links out of the folder, no devices.
        archive.extractall(into, filter="data")


def manifest_write(folder: Path, manifest: dict[str, Any]) -> None:
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def manifest_read(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise CommandError(f"{path} is missing or not a backup manifest.") from error
    keys = {"format", "files", "row_counts", "migrations", "media"}
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not keys <= set(manifest):
        raise CommandError(f"{path} is not a backup of this portal (format {FORMAT}).")
    return manifest


def now_iso() -> str:
    return timezone.now().isoformat(timespec="seconds")

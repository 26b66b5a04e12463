"""backup_portal then restore_portal onto a fresh database on the shared PostgreSQL server.

The world is committed (transactional test) so that pg_dump sees it. Each test makes a database of
its own, named uniquely, and drops it afterwards even on failure; pytest-django's test database is
the source and is left as it is.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from agencies.roles import Role
from audit.models import AuditEntry
from backups.archive import DUMP, table_counts
from cases.choices import Status
from cases.services import referral_comment
from tests.cases.referral_helpers import referral_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

HANDOUT = b"%PDF-1.4 a handout\n" * 50


def _server(dbname: str = "postgres") -> psycopg.Connection:
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return psycopg.connect(host=host, port=port, user=settings["USER"], dbname=dbname, autocommit=True)


@pytest.fixture
def fresh_database(transactional_db: None) -> Iterator[str]:
    """An empty database of this test's own, dropped afterwards even when the test fails."""
    name = f"restore_{secrets.token_hex(6)}"
    with _server() as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with _server() as server:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def world(settings: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Two agencies, people, referrals in every status with comments (each writes audit rows), two uploads."""
    settings.MEDIA_ROOT = tmp_path / "media"
    sending = AgencyFactory(name="Safe Harbor", is_confidential_provider=True)
    receiving = AgencyFactory(name="County Sheriff", sector="law_enforcement", referral_prefix="SHR")
    sender = UserFactory(agency=sending, role=Role.REFERRAL_OFFICER)
    receiver = UserFactory(agency=receiving, role=Role.REFERRAL_OFFICER)
    for status in Status:
        referral = referral_in(status, sender=sender, receiver=receiver)
        referral_comment(referral=referral, actor=sender, body="Warm hand-off done by phone.")
    for name in ("meetings/0a1b.pdf", "meetings/2c3d.pdf"):
        (settings.MEDIA_ROOT / name).parent.mkdir(parents=True, exist_ok=True)
        (settings.MEDIA_ROOT / name).write_bytes(HANDOUT + name.encode())
    return settings.MEDIA_ROOT


def _backup(tmp_path: Path) -> Path:
    folder = tmp_path / "backup"
    call_command("backup_portal", to=str(folder), verbosity=0)
    return folder


def _restore(folder: Path, database: str, media: Path) -> None:
    url = f"postgres://{connection.settings_dict['USER']}@127.0.0.1:5432/{database}"
    call_command("restore_portal", source=str(folder), database_url=url, media_root=str(media), verbosity=0)


def test_it_restores_a_backup_onto_a_fresh_database(world: Path, fresh_database: str, tmp_path: Path) -> None:
    with _server(connection.settings_dict["NAME"]) as source:
        expected = table_counts(source)
    assert expected["audit_auditentry"] == AuditEntry.objects.count() > 0
    assert expected["cases_referral"] == len(Status)

    folder = _backup(tmp_path)
    _restore(folder, fresh_database, tmp_path / "restored-media")

    with _server(fresh_database) as restored:
        assert table_counts(restored) == expected
        for statement in (
            "UPDATE audit_auditentry SET event = 'x'",
            "DELETE FROM audit_auditentry",
            "TRUNCATE audit_auditentry",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                restored.execute(statement)
        assert restored.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0] == expected["audit_auditentry"]
    for name in ("meetings/0a1b.pdf", "meetings/2c3d.pdf"):
        assert (tmp_path / "restored-media" / name).read_bytes() == (world / name).read_bytes()


def test_it_refuses_a_database_that_is_not_empty(world: Path, fresh_database: str, tmp_path: Path) -> None:
    folder = _backup(tmp_path)
    _restore(folder, fresh_database, tmp_path / "first")

    with pytest.raises(CommandError, match="is not empty: restore onto a new, empty database"):
        _restore(folder, fresh_database, tmp_path / "second")


def test_it_refuses_a_damaged_backup(world: Path, fresh_database: str, tmp_path: Path) -> None:
    folder = _backup(tmp_path)
    with (folder / DUMP).open("ab") as dump:
        dump.write(b"\0")

    with pytest.raises(CommandError, match="does not match the manifest: the backup is damaged"):
        _restore(folder, fresh_database, tmp_path / "restored-media")
    with _server(fresh_database) as restored:
        assert restored.execute("SELECT count(*) FROM pg_class WHERE relname = 'audit_auditentry'").fetchone()[0] == 0


def test_it_refuses_a_password_on_the_command_line(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Do not put a password on the command line"):
        call_command("restore_portal", source=str(tmp_path), database_url="postgres://owner:secret@127.0.0.1:5432/x")


def test_the_manifest_holds_no_secret_and_the_folder_is_private(world: Path, tmp_path: Path) -> None:
    folder = _backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())

    assert set(manifest) == {"format", "created_at", "server_version", "files", "row_counts", "migrations", "media"}
    text = json.dumps(manifest)
    assert connection.settings_dict["USER"] not in text and "127.0.0.1" not in text
    assert folder.stat().st_mode & 0o777 == 0o700

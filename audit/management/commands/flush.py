"""Django's `flush`, aware that the audit trail refuses TRUNCATE on PostgreSQL (migration 0007).

Outside a test database the trigger stands and `flush` fails with a clear message: emptying the
database must not empty the trail. Django's test runner flushes its own test database between
transactional tests, so there the table's owner lifts the guard for the flush, inside one
transaction: the trigger is back when the transaction ends, whatever happens.
"""

from __future__ import annotations

from typing import Any

from django.core.management import CommandError
from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.creation import TEST_DATABASE_PREFIX

from audit.models import AuditEntry

TRUNCATE_GUARD = "audit_entry_no_truncate"


class Command(DjangoFlush):
    help = f"{DjangoFlush.help} On PostgreSQL only a test database can be flushed: the audit trail is append-only."

    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "postgresql" or not is_test_database(connection):
            return self._flush_refusing_the_trail(options)
        table = connection.ops.quote_name(AuditEntry._meta.db_table)
        with transaction.atomic(using=connection.alias):
            guarded = _has_guard(connection)
            if guarded:
                _set_guard(connection, table, "DISABLE")
            super().handle(**options)
            if guarded:
                _set_guard(connection, table, "ENABLE")
        return None

    def _flush_refusing_the_trail(self, options: dict[str, Any]) -> None:
        try:
            super().handle(**options)
        except CommandError as error:
            if "append-only" in str(error.__cause__):
                raise CommandError(
                    f"{AuditEntry._meta.db_table} is append-only: flush refuses to empty the audit trail "
                    "outside a test database (docs/audit-database-roles.md)."
                ) from error
            raise


def is_test_database(connection: BaseDatabaseWrapper) -> bool:
    """The test runner's database: "test_<NAME>", or the name set in TEST["NAME"]."""
    name = connection.settings_dict["NAME"] or ""
    return name.startswith(TEST_DATABASE_PREFIX) or name == connection.settings_dict.get("TEST", {}).get("NAME")


def _has_guard(connection: BaseDatabaseWrapper) -> bool:
    # A test that migrates the audit app backwards may have removed the trigger, or the table.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname = %s",
            [AuditEntry._meta.db_table, TRUNCATE_GUARD],
        )
        return cursor.fetchone() is not None


def _set_guard(connection: BaseDatabaseWrapper, table: str, state: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} {state} TRIGGER {TRUNCATE_GUARD}")

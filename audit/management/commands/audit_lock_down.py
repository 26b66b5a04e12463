"""Give the portal's database role what it needs, and on the audit trail only SELECT and INSERT.

Run it as the role that owns the tables and runs the migrations, after every `migrate`:

    DATABASE_URL=<owner's URL> python manage.py migrate
    DATABASE_URL=<owner's URL> python manage.py audit_lock_down --app-role taskforce_app

The app role keeps SELECT, INSERT, UPDATE, DELETE on every other table. It cannot change, delete,
truncate or drop audit rows, nor disable the triggers: those need privileges it lacks or ownership
it does not have. `--check` changes nothing and fails if the set-up has drifted (docs/audit-database-roles.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.utils import CursorWrapper

from audit.models import AuditEntry

TRAIL = AuditEntry._meta.db_table
TRIGGERS = ("audit_entry_append_only", "audit_entry_no_truncate")
# An unquoted PostgreSQL identifier: no quoting games with a name that is pasted into GRANT statements.
ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]{0,62}")
APP_TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
TRAIL_PRIVILEGES = ("SELECT", "INSERT")
# REFERENCES and TRIGGER too: a trigger of the app's own on the trail could rewrite rows as they arrive.
TRAIL_FORBIDDEN = ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


@dataclass(frozen=True)
class Roles:
    app: str
    me: str
    owner: str
    i_may_grant: bool  # the owner of the trail, or a superuser
    schema: str
    sequence: str | None


class Command(BaseCommand):
    help = "Grant the portal's app role its privileges, with only SELECT and INSERT on the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-role", required=True, help="The role the portal connects as (it must exist).")
        parser.add_argument("--check", action="store_true", help="Change nothing; fail if the set-up has drifted.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database alias to work on.")

    def handle(self, *args: Any, app_role: str, check: bool, database: str, **options: Any) -> None:
        connection = connections[database]
        if connection.vendor != "postgresql":
            raise CommandError("audit_lock_down is for PostgreSQL: SQLite has no roles to lock down.")
        if not ROLE_NAME.fullmatch(app_role):
            raise CommandError(f"{app_role!r} is not a valid role name (letters, digits, _ and $; at most 63).")
        with transaction.atomic(using=database), connection.cursor() as cursor:
            roles = _roles(cursor, app_role)
            if not check:
                _grant(cursor, roles)
            problems = _problems(cursor, roles)
        if problems:
            raise CommandError("The audit trail is not locked down:\n- " + "\n- ".join(problems))
        verb = "is locked down" if check else "locked down"
        self.stdout.write(f"{TRAIL} {verb}: {app_role} may only SELECT and INSERT on it; it owns nothing.")


def _roles(cursor: CursorWrapper, app: str) -> Roles:
    """Who is who; refuses an app role that could lift the guards itself."""
    cursor.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = %s", [app])
    found = cursor.fetchone()
    if found is None:
        raise CommandError(f"The role {app} does not exist: create it first (CREATE ROLE {app} LOGIN PASSWORD '...').")
    cursor.execute(
        "SELECT pg_get_userbyid(c.relowner), n.nspname, current_user,"
        " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), pg_get_serial_sequence(%s, 'id')"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(%s)",
        [TRAIL, TRAIL],
    )
    row = cursor.fetchone()
    if row is None:
        raise CommandError(f"{TRAIL} does not exist: run `manage.py migrate` (as the owner) first.")
    owner, schema, me, i_am_superuser, sequence = row
    _refuse_a_powerful_app_role(cursor, app=app, owner=owner, superuser=found[0], createrole=found[1])
    return Roles(app, me, owner, i_am_superuser or me == owner, schema, sequence)


def _refuse_a_powerful_app_role(
    cursor: CursorWrapper, *, app: str, owner: str, superuser: bool, createrole: bool
) -> None:
    if superuser:
        raise CommandError(f"{app} is a superuser, which can disable any trigger: connect the portal as a plain role.")
    if createrole:
        # Before PostgreSQL 16, CREATEROLE may grant itself membership of any role, the owner's included.
        raise CommandError(f"{app} has CREATEROLE, so it could make itself a member of the owner {owner}.")
    cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [app, owner])
    if cursor.fetchone()[0]:
        raise CommandError(
            f"{app} is the owner of {TRAIL} or a member of its owner {owner}, so it could disable the triggers: "
            "the portal must connect as a role that owns nothing."
        )


def _grant(cursor: CursorWrapper, roles: Roles) -> None:
    if not roles.i_may_grant:
        raise CommandError(
            f"Run this as the owner of {TRAIL} ({roles.owner}), the role that runs migrate; not {roles.me}."
        )
    app, schema = _quoted(roles.app), _quoted(roles.schema)
    cursor.execute("SELECT has_schema_privilege(%s, %s, 'USAGE')", [roles.app, roles.schema])
    if not cursor.fetchone()[0]:
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {app}")
    everything, trail = ", ".join(APP_TABLE_PRIVILEGES), ", ".join(TRAIL_PRIVILEGES)
    statements = [
        # Start from nothing, so that an earlier GRANT ALL (TRUNCATE included) does not linger.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {app}",
        f"GRANT {everything} ON ALL TABLES IN SCHEMA {schema} TO {app}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {app}",
        f"REVOKE ALL ON {_quoted(TRAIL)} FROM {app}, PUBLIC",
        f"GRANT {trail} ON {_quoted(TRAIL)} TO {app}",
        # Tables and sequences that later migrations create (as this same owner) are the app's too.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT {everything} ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
    ]
    if roles.sequence:  # nextval only: setval could make the trail's ids collide and refuse every insert
        statements += [
            f"REVOKE ALL ON SEQUENCE {roles.sequence} FROM {app}, PUBLIC",
            f"GRANT USAGE ON SEQUENCE {roles.sequence} TO {app}",
        ]
    for statement in statements:
        cursor.execute(statement)


def _problems(cursor: CursorWrapper, roles: Roles) -> list[str]:
    """What is wrong now, whoever granted it: the app role directly, PUBLIC, or a role it belongs to."""
    problems = []
    for privilege in TRAIL_FORBIDDEN:
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [roles.app, TRAIL, privilege])
        if cursor.fetchone()[0]:
            problems.append(f"{roles.app} may {privilege} {TRAIL}.")
    cursor.execute("SELECT has_any_column_privilege(%s, %s, 'UPDATE')", [roles.app, TRAIL])
    if cursor.fetchone()[0]:
        problems.append(f"{roles.app} may UPDATE some columns of {TRAIL}.")
    for privilege in TRAIL_PRIVILEGES:
        cursor.execute("SELECT has_table_privilege(%s, %s, %s)", [roles.app, TRAIL, privilege])
        if not cursor.fetchone()[0]:
            problems.append(f"{roles.app} may not {privilege} {TRAIL}: the portal could not keep its trail.")
    if roles.sequence:
        cursor.execute("SELECT has_sequence_privilege(%s, %s, 'UPDATE')", [roles.app, roles.sequence])
        if cursor.fetchone()[0]:
            problems.append(f"{roles.app} may UPDATE (setval) {roles.sequence}.")
    return problems + _trigger_problems(cursor) + _table_problems(cursor, roles)


def _trigger_problems(cursor: CursorWrapper) -> list[str]:
    cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgenabled IN ('O', 'A')", [TRAIL])
    enabled = {name for (name,) in cursor.fetchall()}
    return [f"The trigger {name} on {TRAIL} is missing or disabled." for name in TRIGGERS if name not in enabled]


def _table_problems(cursor: CursorWrapper, roles: Roles) -> list[str]:
    cursor.execute(
        "SELECT c.relname, p.privilege FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " CROSS JOIN unnest(%s::text[]) AS p(privilege)"
        " WHERE n.nspname = %s AND c.relkind IN ('r', 'p') AND c.relname <> %s"
        " AND NOT has_table_privilege(%s, c.oid, p.privilege) ORDER BY 1, 2",
        [list(APP_TABLE_PRIVILEGES), roles.schema, TRAIL, roles.app],
    )
    return [f"{roles.app} may not {privilege} {table}: the portal needs it." for table, privilege in cursor.fetchall()]


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'

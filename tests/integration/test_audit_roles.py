"""The production set-up of two roles (docs/audit-database-roles.md), on the shared PostgreSQL.

The test database belongs to the role the tests connect as (the owner, who ran the migrations).
Each test creates a login role of its own, locks it down with `audit_lock_down` as the owner, and
then acts as that role: through the portal's own code (Django's connection switched to the role)
and through a plain psycopg connection for the statements an attacker would try.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from audit.services import audit_record
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def app_role(transactional_db: None) -> Iterator[str]:
    """A login role on the shared server, unique to this test, dropped afterwards even on failure."""
    assert connection.vendor == "postgresql"
    name = f"audit_app_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{name}" LOGIN')
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'REASSIGN OWNED BY "{name}" TO CURRENT_USER')
            cursor.execute(f'DROP OWNED BY "{name}"')
            cursor.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def locked_down(app_role: str) -> str:
    call_command("audit_lock_down", app_role=app_role, verbosity=0)
    return app_role


@contextmanager
def connected_as(role: str) -> Iterator[psycopg.Connection]:
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        autocommit=True,
    ) as other:
        yield other


@contextmanager
def portal_connected_as(role: str) -> Iterator[None]:
    """Django's own connection, reopened as `role`: the portal's code runs as the app would in production."""
    previous = connection.settings_dict["USER"]
    connection.close()
    connection.settings_dict["USER"] = role
    try:
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == role
    finally:
        connection.close()
        connection.settings_dict["USER"] = previous


def test_it_lets_the_app_role_run_the_portal_append_to_and_read_the_trail(locked_down):
    with portal_connected_as(locked_down):
        agency = AgencyFactory(name="Role Test Agency")
        admin = UserFactory(agency=agency, role=Role.AGENCY_ADMIN, email="role-admin@test.example.org")
        person = UserFactory(agency=agency, role=Role.MEMBER)
        audit_record(actor=admin, event=AuditEvent.SIGNED_IN)
        as_admin = client_for(admin)
        changed = as_admin.post(reverse("agencies:person", args=[person.pk]), {"role": "referral_officer"})
        page = as_admin.get(reverse("audit:list"))
        assert changed.status_code in (200, 302)
        assert page.status_code == 200
        assert "role-admin@test.example.org" in page.content.decode()
        assert AuditEntry.objects.filter(event=AuditEvent.ROLE_CHANGED, target_id=str(person.pk)).exists()
        person.refresh_from_db()
        assert person.role == Role.REFERRAL_OFFICER
        person.delete()  # other tables keep UPDATE and DELETE (the audit rows point at the admin only)


def test_it_lets_the_app_role_insert_and_select_audit_rows_directly(locked_down):
    with connected_as(locked_down) as app:
        app.execute(
            "INSERT INTO audit_auditentry (occurred_at, actor_email, agency_name, event, outcome, target_type,"
            " target_id, target_label, detail) VALUES (now(), '', '', 'auth.signed_in', 'success', '', '', '', '{}')"
        )
        assert app.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0] == 1
        # Privileges are checked even when no row matches: the other tables are the app's to change.
        app.execute("UPDATE agencies_agency SET name = name WHERE false")
        app.execute("DELETE FROM agencies_agency WHERE false")


ATTACKS = {
    "update": "UPDATE audit_auditentry SET event = 'x'",
    "delete": "DELETE FROM audit_auditentry",
    "truncate": "TRUNCATE audit_auditentry",
    "truncate_cascade": "TRUNCATE agencies_user CASCADE",
    "disable_trigger": "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only",
    "disable_all_triggers": "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
    "drop_trigger": "DROP TRIGGER audit_entry_append_only ON audit_auditentry",
    "replace_function": "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger"
    " AS $$ BEGIN RETURN NULL; END; $$ LANGUAGE plpgsql",
    "drop_table": "DROP TABLE audit_auditentry CASCADE",
    "rename_table": "ALTER TABLE audit_auditentry RENAME TO audit_old",
    "reset_sequence": "SELECT setval(pg_get_serial_sequence('audit_auditentry', 'id'), 1)",
    "take_ownership": "ALTER TABLE audit_auditentry OWNER TO CURRENT_USER",
}


@pytest.mark.parametrize("statement", ATTACKS.values(), ids=ATTACKS.keys())
def test_it_refuses_the_app_role_every_way_to_change_or_empty_the_trail(locked_down, member, statement):
    audit_record(actor=member, event=AuditEvent.SIGNED_IN)
    with connected_as(locked_down) as app, pytest.raises(psycopg.errors.InsufficientPrivilege) as refused:
        app.execute(statement)
    # Refused by the role's privileges (not only by the trigger, which an owner could disable).
    assert "permission denied" in str(refused.value) or "must be owner" in str(refused.value)
    assert AuditEntry.objects.filter(event=AuditEvent.SIGNED_IN).count() == 1


def test_it_gives_the_app_role_tables_that_later_migrations_create(locked_down):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE audit_roles_later (id bigint GENERATED BY DEFAULT AS IDENTITY, note text)")
    try:
        with connected_as(locked_down) as app:
            app.execute("INSERT INTO audit_roles_later (note) VALUES ('ok')")
            app.execute("UPDATE audit_roles_later SET note = 'changed'")
            app.execute("DELETE FROM audit_roles_later")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE audit_roles_later")


def test_it_reports_a_lock_down_that_can_be_checked_and_repeated(locked_down):
    call_command("audit_lock_down", app_role=locked_down, verbosity=0)  # idempotent: run after every migrate
    call_command("audit_lock_down", app_role=locked_down, check=True, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT UPDATE ON audit_auditentry TO "{locked_down}"')
    with pytest.raises(CommandError, match="UPDATE"):
        call_command("audit_lock_down", app_role=locked_down, check=True, verbosity=0)


def test_it_notices_a_trail_grant_made_to_everyone(locked_down):
    with connection.cursor() as cursor:
        cursor.execute("GRANT DELETE ON audit_auditentry TO PUBLIC")
    try:
        with pytest.raises(CommandError, match="DELETE"):
            call_command("audit_lock_down", app_role=locked_down, check=True, verbosity=0)
        call_command("audit_lock_down", app_role=locked_down, verbosity=0)  # the lock-down revokes it
        call_command("audit_lock_down", app_role=locked_down, check=True, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("REVOKE DELETE ON audit_auditentry FROM PUBLIC")


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("no_such_role_here", "does not exist"),
        ('app"; DROP TABLE audit_auditentry; --', "not a valid role name"),
        ("", "not a valid role name"),
    ],
)
def test_it_refuses_a_bad_app_role_with_a_clear_error(transactional_db, role, message):
    with pytest.raises(CommandError, match=message):
        call_command("audit_lock_down", app_role=role, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('audit_auditentry') IS NOT NULL")
        assert cursor.fetchone()[0]


def test_it_refuses_to_lock_down_the_owner_itself(transactional_db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="is a superuser"):
        call_command("audit_lock_down", app_role=owner, verbosity=0)


def test_it_refuses_an_app_role_that_can_become_the_owner(app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        cursor.execute(f'CREATE ROLE "{app_role}_owner" NOLOGIN')
        cursor.execute(f'GRANT "{app_role}_owner" TO "{app_role}"')
        cursor.execute(f'ALTER TABLE audit_auditentry OWNER TO "{app_role}_owner"')
    try:
        with pytest.raises(CommandError, match="member of its owner"):
            call_command("audit_lock_down", app_role=app_role, verbosity=0)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER TABLE audit_auditentry OWNER TO "{owner}"')
            cursor.execute(f'DROP ROLE "{app_role}_owner"')

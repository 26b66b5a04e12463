import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from audit.models import AppendOnlyError, AuditEntry, AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_it_refuses_to_change_or_delete_an_entry_in_code(member):
    entry = audit_record(actor=member, event=AuditEvent.SIGNED_IN)
    entry.event = AuditEvent.SIGNED_OUT
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(event=AuditEvent.SIGNED_OUT)
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.integration
@pytest.mark.parametrize("statement", ["UPDATE audit_auditentry SET event = 'x'", "DELETE FROM audit_auditentry"])
def test_it_has_postgresql_refuse_update_and_delete(member, statement):
    assert connection.vendor == "postgresql"
    audit_record(actor=member, event=AuditEvent.SIGNED_IN)
    with pytest.raises((DatabaseError, IntegrityError)) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert "append-only" in str(error.value)
    assert AuditEntry.objects.filter(event=AuditEvent.SIGNED_IN).count() == 1


@pytest.mark.integration
@pytest.mark.parametrize(
    "statement",
    ["TRUNCATE audit_auditentry", "TRUNCATE agencies_user, agencies_agency CASCADE"],
    ids=["truncate", "truncate_cascade"],
)
def test_it_has_postgresql_refuse_truncate_even_to_the_owner(member, statement):
    # The tests connect as the owner (a superuser): the trigger holds for them unless they disable it.
    audit_record(actor=member, event=AuditEvent.SIGNED_IN)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # else TRUNCATE refuses the test's pending FK checks
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert "audit_auditentry is append-only: TRUNCATE refused" in str(error.value)
    assert AuditEntry.objects.filter(event=AuditEvent.SIGNED_IN).count() == 1


@pytest.mark.integration
def test_it_refuses_to_flush_a_database_that_is_not_a_test_database(member, monkeypatch):
    audit_record(actor=member, event=AuditEvent.SIGNED_IN)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    monkeypatch.setitem(connection.settings_dict, "NAME", "taskforce")  # what `flush` sees in production
    with pytest.raises(CommandError, match="append-only"), transaction.atomic():
        call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.filter(event=AuditEvent.SIGNED_IN).count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_still_lets_the_test_runner_flush_a_test_database(member):
    audit_record(actor=member, event=AuditEvent.SIGNED_IN)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()
    if connection.vendor == "postgresql":  # the guard is back once the flush is done
        audit_record(actor=None, event=AuditEvent.SIGNED_IN)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_auditentry")


def test_it_explains_that_the_lock_down_needs_postgresql():
    if connection.vendor == "postgresql":
        pytest.skip("on PostgreSQL tests/integration/test_audit_roles.py runs the lock-down itself")
    with pytest.raises(CommandError, match="for PostgreSQL"):
        call_command("audit_lock_down", app_role="taskforce_app", verbosity=0)


def test_it_shows_an_agency_admin_only_their_agencys_trail(as_admin, agency_admin, outsider):
    audit_record(actor=agency_admin, event=AuditEvent.TOKEN_CREATED, target_label="mine")
    audit_record(actor=outsider, event=AuditEvent.TOKEN_CREATED, target_label="theirs-elsewhere")
    page = as_admin.get(reverse("audit:list")).content.decode()
    assert "admin@test.example.org" in page
    assert "outsider@test.example.org" not in page


def test_it_shows_a_coordinator_the_whole_task_force(as_coordinator, outsider):
    audit_record(actor=outsider, event=AuditEvent.TOKEN_CREATED)
    page = as_coordinator.get(reverse("audit:list") + "?event=api.token_created").content.decode()
    assert "outsider@test.example.org" in page


def test_it_records_role_changes_with_before_and_after(as_admin, member):
    as_admin.post(reverse("agencies:person", args=[member.pk]), {"role": "referral_officer"})
    entry = AuditEntry.objects.get(event=AuditEvent.ROLE_CHANGED)
    assert entry.detail == {"from": "member", "to": "referral_officer"}
    assert entry.target_id == str(member.pk)


def test_it_scopes_the_trail_by_the_role_map(member, agency_admin, coordinator, outsider):
    mine = audit_record(actor=member, event=AuditEvent.SIGNED_IN)
    elsewhere = audit_record(actor=outsider, event=AuditEvent.SIGNED_IN)
    assert {mine, elsewhere} <= set(AuditEntry.objects.for_user(coordinator))
    assert mine in AuditEntry.objects.for_user(agency_admin)
    assert elsewhere not in AuditEntry.objects.for_user(agency_admin)
    assert not AuditEntry.objects.for_user(member).exists()
    assert not AuditEntry.objects.for_user(AnonymousUser()).exists()


def test_it_asks_the_rule_named_in_the_settings(settings, coordinator):
    """The audit app sits below agencies: it reaches the role map's rule through AUDIT_TRAIL_SCOPE."""
    audit_record(actor=coordinator, event=AuditEvent.SIGNED_IN)
    settings.AUDIT_TRAIL_SCOPE = "tests.audit.test_audit_trail._nothing"
    assert not AuditEntry.objects.for_user(coordinator).exists()


def _nothing(user: object) -> None:
    return None

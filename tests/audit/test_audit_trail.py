import pytest
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

"""Writes of service profiles: rights, validation, the guard, the audit row, capacity confirmation."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from directory.models import ServiceProfile
from directory.services import capacity_confirm, service_profile_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "description": "Shelter and advocacy for adults.",
    "needs": ["shelter", "legal"],
    "languages": ["en", "es"],
    "age_bands": ["18_24", "25_59"],
    "counties": [" Juniper  County", "juniper county", "Cedar County"],
    "hours": [{"weekday": 2, "opens": "09:00", "closes": "17:00"}, {"weekday": 1, "opens": "08:30", "closes": "12:00"}],
    "after_hours": "on_call",
    "intake_role": "Intake coordinator",
    "intake_phone": "555-0100 ext 12",
    "intake_email": "intake@agency.example.org",
    "capacity": "waitlist",
    "public": True,
}


def test_it_creates_a_profile_and_records_who_and_what_changed(agency: Agency, agency_admin: User) -> None:
    profile = service_profile_update(agency=agency, actor=agency_admin, values=GOOD)
    profile.refresh_from_db()
    assert profile.needs == ["shelter", "legal"]
    assert profile.counties == ["Juniper County", "Cedar County"]
    assert [row["weekday"] for row in profile.hours] == [1, 2]
    assert profile.capacity == "waitlist" and profile.capacity_confirmed_at is not None
    assert profile.updated_by == agency_admin
    entry = AuditEntry.objects.get(event=AuditEvent.SERVICE_PROFILE_CHANGED)
    assert entry.detail["service_profile"] == sorted(GOOD)
    assert entry.detail["capacity"] == [None, "waitlist"]
    assert "Shelter and advocacy" not in str(entry.detail)


def test_it_changes_only_the_fields_given_and_confirms_a_changed_capacity(agency: Agency, agency_admin: User) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=40)):
        service_profile_update(agency=agency, actor=agency_admin, values=GOOD)
    service_profile_update(agency=agency, actor=agency_admin, values={"languages": ["en"]})
    profile = ServiceProfile.objects.get(agency=agency)
    assert profile.languages == ["en"] and profile.needs == ["shelter", "legal"]
    assert profile.capacity_stale
    service_profile_update(agency=agency, actor=agency_admin, values={"capacity": "accepting"})
    profile.refresh_from_db()
    assert not profile.capacity_stale and profile.capacity_confirmed_days == 0


def test_it_writes_nothing_when_nothing_changes(agency: Agency, agency_admin: User) -> None:
    service_profile_update(agency=agency, actor=agency_admin, values=GOOD)
    service_profile_update(agency=agency, actor=agency_admin, values={"needs": ["shelter", "legal"]})
    assert AuditEntry.objects.filter(event=AuditEvent.SERVICE_PROFILE_CHANGED).count() == 1


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"needs": ["shelter", "flying"]}, "needs"),
        ({"languages": "es"}, "languages"),
        ({"genders": ["unknown"]}, "genders"),
        ({"hours": [{"weekday": 8, "opens": "09:00", "closes": "17:00"}]}, "hours"),
        ({"hours": [{"weekday": 0, "opens": "09:00", "closes": "17:00"}]}, "hours"),
        ({"hours": [{"weekday": True, "opens": "09:00", "closes": "17:00"}]}, "hours"),
        ({"hours": [{"weekday": 1, "opens": "17:00", "closes": "09:00"}]}, "hours"),
        ({"hours": [{"weekday": 1, "opens": "9:00", "closes": "17:00"}]}, "hours"),
        ({"hours": [{"weekday": 1, "opens": "09:00", "closes": "24:00"}]}, "hours"),
        ({"hours": [{"weekday": 1, "opens": "09:00", "closes": "17:00"}] * 2}, "hours"),
        ({"hours": [{"weekday": 1, "opens": "09:00"}]}, "hours"),
        ({"capacity": "full"}, "capacity"),
        ({"after_hours": "sometimes"}, "after_hours"),
        ({"public": "yes"}, "public"),
        ({"counties": ["Juniper County 12"]}, "counties"),
        ({"intake_phone": "call us"}, "intake_phone"),
        ({"intake_email": "not-an-email"}, "intake_email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"description": "x" * 2001}, "description"),
    ],
)
def test_it_refuses_bad_values_by_field_and_writes_nothing(
    agency: Agency, agency_admin: User, values: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        service_profile_update(agency=agency, actor=agency_admin, values=values)
    assert field in error.value.message_dict
    assert not ServiceProfile.objects.exists()


def test_it_refuses_unknown_fields_without_repeating_them(agency: Agency, agency_admin: User) -> None:
    with pytest.raises(ValidationError) as error:
        service_profile_update(agency=agency, actor=agency_admin, values={"agency": 9, "Maria Lopez": 1})
    assert "Maria" not in str(error.value)


def test_it_passes_free_text_through_the_guard(agency: Agency, agency_admin: User) -> None:
    with pytest.raises(ValidationError) as error:
        service_profile_update(
            agency=agency, actor=agency_admin, values={"description": "Call the client at 555-867-5309."}
        )
    assert "description" in error.value.message_dict
    assert "867" not in str(error.value)
    assert not ServiceProfile.objects.exists()
    assert AuditEntry.objects.filter(event=AuditEvent.DEIDENTIFICATION_REFUSED).count() == 1


def test_it_lets_coordinators_edit_any_agency_and_admins_only_their_own(
    agency: Agency, other_agency: Agency, agency_admin: User, coordinator: User, outsider: User, member: User
) -> None:
    service_profile_update(agency=other_agency, actor=coordinator, values={"needs": ["legal"]})
    with pytest.raises(PermissionDenied):
        service_profile_update(agency=agency, actor=outsider, values={"needs": ["legal"]})
    with pytest.raises(PermissionDenied):
        service_profile_update(agency=agency, actor=member, values={"needs": ["legal"]})
    with pytest.raises(PermissionDenied):
        capacity_confirm(agency=agency, actor=outsider)
    coordinator_elsewhere = UserFactory(agency=other_agency, role=Role.COORDINATOR)  # not a co-chair: no right
    with pytest.raises(PermissionDenied):
        capacity_confirm(agency=other_agency, actor=coordinator_elsewhere)


def test_it_confirms_capacity_as_of_now(agency: Agency, agency_admin: User) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=90)):
        service_profile_update(agency=agency, actor=agency_admin, values=GOOD)
    assert ServiceProfile.objects.get(agency=agency).capacity_stale
    profile = capacity_confirm(agency=agency, actor=agency_admin)
    assert profile.capacity == "waitlist" and not profile.capacity_stale
    profile = capacity_confirm(agency=agency, actor=agency_admin, capacity="not_accepting")
    assert ServiceProfile.objects.get(agency=agency).capacity == "not_accepting"
    entry = AuditEntry.objects.filter(event=AuditEvent.CAPACITY_CONFIRMED).first()
    assert entry is not None and entry.detail == {
        "capacity_confirmed": "not_accepting",
        "capacity": ["waitlist", "not_accepting"],
    }
    with pytest.raises(ValidationError):
        capacity_confirm(agency=agency, actor=agency_admin, capacity="full")

"""Attendance by person and by agency, self check-in, RSVPs and the quorum indicator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from meetings import services
from meetings.choices import AttendanceSource, Audience
from meetings.models import Attendance, Rsvp
from meetings.quorum import needed_for, quorum_for
from tests.factories import AgencyFactory, UserFactory
from tests.meetings.conftest import move_to, schedule
from tests.meetings.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def test_it_records_people_and_agencies_and_audits_it(past_meeting, coordinator, member, other_agency):
    services.attendance_record(actor=coordinator, meeting=past_meeting, person=member)
    services.attendance_record(actor=coordinator, meeting=past_meeting, agency=other_agency)
    rows = {(row.person_id, row.agency_id) for row in Attendance.objects.all()}
    assert rows == {(member.pk, member.agency_id), (None, other_agency.pk)}
    assert AuditEntry.objects.filter(event=AuditEvent.ATTENDANCE_RECORDED).count() == 2


def test_it_refuses_recording_someone_twice_with_a_message(past_meeting, coordinator, member):
    services.attendance_record(actor=coordinator, meeting=past_meeting, person=member)
    with pytest.raises(ValidationError, match="already recorded"):
        services.attendance_record(actor=coordinator, meeting=past_meeting, person=member)
    assert Attendance.objects.count() == 1


def test_it_opens_attendance_shortly_before_the_meeting(meeting, coordinator, member):
    with pytest.raises(ValidationError):
        services.attendance_record(actor=coordinator, meeting=meeting, person=member)
    move_to(meeting, starts_in=timedelta(minutes=20))
    services.attendance_record(actor=coordinator, meeting=meeting, person=member)


def test_it_lets_people_check_themselves_in_during_the_meeting_only(meeting, member):
    with pytest.raises(ValidationError, match="Check-in"):
        services.attendance_check_in(actor=member, meeting=meeting)
    move_to(meeting, starts_in=timedelta(minutes=-10))
    first = services.attendance_check_in(actor=member, meeting=meeting)
    again = services.attendance_check_in(actor=member, meeting=meeting)
    assert first == again and first.source == AttendanceSource.SELF
    move_to(meeting, starts_in=timedelta(hours=-3))
    with pytest.raises(ValidationError):
        services.attendance_check_in(actor=UserFactory(agency=member.agency), meeting=meeting)


def test_it_checks_in_from_the_meeting_page(meeting, member, as_member):
    move_to(meeting, starts_in=timedelta(minutes=-5))
    url = reverse("meetings:meeting_detail", args=[meeting.pk])
    assert "Check in: I am here" in as_member.get(url).content.decode()
    as_member.post(reverse("meetings:meeting_check_in", args=[meeting.pk]))
    assert "You are checked in." in as_member.get(url).content.decode()


def test_it_takes_rsvps_until_the_meeting_starts(meeting, member):
    services.rsvp_set(actor=member, meeting=meeting, response="maybe")
    services.rsvp_set(actor=member, meeting=meeting, response="yes")
    assert Rsvp.objects.get().response == "yes"
    move_to(meeting, starts_in=timedelta(minutes=-1))
    with pytest.raises(ValidationError, match="close"):
        services.rsvp_set(actor=member, meeting=meeting, response="no")


def test_it_refuses_an_unknown_rsvp_without_a_500(meeting, as_member):
    response = as_member.post(reverse("meetings:meeting_rsvp", args=[meeting.pk]), {"response": "perhaps"})
    assert response.status_code == 302 and not Rsvp.objects.exists()


@pytest.mark.parametrize(("eligible", "needed"), [(10, 6), (4, 3), (2, 2), (1, 1), (0, 0)])
def test_it_needs_a_majority_of_agencies_and_at_least_the_minimum(eligible, needed):
    assert needed_for(eligible) == needed


def test_it_counts_agencies_of_the_audience_once_for_quorum(coordinator, agency, settings):
    settings.MEETINGS_QUORUM_MINIMUM_AGENCIES = 1
    two, three = AgencyFactory(), AgencyFactory()
    committee = CommitteeFactory(member_agencies=[agency, two, three])
    meeting = move_to(
        schedule(coordinator, audience=Audience.COMMITTEE, committee=committee), starts_in=-timedelta(hours=1)
    )
    guest = AgencyFactory(name="Guest agency")
    for person in (UserFactory(agency=agency), UserFactory(agency=agency, role=Role.AGENCY_ADMIN)):
        services.attendance_record(actor=coordinator, meeting=meeting, person=person)
    services.attendance_record(actor=coordinator, meeting=meeting, agency=guest)
    quorum = quorum_for(meeting)
    assert (quorum.present, quorum.eligible, quorum.needed, quorum.reached) == (1, 3, 2, False)
    services.attendance_record(actor=coordinator, meeting=meeting, agency=two)
    assert quorum_for(meeting).reached


def test_it_follows_a_configured_quorum_rule(coordinator, past_meeting, settings):
    settings.MEETINGS_QUORUM_FRACTION = 0.0
    settings.MEETINGS_QUORUM_MINIMUM_AGENCIES = 1
    assert not quorum_for(past_meeting).reached
    services.attendance_record(actor=coordinator, meeting=past_meeting, agency=coordinator.agency)
    assert quorum_for(past_meeting).reached


def test_it_records_and_removes_attendance_through_the_web(past_meeting, member, as_coordinator):
    url = reverse("meetings:attendance_edit", args=[past_meeting.pk])
    assert as_coordinator.post(url, {"person": member.pk}).status_code == 302
    row = Attendance.objects.get()
    assert as_coordinator.post(url, {}).status_code == 400  # neither a person nor an agency
    as_coordinator.post(reverse("meetings:attendance_remove", args=[past_meeting.pk, row.pk]))
    assert not Attendance.objects.exists()
    assert AuditEntry.objects.filter(event=AuditEvent.ATTENDANCE_REMOVED).exists()

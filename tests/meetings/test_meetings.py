"""Scheduling, the audience rule (outside it a meeting answers 404), changes and cancellation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from meetings import services
from meetings.choices import Audience, MeetingKind
from meetings.models import Meeting, MeetingSeries
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory
from tests.meetings.conftest import local, meeting_input, move_to, schedule
from tests.meetings.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def _sees(user, meeting) -> bool:
    return Meeting.objects.for_user(user).filter(pk=meeting.pk).exists()


def test_it_schedules_a_meeting_and_audits_it(coordinator):
    meeting = schedule(coordinator, title="Full task force, March")
    assert meeting.pk and meeting.sequence == 0
    assert AuditEntry.objects.filter(event=AuditEvent.MEETING_SCHEDULED, target_id=str(meeting.pk)).exists()


def test_it_lets_only_coordinators_schedule(agency_admin, member):
    for person in (agency_admin, member):
        with pytest.raises(PermissionDenied):
            schedule(person)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"audience": Audience.COMMITTEE}, "committee"),
        ({"location": "", "video_url": ""}, "location"),
        ({"ends_at": "starts"}, "ends_at"),
        ({"ends_at": "long"}, "ends_at"),
    ],
)
def test_it_refuses_bad_details_with_a_message_for_the_field(coordinator, overrides, field):
    details = meeting_input(host=coordinator.agency)
    if overrides.get("ends_at") == "starts":
        overrides["ends_at"] = details.starts_at
    elif overrides.get("ends_at") == "long":
        overrides["ends_at"] = details.starts_at + timedelta(hours=13)
    with pytest.raises(ValidationError) as refused:
        services.meeting_schedule(actor=coordinator, details=meeting_input(host=coordinator.agency, **overrides))
    assert field in refused.value.message_dict
    assert not Meeting.objects.exists()


def test_it_shows_an_all_members_meeting_to_every_member(meeting, member, outsider):
    assert _sees(member, meeting) and _sees(outsider, meeting)


def test_it_shows_a_committee_meeting_to_its_people_and_agencies_only(
    coordinator, member, officer, outsider, other_agency
):
    committee = CommitteeFactory(people=[member], member_agencies=[other_agency])
    meeting = schedule(coordinator, audience=Audience.COMMITTEE, committee=committee, kind=MeetingKind.COMMITTEE)
    assert _sees(member, meeting)  # in person
    assert _sees(outsider, meeting)  # through the agency
    assert not _sees(officer, meeting)  # a colleague of the member, not on the committee
    assert _sees(coordinator, meeting)  # coordinators run every meeting


def test_it_shows_a_cochairs_meeting_to_cochair_agencies_only(coordinator, member, outsider):
    meeting = schedule(coordinator, audience=Audience.COCHAIRS)
    assert member.agency.is_cochair and _sees(member, meeting)
    assert not _sees(outsider, meeting)


def test_it_shows_a_meeting_to_its_organizer_even_outside_the_audience(coordinator, outsider):
    meeting = schedule(coordinator, audience=Audience.COCHAIRS, organizer=outsider)
    assert _sees(outsider, meeting)
    assert Meeting.objects.run_by(outsider).filter(pk=meeting.pk).exists()


def test_it_answers_404_outside_the_audience_on_every_meeting_page(coordinator, outsider):
    meeting = schedule(coordinator, audience=Audience.COCHAIRS)
    client = client_for(outsider)
    for name in ("meeting_detail", "meeting_ics", "agenda_edit", "minutes_edit", "attendance_edit"):
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 404, name
    assert client.post(reverse("meetings:meeting_rsvp", args=[meeting.pk]), {"response": "yes"}).status_code == 404


def test_it_answers_404_to_the_audience_for_organizer_pages(meeting, member):
    client = client_for(member)
    assert client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("meetings:agenda_edit", args=[meeting.pk])).status_code == 404


def test_it_schedules_a_series_of_meetings(coordinator):
    first = schedule(coordinator, frequency="monthly", count=6)
    series = MeetingSeries.objects.get()
    assert first.series == series and series.meetings.count() == 6
    assert all(m.series_slot == m.starts_at for m in series.meetings.all())


def test_it_refuses_a_series_of_one_or_of_too_many(coordinator):
    for count in (1, 53):
        with pytest.raises(ValidationError):
            schedule(coordinator, frequency="weekly", count=count)
    assert not Meeting.objects.exists()


def test_it_raises_the_sequence_when_time_or_place_changes(meeting, coordinator):
    details = services.meeting_details(meeting)
    changed = services.meeting_update(
        actor=coordinator,
        meeting=meeting,
        details=meeting_input(
            host=meeting.host_agency,
            starts_at=details.starts_at + timedelta(hours=1),
            ends_at=details.ends_at + timedelta(hours=1),
        ),
    )
    assert changed.sequence == 1
    entry = AuditEntry.objects.get(event=AuditEvent.MEETING_CHANGED)
    assert entry.detail["fields"] == ["ends_at", "starts_at"]


def test_it_lets_an_organizer_change_time_but_not_the_audience(coordinator, agency):
    chair = UserFactory(agency=agency, role=Role.MEMBER)
    meeting = schedule(coordinator, organizer=chair)
    details = services.meeting_details(meeting)
    services.meeting_update(
        actor=chair,
        meeting=meeting,
        details=meeting_input(
            host=meeting.host_agency,
            organizer=chair,
            starts_at=details.starts_at,
            ends_at=details.ends_at,
            location="Library, room 2",
        ),
    )
    with pytest.raises(PermissionDenied):
        services.meeting_update(
            actor=chair,
            meeting=meeting,
            details=meeting_input(
                host=meeting.host_agency,
                organizer=chair,
                audience=Audience.COCHAIRS,
                starts_at=details.starts_at,
                ends_at=details.ends_at,
                location="Library, room 2",
            ),
        )
    meeting.refresh_from_db()
    assert meeting.location == "Library, room 2" and meeting.audience == Audience.ALL_MEMBERS


def test_it_cancels_once_and_shows_it(meeting, coordinator, as_member):
    services.meeting_cancel(actor=coordinator, meeting=meeting)
    services.meeting_cancel(actor=coordinator, meeting=meeting)
    assert AuditEntry.objects.filter(event=AuditEvent.MEETING_CANCELLED).count() == 1
    page = as_member.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Cancelled" in page


def test_it_schedules_through_the_web_form_in_local_time(as_coordinator, coordinator):
    response = as_coordinator.post(
        reverse("meetings:meeting_create"),
        {
            "title": "Full task force",
            "kind": "full",
            "audience": "all_members",
            "host_agency": coordinator.agency_id,
            "starts_at": "2031-03-11T10:00",
            "ends_at": "2031-03-11T11:30",
            "location": "Room 204",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.starts_at.isoformat() == "2031-03-11T15:00:00+00:00"  # 10:00 CDT is 15:00 UTC


def test_it_explains_a_bad_form_without_a_500(as_coordinator):
    response = as_coordinator.post(reverse("meetings:meeting_create"), {"title": "", "starts_at": "tomorrow-ish"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Meeting.objects.exists()


def test_it_refuses_other_agencys_outsider_with_404_for_a_case_review(coordinator, outsider):
    committee = CommitteeFactory(member_agencies=[coordinator.agency])
    review = schedule(
        coordinator, kind=MeetingKind.CASE_REVIEW, audience=Audience.COMMITTEE, committee=committee, title="Case review"
    )
    assert client_for(outsider).get(reverse("meetings:meeting_detail", args=[review.pk])).status_code == 404
    AgencyFactory()  # another agency changes nothing
    assert not _sees(outsider, review)


def test_it_refuses_to_cancel_a_meeting_that_took_place(coordinator):
    meeting = move_to(schedule(coordinator), starts_in=-timedelta(hours=3))
    with pytest.raises(ValidationError, match="taken place"):
        services.meeting_cancel(actor=coordinator, meeting=meeting)


def test_it_says_the_series_rule_in_words(coordinator, as_member):
    first = schedule(
        coordinator, starts_at=local(2031, 1, 14, 10), ends_at=local(2031, 1, 14, 11), frequency="monthly", count=12
    )
    page = as_member.get(reverse("meetings:meeting_detail", args=[first.pk])).content.decode()
    assert "Every month on the second Tuesday, 12 meetings" in page

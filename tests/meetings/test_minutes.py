"""Minutes: draft, circulated, approved (by whom, at which meeting), frozen, corrected by a new version;
case-review minutes go through the de-identification guard and stay with the meeting's audience."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry, AuditEvent
from audit.models import Outcome as AuditOutcome
from meetings import services
from meetings.choices import Audience, MeetingKind, MinutesStatus
from meetings.models import Minutes
from tests.conftest import client_for
from tests.meetings.conftest import later_meeting, move_to, schedule
from tests.meetings.factories import CommitteeFactory

pytestmark = pytest.mark.django_db

PHONE = "414-555-0137"


def _approved(coordinator, meeting, body="Agencies shared updates."):
    minutes = services.minutes_save(actor=coordinator, meeting=meeting, body=body)
    services.minutes_circulate(actor=coordinator, minutes=minutes)
    return services.minutes_approve(actor=coordinator, minutes=minutes, at_meeting=later_meeting(meeting))


def test_it_goes_from_draft_to_circulated_to_approved_and_records_the_approval(past_meeting, coordinator):
    minutes = services.minutes_save(actor=coordinator, meeting=past_meeting, body="Draft text")
    assert minutes.status == MinutesStatus.DRAFT and minutes.version == 1
    services.minutes_save(actor=coordinator, meeting=past_meeting, body="Better draft text")
    next_meeting = later_meeting(past_meeting)
    with pytest.raises(ValidationError, match="Circulate"):
        services.minutes_approve(actor=coordinator, minutes=minutes, at_meeting=next_meeting)
    minutes = services.minutes_circulate(actor=coordinator, minutes=minutes)
    approved = services.minutes_approve(actor=coordinator, minutes=minutes, at_meeting=next_meeting)
    assert approved.status == MinutesStatus.APPROVED and approved.body == "Better draft text"
    assert approved.approved_by == coordinator and approved.approved_at_meeting == next_meeting
    events = set(AuditEntry.objects.values_list("event", flat=True))
    assert {AuditEvent.MINUTES_SAVED, AuditEvent.MINUTES_CIRCULATED, AuditEvent.MINUTES_APPROVED} <= events


def test_it_never_edits_approved_minutes_and_corrects_them_with_a_new_version(past_meeting, coordinator):
    approved = _approved(coordinator, past_meeting, "The text as approved.")
    with pytest.raises(ValidationError, match="approved"):
        services.minutes_save(actor=coordinator, meeting=past_meeting, body="Rewritten history")
    correction = services.minutes_correct(actor=coordinator, minutes=approved, reason="Wrong agency named")
    assert correction.version == 2 and correction.status == MinutesStatus.DRAFT and correction.corrects == approved
    services.minutes_save(actor=coordinator, meeting=past_meeting, body="The corrected text.")
    approved.refresh_from_db()
    assert approved.body == "The text as approved." and approved.status == MinutesStatus.APPROVED
    with pytest.raises(ValidationError):
        services.minutes_correct(actor=coordinator, minutes=approved, reason="again")  # not the latest any more


def test_it_approves_only_at_a_later_meeting_that_has_begun(meeting, past_meeting, coordinator):
    minutes = services.minutes_save(actor=coordinator, meeting=past_meeting, body="Text")
    services.minutes_circulate(actor=coordinator, minutes=minutes)
    for not_yet in (meeting, past_meeting):  # next week's, and the meeting the minutes record
        with pytest.raises(ValidationError) as refused:
            services.minutes_approve(actor=coordinator, minutes=minutes, at_meeting=not_yet)
        assert "at_meeting" in refused.value.message_dict
    assert Minutes.objects.get().status == MinutesStatus.CIRCULATED
    assert services.approval_meetings(minutes=minutes) == []
    assert services.next_approval_meeting(minutes=minutes) == meeting


def test_it_offers_later_meetings_only_and_says_when_approval_becomes_possible(meeting, past_meeting, as_coordinator):
    minutes = services.minutes_save(actor=meeting.created_by, meeting=past_meeting, body="Text")
    services.minutes_circulate(actor=meeting.created_by, minutes=minutes)
    url = reverse("meetings:minutes_edit", args=[past_meeting.pk])
    page = as_coordinator.get(url).content.decode()
    assert 'id="approve-not-yet"' in page and "Record the approval" not in page
    later = later_meeting(past_meeting)
    page = as_coordinator.get(url).content.decode()
    assert f'<option value="{later.pk}" selected>' in page
    assert f'<option value="{past_meeting.pk}"' not in page and f'<option value="{meeting.pk}"' not in page


def test_it_circulates_only_after_the_meeting_has_started(meeting, coordinator, as_coordinator):
    minutes = services.minutes_save(actor=coordinator, meeting=meeting, body="Prepared in advance")
    with pytest.raises(ValidationError):
        services.minutes_circulate(actor=coordinator, minutes=minutes)
    # The page agrees: no button, and a line that says when it becomes possible.
    page = as_coordinator.get(reverse("meetings:minutes_edit", args=[meeting.pk])).content.decode()
    assert "Circulate for review" not in page and 'id="circulate-not-yet"' in page
    move_to(meeting, starts_in=-timedelta(minutes=5))
    page = as_coordinator.get(reverse("meetings:minutes_edit", args=[meeting.pk])).content.decode()
    assert "Circulate for review" in page and 'id="circulate-not-yet"' not in page


def test_it_shows_drafts_to_organizers_only(past_meeting, coordinator, as_member, as_coordinator):
    services.minutes_save(actor=coordinator, meeting=past_meeting, body="Secret draft wording")
    url = reverse("meetings:meeting_detail", args=[past_meeting.pk])
    assert "Secret draft wording" not in as_member.get(url).content.decode()
    assert "Secret draft wording" in as_coordinator.get(url).content.decode()


def _case_review(coordinator, agencies):
    committee = CommitteeFactory(member_agencies=agencies)
    review = schedule(
        coordinator, kind=MeetingKind.CASE_REVIEW, audience=Audience.COMMITTEE, committee=committee, title="Case review"
    )
    return move_to(review, starts_in=-timedelta(hours=1), length=timedelta(hours=2))


def test_it_refuses_identifiers_in_case_review_minutes_and_audits_without_the_text(coordinator, agency):
    review = _case_review(coordinator, [agency])
    with pytest.raises(ValidationError) as refused:
        services.minutes_save(actor=coordinator, meeting=review, body=f"Call the client at {PHONE}")
    assert "phone number" in " ".join(refused.value.message_dict["body"])
    assert not Minutes.objects.exists()
    entry = AuditEntry.objects.get(event=AuditEvent.DEIDENTIFICATION_REFUSED)
    assert entry.outcome == AuditOutcome.DENIED and PHONE not in str(entry.detail)


def test_it_allows_reference_codes_in_case_review_minutes(coordinator, agency):
    review = _case_review(coordinator, [agency])
    minutes = services.minutes_save(actor=coordinator, meeting=review, body="Reviewed JUN-2026-00042: shelter found.")
    assert minutes.body.startswith("Reviewed JUN-2026-00042")


def test_it_never_sends_a_refused_value_back_into_the_page(coordinator, agency, as_coordinator):
    review = _case_review(coordinator, [agency])
    response = as_coordinator.post(reverse("meetings:minutes_edit", args=[review.pk]), {"body": f"Call {PHONE} now"})
    page = response.content.decode()
    assert response.status_code == 400 and "phone number" in page
    assert PHONE not in page and "555-0137" not in page
    assert 'data-deid-check="true"' in page


def test_it_guards_minutes_of_other_meetings_too(past_meeting, coordinator):
    # Issue 15: every meeting's minutes are read by its whole audience; a day without a year is fine.
    with pytest.raises(ValidationError):
        services.minutes_save(actor=coordinator, meeting=past_meeting, body=f"Call {PHONE} about the grant.")
    minutes = services.minutes_save(actor=coordinator, meeting=past_meeting, body="Grant report due March 31.")
    assert "March 31" in minutes.body


def test_it_shows_case_review_minutes_to_the_audience_only(coordinator, agency, member, outsider):
    review = _case_review(coordinator, [agency])
    _approved(coordinator, review, "Reviewed JUN-2026-00042.")
    url = reverse("meetings:meeting_detail", args=[review.pk])
    assert "JUN-2026-00042" in client_for(member).get(url).content.decode()
    assert client_for(outsider).get(url).status_code == 404
    api = client_for(outsider).get(f"/api/v1/meetings/{review.pk}/")
    assert api.status_code == 404


def test_it_walks_the_lifecycle_through_the_web(past_meeting, as_coordinator):
    base = reverse("meetings:minutes_edit", args=[past_meeting.pk])
    assert as_coordinator.post(base, {"body": "Agencies shared updates."}).status_code == 302
    assert as_coordinator.post(base + "circulate/").status_code == 302
    response = as_coordinator.post(base + "approve/", {"at_meeting": later_meeting(past_meeting).pk})
    assert response.status_code == 302
    assert Minutes.objects.get().status == MinutesStatus.APPROVED
    page = as_coordinator.get(base).content.decode()
    assert "Start a correction" in page and 'name="body"' not in page

"""The printable agenda, minutes and decisions of a meeting: a page without navigation, and a PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from meetings import services
from meetings.choices import Audience, MeetingKind
from meetings.models import AgendaItem, Meeting
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db


def _text_of_pdf(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def held(past_meeting, coordinator, agency, other_agency):
    # The agenda of a meeting under way is locked: it was prepared and published earlier.
    AgendaItem.objects.create(meeting=past_meeting, title="Outreach plan", minutes=15)
    Meeting.objects.filter(pk=past_meeting.pk).update(agenda_published_at=timezone.now())
    past_meeting.refresh_from_db()
    services.minutes_save(actor=coordinator, meeting=past_meeting, body="We reviewed the outreach plan.")
    for present in (agency, other_agency):
        services.attendance_record(actor=coordinator, meeting=past_meeting, agency=present)
    services.motion_record(
        actor=coordinator,
        meeting=past_meeting,
        text="Adopt the outreach plan.",
        mover_agency=agency,
        seconder_agency=other_agency,
        votes={agency.pk: "yes", other_agency.pk: "yes"},
    )
    return past_meeting


def test_the_print_page_holds_agenda_minutes_and_decisions_without_navigation(held, as_coordinator):
    page = as_coordinator.get(reverse("meetings:meeting_print", args=[held.pk])).content.decode()
    assert "Outreach plan" in page and "We reviewed the outreach plan." in page
    assert "Adopt the outreach plan." in page and "Carried" in page
    assert 'aria-label="Main"' not in page and "@media print" not in page  # the CSS file holds it
    assert "meetings/print" in page


def test_members_do_not_see_draft_minutes_in_print_nor_pdf(held, as_member):
    page = as_member.get(reverse("meetings:meeting_print", args=[held.pk])).content.decode()
    assert "We reviewed the outreach plan." not in page and "No minutes yet." in page
    pdf = as_member.get(reverse("meetings:meeting_pdf", args=[held.pk]))
    text = _text_of_pdf(pdf.content)
    assert "Outreach plan" in text and "We reviewed" not in text and "Adopt the outreach plan." in text


def test_the_pdf_is_a_pdf_with_the_minutes_for_the_organizer(held, as_coordinator):
    response = as_coordinator.get(reverse("meetings:meeting_pdf", args=[held.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = _text_of_pdf(response.content)
    assert "We reviewed the outreach plan." in text and "Carried" in text


def test_outside_the_audience_it_is_404(coordinator, as_outsider):
    review = schedule(coordinator, kind=MeetingKind.CASE_REVIEW, audience=Audience.COCHAIRS, title="Review")
    assert as_outsider.get(reverse("meetings:meeting_print", args=[review.pk])).status_code == 404
    assert as_outsider.get(reverse("meetings:meeting_pdf", args=[review.pk])).status_code == 404

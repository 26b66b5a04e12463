"""The home page and the announcement pages, through Django's test client."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from agencies.models import Sector
from audit.models import AuditEntry, AuditEvent
from home.models import Announcement, AnnouncementAcknowledgement, Audience
from tests.conftest import client_for
from tests.digests.helpers import after_commit
from tests.home.conftest import send

pytestmark = pytest.mark.django_db
NEW = reverse("home:announcement_create")
FORM = {
    "title": "Shelters: expect referrals this weekend",
    "body": "An operation is planned.\nPlease keep beds free if you can.",
    "audience": Audience.SECTOR,
    "sector": Sector.HEALTH,
}


# --- home ----------------------------------------------------------------------------------------------


def test_the_home_page_says_calmly_when_nothing_needs_you(as_member):
    page = as_member.get("/").content.decode()
    assert "What needs you" in page and "Nothing needs you right now." in page
    assert page.index("What needs you") < page.index("Meetings and trainings")  # before the portal's map
    assert 'href="/announcements/"' in page


def test_the_home_page_shows_an_announcement_until_it_is_acknowledged(coordinator, member, as_member):
    announcement = send(coordinator, body="Line one.\nLine two <b>not bold</b>.")
    page = as_member.get("/").content.decode()
    assert "1 announcement to read and acknowledge" in page
    assert announcement.title in page and "Line one.<br>Line two &lt;b&gt;not bold&lt;/b&gt;." in page
    assert "Nothing needs you right now." not in page
    url = reverse("home:announcement_acknowledge", args=[announcement.pk])
    response = as_member.post(url, {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    page = as_member.get("/").content.decode()
    assert f"Acknowledged: “{announcement.title}”." in page  # the message
    assert 'id="announcements-heading"' not in page
    assert "Nothing needs you right now." in page


def test_acknowledging_never_redirects_off_the_portal(coordinator, member, as_member):
    announcement = send(coordinator)
    url = reverse("home:announcement_acknowledge", args=[announcement.pk])
    response = as_member.post(url, {"next": "https://evil.example.com/"})
    assert response["Location"] == reverse("home:announcement_detail", args=[announcement.pk])


# --- sending -------------------------------------------------------------------------------------------


def test_sending_asks_for_confirmation_with_the_size_of_the_audience_first(as_coordinator, nurse, member):
    confirm = as_coordinator.post(NEW, FORM)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "This goes to 1 person at 1 agency" in page and "Health care" in page
    assert not Announcement.objects.exists() and mail.outbox == []
    with after_commit():
        sent = as_coordinator.post(NEW, {**FORM, "send": "yes"})
    announcement = Announcement.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/announcements/{announcement.pk}/"
    assert (announcement.audience, announcement.sector) == (Audience.SECTOR, Sector.HEALTH)
    assert [message.to[0] for message in mail.outbox] == [nurse.email]
    assert AuditEntry.objects.get(event=AuditEvent.ANNOUNCEMENT_SENT).detail["people"] == 1


def test_change_it_goes_back_to_the_form_with_what_was_typed(as_coordinator, nurse):
    page = as_coordinator.post(NEW, {**FORM, "edit": "yes"}).content.decode()
    assert "Check who receives it" in page and FORM["title"] in page
    assert not Announcement.objects.exists()


def test_a_refusal_of_the_guard_is_a_form_error_and_nothing_is_sent(as_coordinator, nurse):
    for step in ({}, {"send": "yes"}):
        response = as_coordinator.post(NEW, {**FORM, "body": "Call her at 414-555-0137.", **step})
        assert response.status_code == 400
        page = response.content.decode()
        assert "a phone number" in page and "414-555-0137" not in page
        assert 'aria-invalid="true"' in page
    assert not Announcement.objects.exists() and mail.outbox == []


def test_a_missing_sector_is_a_form_error(as_coordinator, nurse):
    response = as_coordinator.post(NEW, {**FORM, "sector": ""})
    assert response.status_code == 400
    assert "Choose the sector that receives it." in response.content.decode()


def test_only_coordinators_reach_the_form(as_member, as_admin):
    assert as_member.get(NEW).status_code == 403
    assert as_admin.post(NEW, {**FORM, "send": "yes"}).status_code == 403
    assert not Announcement.objects.exists()


# --- reading -------------------------------------------------------------------------------------------


def test_outside_the_audience_an_announcement_answers_404(coordinator, member, as_member, nurse):
    announcement = send(coordinator, audience=Audience.SECTOR, sector=Sector.HEALTH)
    assert as_member.get(reverse("home:announcement_detail", args=[announcement.pk])).status_code == 404
    acknowledge = reverse("home:announcement_acknowledge", args=[announcement.pk])
    assert as_member.post(acknowledge).status_code == 404
    assert not AnnouncementAcknowledgement.objects.exists()
    assert announcement.title not in as_member.get(reverse("home:announcement_list")).content.decode()
    assert announcement.title in client_for(nurse).get(reverse("home:announcement_list")).content.decode()


def test_coordinators_see_who_acknowledged_and_who_has_not(as_coordinator, coordinator, member, nurse):
    announcement = send(coordinator)
    client_for(nurse).post(reverse("home:announcement_acknowledge", args=[announcement.pk]))
    page = as_coordinator.get(reverse("home:announcement_detail", args=[announcement.pk])).content.decode()
    assert "Who acknowledged it" in page and "1 of 2 people." in page
    hospital, shelter = page.index(f"<h3>{nurse.agency.name}</h3>"), page.index(f"<h3>{member.agency.name}</h3>")
    assert page.index(nurse.get_full_name(), hospital) < shelter  # listed under the hospital
    assert "Not yet (1)" in page and member.get_full_name() in page
    listing = as_coordinator.get(reverse("home:announcement_list")).content.decode()
    assert "1 person" in listing


def test_a_member_sees_the_announcement_and_no_list_of_people(coordinator, member, as_member, nurse):
    announcement = send(coordinator)
    page = as_member.get(reverse("home:announcement_detail", args=[announcement.pk])).content.decode()
    assert "I have read it" in page and "Who acknowledged it" not in page and nurse.get_full_name() not in page
    as_member.post(reverse("home:announcement_acknowledge", args=[announcement.pk]))
    page = as_member.get(reverse("home:announcement_detail", args=[announcement.pk])).content.decode()
    assert "You acknowledged it on" in page
    unread = as_member.get(reverse("home:announcement_list") + "?show=unacknowledged").content.decode()
    assert "Nothing left to acknowledge." in unread

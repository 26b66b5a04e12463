"""The announcement forms and the home page, from Chromium, under the production security settings
(home/templates/home/). Forms, by test:

test_a_coordinator_announces_to_a_sector_and_sees_who_acknowledged_it
  - "Check who receives it" (the announcement form): refused by the guard, then the confirmation step
  - "Change it" and "Send the announcement" (the confirmation step)
  - "I have read it" (on the home page of a person of the sector)
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from agencies.models import Sector
from agencies.roles import Role
from home.models import Announcement, AnnouncementAcknowledgement
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]
PHONE = {"width": 390, "height": 844}
# The labels of the body and the sector, not the radio button "The agencies of one sector".
BODY_LABEL = re.compile(r"^Announcement")
SECTOR_LABEL = re.compile(r"^Sector")
TITLE = "Hospitals: watch for labor trafficking signs this week"
BODY = "Two farms in the north of the county are under investigation.\nCall the task-force line with any concern."


@pytest.fixture
def coordinator() -> object:
    shelter = AgencyFactory(name="Juniper Safe Harbor", is_cochair=True)
    return UserFactory(agency=shelter, role=Role.COORDINATOR, first_name="Robin", last_name="Castellanos")


@pytest.fixture
def nurse() -> object:
    hospital = AgencyFactory(name="Juniper General Hospital", sector=Sector.HEALTH)
    return UserFactory(agency=hospital, role=Role.MEMBER, first_name="Ari", last_name="Mendelsohn")


@pytest.fixture
def officer() -> object:
    police = AgencyFactory(name="Juniper Police Department", sector=Sector.LAW_ENFORCEMENT)
    return UserFactory(agency=police, role=Role.MEMBER, first_name="Sam", last_name="Okafor")


def test_a_coordinator_announces_to_a_sector_and_sees_who_acknowledged_it(
    page, live_server, coordinator, nurse, officer, failed_responses
):
    sign_in_as(page, live_server, coordinator)
    page.goto("/")
    page.get_by_role("link", name="Send an announcement").click()
    page.get_by_role("heading", name="Send an announcement").wait_for()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label(BODY_LABEL).fill("Call the nurse at 414-555-0137 if she is there.")
    page.get_by_role("radio", name="The agencies of one sector").check()
    page.get_by_label(SECTOR_LABEL).select_option(label="Health care")

    # The guard refuses the phone number: said by the box, the number not sent back, nothing stored.
    with page.expect_response(lambda r: r.request.method == "POST" and r.request.is_navigation_request()) as refused:
        page.get_by_role("button", name="Check who receives it").click()
    assert refused.value.status == 400
    body = page.get_by_label(BODY_LABEL)
    assert body.get_attribute("aria-invalid") == "true"
    assert body.input_value() == ""
    error = page.locator(f"#{body.get_attribute('aria-describedby').split()[0]}")
    assert "a phone number" in error.inner_text() and "414-555-0137" not in page.content()
    assert page.get_by_label("Title").input_value() == TITLE  # the rest is kept

    # The confirmation step: how many people at how many agencies; "Change it" goes back with the text.
    body.fill(BODY)
    submit(page, page.get_by_role("button", name="Check who receives it"))
    page.get_by_role("heading", name="Send this announcement?").wait_for()
    assert page.get_by_text("This goes to 1 person at 1 agency").is_visible()
    assert not Announcement.objects.exists()
    submit(page, page.get_by_role("button", name="Change it"))
    assert page.get_by_label(BODY_LABEL).input_value().replace("\r\n", "\n") == BODY
    submit(page, page.get_by_role("button", name="Check who receives it"))
    screenshot(page, "announcement-confirm")
    submit(page, page.get_by_role("button", name="Send the announcement"))
    page.get_by_text("The announcement is sent.").wait_for()
    announcement = Announcement.objects.get()
    assert (announcement.sector, announcement.body.replace("\r\n", "\n")) == (Sector.HEALTH, BODY)
    assert [message.to[0] for message in mail.outbox] == [nurse.email]

    # The nurse sees it first thing on the home page, on a phone, and acknowledges it.
    page.set_viewport_size(PHONE)
    sign_in_as(page, live_server, nurse)
    page.goto("/")
    needs = page.get_by_role("region", name="What needs you")
    assert needs.get_by_role("link", name="1 announcement to read and acknowledge").is_visible()
    article = page.get_by_role("article", name=TITLE)
    assert article.get_by_text("Two farms in the north").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "announcement-home-390px")
    submit(page, article.get_by_role("button", name="I have read it"))
    page.get_by_text(f"Acknowledged: “{TITLE}”.").wait_for()
    assert page.get_by_role("article", name=TITLE).count() == 0
    assert page.get_by_text("Nothing needs you right now.").is_visible()
    assert AnnouncementAcknowledgement.objects.filter(person=nurse).exists()

    # The police officer, outside the sector, never sees it.
    sign_in_as(page, live_server, officer)
    page.goto("/")
    assert page.get_by_role("article", name=TITLE).count() == 0

    # The coordinator sees who acknowledged it.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as(page, live_server, coordinator)
    page.goto(f"/announcements/{announcement.pk}/")
    acknowledgements = page.get_by_role("region", name="Who acknowledged it")
    assert acknowledgements.get_by_text("1 of 1 person.").is_visible()
    assert acknowledgements.get_by_role("heading", name="Juniper General Hospital").is_visible()
    assert acknowledgements.get_by_text("Ari Mendelsohn").is_visible()
    screenshot(page, "announcement-acknowledgements")
    assert failed_responses == ["400 POST /announcements/new/"]

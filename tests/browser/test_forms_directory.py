"""The service directory's forms, from Chromium, under the production security settings
(directory/templates/directory/). Forms, by test:

test_an_agency_admin_edits_the_profile_and_the_directory_shows_it
  - "Save the service profile": refused with the error announced, then saved
  - "Show" (the directory's filters)
  - "Confirm capacity" (after the confirmation page)
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.roles import Role
from directory.models import ServiceProfile
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]


@pytest.fixture
def shelter_admin() -> object:
    shelter = AgencyFactory(name="Casa Segura Shelter", sector="victim_services")
    return UserFactory(agency=shelter, role=Role.AGENCY_ADMIN, first_name="Rosa", last_name="Ibarra")


def test_an_agency_admin_edits_the_profile_and_the_directory_shows_it(
    page, live_server, shelter_admin, failed_responses
):
    agency = shelter_admin.agency
    sign_in_as(page, live_server, shelter_admin)
    page.goto("/directory/")
    page.get_by_role("heading", name="Service directory").wait_for()
    page.get_by_role("link", name="Your agency's service profile").click()
    page.get_by_role("link", name="Fill in the service profile").click()
    page.get_by_role("heading", name="Service profile of Casa Segura Shelter").wait_for()

    page.get_by_label("What your agency offers").fill("Emergency shelter and legal advocacy for adults.")
    services = page.get_by_role("group", name="Services offered")
    services.get_by_label("Shelter or housing").check()
    services.get_by_label("Legal").check()
    page.get_by_role("group", name="Languages staff speak with clients").get_by_label("Spanish").check()
    page.get_by_label("Monday: opens").fill("09:00")
    page.get_by_label("Monday: closes").fill("17:00")
    page.get_by_label("Tuesday: opens").fill("10:00")  # and no closing time: refused
    page.get_by_label("On call after hours (phone)").check()
    page.get_by_label("Whom to call for a hand-off").fill("Shelter intake advocate")
    page.get_by_label("Intake phone").fill("555-0100")
    page.get_by_role("group", name="Can you take referrals now?").get_by_label("Waitlist").check()

    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        page.get_by_role("button", name="Save the service profile").click()
    assert refused.value.status == 400
    assert page.get_by_role("alert").filter(has_text="Nothing was saved.").is_visible()
    assert page.get_by_role("alert").filter(has_text="Tuesday: give both the opening").is_visible()
    assert not ServiceProfile.objects.exists()
    # What was typed stays in the form, so that only the mistake needs fixing.
    assert page.get_by_role("group", name="Services offered").get_by_label("Legal").is_checked()
    screenshot(page, "directory-profile-errors")

    page.get_by_label("Tuesday: closes").fill("14:00")
    submit(page, page.get_by_role("button", name="Save the service profile"))
    page.get_by_text("The service profile of Casa Segura Shelter is saved.").wait_for()
    profile = ServiceProfile.objects.get(agency=agency)
    assert profile.needs == ["shelter", "legal"] and profile.languages == ["es"]
    assert profile.hours == [
        {"weekday": 1, "opens": "09:00", "closes": "17:00"},
        {"weekday": 2, "opens": "10:00", "closes": "14:00"},
    ]
    assert profile.capacity == "waitlist" and profile.capacity_confirmed_at is not None

    # The directory shows it, found by its service.
    page.goto("/directory/")
    page.get_by_label("Service").select_option("shelter")
    page.get_by_role("button", name="Show").click()
    card = page.get_by_role("region", name="Casa Segura Shelter")
    card.wait_for()
    text = card.inner_text()
    for expected in ("Shelter or housing and Legal", "Spanish", "Monday 09:00-17:00", "Tuesday 10:00-14:00"):
        assert expected in text
    assert "Shelter intake advocate" in text and "Waitlist" in text and "confirmed today" in text
    screenshot(page, "directory-list")

    # A month later the status is stale; one click, a confirmation, and it is confirmed again.
    ServiceProfile.objects.filter(agency=agency).update(capacity_confirmed_at=timezone.now() - timedelta(days=45))
    page.goto(f"/directory/{agency.pk}/")
    assert "stale" in page.get_by_text("Waitlist").first.locator("xpath=..").inner_text()
    page.get_by_role("link", name="Capacity is still accurate").click()
    page.get_by_role("heading", name="Confirm the capacity of Casa Segura Shelter").wait_for()
    assert page.get_by_label("Waitlist").is_checked()
    submit(page, page.get_by_role("button", name="Confirm capacity"))
    page.get_by_text("Capacity of Casa Segura Shelter confirmed today.").wait_for()
    assert not ServiceProfile.objects.get(agency=agency).capacity_stale
    assert failed_responses == [f"400 POST /directory/{agency.pk}/edit/"]

"""Issue 18 from end to end, in Chromium under the production security settings: a shelter's
administrator fills in its service profile; a hospital nurse, filling in a referral, sees the shelter
suggested and sends to it; the shelter's referral officer finds it on the home page, under "What needs
you"; nobody answers, and after the emergency's two hours the sweep (what beat runs) escalates it: the
shelter's administrator is told and sees it on the home page, and the nurse sees that it was escalated.

Each form on the way has its own, closer test (test_forms_directory.py, test_referral_suggestions.py,
test_forms_home.py, test_escalation.py); this one checks that they make one flow.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from agencies.roles import Role
from cases.choices import Status
from cases.escalation import referrals_escalate
from cases.models import Referral
from directory.models import Capacity, ServiceProfile
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]


@pytest.fixture
def shelter_people() -> tuple[object, object]:
    shelter = AgencyFactory(name="Casa Segura Shelter", sector="victim_services")
    admin = UserFactory(agency=shelter, role=Role.AGENCY_ADMIN, first_name="Rosa", last_name="Ibarra")
    officer = UserFactory(agency=shelter, role=Role.REFERRAL_OFFICER, first_name="Lena", last_name="Okafor")
    return admin, officer


@pytest.fixture
def nurse() -> object:
    hospital = AgencyFactory(name="Juniper General Hospital", sector="health")
    AgencyFactory(name="Lantern Legal Aid", sector="legal_aid")  # no profile: never suggested
    return UserFactory(agency=hospital, role=Role.REFERRAL_OFFICER, first_name="Priya", last_name="Natarajan")


def _fill_profile(page: object) -> None:
    page.goto("/directory/")
    page.get_by_role("link", name="Your agency's service profile").click()
    page.get_by_role("link", name="Fill in the service profile").click()
    page.get_by_role("heading", name="Service profile of Casa Segura Shelter").wait_for()
    page.get_by_label("What your agency offers").fill("Emergency shelter for adults, in English and Spanish.")
    page.get_by_role("group", name="Services offered").get_by_label("Shelter or housing").check()
    page.get_by_role("group", name="Languages staff speak with clients").get_by_label("Spanish").check()
    page.get_by_label("Monday: opens").fill("09:00")
    page.get_by_label("Monday: closes").fill("17:00")
    page.get_by_label("Whom to call for a hand-off").fill("Shelter intake advocate")
    page.get_by_label("Intake phone").fill("555-0100")
    page.get_by_role("group", name="Can you take referrals now?").get_by_label(
        "Accepting referrals", exact=True
    ).check()
    submit(page, page.get_by_role("button", name="Save the service profile"))


def _send_to_the_suggested_shelter(page: object) -> None:
    page.goto("/referrals/new/")
    page.get_by_label("Urgency").select_option("emergency")
    page.get_by_label("Trafficking type").select_option("labor")
    page.get_by_label("Potential or confirmed victim").select_option("potential")
    page.get_by_label("Age band").select_option("25_59")
    page.get_by_label("Gender").select_option("man")
    page.get_by_label("Citizenship").select_option("foreign_national")
    page.get_by_label("Language").select_option("es")
    page.get_by_label("Source type").select_option("health")
    page.get_by_label("Shelter or housing").check()
    region = page.get_by_role("region", name="Suggested agencies")
    shelter = region.get_by_role("listitem").filter(has_text="Casa Segura Shelter")
    expect(shelter).to_contain_text("Speaks Spanish")
    expect(region).not_to_contain_text("Lantern Legal Aid")
    screenshot(page, "network-walk-suggested")
    region.get_by_role("button", name="Choose Casa Segura Shelter").click()
    submit(page, page.get_by_role("button", name="Send the referral"))
    page.get_by_text("sent. Call the receiving agency").wait_for()


def test_a_profile_leads_a_referral_to_the_shelter_whose_silence_is_escalated(
    page, live_server, shelter_people, nurse, failed_responses
):
    admin, officer = shelter_people

    sign_in_as(page, live_server, admin)
    _fill_profile(page)
    profile = ServiceProfile.objects.get(agency=admin.agency)
    assert (profile.needs, profile.languages, profile.capacity) == (["shelter"], ["es"], Capacity.ACCEPTING)

    sign_in_as(page, live_server, nurse)
    _send_to_the_suggested_shelter(page)
    referral = Referral.objects.get()
    assert (referral.receiving_agency, referral.status) == (admin.agency, Status.SENT)

    # The shelter's referral officer: the referral waits on the home page, and the link leads to it.
    sign_in_as(page, live_server, officer)
    page.goto("/")
    needs = page.get_by_role("region", name="What needs you")
    needs.get_by_role("link", name="1 referral is waiting for your agency's answer").click()
    expect(page.locator("tbody th a")).to_have_text([referral.reference_code])

    # Nobody answers for three hours: longer than an emergency's two. The sweep escalates it once.
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(hours=3), tick=True):
        assert referrals_escalate().to_admins == [referral.pk]
        assert referrals_escalate().to_admins == []
    told = [message.to for message in mail.outbox]
    assert [admin.email] in told and [officer.email] not in told

    sign_in_as(page, live_server, admin)
    page.goto("/")
    needs = page.get_by_role("region", name="What needs you")
    expect(
        needs.get_by_role("link", name="1 referral to your agency went unanswered past the deadline")
    ).to_be_visible()
    screenshot(page, "network-walk-home-escalated-admin")

    sign_in_as(page, live_server, officer)
    page.goto("/")
    needs = page.get_by_role("region", name="What needs you")
    needs.get_by_role("link", name="1 referral was escalated: still unanswered after the deadline").click()
    expect(page.locator("tbody th a")).to_have_text([referral.reference_code])

    sign_in_as(page, live_server, nurse)
    page.goto(f"/referrals/{referral.pk}/")
    expect(page.locator(".notice.escalated")).to_contain_text("Escalated to Casa Segura Shelter's administrators on")
    assert failed_responses == []

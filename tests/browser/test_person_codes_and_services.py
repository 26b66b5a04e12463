"""Person codes and services provided, from Chromium under the production security settings (issue 17):

test_it_issues_a_code_for_a_new_person_and_takes_it_typed_again_for_the_next_referral
  - "Send a referral" for a person new to the task force: the code is shown once, prominently
  - "Send a referral" for a person who already has a code, typed as a person types it
test_it_records_the_services_the_receiving_agency_provided
  - "Record services" on the referral's page (receiver); the sender sees them
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from agencies.roles import Role
from cases.choices import Status
from cases.models import Referral, ServiceDelivery
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.cases.referral_helpers import referral_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]


@pytest.fixture
def advocate() -> object:
    center = AgencyFactory(name="Safe Harbor Survivor Center")
    return UserFactory(agency=center, role=Role.REFERRAL_OFFICER, first_name="Marisol", last_name="Reyes")


@pytest.fixture
def nurse() -> object:
    clinic = AgencyFactory(name="Juniper General Hospital", sector="health")
    return UserFactory(agency=clinic, role=Role.REFERRAL_OFFICER, first_name="Priya", last_name="Natarajan")


def _fill_referral(page: object, receiver: str) -> None:
    page.goto("/referrals/new/")
    page.get_by_label("Send to").select_option(label=receiver)
    page.get_by_label("Trafficking type").select_option("labor")
    page.get_by_label("Potential or confirmed victim").select_option("potential")
    page.get_by_label("Age band").select_option("18_24")
    page.get_by_label("Gender").select_option("prefers_not_to_say")
    page.get_by_label("Citizenship").select_option("unknown")
    page.get_by_label("Language").select_option("es")
    page.get_by_label("Source type").select_option("hotline")
    page.get_by_label("Legal", exact=True).check()


def test_it_issues_a_code_for_a_new_person_and_takes_it_typed_again_for_the_next_referral(
    page, live_server, advocate, nurse, failed_responses
):
    AgencyFactory(name="Juniper Legal Aid", sector="legal_aid")
    sign_in_as(page, live_server, advocate)
    _fill_referral(page, "Juniper General Hospital")
    assert page.get_by_label("A person new to the task force", exact=False).is_checked()
    submit(page, page.get_by_role("button", name="Send the referral"))
    issued = page.get_by_role("status").filter(has_text="Person code for this person")
    issued.wait_for()
    code = Referral.objects.get().person_code.code
    assert code in issued.inner_text() and "offline records" in issued.inner_text()
    screenshot(page, "person-code-issued")

    page.reload()
    page.get_by_role("heading", name="Coded facts").wait_for()
    assert page.get_by_text("Person code for this person").count() == 0  # shown prominently once
    assert page.get_by_text(code, exact=True).is_visible()  # and always as a fact of the referral

    _fill_referral(page, "Juniper Legal Aid")
    page.get_by_label("A person who already has a person code").check()
    page.get_by_label("Person code", exact=True).fill(code.lower().replace("-", " "))
    submit(page, page.get_by_role("button", name="Send the referral"))
    page.get_by_text("sent. Call the receiving agency").wait_for()
    assert page.get_by_text("Person code for this person").count() == 0
    latest = Referral.objects.latest("pk")
    assert latest.receiving_agency.name == "Juniper Legal Aid" and latest.person_code.code == code

    # A code no referral of the agency carries is refused, in words that do not repeat it.
    _fill_referral(page, "Juniper Legal Aid")
    page.get_by_label("A person who already has a person code").check()
    page.get_by_label("Person code", exact=True).fill("PC-000-000-000")
    page.get_by_role("button", name="Send the referral").click()
    refused = page.locator("#id_person_code_error")
    refused.get_by_text("No referral your agency can see carries this person code").wait_for()
    assert Referral.objects.count() == 2
    assert failed_responses == ["400 POST /referrals/new/"]


def test_it_records_the_services_the_receiving_agency_provided(page, live_server, advocate, nurse, failed_responses):
    referral = referral_in(Status.IN_PROGRESS, sender=advocate, receiver=nurse)
    month = f"{timezone.localdate():%Y-%m}"

    sign_in_as(page, live_server, nurse)
    page.goto(f"/referrals/{referral.pk}/")
    services = page.get_by_role("region", name="Services provided")
    services.get_by_label("Shelter or housing").check()
    services.get_by_label("Case management").check()
    services.get_by_label("Month provided").fill(month)
    submit(page, services.get_by_role("button", name="Record services"))
    page.get_by_text("Services recorded.").wait_for()
    table = page.get_by_role("table", name="Services the receiving agency provided, by month")
    assert table.get_by_text("Case management").is_visible()
    assert sorted(ServiceDelivery.objects.values_list("service", flat=True)) == ["case_management", "shelter"]
    screenshot(page, "services-recorded")

    sign_in_as(page, live_server, advocate)
    page.goto(f"/referrals/{referral.pk}/")
    assert page.get_by_role("table", name="Services the receiving agency provided, by month").is_visible()
    assert page.get_by_role("button", name="Record services").count() == 0
    assert failed_responses == []

"""Suggested agencies on the referral form, and the referral list that opens on what is open, from Chromium
under the production security settings (cases/templates/cases/referral_form.html, referral_list.html and
static/js/referral_form.js). Forms, by test:

test_it_suggests_agencies_as_the_facts_change_and_sends_to_the_one_chosen
  - the coded facts refresh "Suggested agencies" (the fragment, coded facts only in its URL)
  - "Choose" picks the agency in "Send to"; "Send the referral"
  - the receiver's list opens on open referrals; "Show referrals" (the filters) on a 390 px phone
test_without_javascript_the_same_buttons_show_suggestions_and_choose
  - "Show suggested agencies" and "Choose" submit the form, which comes back with the facts kept; then send
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.roles import Role
from cases.choices import Status, Urgency
from cases.models import Referral
from directory.models import AfterHours, Capacity, ServiceProfile
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.cases.referral_helpers import referral_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]
PHONE = {"width": 390, "height": 844}
NOTE = "Prefers afternoon calls; a warm hand-off through the hotline."
CODED = {"urgency", "trafficking_type", "age_band", "gender", "citizenship", "county", "language", "needs"}


@pytest.fixture
def advocate() -> object:
    """The sender: a referral officer of a confidential provider (a signed release for every receiver)."""
    center = AgencyFactory(name="Safe Harbor Survivor Center", is_confidential_provider=True)
    return UserFactory(agency=center, role=Role.REFERRAL_OFFICER, first_name="Marisol", last_name="Reyes")


@pytest.fixture
def nurse() -> object:
    """The receiver: the hospital, which offers medical care in Spanish and is open at all hours."""
    clinic = AgencyFactory(name="Juniper General Hospital", sector="health")
    ServiceProfile.objects.create(
        agency=clinic,
        needs=["medical", "mental_health"],
        languages=["en", "es"],
        after_hours=AfterHours.ALWAYS_OPEN,
        capacity=Capacity.ACCEPTING,
        capacity_confirmed_at=timezone.now(),
    )
    return UserFactory(agency=clinic, role=Role.REFERRAL_OFFICER, first_name="Priya", last_name="Natarajan")


@pytest.fixture
def shelter() -> object:
    agency = AgencyFactory(name="Casa Esperanza Shelter")
    ServiceProfile.objects.create(
        agency=agency, needs=["shelter"], languages=["es"], capacity=Capacity.WAITLIST, capacity_confirmed_at=None
    )
    AgencyFactory(name="Unprofiled Legal Aid")  # no profile: never suggested, still in "Send to"
    return agency


def _facts(page: object) -> None:
    page.get_by_label("Urgency").select_option("emergency")
    page.get_by_label("Trafficking type").select_option("labor")
    page.get_by_label("Potential or confirmed victim").select_option("potential")
    page.get_by_label("Age band").select_option("25_59")
    page.get_by_label("Gender").select_option("prefers_not_to_say")
    page.get_by_label("Citizenship").select_option("foreign_national")
    page.get_by_label("Language").select_option("es")
    page.get_by_label("Source type").select_option("hotline")
    page.get_by_label("Note").fill(NOTE)


def _consent(page: object) -> None:
    page.get_by_label("How consent was given").select_option("written")
    page.get_by_label("What the survivor agreed to share").select_option("facts")


def test_it_suggests_agencies_as_the_facts_change_and_sends_to_the_one_chosen(
    page, live_server, advocate, nurse, shelter, failed_responses
):
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/referrals/suggestions/" in request.url else None)
    sign_in_as(page, live_server, advocate)
    page.goto("/referrals/new/")
    region = page.get_by_role("region", name="Suggested agencies")
    expect(region).to_contain_text("Tick at least one need")
    _facts(page)

    page.get_by_label("Medical").check()
    hospital = region.get_by_role("listitem").filter(has_text="Juniper General Hospital")
    expect(hospital).to_contain_text("A signed release is needed")
    expect(hospital).to_contain_text("Open 24 hours")
    expect(region).not_to_contain_text("Casa Esperanza Shelter")
    page.get_by_label("Shelter or housing").check()
    expect(region.get_by_role("button", name="Choose Casa Esperanza Shelter")).to_be_visible()
    page.get_by_label("Medical").uncheck()
    page.get_by_label("Shelter or housing").uncheck()
    page.get_by_label("Childcare").check()
    expect(region).to_contain_text("No agency's service profile matches these facts. You can still choose any agency.")
    page.get_by_label("Childcare").uncheck()
    page.get_by_label("Medical").check()
    expect(hospital).to_contain_text("Speaks Spanish")
    screenshot(page, "referral-suggestions")

    region.get_by_role("button", name="Choose Juniper General Hospital").click()
    expect(page.get_by_label("Send to")).to_have_value(str(nurse.agency_id))
    expect(page.get_by_label("Send to")).to_be_focused()
    expect(page.locator("#receiver-chosen")).to_have_text(
        "You chose Juniper General Hospital. Check the facts, then send."
    )
    assert page.get_by_label("Send to").locator("option", has_text="Unprofiled Legal Aid").count() == 1
    _consent(page)
    submit(page, page.get_by_role("button", name="Send the referral"))
    page.get_by_text("sent. Call the receiving agency").wait_for()
    referral = Referral.objects.get()
    assert referral.receiving_agency_id == nurse.agency_id and referral.note == NOTE

    # Coded facts only went into the fragment's URL: never the note, and a county offered by the page.
    assert asked
    for url in asked:
        query = parse_qs(urlsplit(url).query)
        assert set(query) <= CODED | {"interpreter_needed"}, url
        assert "afternoon" not in url
    assert failed_responses == []

    # The receiver's list opens on open referrals, the most urgent first, and filters on a phone.
    older = referral_in(Status.CLOSED, sender=advocate, receiver=nurse, urgency=Urgency.EMERGENCY)
    routine = referral_in(Status.ACCEPTED, sender=advocate, receiver=nurse, urgency=Urgency.ROUTINE)
    page.set_viewport_size(PHONE)
    sign_in_as(page, live_server, nurse)
    page.goto("/referrals/")
    expect(
        page.get_by_text("Open referrals sent to your agency: the most urgent first, then the oldest.")
    ).to_be_visible()
    codes = page.locator("tbody th a").all_inner_texts()
    assert codes == [referral.reference_code, routine.reference_code]
    assert older.reference_code not in codes
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_text("Filter and search").click()
    page.get_by_label("Urgency").select_option("routine")
    page.get_by_role("button", name="Show referrals").click()
    expect(page.locator("tbody th a")).to_have_text([routine.reference_code])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Urgency").select_option("")
    page.get_by_label("Need", exact=True).select_option("childcare")
    page.get_by_role("button", name="Show referrals").click()
    expect(page.get_by_role("status").filter(has_text="No open referrals match these filters")).to_be_visible()
    page.get_by_role("link", name="clear the filters", exact=True).click()
    expect(page.locator("tbody th a")).to_have_count(2)
    screenshot(page, "referral-list-phone")
    assert failed_responses == []


def test_without_javascript_the_same_buttons_show_suggestions_and_choose(
    browser, live_server, advocate, nurse, shelter
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        sign_in_as(page, live_server, advocate)
        page.goto("/referrals/new/")
        _facts(page)
        page.get_by_label("Medical").check()
        page.get_by_label("Shelter or housing").check()
        submit(page, page.get_by_role("button", name="Show suggested agencies"))
        region = page.get_by_role("region", name="Suggested agencies")
        expect(region.get_by_role("button", name="Choose Juniper General Hospital")).to_be_visible()
        expect(region.get_by_role("button", name="Choose Casa Esperanza Shelter")).to_be_visible()
        expect(page.get_by_label("Note")).to_have_value(NOTE)
        expect(page.get_by_label("Language")).to_have_value("es")
        assert not Referral.objects.exists()

        submit(page, region.get_by_role("button", name="Choose Casa Esperanza Shelter"))
        expect(page.get_by_label("Send to")).to_have_value(str(shelter.pk))
        expect(page.get_by_text("You chose Casa Esperanza Shelter. Check the facts, then send.")).to_be_visible()
        assert page.get_by_label("Medical").is_checked() and not Referral.objects.exists()
        _consent(page)
        submit(page, page.get_by_role("button", name="Send the referral"))
        page.get_by_text("sent. Call the receiving agency").wait_for()
        assert Referral.objects.get().receiving_agency_id == shelter.pk
    finally:
        context.close()

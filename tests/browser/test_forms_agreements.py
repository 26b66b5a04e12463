"""Data-sharing agreements from Chromium, under the production security settings
(agencies/templates/agencies/agreement_*.html, and the referral form's refusal). Forms, by test:

test_it_refuses_a_referral_until_a_coordinator_records_the_agreement
  - "Send the referral" (cases/templates/cases/referral_form.html): refused, the agency without an
    agreement named in an alert by the "Send to" box; then sent once the agreement is recorded
  - "Record the agreement": refused with the errors announced, then recorded from the gaps page
test_it_ends_an_agreement_recorded_in_error_after_a_confirmation_page
  - "End this agreement" (the confirmation page, no script)
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from agencies.agreements import agreement_today
from agencies.models import DataSharingAgreement
from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from cases.models import Referral
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def coordinator() -> object:
    center = AgencyFactory(name="Safe Harbor Survivor Center", is_cochair=True, is_confidential_provider=True)
    return UserFactory(agency=center, role=Role.COORDINATOR, first_name="Rowan", last_name="Calloway")


@pytest.fixture
def detective() -> object:
    sheriff = AgencyFactory(name="Juniper County Sheriff's Office", sector="law_enforcement")
    return UserFactory(agency=sheriff, role=Role.REFERRAL_OFFICER, first_name="Dale", last_name="Ferrant")


@pytest.fixture
def legal_aid() -> object:
    return AgencyFactory(name="Lantern Legal Aid", sector="legal_aid", with_agreement=False)


def _fill_referral(page: object) -> None:
    page.get_by_label("Urgency").select_option("urgent")
    page.get_by_label("Trafficking type").select_option("labor")
    page.get_by_label("Potential or confirmed victim").select_option("potential")
    page.get_by_label("Age band").select_option("25_59")
    page.get_by_label("Gender").select_option("prefers_not_to_say")
    page.get_by_label("Citizenship").select_option("foreign_national")
    page.get_by_label("Language").select_option("es")
    page.get_by_label("Source type").select_option("law_enforcement")
    page.get_by_label("Legal", exact=True).check()
    page.get_by_label("Send to").select_option(label="Lantern Legal Aid")


def test_it_refuses_a_referral_until_a_coordinator_records_the_agreement(
    page, live_server, coordinator, detective, legal_aid, failed_responses
):
    sign_in_as(page, live_server, detective)
    page.goto("/referrals/new/")
    _fill_referral(page)
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        page.get_by_role("button", name="Send the referral").click()
    assert refused.value.status == 400
    # The field's own message (the form also sums up its errors in an alert at the top).
    alert = page.locator("#id_receiving_agency_error")
    expect(alert).to_contain_text("Lantern Legal Aid has no current data-sharing agreement")
    expect(alert).to_be_visible()
    assert "a task-force coordinator records it" in alert.inner_text()
    send_to = page.get_by_label("Send to")
    assert send_to.get_attribute("aria-invalid") == "true"
    assert not Referral.objects.exists()
    screenshot(page, "referral-refused-without-agreement")

    # The coordinator finds the gap, on a phone, and records the agreement from it.
    page.set_viewport_size(PHONE)
    sign_in_as(page, live_server, coordinator)
    page.goto("/agencies/")
    page.get_by_role("link", name="Data-sharing agreements").click()
    page.get_by_role("heading", name="Without a current agreement: no referrals (1)").wait_for()
    page.get_by_role("link", name="Record its agreement for Lantern Legal Aid").click()
    page.get_by_role("heading", name="Record a data-sharing agreement").wait_for()
    expect(page.get_by_label("Agency")).to_have_value(str(legal_aid.pk))
    today = agreement_today()
    page.get_by_label("Information-sharing protocol").check()
    page.get_by_label("Signed on").fill((today - timedelta(days=2)).isoformat())
    page.get_by_label("Expires on").fill((today + timedelta(days=365)).isoformat())
    page.get_by_label("Note (optional)").fill("Signed copy kept by the co-chairs.")
    # Nothing ticked under "What it covers": refused, said in an alert, nothing recorded.
    with page.expect_response(lambda r: r.request.method == "POST") as incomplete:
        page.get_by_role("button", name="Record the agreement").click()
    assert incomplete.value.status == 400
    expect(page.get_by_role("alert").filter(has_text="Nothing was recorded.")).to_be_visible()
    expect(page.locator("#id_scope_error")).to_contain_text("Say what the agreement covers")
    assert not DataSharingAgreement.objects.filter(agency=legal_aid).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "agreement-form-errors-390px")

    scope = page.get_by_role("group", name="What it covers")
    scope.get_by_label("Referrals (sending and receiving them)").check()
    scope.get_by_label("Case review").check()
    submit(page, page.get_by_role("button", name="Record the agreement"))
    page.get_by_text("The information-sharing protocol of Lantern Legal Aid is recorded.").wait_for()
    expect(page.get_by_role("heading", name="Without a current agreement: no referrals (0)")).to_be_visible()
    agreement = DataSharingAgreement.objects.get(agency=legal_aid)
    assert (agreement.covers_referrals, agreement.covers_case_review, agreement.covers_reports) == (True, True, False)
    assert AuditEntry.objects.filter(event=AuditEvent.AGREEMENT_RECORDED, actor=coordinator).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the table scrolls, not the page
    screenshot(page, "agreement-gaps-after-recording-390px")

    # Now the detective's referral goes through.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in_as(page, live_server, detective)
    page.goto("/referrals/new/")
    _fill_referral(page)
    submit(page, page.get_by_role("button", name="Send the referral"))
    page.get_by_text("sent. Call the receiving agency").wait_for()
    assert Referral.objects.get().receiving_agency == legal_aid
    assert failed_responses == ["400 POST /referrals/new/", "400 POST /agencies/agreements/new/"]


def test_it_ends_an_agreement_recorded_in_error_after_a_confirmation_page(
    page, live_server, coordinator, detective, failed_responses
):
    sheriff = detective.agency
    sign_in_as(page, live_server, coordinator)
    page.goto("/agencies/agreements/")
    page.get_by_role("link", name="End (recorded in error) for Juniper County Sheriff's Office").click()
    page.get_by_role("heading", name="End an agreement recorded in error").wait_for()
    assert DataSharingAgreement.objects.get(agency=sheriff).ended_at is None  # not before the confirmation
    submit(page, page.get_by_role("button", name="End this agreement"))
    page.get_by_text("is ended as recorded in error").wait_for()
    expect(page.get_by_role("heading", name="Without a current agreement: no referrals (1)")).to_be_visible()
    assert DataSharingAgreement.objects.get(agency=sheriff).ended_by == coordinator
    assert failed_responses == []

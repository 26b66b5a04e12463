"""The confirmation step in the page before what cannot be undone on a referral (issue 20), in Chromium under
the production security settings: "Close…" (the outcome is chosen on the confirmation step, none preselected)
"Withdraw…" and "Record withdrawal of consent…". No browser confirm() dialog is involved: a dialog fails the test."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from agencies.roles import Role
from cases.choices import Outcome, Status
from cases.models import Referral
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
    center = AgencyFactory(name="Safe Harbor Survivor Center", is_confidential_provider=True)
    return UserFactory(agency=center, role=Role.REFERRAL_OFFICER, first_name="Marisol", last_name="Reyes")


@pytest.fixture
def nurse() -> object:
    clinic = AgencyFactory(name="Juniper General Hospital", sector="health")
    return UserFactory(agency=clinic, role=Role.REFERRAL_OFFICER, first_name="Priya", last_name="Natarajan")


def _no_dialogs(page: object) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def _open(page: object, referral: Referral) -> None:
    page.goto(f"/referrals/{referral.pk}/")
    page.get_by_role("heading", name=f"Referral {referral.reference_code}").wait_for()


def test_it_closes_a_referral_only_after_the_outcome_is_chosen_and_confirmed(
    page, live_server, advocate, nurse, failed_responses
):
    referral = referral_in(Status.IN_PROGRESS, sender=advocate, receiver=nurse)
    dialogs = _no_dialogs(page)
    sign_in_as(page, live_server, nurse)
    _open(page, referral)
    assert page.get_by_label("Outcome").count() == 0  # nothing to preselect on the referral's page

    submit(page, page.get_by_role("button", name="Close…", exact=True))
    page.get_by_role("heading", name="You are about to close this referral").wait_for()
    page.get_by_text("This cannot be undone.").wait_for()
    outcome = page.get_by_label("Outcome")
    expect(outcome).to_have_value("")  # no preselected outcome
    screenshot(page, "referral-close-confirmation")

    # Confirming without an outcome is stopped in the page (the field is required); nothing is sent.
    page.get_by_role("button", name="Close the referral").click()
    assert outcome.evaluate("element => element.validity.valueMissing") is True
    referral.refresh_from_db()
    assert referral.status == Status.IN_PROGRESS

    # "Go back" leaves it as it was.
    page.get_by_role("link", name="Go back").click()
    page.get_by_role("heading", name=f"Referral {referral.reference_code}").wait_for()
    expect(page.locator(".lede .status")).to_have_text("In progress")

    submit(page, page.get_by_role("button", name="Close…", exact=True))
    page.get_by_label("Outcome").select_option(label="Referred elsewhere")
    submit(page, page.get_by_role("button", name="Close the referral"))
    expect(page.locator(".lede .status")).to_have_text("Closed")
    page.get_by_text("Closed by Juniper General Hospital: referred elsewhere").wait_for()
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (Status.CLOSED, Outcome.REFERRED_ELSEWHERE)
    assert dialogs == [] and failed_responses == []


def test_it_records_a_withdrawal_of_consent_only_after_confirming(page, live_server, advocate, nurse, failed_responses):
    referral = referral_in(Status.ACCEPTED, sender=advocate, receiver=nurse)
    dialogs = _no_dialogs(page)
    sign_in_as(page, live_server, advocate)
    _open(page, referral)

    submit(page, page.get_by_role("button", name="Record withdrawal of consent…"))
    page.get_by_role("heading", name="You are about to record that the survivor withdrew consent").wait_for()
    page.get_by_text("The receiving agency loses access to this referral at once").wait_for()
    screenshot(page, "referral-consent-withdrawal-confirmation")
    referral.consent.refresh_from_db()
    assert referral.consent.revoked_at is None

    submit(page, page.get_by_role("button", name="Record the withdrawal of consent"))
    page.get_by_text("Consent withdrawn. The receiving agency no longer has access to this referral.").wait_for()
    referral.consent.refresh_from_db()
    assert referral.consent.revoked_at is not None and referral.consent.revoked_by == advocate
    assert dialogs == [] and failed_responses == []


def test_it_withdraws_a_referral_only_after_confirming(page, live_server, advocate, nurse, failed_responses):
    referral = referral_in(Status.SENT, sender=advocate, receiver=nurse)
    dialogs = _no_dialogs(page)
    sign_in_as(page, live_server, advocate)
    _open(page, referral)
    assert page.get_by_label("Note (optional)").count() == 0  # the note is written on the confirmation step

    submit(page, page.get_by_role("button", name="Withdraw…", exact=True))
    page.get_by_role("heading", name="You are about to withdraw this referral").wait_for()
    page.get_by_text("This cannot be undone.").wait_for()
    page.get_by_text("The receiving agency sees that your agency withdrew it").wait_for()
    screenshot(page, "referral-withdraw-confirmation")
    referral.refresh_from_db()
    assert referral.status == Status.SENT

    # "Go back" leaves it as it was.
    page.get_by_role("link", name="Go back").click()
    page.get_by_role("heading", name=f"Referral {referral.reference_code}").wait_for()
    expect(page.locator(".lede .status")).to_have_text("Sent")

    submit(page, page.get_by_role("button", name="Withdraw…", exact=True))
    submit(page, page.get_by_role("button", name="Withdraw the referral"))
    expect(page.locator(".lede .status")).to_have_text("Withdrawn")
    page.get_by_text("Withdrawn by Safe Harbor Survivor Center").wait_for()
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN
    assert dialogs == [] and failed_responses == []

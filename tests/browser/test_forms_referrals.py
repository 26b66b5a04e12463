"""Every form on a referral's page, and the search, submitted from Chromium under the production
security settings (cases/templates/cases/referral_detail.html and search.html). Forms, by test:

test_it_lets_the_receiver_decline_and_the_sender_reopen_and_withdraw
  - "Decline…", then the reason and a note on the confirmation step (receiver)
  - "Reopen" with the required note (sender)
  - "Withdraw…", then a note on the confirmation step (sender)
test_it_takes_an_accepted_referral_through_in_progress_to_closed_and_reopens_it
  - "Mark in progress", "Close…" then the outcome and a note on the confirmation step, "Reopen" (receiver)
test_it_flags_comments_and_withdraws_consent_and_the_receiver_loses_the_referral
  - "Add comment" (both agencies)
  - "Flag for the next case review" (sender)
  - "Record withdrawal of consent…" and its confirmation (sender); the receiver then gets 404 and a count
test_it_finds_a_referral_by_a_word_of_its_note
  - "Search" of notes and minutes (POST, results in the answer)

Sending a referral and "Accept" are in test_referral_flow.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from agencies.roles import Role
from cases.choices import DeclineReason, Outcome, Status
from cases.models import Comment, Referral
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.cases.referral_helpers import referral_in, send
from tests.factories import AgencyFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]


@pytest.fixture
def advocate() -> object:
    """The sender: a referral officer of a confidential provider (its referrals carry consent)."""
    center = AgencyFactory(name="Safe Harbor Survivor Center", is_confidential_provider=True)
    return UserFactory(agency=center, role=Role.REFERRAL_OFFICER, first_name="Marisol", last_name="Reyes")


@pytest.fixture
def nurse() -> object:
    """The receiver: a referral officer at the hospital."""
    clinic = AgencyFactory(name="Juniper General Hospital", sector="health")
    return UserFactory(agency=clinic, role=Role.REFERRAL_OFFICER, first_name="Priya", last_name="Natarajan")


def _open(page: object, referral: Referral) -> None:
    page.goto(f"/referrals/{referral.pk}/")
    page.get_by_role("heading", name=f"Referral {referral.reference_code}").wait_for()


def _moved(page: object, label: str) -> None:
    # The status, not only the message: "Status updated." is also on the page of the previous move.
    expect(page.locator(".lede .status")).to_have_text(label)
    page.get_by_text("Status updated.").wait_for()


def test_it_lets_the_receiver_decline_and_the_sender_reopen_and_withdraw(
    page, live_server, advocate, nurse, failed_responses
):
    referral = send(advocate, nurse.agency)

    sign_in_as(page, live_server, nurse)
    _open(page, referral)
    submit(page, page.get_by_role("button", name="Decline…", exact=True))
    page.get_by_label("Reason for declining").select_option(label="Unable to contact")
    page.get_by_label("Note (optional)").fill("Three calls, no answer; the shelter line was busy.")
    submit(page, page.get_by_role("button", name="Decline the referral"))
    _moved(page, "Declined")
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (Status.DECLINED, DeclineReason.UNABLE_TO_CONTACT)
    assert page.get_by_text("Three calls, no answer").is_visible()

    sign_in_as(page, live_server, advocate)
    _open(page, referral)
    page.get_by_label("Note (required)").fill("The survivor can take calls after six now.")
    submit(page, page.get_by_role("button", name="Reopen", exact=True))
    _moved(page, "Sent")
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (Status.SENT, "")

    submit(page, page.get_by_role("button", name="Withdraw…", exact=True))
    page.get_by_role("heading", name="You are about to withdraw this referral").wait_for()
    page.get_by_label("Note (optional)").fill("The survivor chose another provider.")
    submit(page, page.get_by_role("button", name="Withdraw the referral"))
    _moved(page, "Withdrawn")
    assert page.get_by_text("The survivor chose another provider.").is_visible()
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN
    assert [event.move for event in referral.timeline.order_by("pk")] == ["send", "decline", "reopen", "withdraw"]
    assert failed_responses == []


def test_it_takes_an_accepted_referral_through_in_progress_to_closed_and_reopens_it(
    page, live_server, advocate, nurse, failed_responses
):
    referral = referral_in(Status.ACCEPTED, sender=advocate, receiver=nurse)

    sign_in_as(page, live_server, nurse)
    _open(page, referral)
    submit(page, page.get_by_role("button", name="Mark in progress", exact=True))
    _moved(page, "In progress")

    submit(page, page.get_by_role("button", name="Close…", exact=True))
    page.get_by_label("Outcome").select_option(label="Services provided")
    page.get_by_label("Note (optional)").fill("Clinic visit done; follow-up booked.")
    submit(page, page.get_by_role("button", name="Close the referral"))
    _moved(page, "Closed")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (Status.CLOSED, Outcome.SERVICES_PROVIDED)
    assert referral.closed_at is not None

    page.get_by_label("Note (required)").fill("A second visit is needed.")
    submit(page, page.get_by_role("button", name="Reopen", exact=True))
    _moved(page, "In progress")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome, referral.closed_at) == (Status.IN_PROGRESS, "", None)
    screenshot(page, "referral-reopened-by-receiver")
    assert failed_responses == []


def test_it_flags_comments_and_withdraws_consent_and_the_receiver_loses_the_referral(
    page, live_server, advocate, nurse, failed_responses
):
    referral = referral_in(Status.ACCEPTED, sender=advocate, receiver=nurse)

    sign_in_as(page, live_server, nurse)
    _open(page, referral)
    page.get_by_role("textbox", name="Comment").fill("We can see her on Thursday afternoon.")
    submit(page, page.get_by_role("button", name="Add comment"))
    page.get_by_text("Comment added.").wait_for()

    sign_in_as(page, live_server, advocate)
    _open(page, referral)
    assert page.get_by_text("We can see her on Thursday afternoon.").is_visible()
    page.get_by_role("textbox", name="Comment").fill("Thursday works; she needs a Spanish interpreter.")
    submit(page, page.get_by_role("button", name="Add comment"))
    page.get_by_text("Comment added.").wait_for()
    assert list(Comment.objects.order_by("pk").values_list("agency__name", flat=True)) == [
        "Juniper General Hospital",
        "Safe Harbor Survivor Center",
    ]

    submit(page, page.get_by_role("button", name="Flag for the next case review"))
    page.get_by_text(f"{referral.reference_code} is flagged for the next case-review meeting.").wait_for()
    assert page.get_by_text("Flagged for case review on").is_visible()
    referral.refresh_from_db()
    assert referral.flagged_for_review_at is not None

    submit(page, page.get_by_role("button", name="Record withdrawal of consent…"))
    submit(page, page.get_by_role("button", name="Record the withdrawal of consent"))
    page.get_by_text("Consent withdrawn. The receiving agency no longer has access to this referral.").wait_for()
    assert page.get_by_text("withdrawn", exact=False).first.is_visible()
    referral.refresh_from_db()
    assert referral.consent.revoked_at is not None and referral.consent.revoked_by == advocate
    screenshot(page, "referral-consent-withdrawn")

    # The receiver loses it at once: the page answers "not found" and the list only counts it.
    sign_in_as(page, live_server, nurse)
    response = page.goto(f"/referrals/{referral.pk}/")
    assert response.status == 404
    page.goto("/referrals/")
    page.get_by_text("1 referral sent to your agency is no longer available").wait_for()
    assert page.get_by_role("link", name=referral.reference_code).count() == 0
    assert failed_responses == [f"404 GET /referrals/{referral.pk}/"]


def test_it_finds_a_referral_by_a_word_of_its_note(page, live_server, advocate, nurse, failed_responses):
    referral = send(advocate, nurse.agency, note="Needs a Spanish-speaking advocate; prefers afternoon calls.")
    send(advocate, nurse.agency, note="Needs shelter tonight.")

    sign_in_as(page, live_server, nurse)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_role("search").get_by_label("Words to find").fill("afternoon")
    submit(page, page.get_by_role("button", name="Search"))
    hits = page.get_by_role("table", name="Referrals whose note matches, newest first")
    hits.wait_for()
    assert [link.inner_text() for link in hits.get_by_role("link").all()] == [referral.reference_code]
    # The words travel in the POST body, never in the address.
    assert page.url.endswith("/referrals/search/")
    assert failed_responses == []

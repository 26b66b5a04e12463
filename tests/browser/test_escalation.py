"""Named hand-off contacts and escalation, in Chromium under the production security settings
(cases/templates/cases/referral_detail.html). Forms:

test_the_receiver_names_a_colleague_on_accept_and_the_sender_sees_that_contact
  - "Accept" with "Who handles it at your agency" (receiver)
  - "Change contact" (receiver)
test_a_referral_past_its_window_shows_escalated_on_both_sides
  - no form: the sweep (what beat runs) escalates it; both agencies' pages say so
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agencies.roles import Role
from cases.choices import Status
from cases.escalation import referrals_escalate
from cases.models import Referral
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.cases.referral_helpers import send
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


@pytest.fixture
def social_worker(nurse) -> object:
    """The nurse's colleague at the hospital, who will handle the referral."""
    return UserFactory(
        agency=nurse.agency,
        role=Role.REFERRAL_OFFICER,
        first_name="Dana",
        last_name="Ortiz",
        email="dana@hospital.example",
    )


def _open(page: object, referral: Referral) -> None:
    page.goto(f"/referrals/{referral.pk}/")
    page.get_by_role("heading", name=f"Referral {referral.reference_code}").wait_for()


def _contacts(page: object) -> object:
    return page.get_by_role("region", name="Hand-off contacts")


def test_the_receiver_names_a_colleague_on_accept_and_the_sender_sees_that_contact(
    page, live_server, advocate, nurse, social_worker, failed_responses
):
    referral = send(advocate, nurse.agency)

    sign_in_as(page, live_server, nurse)
    _open(page, referral)
    who = page.get_by_label("Who handles it at your agency")
    expect(who).to_have_value(str(nurse.pk))  # by default, the person accepting
    who.select_option(label="Dana Ortiz")
    submit(page, page.get_by_role("button", name="Accept", exact=True))
    expect(page.locator(".lede .status")).to_have_text("Accepted")
    expect(_contacts(page)).to_contain_text("Dana Ortiz · dana@hospital.example")
    referral.refresh_from_db()
    assert (referral.status, referral.receiver_contact) == (Status.ACCEPTED, social_worker)

    sign_in_as(page, live_server, advocate)
    _open(page, referral)
    contacts = _contacts(page)
    expect(contacts).to_contain_text("At Juniper General Hospital (handles it)")
    expect(contacts).to_contain_text("Dana Ortiz · dana@hospital.example")
    expect(contacts.get_by_role("link", name="dana@hospital.example")).to_have_attribute(
        "href", "mailto:dana@hospital.example"
    )
    expect(contacts).to_contain_text(f"Marisol Reyes · {advocate.email}")
    expect(page.get_by_role("button", name="Change contact")).to_have_count(0)  # the receiver's to name
    screenshot(page, "referral-handoff-contacts-sender")

    sign_in_as(page, live_server, nurse)
    _open(page, referral)
    _contacts(page).get_by_label("Who handles it at your agency").select_option(label="Priya Natarajan")
    submit(page, page.get_by_role("button", name="Change contact"))
    page.get_by_text("Contact updated.").wait_for()
    expect(_contacts(page)).to_contain_text(f"Priya Natarajan · {nurse.email}")
    referral.refresh_from_db()
    assert referral.receiver_contact == nurse
    assert failed_responses == []


def test_a_referral_past_its_window_shows_escalated_on_both_sides(page, live_server, advocate, nurse, failed_responses):
    UserFactory(agency=nurse.agency, role=Role.AGENCY_ADMIN, email="director@hospital.example")
    referral = send(advocate, nurse.agency, urgency="emergency")
    # Waiting for three hours: longer than an emergency's two.
    Referral.objects.filter(pk=referral.pk).update(awaiting_since=timezone.now() - timedelta(hours=3))
    sign_in_as(page, live_server, advocate)
    _open(page, referral)
    expect(page.get_by_text("Escalated", exact=True)).to_have_count(0)

    assert referrals_escalate().to_admins == [referral.pk]

    for person in (advocate, nurse):
        sign_in_as(page, live_server, person)
        _open(page, referral)
        notice = page.locator(".notice.escalated")
        expect(notice).to_contain_text("Escalated to Juniper General Hospital's administrators on")
        expect(notice).not_to_contain_text("co-chairs")
    screenshot(page, "referral-escalated-receiver")
    assert failed_responses == []

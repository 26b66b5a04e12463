"""Issue 18's pages on a phone: at 390 px wide (an iPhone 12 to 15), in Chromium, no page of the
referral network scrolls sideways, for each role that sees it. The data is long on purpose (long agency
names, a long intake email, a long webhook address, a long delivery error), as real data is.

A page scrolls sideways when `document.documentElement.scrollWidth` is wider than the window: the
usual causes are a definition list whose labels take their full width, a fieldset (min-width: min-content
by default) holding a table, and a wide table outside a scrolling region.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agencies.models import AgreementKind, DataSharingAgreement
from agencies.roles import Role
from cases.choices import Status
from cases.escalation import referrals_escalate
from cases.models import Referral
from directory.models import AfterHours, Capacity, ServiceProfile
from home.models import Announcement
from tests.browser.conftest import sign_in_as, submit
from tests.cases.referral_helpers import referral_in, send
from tests.factories import AgencyFactory, UserFactory
from tests.home.conftest import send as announce
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]

PHONE = {"width": 390, "height": 844}
SHELTER = "Juniper County Interfaith Emergency Shelter and Survivor Advocacy Network"


@pytest.fixture
def network() -> dict[str, object]:
    """A coordinator, a shelter (administrator and officer) with a full profile, a hospital nurse; one
    referral accepted with a named contact, one escalated; an announcement, a webhook with a delivery,
    a lapsing agreement and an agency without one."""
    cochair = AgencyFactory(name="Juniper County Sheriff's Office Special Victims Unit", is_cochair=True)
    coordinator = UserFactory(agency=cochair, role=Role.COORDINATOR, first_name="Rowan", last_name="Calloway")
    shelter = AgencyFactory(name=SHELTER, sector="victim_services")
    admin = UserFactory(
        agency=shelter, role=Role.AGENCY_ADMIN, first_name="Morgan", last_name="Ashdown-Villanueva",
        email="morgan.ashdownvillanueva@interfaithshelternetwork.example.org",
    )  # fmt: skip
    officer = UserFactory(
        agency=shelter, role=Role.REFERRAL_OFFICER, first_name="Marisol", last_name="Quenby",
        email="marisol.quenby@interfaithshelternetwork.example.org",
    )  # fmt: skip
    hospital = AgencyFactory(name="Juniper General Hospital Emergency Department", sector="health")
    nurse = UserFactory(
        agency=hospital, role=Role.REFERRAL_OFFICER, first_name="Priya", last_name="Castellane",
        email="priya.castellane@junipergeneralhospital.example.org",
    )  # fmt: skip
    UserFactory(agency=hospital, role=Role.AGENCY_ADMIN)
    ServiceProfile.objects.create(
        agency=shelter,
        description="Emergency shelter, advocacy, safety planning and case management for adult survivors.",
        website="https://www.interfaith-emergency-shelter-and-survivor-advocacy-network.example.org/services",
        needs=["shelter", "case_management", "safety_planning", "transportation", "mental_health"],
        languages=["en", "es", "vi", "zh", "ar", "fr", "ht"],
        age_bands=["18_24", "25_59", "60_plus"],
        counties=["Juniper County", "Cedar Falls County", "North Ridge County"],
        hours=[{"weekday": day, "opens": "08:30", "closes": "17:00"} for day in range(1, 6)],
        after_hours=AfterHours.ON_CALL,
        intake_role="Shelter intake coordinator (after hours: the on-call advocate)",
        intake_phone="555-0110",
        intake_email="intakecoordinator@interfaithshelternetwork.example.org",
        after_hours_phone="555-0199",
        capacity=Capacity.WAITLIST,
        capacity_confirmed_at=timezone.now() - timedelta(days=90),
    )
    accepted = referral_in(Status.ACCEPTED, sender=nurse, receiver=officer)
    escalated = send(nurse, shelter, urgency="emergency")
    Referral.objects.filter(pk=escalated.pk).update(awaiting_since=timezone.now() - timedelta(days=3))
    referrals_escalate()
    announcement = announce(coordinator, title="Operation planned next week: expect more emergency referrals")
    endpoint = WebhookEndpoint.objects.create(
        agency=shelter,
        url="https://casemanagement.interfaith-shelter-network.example.org/hooks/juniper-task-force-portal",
        secret="whsec_" + "Q" * 43 + "=",
        secret_changed_at=timezone.now(),
        events=[WebhookEvent.RECEIVED],
        created_by=admin,
    )
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=WebhookEvent.RECEIVED,
        message_id="msg_2Lq8vZbXk3nP0aYwTgFhRcJeUs",
        payload={},
        status=DeliveryStatus.FAILED,
        attempts=3,
        last_error="The secure connection failed: the server's certificate is not trusted or invalid.",
        next_attempt_at=timezone.now() + timedelta(minutes=30),
    )
    lapsing = DataSharingAgreement.objects.create(
        agency=AgencyFactory(name="Juniper Valley Unified School District Student Services", with_agreement=False),
        kind=AgreementKind.INFO_SHARING_PROTOCOL,
        signed_on=date(2024, 10, 1),
        expires_on=timezone.localdate() + timedelta(days=20),
        covers_referrals=True,
        covers_reports=True,
    )
    AgencyFactory(name="New Roots Immigrant and Refugee Legal Services", with_agreement=False)
    return {
        "coordinator": coordinator, "admin": admin, "officer": officer, "nurse": nurse, "shelter": shelter,
        "accepted": accepted, "escalated": escalated, "announcement": announcement, "endpoint": endpoint,
        "lapsing": lapsing,
    }  # fmt: skip


def _pages(n: dict[str, object]) -> dict[str, list[str]]:
    shelter, endpoint = n["shelter"].pk, n["endpoint"].pk
    accepted, escalated = n["accepted"].pk, n["escalated"].pk
    announcement = n["announcement"].pk
    return {
        "coordinator": [
            "/", "/directory/", f"/directory/{shelter}/", "/announcements/", "/announcements/new/",
            f"/announcements/{announcement}/", "/agencies/agreements/", "/agencies/agreements/new/",
            f"/agencies/agreements/{n['lapsing'].pk}/end/",
        ],
        "admin": [
            "/", f"/directory/{shelter}/", f"/directory/{shelter}/edit/", f"/directory/{shelter}/capacity/",
            "/webhooks/", "/webhooks/add/", f"/webhooks/{endpoint}/", f"/webhooks/{endpoint}/edit/",
            f"/webhooks/{endpoint}/rotate-secret/", f"/webhooks/{endpoint}/delete/",
        ],
        "officer": [
            "/", "/referrals/", "/referrals/?status=sent&escalated=yes", f"/referrals/{escalated}/",
            f"/referrals/{accepted}/", "/announcements/", f"/announcements/{announcement}/",
        ],
        "nurse": ["/", "/referrals/new/", "/referrals/?direction=outgoing", f"/referrals/{escalated}/",
                  f"/referrals/{accepted}/"],
    }  # fmt: skip


def _too_wide(page: object) -> str:
    """ "" when the page fits the window; else how wide it is and the widest elements that stick out."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= PHONE["width"]:
        return ""
    culprits = page.evaluate(
        """(limit) => [...document.querySelectorAll('main *')]
             .filter((el) => el.getBoundingClientRect().right > limit + 1)
             .slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))""",
        PHONE["width"],
    )
    return f"{width} px wide ({', '.join(culprits)})"


def test_no_page_of_the_referral_network_scrolls_sideways_on_a_phone(page, live_server, network, failed_responses):
    page.set_viewport_size(PHONE)
    too_wide = []
    for role, paths in _pages(network).items():
        sign_in_as(page, live_server, network[role])
        for path in paths:
            page.goto(path)
            if problem := _too_wide(page):
                too_wide.append(f"{role} {path}: {problem}")
    assert not too_wide, "Scrolls sideways at 390 px:\n" + "\n".join(too_wide)
    assert failed_responses == []


def test_the_steps_after_a_form_fit_a_phone_too(page, live_server, network, failed_responses):
    """The suggested agencies, the announcement's confirmation and a new signing secret appear only
    after something is typed or sent."""
    page.set_viewport_size(PHONE)
    sign_in_as(page, live_server, network["nurse"])
    page.goto("/referrals/new/")
    page.get_by_label("Shelter or housing").check()
    page.get_by_role("region", name="Suggested agencies").get_by_text(SHELTER).wait_for()
    assert _too_wide(page) == ""

    sign_in_as(page, live_server, network["coordinator"])
    page.goto("/announcements/new/")
    page.get_by_label("Title").fill("Shelters: expect referrals this weekend")
    page.get_by_label("Announcement").fill("An operation is planned for the weekend. Please keep beds free.")
    submit(page, page.get_by_role("button", name="Check who receives it"))
    page.get_by_role("heading", name="Send this announcement?").wait_for()
    assert _too_wide(page) == ""
    assert Announcement.objects.count() == 1  # only checked, not sent

    sign_in_as(page, live_server, network["admin"])
    page.goto(f"/webhooks/{network['endpoint'].pk}/rotate-secret/")
    submit(page, page.get_by_role("button", name="Replace the secret"))
    page.get_by_role("textbox", name="Signing secret").wait_for()
    assert _too_wide(page) == ""
    assert failed_responses == []

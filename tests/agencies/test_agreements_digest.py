"""The coordinators' digest section about data-sharing agreements (directory/agreements_digest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from agencies.models import AgreementKind, DataSharingAgreement
from digests.delivery import deliveries_send
from digests.models import DigestPlannerState
from digests.planner import digests_plan
from digests.sections import DigestWindow, registered_sections
from directory.agreements_digest import AgreementsSection
from tests.digests.helpers import LONG_AGO, REFERENCE_CODE, bodies, digest_rows, prefer, sent_to
from tests.factories import AgencyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("planner_history")]

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)  # 07:00 in Chicago
WINDOW = DigestWindow(start=NOW - timedelta(days=1), end=NOW, now=NOW)


@pytest.fixture
def planner_history(db: None) -> DigestPlannerState:
    """The planner has been running for years (as in tests/digests/conftest.py)."""
    return DigestPlannerState.objects.create(pk=1, first_run_at=LONG_AGO, last_run_at=LONG_AGO)


def _agreement(agency, *, expires_on, signed_on=date(2025, 1, 1)):
    return DataSharingAgreement.objects.create(
        agency=agency, kind=AgreementKind.MOU, signed_on=signed_on, expires_on=expires_on, covers_referrals=True
    )


def test_it_is_a_registered_section_of_the_digest():
    assert any(isinstance(section, AgreementsSection) for section in registered_sections())


def test_it_lists_lapsing_agreements_and_agencies_without_one_to_coordinators(coordinator, settings):
    settings.AGREEMENT_LAPSING_DAYS = 60
    lapsing = AgencyFactory(name="Bridgeway Family Services", with_agreement=False)
    _agreement(lapsing, expires_on=date(2026, 7, 31))
    _agreement(AgencyFactory(name="Juniper General Hospital", with_agreement=False), expires_on=date(2026, 8, 15))
    AgencyFactory(name="Lantern Legal Aid", with_agreement=False)
    _agreement(AgencyFactory(name="New Roots Immigrant Services", with_agreement=False), expires_on=date(2026, 6, 14))
    content = AgreementsSection().build(person=coordinator, window=WINDOW)
    texts = [item.text for item in content.items]
    assert texts == [
        "Bridgeway Family Services: its memorandum of understanding expires on Jul 31, 2026. "
        "Record the renewal once it is signed.",
        "2 active agencies have no current agreement covering referrals, so no referral can go to or from them: "
        "Lantern Legal Aid, New Roots Immigrant Services.",
    ]
    assert content.items[0].url.endswith(f"/agencies/agreements/new/?agency={lapsing.pk}")
    assert content.link_url.endswith("/agencies/agreements/")


def test_it_counts_the_rest_beyond_ten_names(coordinator):
    for number in range(12):
        AgencyFactory(name=f"Agency without {number:02d}", with_agreement=False)
        _agreement(
            AgencyFactory(name=f"Agency lapsing {number:02d}", with_agreement=False), expires_on=date(2026, 7, 1)
        )
    texts = [item.text for item in AgreementsSection().build(person=coordinator, window=WINDOW).items]
    assert len(texts) == 12
    assert texts[10] == "2 more agreements lapse within 60 days."
    assert texts[11].startswith("12 active agencies have no current agreement") and texts[11].endswith(" and 2 more.")


def test_it_says_nothing_when_every_agreement_holds_and_nothing_to_other_roles(
    coordinator, agency_admin, member, grant_manager
):
    assert AgreementsSection().build(person=coordinator, window=WINDOW).items == []
    AgencyFactory(name="Lantern Legal Aid", with_agreement=False)
    for person in (agency_admin, member, grant_manager):
        assert AgreementsSection().build(person=person, window=WINDOW) is None


def test_it_reaches_the_coordinators_mailbox_in_the_digest_without_case_data(coordinator):
    AgencyFactory(name="Lantern Legal Aid", with_agreement=False)
    prefer(coordinator)
    with time_machine.travel(NOW, tick=False):
        digests_plan(now=NOW)
        deliveries_send(ids=[row.pk for row in digest_rows(coordinator)])
    (message,) = sent_to(coordinator.email)
    text = bodies(message)
    assert "Data-sharing agreements" in text and "Lantern Legal Aid" in text
    assert not REFERENCE_CODE.search(text)

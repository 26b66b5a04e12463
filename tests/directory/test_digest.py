"""The stale capacity reminder in the digest (directory.digest_sections.CapacitySection)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from agencies.models import Agency, User
from agencies.roles import Role
from digests.delivery import deliveries_send
from digests.models import DigestPlannerState
from digests.planner import digests_plan
from digests.sections import DigestWindow, digest_sections_build
from directory.digest_sections import CapacitySection
from directory.models import ServiceProfile
from tests.digests.helpers import LONG_AGO, bodies, digest_rows, prefer
from tests.directory.factories import ServiceProfileFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 21, 13, 30, tzinfo=UTC)  # a Saturday, 07:30 in the task force's time zone
WINDOW = DigestWindow(start=NOW - timedelta(days=1), end=NOW, now=NOW)


def _profile(agency: Agency, *, days_ago: int | None) -> ServiceProfile:
    confirmed = None if days_ago is None else NOW - timedelta(days=days_ago)
    return ServiceProfileFactory(agency=agency, capacity_confirmed_at=confirmed)


def _texts(person: User) -> list[str]:
    content = CapacitySection().build(person=person, window=WINDOW)
    return [item.text for item in content.items] if content else []


def test_it_reminds_an_admin_when_the_capacity_status_is_stale(agency: Agency, agency_admin: User) -> None:
    _profile(agency, days_ago=45)
    content = CapacitySection().build(person=agency_admin, window=WINDOW)
    assert content is not None
    [item] = content.items
    assert item.text == "Your agency's capacity status was last confirmed on Oct 7, 2026, confirm it."
    assert item.url.endswith(reverse("directory:capacity", args=[agency.pk]))


def test_it_says_nothing_while_the_status_is_fresh(agency: Agency, agency_admin: User, settings: Any) -> None:
    _profile(agency, days_ago=29)
    assert _texts(agency_admin) == []
    settings.DIRECTORY_CAPACITY_STALE_DAYS = 14
    assert len(_texts(agency_admin)) == 1


def test_it_reminds_of_a_status_never_confirmed(agency: Agency, coordinator: User) -> None:
    _profile(agency, days_ago=None)
    assert _texts(coordinator) == [
        "Your agency's capacity status (Accepting referrals) was never confirmed: confirm it."
    ]


def test_it_reminds_only_those_who_edit_their_own_agencys_profile(
    agency: Agency, other_agency: Agency, member: User, officer: User, outsider: User, coordinator: User
) -> None:
    _profile(agency, days_ago=90)
    _profile(other_agency, days_ago=1)
    assert _texts(member) == [] and _texts(officer) == []
    assert _texts(outsider) == []  # their own agency is fresh; another agency's status is not theirs
    assert len(_texts(coordinator)) == 1  # a coordinator hears about their own agency only
    ServiceProfile.objects.filter(agency=agency).delete()
    assert _texts(coordinator) == []  # no profile: nothing to confirm


def test_it_reaches_the_mail_through_the_registry(agency: Agency, agency_admin: User, settings: Any) -> None:
    path = "directory.digest_sections.CapacitySection"
    assert path in settings.DIGEST_SECTIONS
    # The registry with this section alone beside the referrals': the other sections are tested by their apps.
    settings.DIGEST_SECTIONS = ["cases.digest_sections.ReferralsSection", path]
    DigestPlannerState.objects.create(pk=1, first_run_at=LONG_AGO, last_run_at=LONG_AGO)
    _profile(agency, days_ago=60)
    assert "directory_capacity" in [c.key for c in digest_sections_build(person=agency_admin, window=WINDOW)]
    prefer(agency_admin, hour=7)
    colleague = prefer(UserFactory(agency=agency, role=Role.MEMBER))
    digests_plan(now=NOW)
    deliveries_send(ids=[row.pk for row in digest_rows()])
    [message] = mail.outbox  # the member's digest is empty: not sent
    assert message.to == [agency_admin.email] and colleague.email not in message.to
    assert "was last confirmed on Sep 22, 2026, confirm it." in bodies(message)

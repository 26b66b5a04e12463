"""A small task force for the home page and announcements: the co-chair shelter (the test agency), a
sheriff's office, a hospital, and an agency that left the task force."""

from __future__ import annotations

from typing import Any

import pytest

from agencies.models import Agency, Sector, User
from agencies.roles import Role
from home.models import Announcement, Audience
from home.services import AnnouncementDraft, announcement_send
from tests.digests.helpers import after_commit
from tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def hospital(db: None) -> Agency:
    return AgencyFactory(name="Juniper General Hospital", sector=Sector.HEALTH)


@pytest.fixture
def nurse(hospital: Agency) -> User:
    return UserFactory(agency=hospital, role=Role.MEMBER, email="nurse@hospital.example.org")


@pytest.fixture
def gone_agency(db: None) -> Agency:
    return AgencyFactory(name="Former Partner Clinic", sector=Sector.HEALTH, is_active=False)


@pytest.fixture
def gone_agency_person(gone_agency: Agency) -> User:
    return UserFactory(agency=gone_agency, role=Role.MEMBER, email="former@clinic.example.org")


def draft(**overrides: Any) -> AnnouncementDraft:
    values: dict[str, Any] = {
        "title": "Shelters: expect referrals this weekend",
        "body": "An operation is planned for the weekend. Please keep beds free if you can.",
        "audience": Audience.ALL,
    }
    values.update(overrides)
    return AnnouncementDraft(**values)


def send(actor: User, **overrides: Any) -> Announcement:
    """Sends through the service, running the on-commit email as a real commit would."""
    with after_commit():
        return announcement_send(actor=actor, draft=draft(**overrides))

"""People of the three kinds of agency that enter activity figures, and of one that enters none.

From the root conftest: `agency` is a co-chair victim-service center (its `coordinator` and
`agency_admin` enter the co-chairs' figures), `member` one of its people, `grant_manager` too.
"""

from __future__ import annotations

import pytest
from django.test import Client

from agencies.models import Agency, Sector, User
from agencies.roles import Role
from reports.periods import PeriodKind, period_build
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory

Q1 = period_build(kind=PeriodKind.QUARTER, year=2025, part=1)
Q2 = period_build(kind=PeriodKind.QUARTER, year=2025, part=2)
Q3 = period_build(kind=PeriodKind.QUARTER, year=2025, part=3)


@pytest.fixture
def sheriff(db: None) -> Agency:
    return AgencyFactory(name="Juniper County Sheriff", sector=Sector.LAW_ENFORCEMENT)


@pytest.fixture
def prosecutor(db: None) -> Agency:
    return AgencyFactory(name="Juniper County District Attorney", sector=Sector.PROSECUTION)


@pytest.fixture
def clinic(db: None) -> Agency:
    """A member agency that enters no activity figures."""
    return AgencyFactory(name="Juniper Clinic", sector=Sector.HEALTH)


@pytest.fixture
def detective_admin(sheriff: Agency) -> User:
    return UserFactory(agency=sheriff, role=Role.AGENCY_ADMIN, email="admin@sheriff.example.org", first_name="Dale")


@pytest.fixture
def deputy(sheriff: Agency) -> User:
    """A member of the sheriff's office, who may read its figures but not enter them."""
    return UserFactory(agency=sheriff, role=Role.MEMBER, email="deputy@sheriff.example.org")


@pytest.fixture
def prosecutor_admin(prosecutor: Agency) -> User:
    return UserFactory(agency=prosecutor, role=Role.AGENCY_ADMIN, email="admin@da.example.org")


@pytest.fixture
def clinic_admin(clinic: Agency) -> User:
    return UserFactory(agency=clinic, role=Role.AGENCY_ADMIN, email="admin@clinic.example.org")


@pytest.fixture
def as_detective_admin(detective_admin: User) -> Client:
    return client_for(detective_admin)

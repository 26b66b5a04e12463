"""Fixtures named for people: a member, a colleague in the same agency, an outsider elsewhere."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.test import Client

from agencies.models import Agency, User
from agencies.roles import Role
from tests.factories import AgencyFactory, UserFactory


def pytest_sessionstart(session: pytest.Session) -> None:
    """The Spanish catalogs compiled before any page is rendered (`make install` does the same; a catalog
    edited since is compiled again here, so a test never reads a stale translation)."""
    from toolkit.i18n import compile_stale

    compile_stale()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Integration tests need PostgreSQL and Redis. In CI (REQUIRE_SERVICES=1) they must run."""
    have_services = bool(os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL"))
    required = os.environ.get("REQUIRE_SERVICES") == "1"
    if required and not have_services:
        raise pytest.UsageError("REQUIRE_SERVICES=1 but DATABASE_URL (PostgreSQL) or REDIS_URL is not set.")
    if have_services:
        return
    skip = pytest.mark.skip(reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts in the portal's default language and leaves it so: a request answered in Spanish
    (LocaleMiddleware activates the language for the thread) must not make the next test's code Spanish."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits and used TOTP codes live in the cache; each test starts without them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def agency(db: None) -> Agency:
    return AgencyFactory(name="Safe Harbor Test Center", is_cochair=True, is_confidential_provider=True)


@pytest.fixture
def other_agency(db: None) -> Agency:
    return AgencyFactory(name="Elsewhere County Sheriff", sector="law_enforcement")


@pytest.fixture
def member(agency: Agency) -> User:
    return UserFactory(agency=agency, role=Role.MEMBER, email="member@test.example.org")


@pytest.fixture
def colleague(agency: Agency) -> User:
    return UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, email="colleague@test.example.org")


@pytest.fixture
def officer(agency: Agency) -> User:
    return UserFactory(agency=agency, role=Role.REFERRAL_OFFICER, email="officer@test.example.org")


@pytest.fixture
def agency_admin(agency: Agency) -> User:
    return UserFactory(agency=agency, role=Role.AGENCY_ADMIN, email="admin@test.example.org")


@pytest.fixture
def coordinator(agency: Agency) -> User:
    return UserFactory(agency=agency, role=Role.COORDINATOR, email="coordinator@test.example.org")


@pytest.fixture
def grant_manager(agency: Agency) -> User:
    return UserFactory(agency=agency, role=Role.GRANT_MANAGER, email="grants@test.example.org")


@pytest.fixture
def outsider(other_agency: Agency) -> User:
    return UserFactory(agency=other_agency, role=Role.AGENCY_ADMIN, email="outsider@test.example.org")


@pytest.fixture
def outsider_officer(other_agency: Agency) -> User:
    return UserFactory(agency=other_agency, role=Role.REFERRAL_OFFICER, email="outsider-officer@test.example.org")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    return client


@pytest.fixture
def as_member(member: User) -> Client:
    return client_for(member)


@pytest.fixture
def as_admin(agency_admin: User) -> Client:
    return client_for(agency_admin)


@pytest.fixture
def as_coordinator(coordinator: User) -> Client:
    return client_for(coordinator)


@pytest.fixture
def as_outsider(outsider: User) -> Client:
    return client_for(outsider)

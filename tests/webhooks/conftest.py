"""A real HTTPS server on loopback for the webhook tests (tests/webhooks/local_https.py), trusted through
a test CA, and the people and agencies of a referral: a sending agency and a receiving agency, each with an
administrator who registers endpoints and an officer who handles referrals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from agencies.models import Agency, User
from agencies.roles import Role
from tests.factories import AgencyFactory, UserFactory
from tests.webhooks.local_https import Receiver, https_servers
from webhooks.models import WebhookEndpoint, WebhookEvent
from webhooks.services import webhook_endpoint_create


@pytest.fixture
def test_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(test_ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "webhook-test-ca.pem"
    test_ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def local_https(settings: Any, ca_file: Path) -> None:
    """The portal may call the loopback server and trusts the test CA (off by default: tests of refusals)."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_CA_BUNDLE = str(ca_file)


@pytest.fixture
def https_server(test_ca: trustme.CA) -> Iterator[Callable[..., Receiver]]:
    with https_servers(test_ca) as start:
        yield start


@pytest.fixture
def sending_agency(db: None) -> Agency:
    return AgencyFactory(name="Harbor Survivor Center", is_confidential_provider=True)


@pytest.fixture
def receiving_agency(db: None) -> Agency:
    return AgencyFactory(name="Juniper Legal Aid", sector="legal_aid")


@pytest.fixture
def sender(sending_agency: Agency) -> User:
    return UserFactory(agency=sending_agency, role=Role.REFERRAL_OFFICER, email="officer@harbor.example.org")


@pytest.fixture
def sender_admin(sending_agency: Agency) -> User:
    return UserFactory(agency=sending_agency, role=Role.AGENCY_ADMIN, email="admin@harbor.example.org")


@pytest.fixture
def receiver_officer(receiving_agency: Agency) -> User:
    return UserFactory(agency=receiving_agency, role=Role.REFERRAL_OFFICER, email="officer@legal.example.org")


@pytest.fixture
def receiver_admin(receiving_agency: Agency) -> User:
    return UserFactory(agency=receiving_agency, role=Role.AGENCY_ADMIN, email="admin@legal.example.org")


def endpoint_for(admin: User, receiver: Receiver, events: list[str] | None = None) -> WebhookEndpoint:
    """An endpoint registered through the service, as the agency's administrator would."""
    return webhook_endpoint_create(
        actor=admin,
        url=receiver.url,
        description="Our case-management system",
        events=list(WebhookEvent.values) if events is None else events,
    )

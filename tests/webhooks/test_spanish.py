"""Webhooks in Spanish: an agency administrator whose language is "es" reads the pages, the refusals, the
portal's stored sentences of the delivery log and the turned-off notice in Spanish; payloads stay English codes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from agencies.models import Agency, User
from agencies.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory
from toolkit.mail import in_language
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from webhooks.notifications import WebhookDisabled
from webhooks.payloads import ping_payload
from webhooks.wording import in_words

pytestmark = pytest.mark.django_db


@pytest.fixture
def spanish_admin(receiving_agency: Agency) -> User:
    return UserFactory(agency=receiving_agency, role=Role.AGENCY_ADMIN, language="es")


def _endpoint(admin: User, **fields: Any) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        agency=admin.agency,
        url="https://cms.example.org/hooks",
        events=[WebhookEvent.RECEIVED.value],
        secret="whsec_" + "A" * 44,
        secret_changed_at=timezone.now(),
        created_by=admin,
        **fields,
    )


def test_the_pages_are_in_spanish(spanish_admin: User, settings: Any) -> None:
    settings.WEBHOOK_RETRY_SCHEDULE = [timedelta(seconds=30), timedelta(minutes=2), timedelta(hours=1)]
    endpoint = _endpoint(spanish_admin)
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=WebhookEvent.RECEIVED.value,
        message_id="msg_1",
        payload={},
        status=DeliveryStatus.ABANDONED,
        attempts=4,
        last_error="The endpoint answered 503.",
    )
    client = client_for(spanish_admin)
    listing = client.get("/webhooks/").content.decode()
    assert "Los endpoints de su agencia" in listing and "Activado" in listing
    page = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "Registro de entregas" in page and "Se envía una derivación a su agencia" in page
    assert "El endpoint respondió 503." in page and "Abandonado" in page
    assert "30 segundos, 2 minutos y 1 hora" in page
    assert "The endpoint answered" not in page


def test_a_refused_address_is_explained_in_spanish(spanish_admin: User) -> None:
    page = client_for(spanish_admin).post(
        "/webhooks/add/", {"url": "http://cms.example.org/hooks", "events": [WebhookEvent.RECEIVED.value]}
    )
    assert page.status_code == 400
    assert "La dirección debe empezar por https://" in page.content.decode()


def test_the_turned_off_endpoint_and_its_notice_are_in_spanish(spanish_admin: User) -> None:
    endpoint = _endpoint(
        spanish_admin,
        is_active=False,
        disabled_at=timezone.now(),
        disabled_reason="Turned off by the portal after 5 deliveries in a row failed.",
        consecutive_failures=5,
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event=WebhookEvent.RECEIVED.value, message_id="msg_2", payload={}
    )
    page = client_for(spanish_admin).get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "Este endpoint está desactivado" in page
    assert "Desactivado por el portal después de 5 entregas fallidas seguidas." in page
    with in_language(spanish_admin):
        notice = WebhookDisabled().build(person=spanish_admin, target_id=delivery.pk)
    assert notice is not None
    assert notice.subject == "Se desactivó un endpoint de webhook de su agencia"
    assert "fallaron 5 veces seguidas" in notice.message and notice.link_label == "Abrir el endpoint"


@pytest.mark.parametrize(
    "stored",
    [
        "The endpoint answered 500.",
        "The endpoint answered 302, a redirect, which the portal does not follow.",
        "No answer within 10 seconds.",
        "The secure connection failed: the server's certificate is not trusted or invalid.",
        "The portal could not connect to the server.",
        "The portal could not find the server cms.example.org. Check the address.",
        "cms.example.org leads to a private or local network address (10.0.0.1), which the portal does not call. "
        "Give your system's public HTTPS address.",
        "Given up: the endpoint was turned off.",
        "Given up: the referral no longer exists.",
        "Given up: consent ended, so your agency can no longer see this referral.",
        "Turned off by the portal after 3 deliveries in a row failed.",
    ],
)
def test_every_sentence_the_portal_stores_is_said_in_spanish(stored: str) -> None:
    with translation.override("es"):
        spanish = in_words(stored)
    assert spanish != stored
    with translation.override("en"):
        assert in_words(stored) == stored


def test_an_unknown_stored_text_is_shown_as_stored() -> None:
    with translation.override("es"):
        assert in_words("Something else.") == "Something else."


def test_the_payloads_stay_english_codes() -> None:
    with translation.override("es"):
        payload = ping_payload(at=timezone.now())
    assert payload["type"] == "webhook.test"
    assert payload["data"]["message"].startswith("A test event from the task force portal")

"""The webhooks pages, from Chromium, under the production security settings, against a real local HTTPS
server that receives the events (webhooks/templates/webhooks/). Forms, by test:

test_it_adds_an_endpoint_shows_the_secret_once_and_sends_a_test_event
  - "Add endpoint": refused with the error announced, then added, the secret shown once
  - "Send a test event": signed, received, and in the delivery log
test_it_changes_replaces_the_secret_turns_back_on_and_deletes_an_endpoint
  - "Save" (events and description), "Replace the secret" (after a confirmation page),
    "Turn the endpoint back on", "Delete the endpoint" (after a confirmation page)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import trustme
from django.utils import timezone
from standardwebhooks import Webhook

from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from tests.browser.conftest import screenshot, sign_in_as, submit
from tests.factories import AgencyFactory, UserFactory
from tests.webhooks.local_https import Receiver, https_servers
from webhooks.models import WebhookEndpoint, WebhookEvent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("production_security"),
]


@pytest.fixture
def https_server(settings: object, tmp_path: Path) -> Iterator[Callable[..., Receiver]]:
    """A local HTTPS server the portal may call (loopback allowed, its test CA trusted: tests only)."""
    ca = trustme.CA()
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_CA_BUNDLE = str(ca_file)
    with https_servers(ca) as start:
        yield start


@pytest.fixture
def legal_aid_admin() -> object:
    agency = AgencyFactory(name="Juniper Legal Aid", sector="legal_aid")
    return UserFactory(agency=agency, role=Role.AGENCY_ADMIN, first_name="Robin", last_name="Calder")


def test_it_adds_an_endpoint_shows_the_secret_once_and_sends_a_test_event(
    page, live_server, legal_aid_admin, https_server, failed_responses
):
    receiver = https_server()
    sign_in_as(page, live_server, legal_aid_admin)
    page.goto("/webhooks/")
    page.get_by_role("heading", name="Webhooks", exact=True).wait_for()
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Webhooks").is_visible()
    assert page.get_by_text("Your agency has no webhook endpoints.").is_visible()
    page.get_by_role("link", name="Add an endpoint").click()

    # Plain http: refused, the reason announced and tied to the box; nothing stored.
    page.get_by_label("Endpoint address").fill(receiver.url.replace("https://", "http://"))
    page.get_by_label("Description").fill("Our case-management system")
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        page.get_by_role("button", name="Add endpoint").click()
    assert refused.value.status == 400
    assert page.get_by_role("alert").filter(has_text="The endpoint was not added").is_visible()
    box = page.get_by_label("Endpoint address")
    assert box.get_attribute("aria-invalid") == "true"
    error_id = box.get_attribute("aria-describedby").split()[0]
    assert "must start with https://" in page.locator(f"#{error_id}").inner_text()
    assert not WebhookEndpoint.objects.exists()

    box.fill(receiver.url)
    page.get_by_label(str(WebhookEvent.CLOSED.label)).uncheck()
    submit(page, page.get_by_role("button", name="Add endpoint"))
    page.get_by_role("heading", name="The endpoint is added. Copy the signing secret now").wait_for()
    secret = page.get_by_role("textbox", name="Signing secret").input_value()
    endpoint = WebhookEndpoint.objects.get()
    assert secret == endpoint.secret and secret.startswith("whsec_")
    assert WebhookEvent.CLOSED not in endpoint.events and len(endpoint.events) == 4
    screenshot(page, "webhooks-secret-shown-once")

    # Shown once: the same page, opened again, has the masked secret only.
    page.get_by_role("link", name="← Webhooks").click()
    page.get_by_role("link", name=receiver.url).click()
    page.get_by_role("heading", name="Webhook endpoint").wait_for()
    assert secret not in page.content()
    assert page.get_by_text(endpoint.masked_secret).is_visible()
    assert page.get_by_text("Nothing has been sent to this endpoint yet.").is_visible()

    submit(page, page.get_by_role("button", name="Send a test event"))
    page.get_by_text("A test event was sent.").wait_for()
    [request] = receiver.wait_for(1)
    assert Webhook(secret).verify(request.body, request.headers)["type"] == "webhook.test"
    row = page.get_by_role("row", name="Test event")
    assert row.get_by_role("cell", name="Delivered").is_visible()
    assert row.get_by_role("cell", name=request.headers["webhook-id"]).is_visible()
    screenshot(page, "webhooks-delivery-log")
    assert failed_responses == ["400 POST /webhooks/add/"]


def test_it_changes_replaces_the_secret_turns_back_on_and_deletes_an_endpoint(
    page, live_server, legal_aid_admin, https_server, failed_responses
):
    receiver = https_server()
    endpoint = WebhookEndpoint.objects.create(
        agency=legal_aid_admin.agency,
        url=receiver.url,
        secret="whsec_" + "Q" * 43 + "=",
        secret_changed_at=timezone.now(),
        events=[WebhookEvent.RECEIVED],
        created_by=legal_aid_admin,
        # As the portal leaves it after repeated failures.
        is_active=False,
        disabled_at=timezone.now(),
        disabled_reason="Turned off by the portal after 5 deliveries in a row failed.",
        consecutive_failures=5,
    )
    old_secret = endpoint.secret
    sign_in_as(page, live_server, legal_aid_admin)
    page.goto(f"/webhooks/{endpoint.pk}/")
    alert = page.get_by_role("alert").filter(has_text="This endpoint is turned off")
    assert alert.get_by_text("after 5 deliveries in a row failed").is_visible()
    assert page.get_by_role("button", name="Send a test event").count() == 0

    submit(page, page.get_by_role("button", name="Turn the endpoint back on"))
    page.get_by_text("The endpoint is on again").wait_for()
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.consecutive_failures) == (True, 0)

    page.get_by_role("link", name="Change events or description").click()
    page.get_by_label("Description").fill("Legal aid case system")
    page.get_by_label(str(WebhookEvent.CONSENT_WITHDRAWN.label)).check()
    submit(page, page.get_by_role("button", name="Save"))
    page.get_by_text("The endpoint is saved.").wait_for()
    endpoint.refresh_from_db()
    assert endpoint.description == "Legal aid case system"
    assert endpoint.events == [WebhookEvent.RECEIVED, WebhookEvent.CONSENT_WITHDRAWN]

    page.get_by_role("link", name="Replace the signing secret").click()
    page.get_by_role("heading", name="Replace the signing secret?").wait_for()
    submit(page, page.get_by_role("button", name="Replace the secret"))
    page.get_by_role("heading", name="Copy the signing secret now").wait_for()
    endpoint.refresh_from_db()
    assert page.get_by_role("textbox", name="Signing secret").input_value() == endpoint.secret != old_secret
    assert page.get_by_text("the previous secret also signs until").is_visible()

    page.get_by_role("link", name="Delete the endpoint").click()
    page.get_by_role("heading", name="Delete this endpoint?").wait_for()
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()  # asking changed nothing
    submit(page, page.get_by_role("button", name="Delete the endpoint"))
    page.get_by_text("is deleted. Nothing more is sent to it.").wait_for()
    assert not WebhookEndpoint.objects.exists()
    events = set(AuditEntry.objects.filter(event__startswith="webhook.").values_list("event", flat=True))
    assert events == {
        AuditEvent.WEBHOOK_ENABLED,
        AuditEvent.WEBHOOK_CHANGED,
        AuditEvent.WEBHOOK_SECRET_ROTATED,
        AuditEvent.WEBHOOK_DELETED,
    }
    assert receiver.received == []  # nothing was sent: no event happened
    assert failed_responses == []

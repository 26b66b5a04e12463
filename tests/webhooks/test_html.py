"""The webhooks pages are valid HTML as the Nu HTML Checker reads them (tests/test_html_valid.py covers
the demo's pages; the demo has no webhook endpoints): every page, with an endpoint turned off, a
secret just shown, a form refused and a delivery log, as their administrator sees them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.utils import timezone

from tests.conftest import client_for
from tests.test_html_valid import _errors, _vnu_command, _write
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent


def test_the_webhooks_pages_are_valid_html(receiver_admin, settings, tmp_path: Path) -> None:
    command = _vnu_command()
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    client = client_for(receiver_admin)
    created = client.post("/webhooks/add/", {"url": "https://localhost/hooks", "events": [WebhookEvent.RECEIVED]})
    endpoint = receiver_admin.agency.webhook_endpoints.get()
    WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=WebhookEvent.RECEIVED,
        message_id="msg_1",
        payload={},
        status=DeliveryStatus.FAILED,
        attempts=1,
        last_status_code=500,
        last_error="The endpoint answered 500.",
        next_attempt_at=timezone.now(),
    )
    endpoint.is_active, endpoint.disabled_reason = False, "Turned off by the portal after 5 deliveries in a row failed."
    endpoint.save()
    pages = {
        "added, secret shown": created,
        "refused form": client.post("/webhooks/add/", {"url": "http://x.example.org/", "events": []}),
        "list": client.get("/webhooks/"),
        "detail, turned off": client.get(f"/webhooks/{endpoint.pk}/"),
        "edit": client.get(f"/webhooks/{endpoint.pk}/edit/"),
        "rotate": client.get(f"/webhooks/{endpoint.pk}/rotate-secret/"),
        "delete": client.get(f"/webhooks/{endpoint.pk}/delete/"),
    }
    files = {_write(tmp_path, number, response.content): name for number, (name, response) in enumerate(pages.items())}
    assert {response.status_code for response in pages.values()} <= {200, 400}
    done = subprocess.run(
        [*command, "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = _errors(done.stderr or done.stdout, files)
    assert errors == [], "\n".join(errors)

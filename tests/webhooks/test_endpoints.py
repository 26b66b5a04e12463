"""Registering and managing endpoints, on the web and through the API: the same services and rules.

The addresses refused here are never called: refused before anything is stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from audit.models import AuditEntry, AuditEvent
from tests.cases.referral_helpers import send
from tests.conftest import client_for
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from webhooks.services import webhook_endpoint_create

from .conftest import endpoint_for

API = "/api/v1/webhook-endpoints/"


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://cms.example.org/hooks", "The address must start with https://"),
        ("ftp://cms.example.org/hooks", "The address must start with https://"),
        ("cms.example.org/hooks", "The address must start with https://"),
        ("https://user:pw@cms.example.org/hooks", "Leave the user name and password out"),
        ("https:///hooks", "The address has no server name"),
        ("https://cms.example.org:99999/", "This is not a valid web address."),
    ],
)
def test_it_refuses_an_address_that_is_not_https_with_a_clear_error(receiver_admin, url, message):
    with pytest.raises(ValidationError) as refused:
        webhook_endpoint_create(actor=receiver_admin, url=url, description="", events=[WebhookEvent.RECEIVED])
    assert message in " ".join(refused.value.message_dict["url"])
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://127.0.0.1/hooks", "127.0.0.1"),
        ("https://localhost:8443/hooks", "127.0.0.1"),
        ("https://10.20.30.40/hooks", "10.20.30.40"),
        ("https://192.168.1.10/hooks", "192.168.1.10"),
        ("https://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ("https://[::1]/hooks", "::1"),
        ("https://[::ffff:10.0.0.1]/hooks", "::ffff:10.0.0.1"),
        ("https://100.64.0.1/hooks", "100.64.0.1"),
    ],
)
def test_it_refuses_an_address_in_a_private_or_local_network(receiver_admin, url, address):
    with pytest.raises(ValidationError) as refused:
        webhook_endpoint_create(actor=receiver_admin, url=url, description="", events=[WebhookEvent.RECEIVED])
    assert f"leads to a private or local network address ({address})" in refused.value.message_dict["url"][0]
    assert not WebhookEndpoint.objects.exists()


def test_the_add_page_says_why_an_address_is_refused(receiver_admin):
    client = client_for(receiver_admin)
    data = {"url": "http://cms.example.org/hooks", "events": [WebhookEvent.RECEIVED]}
    response = client.post("/webhooks/add/", data)
    assert response.status_code == 400
    assert "The address must start with https://" in response.content.decode()
    response = client.post("/webhooks/add/", {**data, "url": "https://10.1.2.3/hooks"})
    assert response.status_code == 400
    assert "private or local network address (10.1.2.3)" in response.content.decode()
    response = client.post("/webhooks/add/", {"url": "https://8.8.8.8/hooks", "events": []})
    assert "Choose at least one event to receive." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_api_says_why_an_address_is_refused(receiver_admin):
    response = api_for(receiver_admin).post(
        API, {"url": "http://cms.example.org/hooks", "events": ["referral.received"]}, format="json"
    )
    assert response.status_code == 400
    assert "The address must start with https://" in response.json()["url"][0]
    response = api_for(receiver_admin).post(
        API, {"url": "https://127.0.0.1/hooks", "events": ["referral.received"]}, format="json"
    )
    assert response.status_code == 400
    assert "private or local network address (127.0.0.1)" in response.json()["url"][0]
    response = api_for(receiver_admin).post(
        API, {"url": "https://8.8.8.8/hooks", "events": ["referral.sent_everywhere"]}, format="json"
    )
    assert response.status_code == 400 and "events" in response.json()
    assert not WebhookEndpoint.objects.exists()


def test_it_refuses_identifiers_in_the_description_without_repeating_them(receiver_admin, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    response = client_for(receiver_admin).post(
        "/webhooks/add/",
        {"url": "https://localhost/hooks", "description": "call 414-555-0137", "events": [WebhookEvent.RECEIVED]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "phone number" in page and "414-555-0137" not in page
    assert not WebhookEndpoint.objects.exists()
    assert AuditEntry.objects.filter(event=AuditEvent.DEIDENTIFICATION_REFUSED).count() == 1


@pytest.mark.usefixtures("local_https")
def test_it_shows_the_secret_once_and_masked_after(receiver_admin, https_server):
    receiver = https_server()
    client = client_for(receiver_admin)
    response = client.post(
        "/webhooks/add/", {"url": receiver.url, "description": "Case system", "events": [WebhookEvent.RECEIVED]}
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and len(endpoint.secret) == len("whsec_") + 44
    assert endpoint.secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    later = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert endpoint.secret not in later and endpoint.masked_secret in later
    assert endpoint.secret not in client.get("/webhooks/").content.decode()
    assert endpoint.secret not in str(api_for(receiver_admin).get(f"{API}{endpoint.pk}/").json())
    entry = AuditEntry.objects.get(event=AuditEvent.WEBHOOK_ADDED)
    assert entry.detail == {"events": [WebhookEvent.RECEIVED]} and endpoint.secret not in str(entry.detail)


@pytest.mark.usefixtures("local_https")
def test_a_new_secret_signs_at_once_and_the_old_one_until_the_grace_period_ends(
    receiver_admin, sender, https_server, django_capture_on_commit_callbacks
):
    receiver = https_server()
    endpoint = endpoint_for(receiver_admin, receiver)
    old = endpoint.secret
    client = client_for(receiver_admin)
    confirm = client.get(f"/webhooks/{endpoint.pk}/rotate-secret/")
    assert "Replace the secret" in confirm.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret == old  # asking to confirm changed nothing
    response = client.post(f"/webhooks/{endpoint.pk}/rotate-secret/")
    endpoint.refresh_from_db()
    new = endpoint.secret
    assert new != old and new in response.content.decode() and old not in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        send(sender, receiver_admin.agency)
    [request] = receiver.wait_for(1)
    Webhook(new).verify(request.body, request.headers)
    Webhook(old).verify(request.body, request.headers)  # the agency's system has a day to switch over

    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=True):
        with django_capture_on_commit_callbacks(execute=True):
            send(sender, receiver_admin.agency)
        _, later = receiver.wait_for(2)
        Webhook(new).verify(later.body, later.headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(old).verify(later.body, later.headers)
    assert AuditEntry.objects.filter(event=AuditEvent.WEBHOOK_SECRET_ROTATED).count() == 1


@pytest.mark.usefixtures("local_https")
def test_it_sends_a_test_event_that_shows_in_the_delivery_log(
    receiver_admin, https_server, django_capture_on_commit_callbacks
):
    receiver = https_server()
    endpoint = endpoint_for(receiver_admin, receiver)
    client = client_for(receiver_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/webhooks/{endpoint.pk}/test/")
    assert response.status_code == 302
    [request] = receiver.wait_for(1)
    assert Webhook(endpoint.secret).verify(request.body, request.headers)["type"] == "webhook.test"
    page = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "Test event" in page and "Delivered" in page

    with django_capture_on_commit_callbacks(execute=True):
        answer = api_for(receiver_admin).post(f"{API}{endpoint.pk}/test/")
    assert answer.status_code == 202 and answer.json()["event"] == "webhook.test"
    log = api_for(receiver_admin).get(f"{API}{endpoint.pk}/deliveries/").json()
    assert [row["event"] for row in log["results"]] == ["webhook.test", "webhook.test"]
    assert [row["status"] for row in log["results"]] == ["succeeded", "succeeded"]
    assert "payload" not in log["results"][0]


def test_the_delivery_log_is_newest_first_and_paginated(receiver_admin, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = webhook_endpoint_create(
        actor=receiver_admin, url="https://localhost/hooks", description="", events=[WebhookEvent.RECEIVED]
    )
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, event="webhook.test", message_id=f"msg_{n:03d}", payload={})
        for n in range(30)
    )
    client = client_for(receiver_admin)
    first = client.get(f"/webhooks/{endpoint.pk}/").content.decode()
    assert "msg_029" in first and "msg_005" in first and "msg_004" not in first
    assert first.index("msg_029") < first.index("msg_028")
    second = client.get(f"/webhooks/{endpoint.pk}/?page=2").content.decode()
    assert "msg_004" in second and "msg_000" in second and "msg_005" not in second
    api = api_for(receiver_admin).get(f"{API}{endpoint.pk}/deliveries/").json()
    assert [row["message_id"] for row in api["results"]][:2] == ["msg_029", "msg_028"]
    assert len(api["results"]) == 25 and api["next"]


def test_it_changes_events_and_description_on_the_web_and_in_the_api(receiver_admin, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = webhook_endpoint_create(
        actor=receiver_admin, url="https://localhost/hooks", description="", events=[WebhookEvent.RECEIVED]
    )
    response = client_for(receiver_admin).post(
        f"/webhooks/{endpoint.pk}/edit/",
        {"description": "Legal aid CMS", "events": [WebhookEvent.RECEIVED, WebhookEvent.CONSENT_WITHDRAWN]},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.events == [WebhookEvent.RECEIVED, WebhookEvent.CONSENT_WITHDRAWN]
    answer = api_for(receiver_admin).patch(f"{API}{endpoint.pk}/", {"events": ["referral.accepted"]}, format="json")
    assert answer.status_code == 200
    assert answer.json()["events"] == ["referral.accepted"] and answer.json()["description"] == "Legal aid CMS"
    assert "secret" not in answer.json()
    assert AuditEntry.objects.filter(event=AuditEvent.WEBHOOK_CHANGED).count() == 2


def test_it_asks_before_deleting_and_then_deletes_with_the_log(receiver_admin, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = webhook_endpoint_create(
        actor=receiver_admin, url="https://localhost/hooks", description="", events=[WebhookEvent.RECEIVED]
    )
    WebhookDelivery.objects.create(endpoint=endpoint, event="webhook.test", message_id="msg_1", payload={})
    client = client_for(receiver_admin)
    confirm = client.get(f"/webhooks/{endpoint.pk}/delete/")
    assert confirm.status_code == 200 and "Delete the endpoint" in confirm.content.decode()
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()
    response = client.post(f"/webhooks/{endpoint.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/webhooks/"
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()
    assert AuditEntry.objects.filter(event=AuditEvent.WEBHOOK_DELETED, target_id=str(endpoint.pk)).exists()


def test_the_api_creates_an_endpoint_and_shows_its_secret_once(receiver_admin, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    created = api_for(receiver_admin).post(
        API, {"url": "https://localhost/hooks", "events": ["referral.received"]}, format="json"
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_") and created["Cache-Control"] == "no-store"
    assert body["secret_hint"] == f"whsec_…{body['secret'][-4:]}"
    listed = api_for(receiver_admin).get(API).json()
    assert [row["id"] for row in listed] == [body["id"]] and "secret" not in listed[0]
    rotated = api_for(receiver_admin).post(f"{API}{body['id']}/rotate-secret/").json()
    assert rotated["secret"] != body["secret"] and rotated["previous_secret_expires_at"]
    enabled = api_for(receiver_admin).post(f"{API}{body['id']}/enable/")
    assert enabled.status_code == 200 and enabled.json()["is_active"] is True
    assert api_for(receiver_admin).delete(f"{API}{body['id']}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_another_agencys_endpoint_is_not_found_on_the_web_nor_in_the_api(receiver_admin, sender_admin, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    theirs = webhook_endpoint_create(
        actor=receiver_admin, url="https://localhost/hooks", description="", events=[WebhookEvent.RECEIVED]
    )
    web, api = client_for(sender_admin), api_for(sender_admin)
    for path in ("", "edit/", "rotate-secret/", "delete/"):
        assert web.get(f"/webhooks/{theirs.pk}/{path}").status_code == 404
    for path in ("edit/", "test/", "rotate-secret/", "enable/", "delete/"):
        assert web.post(f"/webhooks/{theirs.pk}/{path}", {"events": ["referral.received"]}).status_code == 404
    assert api.get(f"{API}{theirs.pk}/").status_code == 404
    assert api.get(f"{API}{theirs.pk}/deliveries/").status_code == 404
    assert api.patch(f"{API}{theirs.pk}/", {"description": "x"}, format="json").status_code == 404
    for path in ("rotate-secret/", "enable/", "test/"):
        assert api.post(f"{API}{theirs.pk}/{path}").status_code == 404
    assert api.delete(f"{API}{theirs.pk}/").status_code == 404
    assert api.get(API).json() == []
    assert theirs.host not in web.get("/webhooks/").content.decode()
    unchanged = WebhookEndpoint.objects.get(pk=theirs.pk)
    assert (unchanged.secret, unchanged.description) == (theirs.secret, "")
    assert not WebhookDelivery.objects.exists()


def test_only_agency_administrators_manage_webhooks(sender, receiver_officer):
    assert client_for(sender).get("/webhooks/").status_code == 403
    assert api_for(receiver_officer).get(API).status_code == 403


def test_a_delivery_waits_for_its_turn_and_is_not_sent_twice_by_the_sweep(receiver_admin, sender, settings):
    """Rows only: the sweep queues a due retry once, and leaves one not yet due (no server is called)."""
    from webhooks.services import webhook_deliveries_enqueue_due

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = webhook_endpoint_create(
        actor=receiver_admin, url="https://localhost/hooks", description="", events=[WebhookEvent.RECEIVED]
    )
    now = timezone.now()
    due = WebhookDelivery.objects.create(
        endpoint=endpoint, event="webhook.test", message_id="msg_due", payload={}, status=DeliveryStatus.FAILED,
        attempts=1, next_attempt_at=now - timedelta(seconds=1),
    )  # fmt: skip
    WebhookDelivery.objects.create(
        endpoint=endpoint, event="webhook.test", message_id="msg_later", payload={}, status=DeliveryStatus.FAILED,
        attempts=1, next_attempt_at=now + timedelta(seconds=10),
    )  # fmt: skip
    assert webhook_deliveries_enqueue_due(now=now) == 1
    assert webhook_deliveries_enqueue_due(now=now) == 0  # queued: next_attempt_at is cleared
    due.refresh_from_db()
    assert due.next_attempt_at is None


def test_the_lists_cost_the_same_queries_for_one_row_and_for_many(receiver_admin, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_MAX_ENDPOINTS_PER_AGENCY = 20
    client, api = client_for(receiver_admin), api_for(receiver_admin)

    def add(count: int) -> WebhookEndpoint:
        for _ in range(count):
            endpoint = webhook_endpoint_create(
                actor=receiver_admin, url="https://localhost/hooks", description="", events=[WebhookEvent.RECEIVED]
            )
            WebhookDelivery.objects.bulk_create(
                WebhookDelivery(
                    endpoint=endpoint, event="webhook.test", message_id=f"msg_{endpoint.pk}_{n}", payload={}
                )
                for n in range(count)
            )
        return endpoint

    def queries(endpoint: WebhookEndpoint) -> list[int]:
        counts = []
        for path, reader in (
            ("/webhooks/", client),
            (f"/webhooks/{endpoint.pk}/", client),
            (API, api),
            (f"{API}{endpoint.pk}/deliveries/", api),
        ):
            with CaptureQueriesContext(connection) as captured:
                assert reader.get(path).status_code == 200
            counts.append(len(captured))
        return counts

    first = add(1)
    queries(first)  # the first requests also load the session and the person's preferences
    one = queries(first)
    assert queries(add(15)) == one


def test_the_sweep_forgets_log_rows_older_than_the_keeping_period(receiver_admin, settings):
    from webhooks.tasks import sweep_webhook_retries

    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    endpoint = webhook_endpoint_create(
        actor=receiver_admin, url="https://localhost/hooks", description="", events=[WebhookEvent.RECEIVED]
    )
    now = timezone.now()
    for message_id, days in (("msg_old", 91), ("msg_recent", 89)):
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="webhook.test",
            message_id=message_id,
            payload={},
            status=DeliveryStatus.SUCCEEDED,
            finished_at=now - timedelta(days=days),
        )
    WebhookDelivery.objects.create(endpoint=endpoint, event="webhook.test", message_id="msg_open", payload={})
    sweep_webhook_retries()
    assert sorted(WebhookDelivery.objects.values_list("message_id", flat=True)) == ["msg_open", "msg_recent"]

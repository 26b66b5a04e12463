"""Referral events delivered to a real local HTTPS server: signed, routed to the right side, retried
with backoff, given up, and the endpoint turned off with one notice."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from audit.models import AuditEntry, AuditEvent
from cases.models import CODED_FIELDS
from cases.services import consent_revoke, referral_transition
from digests.models import Delivery
from tests.cases.referral_helpers import CLEAN_NOTE, send
from tests.conftest import client_for
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from webhooks.services import _new_secret
from webhooks.tasks import sweep_webhook_retries

from .conftest import endpoint_for

pytestmark = pytest.mark.usefixtures("local_https")


def test_it_signs_each_message_so_that_a_standard_webhooks_library_verifies_it(
    https_server, receiver_admin, sender, django_capture_on_commit_callbacks
):
    receiver = https_server()
    endpoint = endpoint_for(receiver_admin, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(sender, receiver_admin.agency)

    [request] = receiver.wait_for(1)
    assert request.headers["content-type"] == "application/json"
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["type"] == "referral.received"
    assert payload["data"]["reference_code"] == referral.reference_code
    with pytest.raises(WebhookVerificationError):
        Webhook(_new_secret()).verify(request.body, request.headers)
    tampered = request.body.replace(b"referral.received", b"referral.accepted")
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(tampered, request.headers)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert request.headers["webhook-id"] == delivery.message_id
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.SUCCEEDED, 1, 200)
    assert delivery.finished_at is not None
    assert delivery.payload == {}  # sent: the referral's facts are not kept in the log


def test_it_sends_the_coded_facts_and_never_the_note_nor_the_person_code(
    https_server, receiver_admin, sender, django_capture_on_commit_callbacks
):
    receiver = https_server()
    endpoint_for(receiver_admin, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(sender, receiver_admin.agency, note=CLEAN_NOTE)

    [request] = receiver.wait_for(1)
    data = json.loads(request.body)["data"]
    assert data["status"] == "sent"
    assert data["facts"] == {name: getattr(referral, name) for name in CODED_FIELDS}
    assert data["needs"] == sorted(referral.needs.values_list("need", flat=True))
    assert set(data) == {"reference_code", "occurred_at", "status", "facts", "needs"}
    body = request.body.decode()
    assert CLEAN_NOTE not in body and "Spanish-speaking advocate" not in body
    assert referral.person_code.code not in body
    assert "Harbor" not in body and sender.email not in body


def test_it_tells_each_side_only_its_own_events(
    https_server, receiver_admin, receiver_officer, sender, sender_admin, django_capture_on_commit_callbacks
):
    at_receiver, at_sender = https_server(), https_server()
    endpoint_for(receiver_admin, at_receiver)
    endpoint_for(sender_admin, at_sender)
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(sender, receiver_admin.agency)
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_transition(referral=referral, actor=receiver_officer, move="accept")
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_transition(
            referral=referral, actor=receiver_officer, move="close", reason="services_provided"
        )
    with django_capture_on_commit_callbacks(execute=True):
        consent_revoke(referral=referral, actor=sender)

    to_sender = [json.loads(request.body) for request in at_sender.wait_for(2)]
    assert [message["type"] for message in to_sender] == ["referral.accepted", "referral.closed"]
    assert to_sender[1]["data"]["outcome"] == "services_provided"
    to_receiver = [json.loads(request.body) for request in at_receiver.wait_for(2)]
    assert [message["type"] for message in to_receiver] == ["referral.received", "referral.consent_withdrawn"]
    # The receiver has just lost access: the code of the referral, and nothing of it.
    assert set(to_receiver[1]["data"]) == {"reference_code", "occurred_at"}
    assert len(at_sender.received) == 2 and len(at_receiver.received) == 2


def test_a_resent_referral_reaches_the_receivers_system_again_as_received(
    https_server, receiver_admin, receiver_officer, sender, django_capture_on_commit_callbacks
):
    at_receiver = https_server()
    endpoint_for(receiver_admin, at_receiver)
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(sender, receiver_admin.agency)
    with django_capture_on_commit_callbacks(execute=True):
        referral = referral_transition(referral=referral, actor=receiver_officer, move="decline", reason="no_capacity")
    with django_capture_on_commit_callbacks(execute=True):
        referral_transition(referral=referral, actor=sender, move="reopen", note="Space opened up, please look again")
    received = [json.loads(request.body) for request in at_receiver.wait_for(2)]
    assert [message["type"] for message in received] == ["referral.received", "referral.received"]
    assert received[1]["data"]["status"] == "sent"


def test_it_sends_only_the_events_an_endpoint_subscribed_to(
    https_server, receiver_admin, receiver_officer, sender, sender_admin, django_capture_on_commit_callbacks
):
    receiver = https_server()
    endpoint_for(sender_admin, receiver, events=[WebhookEvent.DECLINED])
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(sender, receiver_admin.agency)
        referral_transition(referral=referral, actor=receiver_officer, move="decline", reason="no_capacity")
    [request] = receiver.wait_for(1)
    message = json.loads(request.body)
    assert (message["type"], message["data"]["decline_reason"]) == ("referral.declined", "no_capacity")


def test_it_records_nothing_when_the_change_rolls_back(receiver_admin, sender, https_server):
    from django.db import transaction

    endpoint_for(receiver_admin, https_server())
    with pytest.raises(RuntimeError), transaction.atomic():
        send(sender, receiver_admin.agency)
        raise RuntimeError("the referral change failed after the signal")
    assert not WebhookDelivery.objects.exists()


def test_it_retries_after_the_backoff_and_then_succeeds(
    https_server, receiver_admin, sender, django_capture_on_commit_callbacks
):
    receiver = https_server(answers=[500, 200])
    endpoint = endpoint_for(receiver_admin, receiver)
    with time_machine.travel(timezone.now(), tick=True) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            send(sender, receiver_admin.agency)
        receiver.wait_for(1)
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.FAILED, 1, 500)
        assert delivery.last_error == "The endpoint answered 500."  # never the body the server sent
        assert timedelta(seconds=30) <= delivery.next_attempt_at - delivery.last_attempt_at < timedelta(seconds=32)

        clock.shift(timedelta(seconds=20))  # not due yet
        with django_capture_on_commit_callbacks(execute=True):
            sweep_webhook_retries()
        assert len(receiver.received) == 1

        clock.shift(timedelta(seconds=15))  # past the first delay of WEBHOOK_RETRY_SCHEDULE (30 s)
        with django_capture_on_commit_callbacks(execute=True):
            sweep_webhook_retries()
        first, second = receiver.wait_for(2)
        assert first.headers["webhook-id"] == second.headers["webhook-id"]  # the same message, tried again
        assert first.headers["webhook-timestamp"] != second.headers["webhook-timestamp"]
        Webhook(endpoint.secret).verify(second.body, second.headers)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (DeliveryStatus.SUCCEEDED, 2, 200)
    assert delivery.last_error == ""
    with django_capture_on_commit_callbacks(execute=True):
        sweep_webhook_retries()  # done: never sent again
    assert len(receiver.received) == 2


def test_it_gives_up_and_after_repeated_failures_turns_the_endpoint_off_with_one_notice(
    settings, https_server, receiver_admin, sender, mailoutbox, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_SCHEDULE = [timedelta(seconds=30), timedelta(minutes=2)]
    settings.WEBHOOK_DISABLE_AFTER = 2
    receiver = https_server(answers=[503])
    endpoint = endpoint_for(receiver_admin, receiver)

    with time_machine.travel(timezone.now(), tick=True) as clock:
        for referral_number in (1, 2):
            with django_capture_on_commit_callbacks(execute=True):
                send(sender, receiver_admin.agency)
            delivery = WebhookDelivery.objects.order_by("-id").first()
            for _ in range(5):  # bounded: three attempts are expected
                if delivery.status != DeliveryStatus.FAILED:
                    break
                clock.shift(timedelta(minutes=3))
                with django_capture_on_commit_callbacks(execute=True):
                    sweep_webhook_retries()
                delivery.refresh_from_db()
            assert (delivery.status, delivery.attempts) == (DeliveryStatus.ABANDONED, 3)
            assert delivery.last_error == "The endpoint answered 503."
            endpoint.refresh_from_db()
            assert endpoint.consecutive_failures == referral_number
            assert endpoint.is_active is (referral_number == 1)

        # Turned off: new events are not even recorded for it, nor retried.
        with django_capture_on_commit_callbacks(execute=True):
            send(sender, receiver_admin.agency)
            sweep_webhook_retries()

    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2
    assert len(receiver.received) == 6
    assert endpoint.disabled_reason == "Turned off by the portal after 2 deliveries in a row failed."
    assert AuditEntry.objects.filter(event=AuditEvent.WEBHOOK_DISABLED, target_id=str(endpoint.pk)).count() == 1
    notices = [message for message in mailoutbox if "webhook" in message.subject]
    assert [message.to for message in notices] == [[receiver_admin.email]]
    assert "turned off" in notices[0].subject
    assert Delivery.objects.filter(kind="webhook_disabled").count() == 1

    page = client_for(receiver_admin).get(f"/webhooks/{endpoint.pk}/")
    assert "This endpoint is turned off" in page.content.decode()
    assert "The endpoint answered 503." in page.content.decode()


def test_it_turns_an_endpoint_back_on_with_its_count_at_zero(
    settings, https_server, receiver_admin, sender, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_SCHEDULE = []
    settings.WEBHOOK_DISABLE_AFTER = 1
    receiver = https_server(answers=[500, 204])
    endpoint = endpoint_for(receiver_admin, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        send(sender, receiver_admin.agency)
    endpoint.refresh_from_db()
    assert not endpoint.is_active

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(receiver_admin).post(f"/webhooks/{endpoint.pk}/enable/")
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.consecutive_failures, endpoint.disabled_at) == (True, 0, None)
    with django_capture_on_commit_callbacks(execute=True):
        send(sender, receiver_admin.agency)
    assert WebhookDelivery.objects.filter(endpoint=endpoint).first().status == DeliveryStatus.SUCCEEDED


def test_it_does_not_follow_a_redirect(https_server, receiver_admin, sender, django_capture_on_commit_callbacks):
    receiver = https_server(answers=[307])
    endpoint = endpoint_for(receiver_admin, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        send(sender, receiver_admin.agency)
    assert len(receiver.wait_for(1)) == 1
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.FAILED, 307)
    assert "redirect" in delivery.last_error
    assert [request.path for request in receiver.received] == ["/hooks/portal"]


def test_it_refuses_a_server_whose_certificate_it_does_not_trust(
    settings, https_server, receiver_admin, sender, django_capture_on_commit_callbacks
):
    receiver = https_server()
    endpoint = endpoint_for(receiver_admin, receiver)
    settings.WEBHOOK_CA_BUNDLE = ""  # the usual CAs, which never signed the test CA's certificate
    with django_capture_on_commit_callbacks(execute=True):
        send(sender, receiver_admin.agency)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error.startswith("The secure connection failed")
    assert receiver.received == []


def test_it_checks_the_address_again_when_it_sends(
    settings, https_server, receiver_admin, sender, django_capture_on_commit_callbacks
):
    receiver = https_server()
    endpoint = endpoint_for(receiver_admin, receiver)  # allowed while registering (the test setting)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False  # as in a deployment: loopback is never called
    with django_capture_on_commit_callbacks(execute=True):
        send(sender, receiver_admin.agency)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.FAILED
    assert "private or local network address (127.0.0.1)" in delivery.last_error
    assert receiver.received == []


def test_a_retry_never_sends_facts_the_agency_lost_access_to(
    https_server, receiver_admin, sender, django_capture_on_commit_callbacks
):
    receiver = https_server(answers=[500, 200])
    endpoint = endpoint_for(receiver_admin, receiver)
    with time_machine.travel(timezone.now(), tick=True) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            referral = send(sender, receiver_admin.agency)
        with django_capture_on_commit_callbacks(execute=True):
            consent_revoke(referral=referral, actor=sender)
        clock.shift(timedelta(minutes=1))
        with django_capture_on_commit_callbacks(execute=True):
            sweep_webhook_retries()

    received = WebhookDelivery.objects.get(endpoint=endpoint, event=WebhookEvent.RECEIVED)
    assert received.status == DeliveryStatus.ABANDONED
    assert "consent ended" in received.last_error
    withdrawn = WebhookDelivery.objects.get(endpoint=endpoint, event=WebhookEvent.CONSENT_WITHDRAWN)
    assert withdrawn.status == DeliveryStatus.SUCCEEDED
    types = [json.loads(request.body)["type"] for request in receiver.received]
    assert types == ["referral.received", "referral.consent_withdrawn"]  # the first try only, then the news


def test_it_runs_an_attempt_once_when_its_task_arrives_twice(
    https_server, receiver_admin, sender, django_capture_on_commit_callbacks
):
    from webhooks.delivery import webhook_delivery_attempt

    receiver = https_server()
    endpoint = endpoint_for(receiver_admin, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        send(sender, receiver_admin.agency)
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == "skipped"
    assert len(receiver.received) == 1

"""A webhook retry must never carry a referral's facts once the referral is gone: deleted by the
retention purge (cases/retention.py) while its delivery waited for a retry, the delivery's row loses its
referral (SET_NULL) but still holds the payload built when the event happened."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cases.models import Referral
from tests.cases.referral_helpers import send
from tests.webhooks.conftest import endpoint_for
from webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEvent
from webhooks.tasks import sweep_webhook_retries

pytestmark = pytest.mark.usefixtures("local_https")


def test_a_retry_never_sends_the_facts_of_a_referral_deleted_meanwhile(
    https_server, receiver_admin, sender, django_capture_on_commit_callbacks
):
    receiver = https_server(answers=[500, 200])
    endpoint = endpoint_for(receiver_admin, receiver, events=[WebhookEvent.RECEIVED])
    with time_machine.travel(timezone.now(), tick=True) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            referral = send(sender, receiver_admin.agency)
        receiver.wait_for(1)
        Referral.objects.filter(pk=referral.pk).delete()  # as the retention purge deletes it
        clock.shift(timedelta(minutes=1))
        with django_capture_on_commit_callbacks(execute=True):
            sweep_webhook_retries()

    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == DeliveryStatus.ABANDONED
    assert delivery.payload == {}
    assert [json.loads(request.body)["type"] for request in receiver.received] == ["referral.received"]


def test_a_test_event_without_a_referral_is_still_sent(
    https_server, receiver_admin, django_capture_on_commit_callbacks
):
    from webhooks.services import webhook_test_send

    receiver = https_server()
    endpoint = endpoint_for(receiver_admin, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        webhook_test_send(actor=receiver_admin, endpoint=endpoint)
    assert WebhookDelivery.objects.get(endpoint=endpoint).status == DeliveryStatus.SUCCEEDED

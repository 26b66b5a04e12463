"""One attempt at a delivery, as the worker runs it: claim, POST, record. Safe to run twice.

1. Claim (a short transaction on the delivery row): only a delivery still open and queued or due is
   taken; its attempt is counted and it is leased for the length of an attempt, so that a second
   copy of the task finds it taken, and a worker that dies leaves it due again for the sweep.
   Given up at once if the endpoint was turned off, or if the agency can no longer see the referral
   (consent withdrawn since the event): a retry never sends facts the agency has lost access to.
2. POST (no transaction, no lock held): webhooks/sending.py.
3. Record (a transaction, the endpoint locked, then the delivery): success; or a retry after the
   next delay of WEBHOOK_RETRY_SCHEDULE; or, with the delays used up, given up ("abandoned"). After
   WEBHOOK_DISABLE_AFTER deliveries in a row given up, the endpoint is turned off, its open deliveries
   are given up, and its agency's administrators get one notice (digests, switch notify_agency_alerts).

A finished delivery keeps no payload (the referral's facts were only kept to be sent); its log row
stays for WEBHOOK_LOG_KEEP (webhooks.services.webhook_deliveries_forget).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_record
from cases.models import Referral
from digests.notifications import notification_schedule
from webhooks.models import (
    OPEN_STATUSES,
    TEST_EVENT,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from webhooks.sending import Message, Outcome, message_send

Result = Literal["succeeded", "failed", "abandoned", "skipped"]
NOTICE_KIND = "webhook_disabled"
TURNED_OFF = "Given up: the endpoint was turned off."


def webhook_delivery_attempt(*, delivery_id: int) -> Result:
    claim = _claim(delivery_id=delivery_id, now=timezone.now())
    if not isinstance(claim, Message):
        return claim
    outcome = message_send(message=claim, at=timezone.now())
    return _record(delivery_id=delivery_id, outcome=outcome, now=timezone.now())


def attempt_lease() -> timedelta:
    """Longer than any attempt can take: a connection and an answer per address tried, and a margin."""
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT * 4 + 60)


@transaction.atomic
def _claim(*, delivery_id: int, now: datetime) -> Message | Result:
    delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None or delivery.status not in OPEN_STATUSES:
        return "skipped"
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return "skipped"  # leased by a running attempt, or its retry is not due yet
    endpoint = WebhookEndpoint.objects.get(pk=delivery.endpoint_id)
    reason = _reason_to_give_up(delivery=delivery, endpoint=endpoint)
    if reason:
        _finish(delivery, status=DeliveryStatus.ABANDONED, now=now, error=reason)
        return "abandoned"
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.next_attempt_at = now, now + attempt_lease()
    delivery.save(update_fields=["attempts", "last_attempt_at", "next_attempt_at"])
    return Message(
        url=endpoint.url,
        message_id=delivery.message_id,
        payload=delivery.payload,
        secrets=endpoint.signing_secrets(now),
    )


def _reason_to_give_up(*, delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> str:
    if not endpoint.is_active:
        return TURNED_OFF
    if delivery.referral_id is None and delivery.event != TEST_EVENT:
        # Its referral was deleted (the retention purge) while the delivery waited: its facts go nowhere.
        return "Given up: the referral no longer exists."
    if (
        delivery.referral_id is not None
        and delivery.event != WebhookEvent.CONSENT_WITHDRAWN
        and Referral.objects.lost_to_agency(endpoint.agency).filter(pk=delivery.referral_id).exists()
    ):
        return "Given up: consent ended, so your agency can no longer see this referral."
    return ""


@transaction.atomic
def _record(*, delivery_id: int, outcome: Outcome, now: datetime) -> Result:
    # The endpoint first, then the delivery: the order every writer of both follows.
    endpoint_id = WebhookDelivery.objects.filter(pk=delivery_id).values_list("endpoint_id", flat=True).first()
    if endpoint_id is None:
        return "skipped"  # the endpoint, and so its deliveries, was deleted during the attempt
    endpoint = WebhookEndpoint.objects.select_for_update().filter(pk=endpoint_id).first()
    delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
    if endpoint is None or delivery is None:
        return "skipped"
    delivery.last_status_code = outcome.status_code
    if outcome.succeeded:
        _finish(delivery, status=DeliveryStatus.SUCCEEDED, now=now, error="")
        if endpoint.consecutive_failures:
            endpoint.consecutive_failures = 0
            endpoint.save(update_fields=["consecutive_failures", "updated_at"])
        return "succeeded"
    if delivery.status not in OPEN_STATUSES:  # given up meanwhile: its endpoint was turned off
        delivery.save(update_fields=["last_status_code"])
        return "abandoned"
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    if endpoint.is_active and delivery.attempts <= len(schedule):
        delivery.status, delivery.last_error = DeliveryStatus.FAILED, outcome.error
        delivery.next_attempt_at = now + schedule[delivery.attempts - 1]
        delivery.save(update_fields=["status", "last_error", "next_attempt_at", "last_status_code"])
        return "failed"
    _finish(delivery, status=DeliveryStatus.ABANDONED, now=now, error=outcome.error)
    endpoint.consecutive_failures += 1
    endpoint.save(update_fields=["consecutive_failures", "updated_at"])
    if endpoint.is_active and endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER:
        _disable(endpoint=endpoint, cause=delivery, now=now)
    return "abandoned"


def _finish(delivery: WebhookDelivery, *, status: DeliveryStatus, now: datetime, error: str) -> None:
    """Done: the payload (a referral's facts) is no longer needed, so it is not kept; the log row is."""
    delivery.status, delivery.last_error = status, error
    delivery.finished_at, delivery.next_attempt_at, delivery.payload = now, None, {}
    delivery.save(
        update_fields=["status", "last_error", "finished_at", "next_attempt_at", "last_status_code", "payload"]
    )


def _disable(*, endpoint: WebhookEndpoint, cause: WebhookDelivery, now: datetime) -> None:
    count = endpoint.consecutive_failures
    endpoint.is_active, endpoint.disabled_at = False, now
    endpoint.disabled_reason = f"Turned off by the portal after {count} deliveries in a row failed."
    endpoint.save(update_fields=["is_active", "disabled_at", "disabled_reason", "updated_at"])
    endpoint.deliveries.filter(status__in=OPEN_STATUSES).exclude(pk=cause.pk).update(
        status=DeliveryStatus.ABANDONED, finished_at=now, next_attempt_at=None, last_error=TURNED_OFF, payload={}
    )
    audit_record(actor=None, event=AuditEvent.WEBHOOK_DISABLED, target=endpoint, detail={"failures": count})
    # One notice per turning off: the delivery that caused it is the notice's target (a ledger row
    # per person and target), so an endpoint turned back on and off again is announced again.
    notification_schedule(kind=NOTICE_KIND, target_id=cause.pk)

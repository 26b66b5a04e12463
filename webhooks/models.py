"""An agency's webhook endpoints and the log of what was delivered to each.

A delivery holds the payload as it was built when the event happened (the coded facts the agency
could see then), so that every retry sends the same signed message, under the same message id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.roles import Action

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User


class WebhookEvent(models.TextChoices):
    """The referral events an endpoint may subscribe to. Each goes to one side of the referral only."""

    RECEIVED = "referral.received", _("A referral is sent to your agency")
    ACCEPTED = "referral.accepted", _("A referral your agency sent is accepted")
    DECLINED = "referral.declined", _("A referral your agency sent is declined")
    CLOSED = "referral.closed", _("A referral your agency sent is closed")
    CONSENT_WITHDRAWN = "referral.consent_withdrawn", _("Consent is withdrawn on a referral sent to your agency")


# Sent only on request, to one endpoint, to check that it receives and verifies messages.
TEST_EVENT = "webhook.test"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed, will be retried")
    ABANDONED = "abandoned", _("Given up")


# Not finished: an attempt is queued, running or due (webhooks/delivery.py).
OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.FAILED)


class WebhookEndpointQuerySet(models.QuerySet["WebhookEndpoint"]):
    def for_user(self, user: User | AnonymousUser) -> WebhookEndpointQuerySet:
        """An agency's administrators see their own agency's endpoints; nobody sees another agency's."""
        if not user.is_authenticated or not user.can(Action.MANAGE_WEBHOOKS) or user.agency_id is None:
            return self.none()
        return self.filter(agency_id=user.agency_id)


class WebhookEndpoint(models.Model):
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="webhook_endpoints")
    url = models.CharField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    # Standard Webhooks format, "whsec_" and base64 of 32 random bytes. The portal must sign with it,
    # so it is kept as is (like an SMTP password), shown in full only when it is made, masked after.
    secret = models.CharField(max_length=100)
    # After a rotation the old secret also signs, until then, so that the agency's system can switch over.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    secret_changed_at = models.DateTimeField()
    events = models.JSONField(default=list)  # values of WebhookEvent
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)
    # Deliveries in a row given up after every retry failed; a delivery that succeeds resets it.
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["agency_id", "id"]

    def __str__(self) -> str:
        return f"Webhook endpoint to {self.host}"

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or self.url

    @property
    def masked_secret(self) -> str:
        """Enough to tell two secrets apart, not enough to sign anything."""
        return f"whsec_…{self.secret[-4:]}"

    def signing_secrets(self, now: datetime) -> tuple[str, ...]:
        """The secrets that sign a message sent at `now`: the current one, and the one it replaced
        while that is still in force after a rotation."""
        expires = self.previous_secret_expires_at
        if self.previous_secret and expires is not None and expires > now:
            return (self.secret, self.previous_secret)
        return (self.secret,)

    def event_labels(self) -> list[str]:
        return [str(WebhookEvent(event).label) for event in self.events if event in WebhookEvent.values]


class WebhookDelivery(models.Model):
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)  # a WebhookEvent value or TEST_EVENT
    # The Standard Webhooks "webhook-id": the same on every retry, so that the receiver can drop repeats.
    message_id = models.CharField(max_length=40, unique=True)
    # The referral it is about (none for a test): checked again at send time, so that an agency that
    # lost access to a referral (consent withdrawn) is not sent its facts by a retry.
    referral = models.ForeignKey("cases.Referral", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Kept only until the delivery is finished (webhooks/delivery.py), then emptied.
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the next attempt is due. Null while one is queued; while one runs, the end of its lease
    # (a worker that dies mid-attempt leaves it due again, and the sweep picks it up).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    # A short reason written by the portal ("The endpoint answered 500."), never the response body.
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["endpoint", "-id"]),
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["finished_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint.host}"

    @property
    def event_label(self) -> str:
        if self.event == TEST_EVENT:
            return gettext("Test event")
        return str(WebhookEvent(self.event).label) if self.event in WebhookEvent.values else self.event

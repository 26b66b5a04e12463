"""Reads of webhooks: an agency administrator's own endpoints and their delivery logs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEndpointQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User


def endpoints_for(*, user: User | AnonymousUser) -> WebhookEndpointQuerySet:
    return WebhookEndpoint.objects.for_user(user).select_related("created_by").order_by("id")


def endpoint_get(*, user: User | AnonymousUser, pk: int) -> WebhookEndpoint:
    """404 for a missing endpoint and for another agency's alike."""
    return get_object_or_404(endpoints_for(user=user), pk=pk)


def deliveries_of(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The endpoint's delivery log, newest first. Without the payloads: they hold a referral's coded
    facts, which an agency administrator (who does not handle referrals) does not read in the portal."""
    return endpoint.deliveries.defer("payload").order_by("-id")

"""The notice to an agency's administrators that the portal turned off one of its webhook endpoints.

Registered by dotted path in settings.DIGEST_NOTIFICATIONS; scheduled by webhooks/delivery.py with
the delivery that was the last failure as its target. Content-free, like every email: no address,
no event, only that an endpoint was turned off and where to see it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.models import User
from agencies.roles import PERMISSIONS, Action
from digests.rendering import NotificationContent
from digests.sections import portal_url
from webhooks.models import WebhookDelivery, WebhookEndpoint


class WebhookDisabled:
    key = "webhook_disabled"
    switch = "notify_agency_alerts"
    label = _("emails when the portal turns off one of your agency's webhook endpoints after repeated failures")

    def recipients(self, *, target_id: int) -> Iterable[User]:
        agency_id = WebhookDelivery.objects.filter(pk=target_id).values_list("endpoint__agency_id", flat=True).first()
        if agency_id is None:
            return []
        roles = list(PERMISSIONS[Action.MANAGE_WEBHOOKS])
        return User.objects.filter(agency_id=agency_id, is_active=True, role__in=roles).only("pk")

    def build(self, *, person: User, target_id: int) -> NotificationContent | None:
        # Still turned off, and still the person's to manage: otherwise there is nothing to tell.
        endpoint = WebhookEndpoint.objects.for_user(person).filter(deliveries__pk=target_id, is_active=False).first()
        if endpoint is None:
            return None
        return NotificationContent(
            subject=gettext("A webhook endpoint of your agency was turned off"),
            message=gettext(
                "Deliveries to one of your agency's webhook endpoints failed %(count)d times in a row, so the "
                "portal turned it off: your agency's system no longer receives referral events. Sign in to the "
                "portal to see what went wrong and turn it back on."
            )
            % {"count": endpoint.consecutive_failures},
            link_url=portal_url("webhooks:detail", pk=endpoint.pk),
            link_label=gettext("Open the endpoint"),
        )

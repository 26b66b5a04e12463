from django.contrib import admin
from django.http import HttpRequest

from webhooks.models import WebhookDelivery, WebhookEndpoint


class _ReadOnly(admin.ModelAdmin):
    """Read-only: endpoints are managed by their agency's administrators in the portal, audited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(_ReadOnly):
    list_display = ["agency", "url", "is_active", "consecutive_failures", "created_at"]
    list_filter = ["is_active"]
    exclude = ["secret", "previous_secret"]  # never shown again after they are made


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(_ReadOnly):
    list_display = ["endpoint", "event", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status", "event"]
    exclude = ["payload"]  # a referral's coded facts: read by the agency's system, not in the admin

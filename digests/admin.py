from django.contrib import admin
from django.http import HttpRequest

from digests.models import Delivery, DigestPlannerState, DigestPreference, TaskForceDigestDefaults


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """The ledger, read-only: changing a row by hand could send an email twice or never."""

    list_display = ["period", "person", "kind", "status", "attempts", "scheduled_for", "sent_at", "detail"]
    list_filter = ["status", "kind"]
    search_fields = ["person__email", "period"]
    date_hierarchy = "scheduled_for"

    def has_add_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Delivery | None = None) -> bool:
        return False


admin.site.register(DigestPreference)
admin.site.register(DigestPlannerState)
admin.site.register(TaskForceDigestDefaults)

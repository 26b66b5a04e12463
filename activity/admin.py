from django.contrib import admin
from django.http import HttpRequest

from activity.models import ActivityFigure


@admin.register(ActivityFigure)
class ActivityFigureAdmin(admin.ModelAdmin):
    """Read-only: figures are entered and corrected in the portal, where each correction is audited."""

    list_display = ["agency", "period_start", "measure", "value", "entered_by", "entered_at", "corrected_at"]
    list_filter = ["measure", "period_start"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

from django.contrib import admin

from meetings.models import (
    ActionItem,
    AgendaItem,
    Committee,
    Meeting,
    MeetingSeries,
    Minutes,
    Training,
    TrainingRequest,
)


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "chair", "is_active"]
    filter_horizontal = ["members", "agencies"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "title", "presenter_agency", "minutes"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "audience", "starts_at", "host_agency", "cancelled_at"]
    list_filter = ["kind", "audience"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]
    raw_id_fields = ["series", "organizer", "created_by"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "frequency", "first_start", "count"]


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    """Read-only: minutes change through the portal, where approval freezes them."""

    list_display = ["meeting", "version", "status", "approved_at"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "owner_agency", "owner_person", "due_on", "status"]
    list_filter = ["status"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "host_agency", "starts_at", "capacity", "is_public", "cancelled_at"]
    list_filter = ["is_public"]


@admin.register(TrainingRequest)
class TrainingRequestAdmin(admin.ModelAdmin):
    list_display = ["organization", "topic", "status", "assigned_agency", "created_at"]
    list_filter = ["status"]

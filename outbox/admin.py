from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from outbox.models import OutboxTask


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    list_display = ["task", "created_at", "dispatched_at", "attempts"]
    list_filter = [("dispatched_at", admin.EmptyFieldListFilter)]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""Tokens are read-only here: created by their owner (or `manage.py issue_api_token`), revoked through
the audited service, never edited or deleted (the audit trail points at them)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from agencies.admin import acting_staff, run_each
from api.models import ApiToken
from api.services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "revoked_at"]
    exclude = ["digest"]  # not a secret, but of no use to a reader
    actions = ["revoke_tokens"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        # Revoking only takes access away, so an operator may do it for anyone; the row names them.
        run_each(self, request, queryset, lambda token: api_token_revoke(actor=acting_staff(request), token=token))

"""The Django admin of agencies, people and invitations.

What carries rank or access (roles, agencies of people, active flags, invitations) changes only
through the services, which check the rules and write the audit row with the acting user. Where a
service cannot be called from a form, the field is read-only here and the portal's pages do it.
Nothing is added or deleted here: people arrive by invitation, agencies are admitted, and rows the
audit trail points at are deactivated or revoked, never deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from agencies import agreements, services
from agencies.models import Agency, DataSharingAgreement, Invitation, User

_M = TypeVar("_M", bound=Model)


def acting_staff(request: HttpRequest) -> User:
    """The staff member at the admin: the admin site lets no anonymous visitor in."""
    assert isinstance(request.user, User)
    return request.user


class _NoAddOrDelete(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def run_each(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[_M], act: Callable[[_M], object]
) -> None:
    """Calls a service once per selected row; a refusal is reported and the other rows go on
    (each service call is its own transaction)."""
    done = 0
    for obj in queryset:
        try:
            act(obj)
        except (PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            model_admin.message_user(request, f"{obj}: {text or 'refused.'}", level=messages.ERROR)
        else:
            done += 1
    if done:
        model_admin.message_user(request, f"Done for {done} of {len(queryset)}.", level=messages.SUCCESS)


@admin.register(Agency)
class AgencyAdmin(_NoAddOrDelete):
    list_display = ["name", "sector", "county", "is_cochair", "is_confidential_provider", "is_active"]
    list_filter = ["sector", "is_cochair", "is_confidential_provider", "is_active"]
    search_fields = ["name"]
    fields = ["name", "sector", "county", "referral_prefix", "is_cochair", "is_confidential_provider", "is_active"]

    def save_model(self, request: HttpRequest, obj: Agency, form: ModelForm, change: bool) -> None:
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        services.agency_change(actor=acting_staff(request), agency=obj, changes=changes)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "agency", "role", "is_active"]
    list_filter = ["role", "is_active", "agency"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "time_zone"]}),
        ("Membership", {"fields": ["agency", "role", "is_active"]}),
        ("Administration", {"fields": ["is_staff", "is_superuser", "last_login", "date_joined"]}),
    ]
    # Role changes have a page in the portal (People), with the rank rule and an audit row. Staff and
    # superuser flags are granted only from the command line (createsuperuser), by whoever runs it.
    readonly_fields = ["agency", "role", "is_active", "is_staff", "is_superuser", "last_login", "date_joined"]
    actions = ["deactivate_people", "reactivate_people"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Deactivate the selected people (ends their sessions and API tokens)")
    def deactivate_people(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        run_each(
            self,
            request,
            queryset,
            lambda person: services.person_deactivate(actor=acting_staff(request), person=person),
        )

    @admin.action(description="Reactivate the selected people")
    def reactivate_people(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        run_each(
            self,
            request,
            queryset,
            lambda person: services.person_reactivate(actor=acting_staff(request), person=person),
        )


@admin.register(Invitation)
class InvitationAdmin(_NoAddOrDelete):
    list_display = ["email", "agency", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    actions = ["revoke_invitations"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Revoke the selected invitations")
    def revoke_invitations(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        run_each(
            self,
            request,
            queryset,
            lambda invitation: services.invitation_revoke(actor=acting_staff(request), invitation=invitation),
        )


@admin.register(DataSharingAgreement)
class DataSharingAgreementAdmin(_NoAddOrDelete):
    """Read-only: coordinators record agreements on the portal's page (the de-identification guard on the
    note, the audit row); one recorded in error is ended here or there, never deleted."""

    list_display = ["agency", "kind", "signed_on", "expires_on", "covers_referrals", "recorded_at", "ended_at"]
    list_filter = ["kind", "covers_referrals", "covers_case_review", "covers_reports"]
    search_fields = ["agency__name"]
    list_select_related = ["agency"]
    actions = ["end_agreements"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="End the selected agreements (recorded in error)")
    def end_agreements(self, request: HttpRequest, queryset: QuerySet[DataSharingAgreement]) -> None:
        run_each(
            self,
            request,
            queryset,
            lambda agreement: agreements.agreement_end(actor=acting_staff(request), agreement=agreement),
        )

"""Service profiles: what each member agency offers, to whom, when, and whether it can take more now.

Staff contact data only (an intake line, a role, an email): never anything about a survivor. Lists of
codes are JSON arrays of the referral's coded vocabulary (cases/choices.py); an empty list means
"anyone" for an eligibility rule and "none given" for needs and languages.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User


class Capacity(models.TextChoices):
    ACCEPTING = "accepting", _("Accepting referrals")
    WAITLIST = "waitlist", _("Waitlist")
    NOT_ACCEPTING = "not_accepting", _("Not accepting referrals")


class AfterHours(models.TextChoices):
    NONE = "none", _("Office hours only")
    ON_CALL = "on_call", _("On call after hours (phone)")
    ALWAYS_OPEN = "always_open", _("Open 24 hours, every day")


class ServiceProfileQuerySet(models.QuerySet["ServiceProfile"]):
    def for_user(self, user: User | AnonymousUser) -> ServiceProfileQuerySet:
        """The service directory is the member directory's: every signed-in member sees the profiles of
        the agencies they see (the active ones, their own, and every agency for a coordinator)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(agency__in=Agency.objects.for_user(user))


class ServiceProfile(models.Model):
    agency = models.OneToOneField(
        "agencies.Agency", on_delete=models.CASCADE, primary_key=True, related_name="service_profile"
    )
    description = models.TextField(max_length=2000, blank=True, help_text=_("What the agency offers, in plain words."))
    website = models.URLField(blank=True)
    # The referral's need codes (cases.choices.Need) the agency serves.
    needs = models.JSONField(default=list, blank=True)
    # Languages staff speak with clients (cases.choices.Language codes).
    languages = models.JSONField(default=list, blank=True)
    interpretation_available = models.BooleanField(default=False, help_text=_("Arranges interpreters for others."))
    # Eligibility: an empty list means anyone.
    age_bands = models.JSONField(default=list, blank=True)
    genders = models.JSONField(default=list, blank=True)
    trafficking_types = models.JSONField(default=list, blank=True)
    citizenship = models.JSONField(default=list, blank=True)
    counties = models.JSONField(default=list, blank=True)
    # Office hours: [{"weekday": 1..7 (Monday 1), "opens": "09:00", "closes": "17:00"}, ...].
    hours = models.JSONField(default=list, blank=True)
    after_hours = models.CharField(max_length=20, choices=AfterHours.choices, default=AfterHours.NONE)
    # Hand-off: whom a sender calls (staff contact data; never a survivor's).
    intake_role = models.CharField(max_length=120, blank=True, help_text=_("For example: Intake coordinator."))
    intake_phone = models.CharField(max_length=40, blank=True)
    intake_email = models.EmailField(blank=True)
    after_hours_phone = models.CharField(max_length=40, blank=True)
    contacts_internal = models.BooleanField(
        default=True, help_text=_("Hand-off contacts are shown to members only, never in the public directory.")
    )
    # This agency takes referrals only with a signed release, whoever sends.
    requires_release = models.BooleanField(default=False)
    capacity = models.CharField(max_length=20, choices=Capacity.choices, default=Capacity.ACCEPTING)
    capacity_confirmed_at = models.DateTimeField(null=True, blank=True)
    # Listed in the public directory (Open Referral HSDS export for 211 systems).
    public = models.BooleanField(default=False, help_text=_("List the services in the public directory for 211."))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ServiceProfileQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name"]

    def __str__(self) -> str:
        return f"Services of {self.agency}"

    @property
    def capacity_stale(self) -> bool:
        """Not confirmed within DIRECTORY_CAPACITY_STALE_DAYS: shown as stale, reminded in the digest."""
        if self.capacity_confirmed_at is None:
            return True
        limit = timedelta(days=settings.DIRECTORY_CAPACITY_STALE_DAYS)
        return timezone.now() - self.capacity_confirmed_at > limit

    @property
    def capacity_confirmed_days(self) -> int | None:
        """Whole days since the capacity status was last confirmed ("confirmed 3 days ago"), or None."""
        if self.capacity_confirmed_at is None:
            return None
        return (timezone.now() - self.capacity_confirmed_at).days

"""Email preferences and the delivery ledger (the outbox of tasks to enqueue is the outbox app).

The ledger (Delivery) is what makes "exactly one email per person and period" hold: a unique
row per (person, period), claimed with row locks, rather than trusting the broker to deliver a
task once. The outbox (outbox.models.OutboxTask) makes enqueueing survive a broker outage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    NEVER = "never", _("Never")


class Weekday(models.IntegerChoices):
    MONDAY = 0, pgettext_lazy("day of the week, as a choice", "Monday")
    TUESDAY = 1, pgettext_lazy("day of the week, as a choice", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("day of the week, as a choice", "Wednesday")
    THURSDAY = 3, pgettext_lazy("day of the week, as a choice", "Thursday")
    FRIDAY = 4, pgettext_lazy("day of the week, as a choice", "Friday")
    SATURDAY = 5, pgettext_lazy("day of the week, as a choice", "Saturday")
    SUNDAY = 6, pgettext_lazy("day of the week, as a choice", "Sunday")


HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]

# The preference switches of immediate notifications; a notification kind names one of them.
NOTIFICATION_SWITCHES = (
    "notify_referral_received",
    "notify_consent_revoked",
    "notify_invitations",
    "notify_agency_alerts",
    "notify_announcements",
)


class DigestSettings(models.Model):
    """When the digest goes out and which notifications are on: a person's choice or the defaults."""

    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.MONDAY, help_text=_("For a weekly digest.")
    )
    hour = models.PositiveSmallIntegerField(choices=HOURS, default=7, validators=[MaxValueValidator(23)])
    notify_referral_received = models.BooleanField(_("a referral is sent to my agency"), default=True)
    notify_consent_revoked = models.BooleanField(_("consent is withdrawn on a referral my agency holds"), default=True)
    notify_invitations = models.BooleanField(_("I am invited to a meeting or training"), default=True)
    notify_agency_alerts = models.BooleanField(
        _("something needs my agency's attention (a referral left unanswered, a failing webhook)"), default=True
    )
    notify_announcements = models.BooleanField(_("the task force sends an announcement"), default=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=Q(hour__lte=23), name="%(class)s_hour_of_day"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="%(class)s_day_of_week"),
        ]


class TaskForceDigestDefaults(DigestSettings):
    """One row: what people who never chose get. Coordinators set it."""

    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta(DigestSettings.Meta):
        verbose_name = _("task-force digest defaults")
        verbose_name_plural = _("task-force digest defaults")

    def __str__(self) -> str:
        return "Task-force digest defaults"

    @classmethod
    def current(cls) -> TaskForceDigestDefaults:
        defaults, _ = cls.objects.get_or_create(pk=1)
        return defaults


class DigestPlannerState(models.Model):
    """One row: when the planner first ran (periods before it are never caught up: no flood of
    digests on the day the feature is deployed) and last ran (for operators)."""

    first_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Digest planner, last run {self.last_run_at:%Y-%m-%d %H:%M}"


class DigestPreferenceQuerySet(models.QuerySet["DigestPreference"]):
    def for_user(self, user: User | AnonymousUser) -> DigestPreferenceQuerySet:
        """A person's own preferences only: nobody else reads or changes them."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(person_id=user.pk)


class DigestPreference(DigestSettings):
    """A person's own choice. Without a row, the task-force defaults apply (and follow their changes)."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference")
    # A period scheduled before this is never caught up: changing one's hour to an hour that has
    # already passed today does not send today's digest at once.
    schedule_changed_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = DigestPreferenceQuerySet.as_manager()

    class Meta(DigestSettings.Meta):
        pass

    def __str__(self) -> str:
        return f"Email preferences of {self.person}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


DIGEST_KIND = "digest"


class DeliveryQuerySet(models.QuerySet["Delivery"]):
    def for_user(self, user: User | AnonymousUser) -> DeliveryQuerySet:
        """The ledger rows of one's own email."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(person_id=user.pk)


class Delivery(models.Model):
    """The ledger: one row per person and period (a digest) or per person and event (a notification).

    The unique constraint is the exactly-once guarantee of planning; the claim (status, claim,
    claimed_at under a row lock) is the guarantee of sending. See digests/delivery.py.
    """

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, help_text='"digest" or the key of a notification kind.')
    period = models.CharField(
        max_length=80, help_text='"daily:2026-11-21", "weekly:2026-W47", or the event: "referral_received:42".'
    )
    target_id = models.BigIntegerField(null=True, blank=True, help_text="The object a notification is about.")
    scheduled_for = models.DateTimeField()
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claim = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Why it was skipped or failed: a code or an exception class, never message text.
    detail = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_for", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["person", "period"], name="delivery_once_per_person_and_period")]
        indexes = [
            models.Index(fields=["status", "enqueued_at"]),
            models.Index(fields=["kind", "period"]),
            models.Index(fields=["person", "kind", "-scheduled_for"]),
        ]

    def __str__(self) -> str:
        return f"{self.period} for person {self.person_id}: {self.status}"

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agencies.roles import Action
from agencies.templatetags.times import format_day
from meetings import recurrence
from meetings.choices import Audience, Frequency, MeetingKind
from meetings.models.committees import Committee

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User


def audience_q(user: User, prefix: str = "") -> Q:
    """The meetings whose audience includes `user` (field names under `prefix`)."""
    p = prefix
    q = Q(**{f"{p}audience": Audience.ALL_MEMBERS})
    q |= Q(
        **{f"{p}audience": Audience.COMMITTEE, f"{p}committee_id__in": Committee.objects.of_member(user).values("pk")}
    )
    if user.agency is not None and user.agency.is_cochair:
        q |= Q(**{f"{p}audience": Audience.COCHAIRS})
    return q | Q(**{f"{p}organizer": user})


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def for_user(self, user: User | AnonymousUser) -> MeetingQuerySet:
        """Coordinators see every meeting; others the meetings whose audience includes them."""
        if not user.is_authenticated or not user.can(Action.VIEW_TASKFORCE_CONTENT):
            return self.none()
        if user.can(Action.RUN_MEETINGS):
            return self.all()
        return self.filter(audience_q(user))

    def run_by(self, user: User | AnonymousUser) -> MeetingQuerySet:
        """Meetings a person may organize: all for coordinators, their own as a designated organizer."""
        if not user.is_authenticated or not user.can(Action.VIEW_TASKFORCE_CONTENT):
            return self.none()
        if user.can(Action.RUN_MEETINGS):
            return self.all()
        return self.filter(organizer=user)


class MeetingDetails(models.Model):
    """What a series and each of its meetings have in common."""

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=MeetingKind.choices, default=MeetingKind.FULL)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.ALL_MEMBERS)
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For a committee audience.",
    )
    host_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Besides the coordinators, this person prepares the agenda, minutes and attendance.",
    )
    location = models.CharField("place", max_length=300, blank=True)
    video_url = models.URLField("video link", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(audience=Audience.COMMITTEE) | Q(committee__isnull=False),
                name="%(class)s_committee_audience_has_a_committee",
            ),
        ]


class MeetingSeries(MeetingDetails):
    """A recurring meeting (RFC 5545 RRULE). Its meetings are stored one by one, so that each can
    have its own agenda, minutes and attendance, and be moved or cancelled on its own."""

    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    first_start = models.DateTimeField()
    duration = models.DurationField()
    count = models.PositiveSmallIntegerField(help_text="How many meetings the series holds.")

    class Meta(MeetingDetails.Meta):
        verbose_name_plural = "meeting series"

    def __str__(self) -> str:
        return f"{self.title} ({self.get_frequency_display().lower()})"

    @property
    def rule_in_words(self) -> str:
        return recurrence.describe(first_start=self.first_start, frequency=self.frequency, count=self.count)


class Meeting(MeetingDetails):
    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="meetings")
    # Where the series' rule put this meeting: its RECURRENCE-ID, even after it was moved.
    series_slot = models.DateTimeField(null=True, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set once the open action items have been carried into the next meeting of the series.
    carried_over_at = models.DateTimeField(null=True, blank=True)
    # Set once the RSVP reminder went to the people invited who had not answered (two days before).
    rsvp_reminded_at = models.DateTimeField(null=True, blank=True)
    # RFC 5545 SEQUENCE: raised on every change of time or place, so that calendar apps update.
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta(MeetingDetails.Meta):
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["series", "starts_at"])]
        constraints = [
            *MeetingDetails.Meta.constraints,
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {format_day(self.starts_at)}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def agenda_locks_at(self) -> datetime:
        return self.starts_at - settings.MEETINGS_AGENDA_LOCK_BEFORE

    def agenda_is_locked(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.agenda_locks_at

    def has_ended(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    @property
    def is_case_review(self) -> bool:
        return self.kind == MeetingKind.CASE_REVIEW

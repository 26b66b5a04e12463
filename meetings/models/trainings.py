from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agencies.roles import Action
from meetings.choices import RegistrationStatus, RequestStatus, TrainingSector

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User

MAX_CAPACITY = 2000


class TrainingQuerySet(models.QuerySet["Training"]):
    def for_user(self, user: User | AnonymousUser) -> TrainingQuerySet:
        """Members see every training; anyone else (the public pages) the public ones."""
        if user.is_authenticated and user.can(Action.VIEW_TASKFORCE_CONTENT):
            return self.all()
        return self.public()

    def public(self) -> TrainingQuerySet:
        return self.filter(is_public=True)

    def managed_by(self, user: User | AnonymousUser) -> TrainingQuerySet:
        """Coordinators manage every training; agency administrators their own agency's."""
        if not user.is_authenticated or not user.can(Action.OFFER_TRAININGS):
            return self.none()
        if user.can(Action.RUN_MEETINGS):
            return self.all()
        return self.filter(host_agency_id=user.agency_id)


class Training(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=4000)
    host_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="trainings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField("place", max_length=300, blank=True)
    video_url = models.URLField("video link", max_length=500, blank=True)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_CAPACITY)])
    is_public = models.BooleanField(
        "public",
        default=False,
        help_text="Public trainings appear on the public page and feed; others to members only.",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    people_trained_recorded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="training_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()


class TrainingAudience(models.Model):
    """One row per audience sector, so that trainings can be filtered and counted by sector."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="audiences")
    sector = models.CharField(max_length=30, choices=TrainingSector.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["training", "sector"], name="training_audience_once")]

    def __str__(self) -> str:
        return self.get_sector_display()


class TrainingRegistration(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_registrations"
    )
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    # The waiting list is served in this order; re-registering puts a person at its end.
    queued_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["training", "person"], name="registration_once")]

    def __str__(self) -> str:
        return f"{self.person} at {self.training}: {self.get_status_display()}"


class PeopleTrained(models.Model):
    """Recorded by the host after a training: how many people were trained, by sector (grant report)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="people_trained")
    sector = models.CharField(max_length=30, choices=TrainingSector.choices)
    count = models.PositiveIntegerField(validators=[MaxValueValidator(MAX_CAPACITY * 5)])

    class Meta:
        verbose_name_plural = "people trained"
        constraints = [models.UniqueConstraint(fields=["training", "sector"], name="people_trained_once")]

    def __str__(self) -> str:
        return f"{self.count} from {self.get_sector_display()}"


class TrainingRequestQuerySet(models.QuerySet["TrainingRequest"]):
    def for_user(self, user: User | AnonymousUser) -> TrainingRequestQuerySet:
        """Coordinators see every request; an agency administrator the requests routed to their agency."""
        if not user.is_authenticated:
            return self.none()
        if user.can(Action.MANAGE_TRAINING_REQUESTS):
            return self.all()
        if user.can(Action.OFFER_TRAININGS):
            return self.filter(assigned_agency_id=user.agency_id)
        return self.none()


class TrainingRequest(models.Model):
    """An organization asks for a training through the public form (the portal's one public write)."""

    organization = models.CharField("organization", max_length=200)
    contact_email = models.EmailField("contact email")
    topic = models.CharField(max_length=300)
    preferred_dates = models.CharField("preferred dates", max_length=300)
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW)
    assigned_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="training_requests"
    )
    training = models.ForeignKey(Training, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"Training request from {self.organization}"

"""What belongs to one meeting: agenda, minutes, attendance, RSVPs and handouts."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from meetings.choices import AttendanceSource, MinutesStatus, RsvpResponse
from meetings.models.meetings import Meeting
from toolkit import fulltext

MINUTES_MAX_LENGTH = 20000
AGENDA_NOTES_MAX_LENGTH = 1000


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=200)
    presenter_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    minutes = models.PositiveSmallIntegerField(
        "time box (minutes)", default=10, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    notes = models.TextField(max_length=AGENDA_NOTES_MAX_LENGTH, blank=True)
    # Carried over from an earlier meeting of the series, by the portal itself.
    action_item = models.ForeignKey(
        "meetings.ActionItem", on_delete=models.CASCADE, null=True, blank=True, related_name="agenda_items"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "action_item"],
                condition=Q(action_item__isnull=False),
                name="action_item_once_per_agenda",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Minutes(models.Model):
    """One version of a meeting's minutes. Approved versions never change; a correction is a new version."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_versions")
    version = models.PositiveSmallIntegerField(default=1)
    body = models.TextField(max_length=MINUTES_MAX_LENGTH)
    # The body's words for full-text search, kept by the database (see toolkit/fulltext.py).
    body_search = models.GeneratedField(
        expression=fulltext.SearchDocument("body", config=fulltext.CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    status = models.CharField(max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections")
    correction_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at_meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="minutes_approved_here"
    )

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name_plural = "minutes"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="minutes_version_once"),
            models.CheckConstraint(
                condition=~Q(status=MinutesStatus.APPROVED)
                | Q(approved_at__isnull=False, approved_by__isnull=False, approved_at_meeting__isnull=False),
                name="approved_minutes_say_by_whom_and_where",
            ),
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}, version {self.version}"

    @property
    def is_approved(self) -> bool:
        return self.status == MinutesStatus.APPROVED


class Attendance(models.Model):
    """A person present (with their agency), or an agency present without naming who came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, choices=AttendanceSource.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=Q(person__isnull=False), name="attendance_person_once"
            ),
            models.UniqueConstraint(
                fields=["meeting", "agency"], condition=Q(person__isnull=True), name="attendance_agency_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.agency} at {self.meeting}"


class Rsvp(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    response = models.CharField(max_length=10, choices=RsvpResponse.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="rsvp_once")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_response_display()}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: nothing a person typed ends up in a path on disk.
    return f"meetings/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Attachment(models.Model):
    """An agenda handout. Served only through the meeting's page, to the meeting's audience."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

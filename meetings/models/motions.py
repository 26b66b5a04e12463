"""Decisions taken in a meeting: a motion, moved and seconded by agencies, voted by agency."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from meetings.choices import MotionResult, Vote
from meetings.models.meetings import Meeting

MOTION_TEXT_MAX_LENGTH = 2000


class Motion(models.Model):
    """A motion and its result. Recorded once, after the vote, and never changed: the quorum and the
    counts are kept as they were at the vote, whatever the attendance says later."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="motions")
    text = models.TextField(max_length=MOTION_TEXT_MAX_LENGTH)
    mover_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    seconder_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    result = models.CharField(max_length=20, choices=MotionResult.choices)
    yes = models.PositiveSmallIntegerField(default=0)
    no = models.PositiveSmallIntegerField(default=0)
    abstain = models.PositiveSmallIntegerField(default=0)
    agencies_present = models.PositiveSmallIntegerField()
    agencies_needed = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting__starts_at", "recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mover_agency=F("seconder_agency")), name="motion_seconder_is_another_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"Motion {self.pk} of {self.meeting}: {self.get_result_display()}"


class MotionVote(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="votes")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    vote = models.CharField(max_length=10, choices=Vote.choices)

    class Meta:
        ordering = ["agency__name", "id"]
        constraints = [models.UniqueConstraint(fields=["motion", "agency"], name="motion_vote_once_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency}: {self.get_vote_display()}"

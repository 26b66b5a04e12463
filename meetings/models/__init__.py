"""Models of meetings, trainings and calendar feeds (a package: one module per topic)."""

from meetings.models.actions import ActionItem, ActionItemQuerySet
from meetings.models.committees import Committee, CommitteeQuerySet
from meetings.models.feeds import CalendarFeed
from meetings.models.meetings import Meeting, MeetingQuerySet, MeetingSeries
from meetings.models.motions import Motion, MotionVote
from meetings.models.records import AgendaItem, Attachment, Attendance, Minutes, Rsvp
from meetings.models.trainings import (
    PeopleTrained,
    Training,
    TrainingAudience,
    TrainingQuerySet,
    TrainingRegistration,
    TrainingRequest,
    TrainingRequestQuerySet,
)

__all__ = [
    "ActionItem",
    "ActionItemQuerySet",
    "AgendaItem",
    "Attachment",
    "Attendance",
    "CalendarFeed",
    "Committee",
    "CommitteeQuerySet",
    "Meeting",
    "MeetingQuerySet",
    "MeetingSeries",
    "Minutes",
    "Motion",
    "MotionVote",
    "PeopleTrained",
    "Rsvp",
    "Training",
    "TrainingAudience",
    "TrainingQuerySet",
    "TrainingRegistration",
    "TrainingRequest",
    "TrainingRequestQuerySet",
]

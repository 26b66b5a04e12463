"""Coded values of meetings and trainings."""

from django.db import models


class MeetingKind(models.TextChoices):
    FULL = "full", "Full task force"
    COMMITTEE = "committee", "Committee or working group"
    CASE_REVIEW = "case_review", "Case review"


class Audience(models.TextChoices):
    ALL_MEMBERS = "all_members", "All members"
    COMMITTEE = "committee", "A committee's members"
    COCHAIRS = "cochairs", "Co-chairs only"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    BIWEEKLY = "biweekly", "Every two weeks"
    MONTHLY = "monthly", "Every month on the same weekday (e.g. the second Tuesday)"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    CIRCULATED = "circulated", "Circulated for review"
    APPROVED = "approved", "Approved"


class AttendanceSource(models.TextChoices):
    ORGANIZER = "organizer", "Recorded by the organizer"
    SELF = "self", "Self check-in"


class RsvpResponse(models.TextChoices):
    YES = "yes", "Attending"
    MAYBE = "maybe", "Maybe"
    NO = "no", "Not attending"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class TrainingSector(models.TextChoices):
    """Audiences of trainings; people trained are counted by these for the grant report."""

    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    HEALTH_CARE = "health_care", "Health care"
    HOSPITALITY = "hospitality", "Hospitality"
    SCHOOLS = "schools", "Schools"
    COMMUNITY = "community", "Community and faith"
    SOCIAL_SERVICES = "social_services", "Social services and child welfare"
    LEGAL = "legal", "Legal and courts"
    TRANSPORTATION = "transportation", "Transportation"
    BUSINESS = "business", "Business and retail"
    OTHER = "other", "Other"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Registered"
    WAITLISTED = "waitlisted", "On the waiting list"
    CANCELLED = "cancelled", "Cancelled"


class RequestStatus(models.TextChoices):
    NEW = "new", "New"
    ASSIGNED = "assigned", "Assigned to a host agency"
    SCHEDULED = "scheduled", "Scheduled"
    DONE = "done", "Done"
    DECLINED = "declined", "Declined"

    @classmethod
    def closed(cls) -> list[str]:
        return [cls.DONE, cls.DECLINED]


class Vote(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    ABSTAIN = "abstain", "Abstain"


class MotionResult(models.TextChoices):
    CARRIED = "carried", "Carried"
    FAILED = "failed", "Failed"
    NO_QUORUM = "no_quorum", "No quorum: not decided"

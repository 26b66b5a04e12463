"""Coded values of meetings and trainings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    FULL = "full", _("Full task force")
    COMMITTEE = "committee", _("Committee or working group")
    CASE_REVIEW = "case_review", _("Case review")


class Audience(models.TextChoices):
    ALL_MEMBERS = "all_members", _("All members")
    COMMITTEE = "committee", _("A committee's members")
    COCHAIRS = "cochairs", _("Co-chairs only")


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month on the same weekday (e.g. the second Tuesday)")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for review")
    APPROVED = "approved", _("Approved")


class AttendanceSource(models.TextChoices):
    ORGANIZER = "organizer", _("Recorded by the organizer")
    SELF = "self", _("Self check-in")


class RsvpResponse(models.TextChoices):
    YES = "yes", _("Attending")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("Not attending")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class TrainingSector(models.TextChoices):
    """Audiences of trainings; people trained are counted by these for the grant report."""

    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement")
    HEALTH_CARE = "health_care", _("Health care")
    HOSPITALITY = "hospitality", _("Hospitality")
    SCHOOLS = "schools", _("Schools")
    COMMUNITY = "community", _("Community and faith")
    SOCIAL_SERVICES = "social_services", _("Social services and child welfare")
    LEGAL = "legal", _("Legal and courts")
    TRANSPORTATION = "transportation", _("Transportation")
    BUSINESS = "business", _("Business and retail")
    OTHER = "other", _("Other")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned to a host agency")
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    DECLINED = "declined", _("Declined")

    @classmethod
    def closed(cls) -> list[str]:
        return [cls.DONE, cls.DECLINED]


class Vote(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class MotionResult(models.TextChoices):
    CARRIED = "carried", _("Carried")
    FAILED = "failed", _("Failed")
    NO_QUORUM = "no_quorum", _("No quorum: not decided")

"""Checks shared by the services of this area."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from agencies.models import User
from cases.services import guard_free_text
from meetings.choices import MeetingKind
from meetings.models import Meeting
from meetings.permissions import may_run


def check_may_run(*, actor: User, meeting: Meeting) -> None:
    if not may_run(actor, meeting):
        raise PermissionDenied("Only the coordinators and the meeting's organizer can do this.")


def check_not_cancelled(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError("This meeting is cancelled.")


def guard_case_review(*, actor: User, kind: str, fields: dict[str, str]) -> None:
    """Case-review text can hold case information: it goes through the de-identification guard.

    Referrals are named by reference code only (the guard allows those). Call it before the
    transaction: a refusal is audited and must not be rolled back with the write.
    """
    if kind == MeetingKind.CASE_REVIEW:
        guard_free_text(actor=actor, fields=fields)

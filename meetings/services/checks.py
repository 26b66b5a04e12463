"""Checks shared by the services of this area."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from agencies.models import User
from audit.models import AuditEvent, Outcome
from audit.services import audit_record
from cases.deidentification import IdentifierKind, find_identifiers
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
    """A case-review meeting's own details (its title) go through the de-identification guard.

    Referrals are named by reference code only (the guard allows those). Call it before the
    transaction: a refusal is audited and must not be rolled back with the write.
    """
    if kind == MeetingKind.CASE_REVIEW:
        guard_free_text(actor=actor, fields=fields)


def guard_meeting_text(
    *, actor: User | None, fields: dict[str, str], allow: frozenset[IdentifierKind] = frozenset()
) -> None:
    """Minutes, agenda, action items and training requests, of every kind of meeting: a survivor
    can be named in any of them, and every member of the audience (or the public) reads them.
    Call it before the transaction, like `guard_case_review`."""
    guard_free_text(actor=actor, fields=fields, allow=allow)


def guard_handout(*, actor: User, text: str) -> None:
    """A handout's extracted text: refused by kind only, since positions in a file mean nothing to the person."""
    kinds = sorted({finding.kind for finding in find_identifiers(text)}, key=list(IdentifierKind).index)
    if not kinds:
        return
    audit_record(
        actor=actor,
        event=AuditEvent.DEIDENTIFICATION_REFUSED,
        outcome=Outcome.DENIED,
        detail={"field": "file", "kinds": sorted(kind.value for kind in kinds)},
    )
    labels = [kind.label for kind in kinds]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    raise ValidationError(
        {
            "file": ValidationError(
                f"The handout looks like it contains {listed}. Remove it and upload the file again: "
                "the portal must not hold anything that identifies a survivor.",
                code="identifier",
            )
        }
    )

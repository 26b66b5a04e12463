"""Checks shared by the services of this area."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

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
        raise PermissionDenied(_("Only the coordinators and the meeting's organizer can do this."))


def check_not_cancelled(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise ValidationError(_("This meeting is cancelled."))


# A meeting's or training's place is often a public building's street address: that alone is allowed
# there; a name, a phone or anything else is not.
PLACE = frozenset({IdentifierKind.STREET_ADDRESS})
# A training's or committee's description names its presenters or chair, who are staff, not
# survivors: names alone are allowed there.
STAFF_NAMES = frozenset({IdentifierKind.PERSON_NAME})


def guard_meeting_details(*, actor: User, kind: str, title: str, location: str) -> None:
    """A meeting's own title and place, of every kind: its invitation goes to every member of the
    audience and its calendar feed further. `kind` is the kind the meeting will have after the write
    (a switch to case review is checked as one). Referrals are named by reference code only (the
    guard allows those). Call it before the transaction: a refusal is audited and must not be
    rolled back with the write."""
    if kind not in MeetingKind.values:
        return  # `_check_details` refuses it
    guard_free_text(actor=actor, fields={"title": title, "location": location}, allow_in={"location": PLACE})


def guard_meeting_text(
    *,
    actor: User | None,
    fields: dict[str, str],
    allow: frozenset[IdentifierKind] = frozenset(),
    allow_in: dict[str, frozenset[IdentifierKind]] | None = None,
) -> None:
    """Minutes, agenda, action items, trainings, committees and training requests, of every kind of
    meeting: a survivor can be named in any of them, and every member of the audience (or the
    public) reads them. Call it before the transaction, like `guard_meeting_details`."""
    guard_free_text(actor=actor, fields=fields, allow=allow, allow_in=allow_in)


def guard_handout(*, actor: User, text: str, allow: frozenset[IdentifierKind] = frozenset()) -> None:
    """A handout's extracted text: refused by kind only, since positions in a file mean nothing to the person.
    `allow`: kinds this part of the file exists to hold (its author fields name staff)."""
    kinds = sorted({finding.kind for finding in find_identifiers(text, allow=allow)}, key=list(IdentifierKind).index)
    if not kinds:
        return
    audit_record(
        actor=actor,
        event=AuditEvent.DEIDENTIFICATION_REFUSED,
        outcome=Outcome.DENIED,
        detail={"field": "file", "kinds": sorted(kind.value for kind in kinds)},
    )
    labels = [kind.label for kind in kinds]
    listed = str(labels[0])
    if len(labels) > 1:
        listed = _("%(first)s and %(last)s") % {
            "first": ", ".join(str(label) for label in labels[:-1]),
            "last": labels[-1],
        }
    raise ValidationError(
        {
            "file": ValidationError(
                _(
                    "The handout looks like it contains %(kinds)s. Remove it and upload the file again: "
                    "the portal must not hold anything that identifies a survivor."
                )
                % {"kinds": listed},
                code="identifier",
            )
        }
    )

"""Motions and votes by agency, under the meeting's quorum rule (meetings/quorum.py)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from agencies.models import Agency, User
from audit.models import AuditEvent
from audit.services import audit_record
from meetings.choices import MotionResult, Vote
from meetings.models import Meeting, Motion, MotionVote
from meetings.models.motions import MOTION_TEXT_MAX_LENGTH
from meetings.quorum import Quorum, quorum_for
from meetings.services.checks import check_may_run, check_not_cancelled, guard_meeting_text

# Said on the page and in the API schema, in the words a board member uses. gettext_noop: the API schema
# keeps the English text; the pages translate it with gettext(RULE_IN_WORDS).
RULE_IN_WORDS = gettext_noop(
    "A motion carries when quorum is reached and more agencies vote yes than no. "
    "Abstentions count for neither side. Each agency present has one vote."
)


def present_agencies(meeting: Meeting) -> list[Agency]:
    """The agencies recorded present: the ones that may move, second and vote."""
    ids = meeting.attendance.values("agency_id")
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))


def motion_result(*, quorum: Quorum, yes: int, no: int) -> str:
    if not quorum.reached:
        return MotionResult.NO_QUORUM
    return MotionResult.CARRIED if yes > no else MotionResult.FAILED


def _check(meeting: Meeting, *, text: str, mover: Agency, seconder: Agency, votes: Mapping[int, str]) -> None:
    check_not_cancelled(meeting)
    if not meeting.has_started():
        raise ValidationError(_("Motions are recorded once the meeting has started."))
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Write the motion.")
    elif len(text) > MOTION_TEXT_MAX_LENGTH:
        errors["text"] = _("Keep the motion under %(most)s characters.") % {"most": MOTION_TEXT_MAX_LENGTH}
    present = {agency.pk for agency in present_agencies(meeting)}
    if mover.pk not in present:
        errors["mover_agency"] = _("The mover must be an agency recorded as present.")
    if seconder.pk not in present:
        errors["seconder_agency"] = _("The seconder must be an agency recorded as present.")
    elif seconder.pk == mover.pk:
        errors["seconder_agency"] = _("Another agency than the mover must second the motion.")
    if set(votes) - present:
        errors["votes"] = _("Only agencies recorded as present can vote.")
    elif any(vote not in Vote.values for vote in votes.values()):
        errors["votes"] = _("Each vote is yes, no or abstain.")
    if errors:
        raise ValidationError(errors)


def motion_record(
    *, actor: User, meeting: Meeting, text: str, mover_agency: Agency, seconder_agency: Agency, votes: Mapping[int, str]
) -> Motion:
    """Records a motion with the vote of each agency present (`votes`: agency id to yes/no/abstain;
    agencies present that did not vote are simply not counted). The result follows RULE_IN_WORDS."""
    check_may_run(actor=actor, meeting=meeting)
    _check(meeting, text=text, mover=mover_agency, seconder=seconder_agency, votes=votes)
    guard_meeting_text(actor=actor, fields={"text": text})
    return _create(actor=actor, meeting=meeting, text=text, mover=mover_agency, seconder=seconder_agency, votes=votes)


@transaction.atomic
def _create(
    *, actor: User, meeting: Meeting, text: str, mover: Agency, seconder: Agency, votes: Mapping[int, str]
) -> Motion:
    quorum = quorum_for(meeting)
    counts = {value: sum(1 for vote in votes.values() if vote == value) for value in Vote.values}
    motion = Motion.objects.create(
        meeting=meeting,
        text=text,
        mover_agency=mover,
        seconder_agency=seconder,
        result=motion_result(quorum=quorum, yes=counts[Vote.YES], no=counts[Vote.NO]),
        yes=counts[Vote.YES],
        no=counts[Vote.NO],
        abstain=counts[Vote.ABSTAIN],
        agencies_present=quorum.present,
        agencies_needed=quorum.needed,
        recorded_by=actor,
    )
    MotionVote.objects.bulk_create(
        MotionVote(motion=motion, agency_id=agency_id, vote=vote) for agency_id, vote in sorted(votes.items())
    )
    audit_record(
        actor=actor,
        event=AuditEvent.MOTION_RECORDED,
        target=meeting,
        detail={"motion": motion.pk, "result": motion.result, **counts},
    )
    return motion

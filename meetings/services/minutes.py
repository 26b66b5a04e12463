"""Minutes: draft, circulated, approved. Approved minutes never change; a correction is a new version
that goes through the same steps, and the approved version it corrects stays on record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from meetings.choices import MinutesStatus
from meetings.models import Meeting, Minutes
from meetings.models.records import MINUTES_MAX_LENGTH
from meetings.services.checks import check_may_run, guard_meeting_text


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the minutes first.")})
    if len(body) > MINUTES_MAX_LENGTH:
        raise ValidationError({"body": _("Minutes hold at most %(most)s characters.") % {"most": MINUTES_MAX_LENGTH}})
    return body


def _current(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.select_for_update().filter(meeting=meeting).order_by("-version").first()


def minutes_save(*, actor: User, meeting: Meeting, body: str) -> Minutes:
    """Writes the open version (draft or circulated), starting version 1 if there is none."""
    check_may_run(actor=actor, meeting=meeting)
    body = _check_body(body)
    guard_meeting_text(actor=actor, fields={"body": body})
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        minutes = _current(meeting)
        if minutes is not None and minutes.is_approved:
            raise ValidationError(_("These minutes are approved and cannot be edited. Start a correction instead."))
        if minutes is None:
            minutes = Minutes(meeting=meeting, version=1, created_by=actor)
        minutes.body, minutes.updated_by = body, actor
        minutes.save()
        audit_record(actor=actor, event=AuditEvent.MINUTES_SAVED, target=meeting, detail={"version": minutes.version})
    return minutes


def minutes_circulate(*, actor: User, minutes: Minutes) -> Minutes:
    """Shares the draft with the meeting's audience for review before approval."""
    check_may_run(actor=actor, meeting=minutes.meeting)
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
        if locked.status != MinutesStatus.DRAFT:
            raise ValidationError(_("Only draft minutes can be circulated."))
        if not locked.meeting.has_started():
            raise ValidationError(_("Minutes are circulated after the meeting has started."))
        locked.status, locked.circulated_at, locked.updated_by = MinutesStatus.CIRCULATED, timezone.now(), actor
        locked.save()
        audit_record(
            actor=actor, event=AuditEvent.MINUTES_CIRCULATED, target=locked.meeting, detail={"version": locked.version}
        )
    return locked


def _later_of_same_body(meeting: Meeting) -> QuerySet[Meeting]:
    """The later meetings, not cancelled, of the body that held `meeting` (same kind, audience and committee:
    the meetings of its series and any later one of that body)."""
    return Meeting.objects.filter(
        kind=meeting.kind,
        audience=meeting.audience,
        committee=meeting.committee_id,
        starts_at__gt=meeting.starts_at,
        cancelled_at__isnull=True,
    ).exclude(pk=meeting.pk)


def approval_meetings(*, minutes: Minutes) -> list[Meeting]:
    """Where the minutes can be approved: a later meeting of the same body that has begun (minutes are
    approved by the meeting after the one they record, never by that meeting itself)."""
    candidates = _later_of_same_body(minutes.meeting).filter(starts_at__lte=timezone.now())
    return list(candidates.order_by("starts_at")[:12])


def next_approval_meeting(*, minutes: Minutes) -> Meeting | None:
    """The next meeting of the same body that has not begun yet: where the minutes can be approved next."""
    return _later_of_same_body(minutes.meeting).filter(starts_at__gt=timezone.now()).order_by("starts_at").first()


def minutes_approve(*, actor: User, minutes: Minutes, at_meeting: Meeting) -> Minutes:
    """Records the approval: by whom, when, and at which meeting. The version is frozen from then on."""
    check_may_run(actor=actor, meeting=minutes.meeting)
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
        if locked.status != MinutesStatus.CIRCULATED:
            raise ValidationError(_("Circulate the minutes before they are approved."))
        if at_meeting.pk not in {m.pk for m in approval_meetings(minutes=locked)}:
            raise ValidationError({"at_meeting": _("Choose a later meeting of the same body that has already begun.")})
        locked.status, locked.updated_by = MinutesStatus.APPROVED, actor
        locked.approved_at, locked.approved_by, locked.approved_at_meeting = timezone.now(), actor, at_meeting
        locked.save()
        audit_record(
            actor=actor,
            event=AuditEvent.MINUTES_APPROVED,
            target=locked.meeting,
            detail={"version": locked.version, "at_meeting": at_meeting.pk},
        )
    return locked


def minutes_correct(*, actor: User, minutes: Minutes, reason: str) -> Minutes:
    """Starts a new draft version from approved minutes; the approved text stays as it was."""
    check_may_run(actor=actor, meeting=minutes.meeting)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say briefly what the correction is for.")})
    guard_meeting_text(actor=actor, fields={"reason": reason})
    with transaction.atomic():
        current = _current(minutes.meeting)
        if current is None or current.pk != minutes.pk or not current.is_approved:
            raise ValidationError(_("Only the latest approved minutes can be corrected."))
        version = Minutes.objects.filter(meeting=minutes.meeting).aggregate(v=Max("version"))["v"] + 1
        correction = Minutes.objects.create(
            meeting=minutes.meeting,
            version=version,
            body=current.body,
            corrects=current,
            correction_reason=reason[:300],
            created_by=actor,
            updated_by=actor,
        )
        audit_record(
            actor=actor, event=AuditEvent.MINUTES_CORRECTION, target=minutes.meeting, detail={"version": version}
        )
    return correction

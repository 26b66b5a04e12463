"""Minutes: draft, circulated, approved. Approved minutes never change; a correction is a new version
that goes through the same steps, and the approved version it corrects stays on record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

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
        raise ValidationError({"body": "Write the minutes first."})
    if len(body) > MINUTES_MAX_LENGTH:
        raise ValidationError({"body": f"Minutes hold at most {MINUTES_MAX_LENGTH} characters."})
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
            raise ValidationError("These minutes are approved and cannot be edited. Start a correction instead.")
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
            raise ValidationError("Only draft minutes can be circulated.")
        if not locked.meeting.has_started():
            raise ValidationError("Minutes are circulated after the meeting has started.")
        locked.status, locked.circulated_at, locked.updated_by = MinutesStatus.CIRCULATED, timezone.now(), actor
        locked.save()
        audit_record(
            actor=actor, event=AuditEvent.MINUTES_CIRCULATED, target=locked.meeting, detail={"version": locked.version}
        )
    return locked


def approval_meetings(*, minutes: Minutes) -> list[Meeting]:
    """Where the minutes can be approved: this meeting, or a later one of the same body that has begun."""
    meeting = minutes.meeting
    same_body = Q(kind=meeting.kind, audience=meeting.audience, committee=meeting.committee_id)
    candidates = Meeting.objects.filter(
        Q(pk=meeting.pk) | same_body,
        starts_at__gte=meeting.starts_at,
        starts_at__lte=timezone.now(),
        cancelled_at__isnull=True,
    )
    return list(candidates.order_by("starts_at")[:12])


def minutes_approve(*, actor: User, minutes: Minutes, at_meeting: Meeting) -> Minutes:
    """Records the approval: by whom, when, and at which meeting. The version is frozen from then on."""
    check_may_run(actor=actor, meeting=minutes.meeting)
    with transaction.atomic():
        locked = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
        if locked.status != MinutesStatus.CIRCULATED:
            raise ValidationError("Circulate the minutes before they are approved.")
        if at_meeting.pk not in {m.pk for m in approval_meetings(minutes=locked)}:
            raise ValidationError(
                {"at_meeting": "Choose this meeting or a later one of the same body that has already begun."}
            )
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
        raise ValidationError({"reason": "Say briefly what the correction is for."})
    guard_meeting_text(actor=actor, fields={"reason": reason})
    with transaction.atomic():
        current = _current(minutes.meeting)
        if current is None or current.pk != minutes.pk or not current.is_approved:
            raise ValidationError("Only the latest approved minutes can be corrected.")
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

"""Attendance by person and by agency (by the organizer, or self check-in), and RSVPs."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, User
from audit.models import AuditEvent
from audit.services import audit_record
from meetings.choices import AttendanceSource, RsvpResponse
from meetings.models import Attendance, Meeting, Rsvp
from meetings.services.checks import check_may_run, check_not_cancelled


def check_in_opens_at(meeting: Meeting) -> datetime:
    return meeting.starts_at - settings.MEETINGS_CHECK_IN_OPENS_BEFORE


def _check_recordable(meeting: Meeting) -> None:
    check_not_cancelled(meeting)
    if timezone.now() < check_in_opens_at(meeting):
        raise ValidationError(_("Attendance is recorded from shortly before the meeting starts."))


def attendance_record(
    *, actor: User, meeting: Meeting, person: User | None = None, agency: Agency | None = None
) -> Attendance:
    """The organizer records a person (with their agency) or an agency without naming who came."""
    check_may_run(actor=actor, meeting=meeting)
    _check_recordable(meeting)
    if (person is None) == (agency is None):
        raise ValidationError(_("Choose a person or an agency."))
    if person is not None and (not person.is_active or person.agency_id is None):
        raise ValidationError({"person": _("That person has no active account in a member agency.")})
    if agency is None:
        # Then a person was given, with an agency: both checked above.
        assert person is not None and person.agency is not None
        agency = person.agency
    return _create(actor=actor, meeting=meeting, person=person, agency=agency, source=AttendanceSource.ORGANIZER)


def attendance_check_in(*, actor: User, meeting: Meeting) -> Attendance:
    """Self check-in, from shortly before the start until the end of the meeting. Safe to repeat."""
    check_not_cancelled(meeting)
    now = timezone.now()
    if not check_in_opens_at(meeting) <= now <= meeting.ends_at:
        raise ValidationError(_("Check-in is open from 30 minutes before the meeting until it ends."))
    existing = Attendance.objects.filter(meeting=meeting, person=actor).first()
    if existing is not None:
        return existing
    # Checking in takes the right to see the task force's content, which User.can denies without an agency.
    return _create(actor=actor, meeting=meeting, person=actor, agency=actor.member_agency, source=AttendanceSource.SELF)


def _create(*, actor: User, meeting: Meeting, person: User | None, agency: Agency, source: str) -> Attendance:
    try:
        with transaction.atomic():
            row = Attendance.objects.create(
                meeting=meeting, person=person, agency=agency, source=source, recorded_by=actor
            )
            audit_record(
                actor=actor,
                event=AuditEvent.ATTENDANCE_RECORDED,
                target=meeting,
                detail={"person": person.pk if person else None, "agency": agency.pk, "source": source},
            )
    except IntegrityError:
        raise ValidationError(_("%(who)s is already recorded as present.") % {"who": person or agency}) from None
    return row


@transaction.atomic
def attendance_remove(*, actor: User, attendance: Attendance) -> None:
    check_may_run(actor=actor, meeting=attendance.meeting)
    detail = {"person": attendance.person_id, "agency": attendance.agency_id}
    attendance.delete()
    audit_record(actor=actor, event=AuditEvent.ATTENDANCE_REMOVED, target=attendance.meeting, detail=detail)


def rsvp_set(*, actor: User, meeting: Meeting, response: str) -> Rsvp:
    """Says whether one will come. Open until the meeting starts."""
    check_not_cancelled(meeting)
    if response not in RsvpResponse.values:
        raise ValidationError({"response": _("Choose attending, maybe or not attending.")})
    if meeting.has_started():
        raise ValidationError(_("RSVPs close when the meeting starts."))
    rsvp, _created = Rsvp.objects.update_or_create(meeting=meeting, person=actor, defaults={"response": response})
    return rsvp

"""Scheduling meetings and series, changing and cancelling them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, User
from agencies.roles import Action
from audit.models import AuditEvent
from audit.services import audit_record
from digests.notifications import notification_schedule
from meetings import recurrence
from meetings.choices import Audience, MeetingKind
from meetings.digest_sections import INVITED_AUDIENCES, MEETING_CANCELLED, MEETING_INVITATION
from meetings.models import Committee, Meeting, MeetingSeries
from meetings.services.checks import check_may_run, guard_meeting_details

MAX_DURATION = timedelta(hours=12)
# Fields only a coordinator may set: they decide who sees the meeting.
_AUDIENCE_FIELDS = ("audience", "committee", "organizer")
# A change of these makes calendar apps update the event (RFC 5545 SEQUENCE).
_SCHEDULE_FIELDS = ("title", "starts_at", "ends_at", "location", "video_url")


@dataclass(frozen=True)
class MeetingInput:
    title: str
    kind: str
    audience: str
    committee: Committee | None
    host_agency: Agency
    organizer: User | None
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    video_url: str = ""


def _check_details(details: MeetingInput) -> None:
    errors: dict[str, str] = {}
    if details.kind not in MeetingKind.values:
        errors["kind"] = _("Choose a kind of meeting.")
    if details.audience not in Audience.values:
        errors["audience"] = _("Choose who the meeting is for.")
    if details.audience == Audience.COMMITTEE and details.committee is None:
        errors["committee"] = _("Choose the committee whose members the meeting is for.")
    if timezone.is_naive(details.starts_at) or timezone.is_naive(details.ends_at):
        errors["starts_at"] = _("Give the time in the task force's time zone.")
    elif _minute(details.ends_at) <= _minute(details.starts_at):
        errors["ends_at"] = _("The meeting must end after it starts.")
    elif details.ends_at - details.starts_at > MAX_DURATION:
        errors["ends_at"] = _("A meeting lasts at most 12 hours.")
    if not details.location.strip() and not details.video_url.strip():
        errors["location"] = _("Give a place, a video link, or both.")
    if not details.host_agency.is_active:
        errors["host_agency"] = _("That agency is not active.")
    if errors:
        raise ValidationError(errors)


def _minute(moment: datetime) -> datetime:
    """Calendars count in whole minutes (iCalendar in seconds): a stray second would split a series."""
    return moment.replace(second=0, microsecond=0)


def _normalized(details: MeetingInput) -> dict[str, object]:
    values = asdict(details)
    if details.audience != Audience.COMMITTEE:
        values["committee"] = None
    values["title"] = details.title.strip()
    values["starts_at"], values["ends_at"] = _minute(details.starts_at), _minute(details.ends_at)
    return values


def meeting_schedule(*, actor: User, details: MeetingInput, frequency: str = "", count: int = 1) -> Meeting:
    """Schedules one meeting, or a series of `count` meetings; returns the (first) meeting."""
    if not actor.can(Action.RUN_MEETINGS):
        raise PermissionDenied(_("Only the coordinators schedule meetings."))
    _check_details(details)
    if frequency and not 2 <= count <= recurrence.MAX_OCCURRENCES:
        raise ValidationError(
            {"count": _("A series holds from 2 to %(most)s meetings.") % {"most": recurrence.MAX_OCCURRENCES}}
        )
    guard_meeting_details(actor=actor, kind=details.kind, title=details.title, location=details.location)
    with transaction.atomic():
        if frequency:
            meeting = _schedule_series(actor=actor, details=details, frequency=frequency, count=count)
        else:
            meeting = Meeting.objects.create(**_normalized(details), created_by=actor)
            audit_record(actor=actor, event=AuditEvent.MEETING_SCHEDULED, target=meeting)
        if meeting.audience in INVITED_AUDIENCES:
            # One invitation, for the (first) meeting: a series does not send one email per meeting.
            notification_schedule(kind=MEETING_INVITATION, target_id=meeting.pk)
        return meeting


def _schedule_series(*, actor: User, details: MeetingInput, frequency: str, count: int) -> Meeting:
    values = _normalized(details)
    starts_at, ends_at = values.pop("starts_at"), values.pop("ends_at")
    assert isinstance(starts_at, datetime) and isinstance(ends_at, datetime)  # as _normalized leaves them
    duration = ends_at - starts_at
    series = MeetingSeries.objects.create(
        **values, frequency=frequency, first_start=starts_at, duration=duration, count=count, created_by=actor
    )
    slots = recurrence.occurrences(first_start=starts_at, frequency=frequency, count=count)
    Meeting.objects.bulk_create(
        [
            Meeting(
                **values, series=series, series_slot=slot, starts_at=slot, ends_at=slot + duration, created_by=actor
            )
            for slot in slots
        ]
    )
    first = series.meetings.order_by("starts_at").first()
    assert first is not None  # bulk_create has just made `count` (at least 2) of them
    audit_record(actor=actor, event=AuditEvent.MEETING_SCHEDULED, target=series, detail={"meetings": count})
    return first


def meeting_update(*, actor: User, meeting: Meeting, details: MeetingInput) -> Meeting:
    """Changes one meeting (one occurrence of a series). Audience fields are the coordinators'."""
    check_may_run(actor=actor, meeting=meeting)
    _check_details(details)
    guard_meeting_details(actor=actor, kind=details.kind, title=details.title, location=details.location)
    values = _normalized(details)
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        changed = [name for name, value in values.items() if getattr(locked, name) != value]
        if set(changed) & set(_AUDIENCE_FIELDS) and not actor.can(Action.RUN_MEETINGS):
            raise PermissionDenied(_("Only the coordinators change who a meeting is for."))
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, values[name])
        if set(changed) & set(_SCHEDULE_FIELDS):
            locked.sequence += 1
        locked.save()
        audit_record(actor=actor, event=AuditEvent.MEETING_CHANGED, target=locked, detail={"fields": sorted(changed)})
    return locked


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting) -> Meeting:
    check_may_run(actor=actor, meeting=meeting)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.has_ended():
        raise ValidationError(_("This meeting has taken place; it can no longer be cancelled."))
    if locked.cancelled_at is None:
        locked.cancelled_at = timezone.now()
        locked.sequence += 1
        locked.save(update_fields=["cancelled_at", "sequence", "updated_at"])
        audit_record(actor=actor, event=AuditEvent.MEETING_CANCELLED, target=locked)
        # Those invited by email, and those who said they would come, are told (each in their language).
        notification_schedule(kind=MEETING_CANCELLED, target_id=locked.pk)
    return locked


def meeting_details(meeting: Meeting) -> MeetingInput:
    """The current details of a meeting, to change a few of them."""
    return MeetingInput(
        **{name: getattr(meeting, name) for name in MeetingInput.__dataclass_fields__},
    )

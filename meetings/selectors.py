"""Reads of this area. Every query starts from a model's `for_user()`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import User
from meetings.choices import ActionStatus, Audience, MinutesStatus, RegistrationStatus, RsvpResponse
from meetings.digest_sections import MeetingCancelled
from meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Committee,
    Meeting,
    MeetingSeries,
    Minutes,
    Motion,
    Rsvp,
    Training,
    TrainingRegistration,
    TrainingRequest,
)
from meetings.permissions import may_run, may_update_action_item
from meetings.quorum import Quorum, quorum_for
from meetings.services.attendance import check_in_opens_at
from toolkit import fulltext

# --- meetings ----------------------------------------------------------------------------------------


def meetings_for(*, user: User | AnonymousUser) -> QuerySet[Meeting]:
    return Meeting.objects.for_user(user).select_related("host_agency", "committee")


def meeting_get(*, user: User, pk: int) -> Meeting:
    """404 for a meeting outside the person's audience, exactly as for a missing one."""
    return get_object_or_404(meetings_for(user=user).select_related("organizer", "series"), pk=pk)


def meeting_run_get(*, user: User, pk: int) -> Meeting:
    """A meeting the person may organize; 404 otherwise (also to its audience: nothing to do there)."""
    return get_object_or_404(Meeting.objects.run_by(user).select_related("host_agency", "committee", "series"), pk=pk)


def minutes_visible(*, user: User, meeting: Meeting) -> list[Minutes]:
    """Organizers see drafts; the audience sees circulated and approved versions, newest first."""
    versions = meeting.minutes_versions.select_related("approved_by", "approved_at_meeting", "corrects")
    if not may_run(user, meeting):
        versions = versions.exclude(status=MinutesStatus.DRAFT)
    return list(versions.order_by("-version"))


def agenda_visible(*, user: User, meeting: Meeting) -> list[AgendaItem] | None:
    """The agenda once published (to organizers always); None while it is not published."""
    if meeting.agenda_published_at is None and not may_run(user, meeting):
        return None
    return list(
        meeting.agenda_items.select_related(
            "presenter_agency", "action_item__owner_agency", "action_item__owner_person"
        )
    )


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    may_run: bool
    agenda: list[AgendaItem] | None
    minutes: list[Minutes]
    attendance: list[Attendance]
    quorum: Quorum
    action_items: list[ActionItem]
    attachments: list[object]
    my_rsvp: str
    rsvp_counts: dict[str, int]
    checked_in: bool
    check_in_open: bool
    motions: list[Motion]
    # Organizers record attendance from shortly before the start (as check-in opens), and after.
    attendance_opens_at: datetime
    attendance_open: bool


def meeting_page(*, user: User, meeting: Meeting) -> MeetingPage:
    now = timezone.now()
    attendance = list(meeting.attendance.select_related("person", "agency"))
    rsvps = dict(meeting.rsvps.values_list("response").annotate(n=Count("id")))
    return MeetingPage(
        meeting=meeting,
        may_run=may_run(user, meeting),
        agenda=agenda_visible(user=user, meeting=meeting),
        minutes=minutes_visible(user=user, meeting=meeting),
        attendance=attendance,
        quorum=quorum_for(meeting),
        action_items=with_permissions(user, meeting.action_items.select_related("owner_person", "owner_agency")),
        attachments=list(meeting.attachments.all()),
        my_rsvp=Rsvp.objects.filter(meeting=meeting, person=user).values_list("response", flat=True).first() or "",
        rsvp_counts={value: rsvps.get(value, 0) for value in RsvpResponse.values},
        checked_in=any(row.person_id == user.pk for row in attendance),
        check_in_open=not meeting.is_cancelled and check_in_opens_at(meeting) <= now <= meeting.ends_at,
        motions=motions_of(meeting=meeting),
        attendance_opens_at=check_in_opens_at(meeting),
        attendance_open=not meeting.is_cancelled and check_in_opens_at(meeting) <= now,
    )


def motions_of(*, meeting: Meeting) -> list[Motion]:
    """The motions of a meeting the person may see (checked by the caller's `meeting_get`)."""
    return list(meeting.motions.select_related("mover_agency", "seconder_agency").prefetch_related("votes__agency"))


def series_get(*, user: User, pk: int) -> MeetingSeries:
    """A series one of whose meetings the person may see; 404 otherwise."""
    visible = meetings_for(user=user).filter(series_id=OuterRef("pk"))
    return get_object_or_404(MeetingSeries.objects.filter(Exists(visible)), pk=pk)


def decisions_of_series(*, user: User, series: MeetingSeries) -> QuerySet[Motion]:
    """The decision log: every motion of the series' meetings the person may see, oldest first."""
    meetings = meetings_for(user=user).filter(series=series, cancelled_at__isnull=True)
    return (
        Motion.objects.filter(meeting__in=meetings.values("pk"))
        .select_related("meeting", "mover_agency", "seconder_agency")
        .prefetch_related("votes__agency")
        .order_by("meeting__starts_at", "recorded_at", "id")
    )


@dataclass(frozen=True)
class Printout:
    """A meeting's agenda, minutes and decisions, as the person may read them on the meeting's page."""

    meeting: Meeting
    agenda: list[AgendaItem] | None
    minutes: Minutes | None
    attendance: list[Attendance]
    motions: list[Motion]


def meeting_printout(*, user: User, meeting: Meeting) -> Printout:
    """The newest version of the minutes the person may read (a draft only to its organizers)."""
    minutes = minutes_visible(user=user, meeting=meeting)
    return Printout(
        meeting=meeting,
        agenda=agenda_visible(user=user, meeting=meeting),
        minutes=minutes[0] if minutes else None,
        attendance=list(meeting.attendance.select_related("person", "agency")),
        motions=motions_of(meeting=meeting),
    )


def invited_people(*, meeting: Meeting) -> QuerySet[User]:
    """The people of the meeting's audience (members of every agency, of the committee or the co-chairs)."""
    people = User.objects.filter(is_active=True, agency__isnull=False, agency__is_active=True)
    if meeting.audience == Audience.ALL_MEMBERS:
        return people
    if meeting.audience == Audience.COCHAIRS:
        return people.filter(agency__is_cochair=True)
    committee = Committee.objects.filter(pk=meeting.committee_id or 0)  # a committee audience has one
    return people.filter(Q(pk__in=committee.values("members")) | Q(agency_id__in=committee.values("agencies")))


def cancellation_recipients(*, meeting: Meeting) -> int:
    """How many people the email saying that the meeting is cancelled would go to."""
    return len(list(MeetingCancelled().recipients(target_id=meeting.pk)))


# --- the calendar ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    kind: str  # a meeting kind, or "training"
    label: str
    title: str
    starts_at: datetime
    ends_at: datetime
    host: str
    url: str
    cancelled: bool


def calendar_events(
    *, user: User, start: datetime, end: datetime, kind: str = "", agency_id: int | None = None
) -> list[CalendarEvent]:
    """Meetings and trainings the person may see that overlap [start, end), in two queries."""
    events: list[CalendarEvent] = []
    if kind != "training":
        meetings = meetings_for(user=user).filter(starts_at__lt=end, ends_at__gt=start)
        meetings = meetings.filter(kind=kind) if kind else meetings
        meetings = meetings.filter(host_agency_id=agency_id) if agency_id else meetings
        events += [_meeting_event(m) for m in meetings]
    if kind in ("", "training"):
        trainings = (
            Training.objects.for_user(user).select_related("host_agency").filter(starts_at__lt=end, ends_at__gt=start)
        )
        trainings = trainings.filter(host_agency_id=agency_id) if agency_id else trainings
        events += [_training_event(t) for t in trainings]
    return sorted(events, key=lambda e: (e.starts_at, e.title))


def _meeting_event(meeting: Meeting) -> CalendarEvent:
    return CalendarEvent(
        kind=meeting.kind,
        label=meeting.get_kind_display(),
        title=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        host=meeting.host_agency.name,
        url=reverse("meetings:meeting_detail", args=[meeting.pk]),
        cancelled=meeting.is_cancelled,
    )


def _training_event(training: Training) -> CalendarEvent:
    return CalendarEvent(
        kind="training",
        label=_("Training"),
        title=training.title,
        starts_at=training.starts_at,
        ends_at=training.ends_at,
        host=training.host_agency.name,
        url=reverse("meetings:training_detail", args=[training.pk]),
        cancelled=training.is_cancelled,
    )


# --- action items ------------------------------------------------------------------------------------


def action_items_for(*, user: User) -> QuerySet[ActionItem]:
    return ActionItem.objects.for_user(user).select_related("owner_person", "owner_agency", "meeting")


def action_item_get(*, user: User, pk: int) -> ActionItem:
    return get_object_or_404(action_items_for(user=user), pk=pk)


def _overdue_first(items: QuerySet[ActionItem]) -> QuerySet[ActionItem]:
    today = timezone.localdate()
    rank = Case(
        When(status=ActionStatus.OPEN, due_on__lt=today, then=Value(0)),
        When(status=ActionStatus.OPEN, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return items.annotate(rank=rank).order_by("rank", "due_on", "id")


def with_permissions(user: User, items: QuerySet[ActionItem]) -> list[ActionItem]:
    """The items, each marked with whether `user` may change its status (for the page's forms)."""
    rows = list(items)
    for item in rows:
        item.may_update = may_update_action_item(user, item)
    return rows


def my_action_items(*, user: User, include_closed: bool = False) -> QuerySet[ActionItem]:
    """Assigned to the person, or to their agency without a named owner; overdue ones first."""
    items = action_items_for(user=user).filter(
        Q(owner_person=user) | Q(owner_person__isnull=True, owner_agency_id=user.agency_id)
    )
    if not include_closed:
        items = items.filter(status=ActionStatus.OPEN)
    return _overdue_first(items)


# --- trainings ---------------------------------------------------------------------------------------


def trainings_for(*, user: User | AnonymousUser) -> QuerySet[Training]:
    """With seats taken, the waiting list and (for a member) their own registration, in constant queries."""
    trainings = (
        Training.objects.for_user(user)
        .select_related("host_agency")
        .prefetch_related("audiences")
        .annotate(
            seats_taken=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED)),
            waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        )
    )
    if user.is_authenticated:
        mine = TrainingRegistration.objects.filter(training=OuterRef("pk"), person=user).values("status")[:1]
        trainings = trainings.annotate(my_status=Subquery(mine))
    return trainings


def training_get(*, user: User | AnonymousUser, pk: int) -> Training:
    return get_object_or_404(trainings_for(user=user), pk=pk)


def training_managed_get(*, user: User, pk: int) -> Training:
    """A training of the person's agency (any, for a coordinator); 404 for another agency's."""
    return get_object_or_404(Training.objects.managed_by(user).select_related("host_agency"), pk=pk)


def training_registrations(*, training: Training) -> QuerySet[TrainingRegistration]:
    return training.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("person__agency")


def training_requests_for(*, user: User) -> QuerySet[TrainingRequest]:
    return TrainingRequest.objects.for_user(user).select_related("assigned_agency", "training")


def training_request_get(*, user: User, pk: int) -> TrainingRequest:
    return get_object_or_404(training_requests_for(user=user), pk=pk)


# --- committees --------------------------------------------------------------------------------------


def committees_for(*, user: User) -> QuerySet[Committee]:
    return (
        Committee.objects.for_user(user)
        .select_related("chair")
        .prefetch_related(Prefetch("members", queryset=User.objects.select_related("agency")), "agencies")
    )


def committee_get(*, user: User, pk: int) -> Committee:
    """A committee the person may see (committees_for); 404 otherwise."""
    return get_object_or_404(Committee.objects.for_user(user), pk=pk)


def decisions_of_committee(*, user: User, committee: Committee) -> QuerySet[Motion]:
    """The decision log of a committee: every motion of its meetings the person may see, oldest first."""
    meetings = meetings_for(user=user).filter(committee=committee, cancelled_at__isnull=True)
    return (
        Motion.objects.filter(meeting__in=meetings.values("pk"))
        .select_related("meeting", "mover_agency", "seconder_agency")
        .prefetch_related("votes__agency")
        .order_by("meeting__starts_at", "recorded_at", "id")
    )


def committee_managed_get(*, user: User, pk: int) -> Committee:
    return get_object_or_404(Committee.objects.managed_by(user), pk=pk)


def minutes_matching(*, user: User, text: str) -> QuerySet[Minutes]:
    """Circulated and approved minutes of meetings the person may see, matching `text`, newest first.
    Drafts are left out for everyone: their organizers find them on the meeting page."""
    visible = Minutes.objects.filter(meeting__in=Meeting.objects.for_user(user)).exclude(status=MinutesStatus.DRAFT)
    return fulltext.matching(visible, vector="body_search", text=text, text_field="body").order_by("-id")


def minutes_search_hits(*, user: User, text: str, limit: int) -> list[dict[str, Any]]:
    """The search page's and API's "minutes" (cases/search.py; registered in MeetingsConfig.ready)."""
    rows = minutes_matching(user=user, text=text).values("id", "meeting_id", "meeting__title", "version", "status")
    return [
        {
            "id": row["id"],
            "meeting": row["meeting_id"],
            "meeting_title": row["meeting__title"],
            "version": row["version"],
            "status": row["status"],
        }
        for row in rows[:limit]
    ]

"""Meetings, minutes, action items and trainings in email: digest sections and the invitation notification.

Every query goes through the model's `for_user(person)` at send time. Titles of case-review
meetings (and of their action items) pass the de-identification guard but may hold reference
codes, which email must never carry: those are replaced by a neutral text. Minutes text, agenda
notes and descriptions never leave the portal; only titles, dates and links do.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import User
from agencies.templatetags.times import format_day, format_moment_long
from digests.rendering import NotificationContent
from digests.schedule import zone
from digests.sections import DigestItem, DigestSection, DigestWindow, SectionContent, portal_url
from meetings.choices import ActionStatus, Audience, MeetingKind, MinutesStatus, RegistrationStatus, RsvpResponse
from meetings.models import ActionItem, Committee, Meeting, Minutes, Rsvp, Training, TrainingRegistration
from meetings.models.meetings import audience_q
from toolkit.mail import in_language

MEETINGS_AHEAD = timedelta(days=14)
ACTIONS_AHEAD = timedelta(days=7)
TRAININGS_AHEAD = timedelta(days=30)
# A digest is a reminder, not a listing: past this many lines a section links to the portal's page.
MAX_ITEMS = 20

CASE_REVIEW_MEETING = gettext_lazy("A case-review meeting")
CASE_REVIEW_ACTION = gettext_lazy("An action item from a case-review meeting")

MEETING_INVITATION = "meeting_invitation"
# Everyone is invited to a full task-force meeting: only the smaller audiences get an email.
INVITED_AUDIENCES = (Audience.COMMITTEE, Audience.COCHAIRS)


def _title(kind: str, title: str, *, neutral: Promise = CASE_REVIEW_MEETING) -> str:
    return str(neutral) if kind == MeetingKind.CASE_REVIEW else title


def _meeting_url(pk: int) -> str:
    return portal_url("meetings:meeting_detail", pk=pk)


def _local_today(person: User, now: datetime) -> date:
    return now.astimezone(zone(person.time_zone)).date()


def _day(day: date) -> str:
    return format_day(day)


def _content(section: DigestSection, items: list[DigestItem], *, link: str, label: str) -> SectionContent | None:
    if not items:
        return None
    return SectionContent(key=section.key, title=str(section.title), items=items, link_url=link, link_label=label)


class MeetingsSection:
    key = "meetings"
    title = gettext_lazy("Meetings in the next 14 days")

    def build(self, *, person: User, window: DigestWindow) -> SectionContent | None:
        rows = (
            Meeting.objects.for_user(person)
            .filter(starts_at__gte=window.now, starts_at__lt=window.now + MEETINGS_AHEAD, cancelled_at__isnull=True)
            .order_by("starts_at", "pk")
            .values("pk", "title", "kind", "starts_at")[:MAX_ITEMS]
        )
        items = [
            DigestItem(text=_title(row["kind"], row["title"]), url=_meeting_url(row["pk"]), when=row["starts_at"])
            for row in rows
        ]
        return _content(self, items, link=portal_url("meetings:calendar_list"), label=_("Open the calendar"))


class AgendasAndMinutesSection:
    """Agendas published and minutes circulated or approved in [window.start, window.end)."""

    key = "meeting_records"
    title = gettext_lazy("New agendas and minutes")

    def build(self, *, person: User, window: DigestWindow) -> SectionContent | None:
        visible = Meeting.objects.for_user(person)
        agendas = (
            visible.filter(agenda_published_at__gte=window.start, agenda_published_at__lt=window.end)
            .filter(cancelled_at__isnull=True)
            .order_by("starts_at", "pk")
            .values("pk", "title", "kind", "starts_at")[:MAX_ITEMS]
        )
        circulated = Q(circulated_at__gte=window.start, circulated_at__lt=window.end)
        approved = Q(status=MinutesStatus.APPROVED, approved_at__gte=window.start, approved_at__lt=window.end)
        # .values(): the minutes' body is never even read from the database here.
        minutes = (
            Minutes.objects.filter(circulated | approved, meeting__in=visible.values("pk"))
            .exclude(status=MinutesStatus.DRAFT)
            .order_by("meeting__starts_at", "meeting_id", "-version")
            .values("meeting_id", "meeting__title", "meeting__kind", "meeting__starts_at", "status")[:MAX_ITEMS]
        )
        items = [
            DigestItem(
                text=_("Agenda published: %(title)s") % {"title": _title(row["kind"], row["title"])},
                url=_meeting_url(row["pk"]),
                when=row["starts_at"],
            )
            for row in agendas
        ]
        seen: set[int] = set()
        for row in minutes:  # the newest version of a meeting's minutes only
            if row["meeting_id"] in seen:
                continue
            seen.add(row["meeting_id"])
            line = (
                _("Minutes approved: %(title)s")
                if row["status"] == MinutesStatus.APPROVED
                else _("Minutes circulated for review: %(title)s")
            )
            items.append(
                DigestItem(
                    text=line % {"title": _title(row["meeting__kind"], row["meeting__title"])},
                    url=_meeting_url(row["meeting_id"]),
                    when=row["meeting__starts_at"],
                )
            )
        return _content(self, items, link=portal_url("meetings:calendar_list"), label=_("Open the calendar"))


class ActionItemsSection:
    """The person's own open action items, overdue ones first, then those due in the next 7 days."""

    key = "action_items"
    title = gettext_lazy("Your action items")

    def build(self, *, person: User, window: DigestWindow) -> SectionContent | None:
        today = _local_today(person, window.now)
        rows = (
            ActionItem.objects.for_user(person)
            .filter(owner_person=person, status=ActionStatus.OPEN, due_on__lte=today + ACTIONS_AHEAD)
            .order_by("due_on", "pk")
            .values("title", "due_on", "meeting__kind")[:MAX_ITEMS]
        )
        link = portal_url("meetings:my_action_items")
        items = []
        for row in rows:
            title = _title(row["meeting__kind"], row["title"], neutral=CASE_REVIEW_ACTION)
            due = _day(row["due_on"])
            line = _("Overdue since %(day)s: %(title)s") if row["due_on"] < today else _("Due %(day)s: %(title)s")
            text = line % {"day": due, "title": title}
            items.append(DigestItem(text=text, url=link))
        return _content(self, items, link=link, label=_("Open your action items"))


class TrainingsSection:
    """Trainings of the next 30 days, and the person's own registrations for later ones."""

    key = "trainings"
    title = gettext_lazy("Trainings")

    def build(self, *, person: User, window: DigestWindow) -> SectionContent | None:
        active = [RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED]
        own = TrainingRegistration.objects.filter(training=OuterRef("pk"), person=person, status__in=active)
        rows = (
            Training.objects.for_user(person)
            .filter(starts_at__gte=window.now, cancelled_at__isnull=True)
            .filter(Q(starts_at__lt=window.now + TRAININGS_AHEAD) | Exists(own))
            .annotate(mine=Subquery(own.values("status")[:1]))
            .order_by("starts_at", "pk")
            .values("pk", "title", "starts_at", "mine")[:MAX_ITEMS]
        )
        items = [
            DigestItem(
                text=row["title"] + _registration(row["mine"]),
                url=portal_url("meetings:training_detail", pk=row["pk"]),
                when=row["starts_at"],
            )
            for row in rows
        ]
        return _content(self, items, link=portal_url("meetings:training_list"), label=_("Open the trainings"))


def _registration(status: str | None) -> str:
    if status == RegistrationStatus.REGISTERED:
        return " " + _("(you are registered)")
    if status == RegistrationStatus.WAITLISTED:
        return " " + _("(you are on the waiting list)")
    return ""


class MeetingInvitation:
    """A committee or co-chairs-only meeting was scheduled: its audience is told the date, and a link."""

    key = MEETING_INVITATION
    switch = "notify_invitations"
    label = gettext_lazy("emails when you are invited to a meeting")

    def recipients(self, *, target_id: int) -> Iterable[User]:
        meeting = Meeting.objects.filter(pk=target_id).only("audience", "committee_id").first()
        if meeting is None or meeting.audience not in INVITED_AUDIENCES:
            return []
        people = User.objects.filter(is_active=True, agency__isnull=False)
        if meeting.audience == Audience.COCHAIRS:
            return people.filter(agency__is_cochair=True).only("pk")
        if meeting.committee_id is None:  # no committee, no members
            return []
        committee = Committee.objects.filter(pk=meeting.committee_id)
        members = committee.values("members")
        agencies = committee.values("agencies")
        return people.filter(Q(pk__in=members) | Q(agency_id__in=agencies)).only("pk")

    def build(self, *, person: User, target_id: int) -> NotificationContent | None:
        meeting = _invited_meeting(person, target_id)
        if meeting is None:
            return None
        with in_language(person):
            return NotificationContent(
                subject=_("You are invited to a meeting"),
                message=_("You are invited to a meeting on %(when_and_title)s. Sign in to the portal for the details.")
                % {"when_and_title": _when_and_title(meeting, person)},
                link_url=_meeting_url(meeting.pk),
                link_label=_("Open the meeting"),
            )


def _invited_meeting(person: User, target_id: int, *conditions: Any, **fields: object) -> Meeting | None:
    """The meeting if `person` is in its audience now (not merely able to see it: coordinators see every
    meeting) and it is still on, with any further conditions; None otherwise."""
    return (
        Meeting.objects.for_user(person)
        .filter(audience_q(person), *conditions, pk=target_id, cancelled_at__isnull=True, **fields)
        .only("pk", "title", "kind", "starts_at")
        .first()
    )


def _when_and_title(meeting: Meeting, person: User) -> str:
    """ "Tuesday, March 3, 2026, 2:00 PM CST: <title>" in the person's zone and language; a case review's
    title stays out of email."""
    with timezone.override(zone(person.time_zone)):
        when = format_moment_long(meeting.starts_at)
    if meeting.is_case_review:
        return when
    return _("%(when)s: %(title)s") % {"when": when, "title": meeting.title}


RSVP_REMINDER = "meeting_rsvp_reminder"


class RsvpReminder:
    """Two days before a meeting, the people invited who have not said whether they come: one reminder."""

    key = RSVP_REMINDER
    switch = "notify_invitations"
    label = gettext_lazy("reminders to answer a meeting invitation")

    def recipients(self, *, target_id: int) -> Iterable[User]:
        answered = set(Rsvp.objects.filter(meeting_id=target_id).values_list("person_id", flat=True))
        return [person for person in MeetingInvitation().recipients(target_id=target_id) if person.pk not in answered]

    def build(self, *, person: User, target_id: int) -> NotificationContent | None:
        # Still in the audience, still on, not started, and still no answer.
        answered = Rsvp.objects.filter(meeting=OuterRef("pk"), person=person)
        meeting = _invited_meeting(person, target_id, ~Exists(answered), starts_at__gt=timezone.now())
        if meeting is None:
            return None
        with in_language(person):
            return NotificationContent(
                subject=_("Will you come to the meeting?"),
                message=_(
                    "You are invited to a meeting on %(when_and_title)s. You have not said yet whether you will come."
                    " Sign in to the portal to answer: attending, maybe or not attending."
                )
                % {"when_and_title": _when_and_title(meeting, person)},
                link_url=_meeting_url(meeting.pk),
                link_label=_("Answer on the meeting's page"),
            )


MEETING_CANCELLED = "meeting_cancelled"
# Those who said they would come are told too, whatever the audience (a full task-force meeting included).
_COMING = (RsvpResponse.YES, RsvpResponse.MAYBE)


class MeetingCancelled:
    """A meeting was cancelled: the people invited by email, and those who said they would come, are told."""

    key = MEETING_CANCELLED
    switch = "notify_invitations"
    label = gettext_lazy("emails when a meeting you are invited to is cancelled")

    def recipients(self, *, target_id: int) -> Iterable[User]:
        invited = {person.pk for person in MeetingInvitation().recipients(target_id=target_id)}
        coming = Rsvp.objects.filter(meeting_id=target_id, response__in=_COMING).values("person_id")
        return User.objects.filter(Q(pk__in=invited) | Q(pk__in=coming), is_active=True).only("pk")

    def build(self, *, person: User, target_id: int) -> NotificationContent | None:
        meeting = (
            Meeting.objects.for_user(person)
            .filter(pk=target_id, cancelled_at__isnull=False)
            .only("pk", "title", "kind", "starts_at")
            .first()
        )
        if meeting is None:
            return None
        with in_language(person):
            return NotificationContent(
                subject=_("A meeting is cancelled"),
                message=_("This meeting is cancelled: %(when_and_title)s. Calendar feeds show it as cancelled.")
                % {"when_and_title": _when_and_title(meeting, person)},
                link_url=_meeting_url(meeting.pk),
                link_label=_("Open the meeting"),
            )

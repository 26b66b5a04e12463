"""Meetings, minutes, action items and trainings in the digest, and the meeting invitation: content-free."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies.models import User
from agencies.templatetags.times import format_moment
from digests.models import Delivery
from digests.rendering import digest_message
from digests.sections import DigestWindow, digest_sections_build
from meetings.choices import ActionStatus, Audience, MeetingKind, MinutesStatus, RegistrationStatus
from meetings.digest_sections import (
    CASE_REVIEW_ACTION,
    CASE_REVIEW_MEETING,
    ActionItemsSection,
    AgendasAndMinutesSection,
    MeetingsSection,
    TrainingsSection,
)
from meetings.models import ActionItem, Meeting, Minutes, TrainingRegistration
from tests.digests.helpers import REFERENCE_CODE, after_commit, bodies, prefer, sent_to
from tests.factories import UserFactory
from tests.meetings.conftest import schedule
from tests.meetings.factories import CommitteeFactory, MeetingFactory, TrainingFactory

pytestmark = pytest.mark.django_db

CODE = "JUN-2026-00042"
MINUTES_TEXT = "Discussed the survivor placed at the Elm Street shelter last week."


def _window(days: int = 1, now=None) -> DigestWindow:
    now = now or timezone.now()
    return DigestWindow(start=now - timedelta(days=days), end=now, now=now)


def _texts(content) -> list[str]:
    return [item.text for item in content.items] if content else []


def _meeting(days: float, **values) -> Meeting:
    starts = timezone.now() + timedelta(days=days)
    return MeetingFactory(starts_at=starts, ends_at=starts + timedelta(hours=1), **values)


def _action(person: User, meeting: Meeting, title: str, due_in_days: int, **values) -> ActionItem:
    due = timezone.localdate() + timedelta(days=due_in_days)
    return ActionItem.objects.create(
        meeting=meeting, title=title, owner_person=person, owner_agency=person.agency, due_on=due,
        created_by=meeting.created_by, **values,
    )  # fmt: skip


def _minutes(meeting: Meeting, status: str, *, at, version: int = 1) -> Minutes:
    values = {"circulated_at": at}
    if status == MinutesStatus.APPROVED:
        values.update(approved_at=at, approved_by=meeting.created_by, approved_at_meeting=meeting)
    return Minutes.objects.create(
        meeting=meeting, version=version, body=f"{MINUTES_TEXT} {CODE}", status=status,
        created_by=meeting.created_by, updated_by=meeting.created_by, **values,
    )  # fmt: skip


@pytest.fixture
def committee(outsider: User):
    return CommitteeFactory(name="Labor trafficking working group", people=[outsider])


# --- Meetings in the next 14 days ---


def test_it_lists_the_upcoming_meetings_of_the_persons_audiences_only(member, outsider, committee):
    _meeting(2, title="Full task force")
    _meeting(3, title="Working group", audience=Audience.COMMITTEE, committee=committee)
    _meeting(4, title="Co-chairs", audience=Audience.COCHAIRS)
    _meeting(5, title="Cancelled", cancelled_at=timezone.now())
    _meeting(20, title="Too far")
    _meeting(-1, title="Yesterday")
    section = MeetingsSection()
    assert _texts(section.build(person=member, window=_window())) == ["Full task force", "Co-chairs"]
    assert _texts(section.build(person=outsider, window=_window())) == ["Full task force", "Working group"]


def test_it_gives_the_meeting_time_and_an_absolute_link(member):
    meeting = _meeting(2, title="Full task force")
    item = MeetingsSection().build(person=member, window=_window()).items[0]
    assert item.when == meeting.starts_at
    assert item.url.startswith(("http://", "https://")) and item.url.endswith(f"/meetings/{meeting.pk}/")


def test_it_hides_the_title_of_a_case_review(member):
    _meeting(2, title=f"Case review {CODE}", kind=MeetingKind.CASE_REVIEW)
    assert _texts(MeetingsSection().build(person=member, window=_window())) == [CASE_REVIEW_MEETING]


# --- New agendas and minutes ---


def test_it_lists_agendas_published_in_the_window_only(member):
    now = timezone.now()
    _meeting(3, title="Published today", agenda_published_at=now - timedelta(hours=2))
    _meeting(4, title="Published last week", agenda_published_at=now - timedelta(days=7))
    _meeting(5, title="Published at the window end", agenda_published_at=now)  # [start, end)
    _meeting(6, title="Not published")
    texts = _texts(AgendasAndMinutesSection().build(person=member, window=_window(now=now)))
    assert texts == ["Agenda published: Published today"]


def test_it_lists_minutes_circulated_or_approved_in_the_window_without_their_text(member, outsider, committee):
    now = timezone.now()
    circulated = _meeting(-3, title="March meeting")
    _minutes(circulated, MinutesStatus.CIRCULATED, at=now - timedelta(hours=1))
    approved = _meeting(-30, title="February meeting")
    _minutes(approved, MinutesStatus.APPROVED, at=now - timedelta(days=9), version=1)
    _minutes(approved, MinutesStatus.APPROVED, at=now - timedelta(hours=3), version=2)
    _minutes(_meeting(-4, title="Draft only"), MinutesStatus.DRAFT, at=None)
    _minutes(_meeting(-5, title="Old news"), MinutesStatus.CIRCULATED, at=now - timedelta(days=3))
    working = _meeting(-2, title="Working group", audience=Audience.COMMITTEE, committee=committee)
    _minutes(working, MinutesStatus.CIRCULATED, at=now - timedelta(hours=1))

    texts = _texts(AgendasAndMinutesSection().build(person=member, window=_window()))
    assert texts == ["Minutes approved: February meeting", "Minutes circulated for review: March meeting"]
    assert "Minutes circulated for review: Working group" in _texts(
        AgendasAndMinutesSection().build(person=outsider, window=_window())
    )


def test_it_hides_the_title_of_a_case_review_whose_minutes_moved(member):
    review = _meeting(-3, title=f"Review of {CODE}", kind=MeetingKind.CASE_REVIEW)
    _minutes(review, MinutesStatus.CIRCULATED, at=timezone.now() - timedelta(hours=1))
    texts = _texts(AgendasAndMinutesSection().build(person=member, window=_window()))
    assert texts == [f"Minutes circulated for review: {CASE_REVIEW_MEETING}"]


# --- Action items ---


def test_it_lists_the_persons_own_open_action_items_overdue_first(member, colleague, outsider, committee):
    meeting = _meeting(-10, title="Full task force")
    _action(member, meeting, "Send the shelter bed count", 3)
    _action(member, meeting, "Draft the hotel training flyer", -2)
    _action(member, meeting, "Due later", 30)
    _action(member, meeting, "Done already", -1, status=ActionStatus.DONE)
    _action(colleague, meeting, "A colleague's item", 1)
    hidden = _meeting(-10, audience=Audience.COMMITTEE, committee=committee)
    _action(member, hidden, "Of a meeting no longer visible", 1)

    texts = _texts(ActionItemsSection().build(person=member, window=_window()))
    assert len(texts) == 2
    assert texts[0].startswith("Overdue since ") and texts[0].endswith("Draft the hotel training flyer")
    assert texts[1].startswith("Due ") and texts[1].endswith("Send the shelter bed count")


def test_it_replaces_action_item_titles_of_case_reviews(member):
    review = _meeting(-3, title="Case review", kind=MeetingKind.CASE_REVIEW)
    _action(member, review, f"Call back about {CODE}", 1)
    [text] = _texts(ActionItemsSection().build(person=member, window=_window()))
    assert text.endswith(str(CASE_REVIEW_ACTION)) and CODE not in text


# --- Trainings ---


def test_it_lists_trainings_of_the_next_30_days_and_the_persons_registrations(member, colleague):
    soon = TrainingFactory(title="Hotel staff training", starts_at=timezone.now() + timedelta(days=5))
    waiting = TrainingFactory(title="Hospital training", starts_at=timezone.now() + timedelta(days=8))
    later = TrainingFactory(title="School training", starts_at=timezone.now() + timedelta(days=60))
    TrainingFactory(title="Far and not mine", starts_at=timezone.now() + timedelta(days=45))
    TrainingFactory(title="Cancelled", starts_at=timezone.now() + timedelta(days=3), cancelled_at=timezone.now())
    TrainingRegistration.objects.create(training=soon, person=member, status=RegistrationStatus.REGISTERED)
    TrainingRegistration.objects.create(training=waiting, person=member, status=RegistrationStatus.WAITLISTED)
    TrainingRegistration.objects.create(training=later, person=member, status=RegistrationStatus.REGISTERED)
    TrainingRegistration.objects.create(training=waiting, person=colleague, status=RegistrationStatus.REGISTERED)

    assert _texts(TrainingsSection().build(person=member, window=_window())) == [
        "Hotel staff training (you are registered)",
        "Hospital training (you are on the waiting list)",
        "School training (you are registered)",
    ]
    assert _texts(TrainingsSection().build(person=colleague, window=_window())) == [
        "Hotel staff training",
        "Hospital training (you are registered)",
    ]


# --- Empty, query counts, the rendered email ---


@pytest.mark.parametrize("section", [MeetingsSection, AgendasAndMinutesSection, ActionItemsSection, TrainingsSection])
def test_it_is_left_out_when_empty(section, member):
    assert section().build(person=member, window=_window()) is None


def _world(person: User, rows: int) -> None:
    now = timezone.now()
    for n in range(rows):
        meeting = _meeting(1 + n % 10, title=f"Meeting {n}", agenda_published_at=now - timedelta(hours=1))
        past = _meeting(-2 - n, title=f"Past {n}")
        _minutes(past, MinutesStatus.CIRCULATED, at=now - timedelta(hours=2))
        _action(person, meeting, f"Action {n}", n % 9 - 2)
        training = TrainingFactory(starts_at=now + timedelta(days=2 + n))
        TrainingRegistration.objects.create(training=training, person=person, status=RegistrationStatus.REGISTERED)


def _queries(person: User) -> int:
    person = User.objects.get(pk=person.pk)  # nothing cached on the instance
    with CaptureQueriesContext(connection) as queries:
        for section in (MeetingsSection, AgendasAndMinutesSection, ActionItemsSection, TrainingsSection):
            section().build(person=person, window=_window())
    return len(queries)


@pytest.mark.parametrize("person", ["member", "coordinator"])
def test_it_runs_a_constant_number_of_queries_per_person(person, request):
    one = UserFactory(agency=request.getfixturevalue(person).agency, role=request.getfixturevalue(person).role)
    many = request.getfixturevalue(person)
    _world(one, 1)
    _world(many, 12)
    assert _queries(one) == _queries(many) <= 12


def test_the_rendered_digest_carries_no_reference_code_nor_minutes_text(member):
    prefer(member, time_zone="America/Los_Angeles")
    now = timezone.now()
    review = _meeting(2, title=f"Case review {CODE}", kind=MeetingKind.CASE_REVIEW, agenda_published_at=now)
    review.agenda_published_at = now - timedelta(hours=1)
    review.save()
    _minutes(_meeting(-2, title=f"Review {CODE}", kind=MeetingKind.CASE_REVIEW), MinutesStatus.CIRCULATED, at=now)
    _minutes(_meeting(-3, title="Full task force"), MinutesStatus.CIRCULATED, at=now - timedelta(hours=1))
    _action(member, review, f"Follow up on {CODE}", -1)
    TrainingFactory(title="Hotel staff training", starts_at=now + timedelta(days=5))
    window = DigestWindow(start=now - timedelta(days=1), end=now + timedelta(seconds=1), now=now)

    sections = digest_sections_build(person=member, window=window)
    assert [s.key for s in sections] == ["meetings", "meeting_records", "action_items", "trainings"]
    text = bodies(digest_message(person=member, sections=sections, window=window, frequency="daily"))
    assert not REFERENCE_CODE.search(text)
    assert "Elm Street" not in text and MINUTES_TEXT not in text
    assert str(CASE_REVIEW_ACTION) in text and "Minutes circulated for review: Full task force" in text
    with timezone.override(ZoneInfo("America/Los_Angeles")):  # the person's zone, the digest's one style
        assert format_moment(review.starts_at) in text


# --- The meeting invitation ---


def test_it_invites_the_committees_audience_only(coordinator, member, outsider, committee):
    other = UserFactory(agency=outsider.agency, email="not-on-it@test.example.org")
    gone = UserFactory(agency=outsider.agency, is_active=False)
    committee.members.add(gone)
    with after_commit():
        meeting = schedule(coordinator, audience=Audience.COMMITTEE, committee=committee, title="Working group")
    assert [message.to[0] for message in mail.outbox] == [outsider.email]
    message = sent_to(outsider.email)[0]
    assert message.subject == "You are invited to a meeting"
    assert "You are invited to a meeting on " in message.body
    assert f"/meetings/{meeting.pk}/" in message.body
    assert other.email not in [m.to[0] for m in mail.outbox] and member.email not in [m.to[0] for m in mail.outbox]


def test_it_invites_the_cochairs_to_a_cochairs_meeting(coordinator, member, outsider):
    with after_commit():
        schedule(coordinator, audience=Audience.COCHAIRS, title="Co-chairs")
    assert sorted(message.to[0] for message in mail.outbox) == sorted([coordinator.email, member.email])


def test_it_sends_no_invitation_for_a_full_task_force_meeting(coordinator, member):
    with after_commit():
        schedule(coordinator)
    assert mail.outbox == []
    assert not Delivery.objects.filter(kind="meeting_invitation").exists()


def test_it_respects_the_invitations_switch(coordinator, member):
    prefer(member, notify_invitations=False)
    with after_commit():
        schedule(coordinator, audience=Audience.COCHAIRS, title="Co-chairs")
    assert [message.to[0] for message in mail.outbox] == [coordinator.email]
    assert Delivery.objects.get(person=member).detail == "switched_off"


def test_the_invitation_to_a_case_review_carries_no_title(coordinator, outsider, committee):
    with after_commit():
        schedule(
            coordinator, kind=MeetingKind.CASE_REVIEW, audience=Audience.COMMITTEE, committee=committee,
            title="Case review of the March referrals",
        )  # fmt: skip
    text = bodies(sent_to(outsider.email)[0])
    assert "March referrals" not in text and "Case review" not in text
    assert "You are invited to a meeting on " in text


def test_it_does_not_invite_to_a_meeting_cancelled_before_the_email_went_out(coordinator, outsider, committee):
    from digests.tasks import notify

    meeting = schedule(coordinator, audience=Audience.COMMITTEE, committee=committee, title="Working group")
    Meeting.objects.filter(pk=meeting.pk).update(cancelled_at=timezone.now())
    notify.delay("meeting_invitation", meeting.pk)
    assert mail.outbox == []

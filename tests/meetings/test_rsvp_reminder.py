"""The RSVP reminder: two days before a meeting, once, to the people invited who have not answered."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from digests.models import Delivery
from meetings import services
from meetings.choices import Audience
from meetings.digest_sections import RSVP_REMINDER
from meetings.models import Meeting
from meetings.tasks import send_rsvp_reminders
from tests.digests.helpers import after_commit, prefer, sent_to
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db

SUBJECT = "Will you come to the meeting?"


@pytest.fixture
def cochairs_meeting(coordinator, member) -> Meeting:
    """Next week, for the co-chairs (the coordinator and the member are of a co-chair agency)."""
    return schedule(coordinator, audience=Audience.COCHAIRS, title="Co-chairs")


def _reminded() -> list[str]:
    """Who got a reminder (the outbox also sends the invitations still waiting there)."""
    return sorted(message.to[0] for message in mail.outbox if message.subject == SUBJECT)


def _run_at(moment) -> int:
    with time_machine.travel(moment, tick=False), after_commit():
        return send_rsvp_reminders()


def test_it_reminds_only_who_has_not_answered_two_days_before(cochairs_meeting, coordinator, member):
    services.rsvp_set(actor=member, meeting=cochairs_meeting, response="yes")
    assert _run_at(cochairs_meeting.starts_at - timedelta(days=3)) == 0  # too early
    assert _reminded() == []
    assert _run_at(cochairs_meeting.starts_at - timedelta(hours=47)) == 1
    assert _reminded() == [coordinator.email]
    message = next(message for message in sent_to(coordinator.email) if message.subject == SUBJECT)
    assert f"/meetings/{cochairs_meeting.pk}/" in message.body


def test_it_reminds_once_per_person_and_meeting(cochairs_meeting, coordinator, member):
    _run_at(cochairs_meeting.starts_at - timedelta(hours=47))
    _run_at(cochairs_meeting.starts_at - timedelta(hours=46))
    services.rsvp_reminder_send(meeting_id=cochairs_meeting.pk)
    assert _reminded() == sorted([coordinator.email, member.email])
    assert Delivery.objects.filter(kind=RSVP_REMINDER).count() == 2


def test_it_sends_nothing_to_who_answered_after_the_reminder_was_planned(cochairs_meeting, coordinator, member):
    from digests.tasks import send_deliveries

    with time_machine.travel(cochairs_meeting.starts_at - timedelta(hours=47), tick=False):
        services.rsvp_reminder_send(meeting_id=cochairs_meeting.pk)  # planned; no commit yet, nothing sent
        services.rsvp_set(actor=member, meeting=cochairs_meeting, response="no")
        with after_commit():
            send_deliveries.delay(list(Delivery.objects.filter(kind=RSVP_REMINDER).values_list("pk", flat=True)))
    assert _reminded() == [coordinator.email]


def test_it_respects_the_invitations_switch_and_skips_cancelled_and_full_meetings(coordinator, member):
    prefer(member, notify_invitations=False)
    reminded = schedule(coordinator, audience=Audience.COCHAIRS, title="Co-chairs")
    cancelled = schedule(coordinator, audience=Audience.COCHAIRS, title="Cancelled")
    services.meeting_cancel(actor=coordinator, meeting=cancelled)
    schedule(coordinator, title="Everyone is invited: no email")
    assert _run_at(reminded.starts_at - timedelta(hours=40)) == 1
    assert _reminded() == [coordinator.email]


def test_a_meeting_scheduled_shortly_before_gets_no_reminder(coordinator, member):
    soon = schedule(coordinator, audience=Audience.COCHAIRS, title="Soon")
    Meeting.objects.filter(pk=soon.pk).update(
        starts_at=soon.created_at + timedelta(hours=30), ends_at=soon.created_at + timedelta(hours=31)
    )
    assert _run_at(soon.created_at + timedelta(hours=1)) == 0

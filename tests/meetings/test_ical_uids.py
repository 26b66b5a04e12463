"""One UID scheme: a meeting's event.ics names it as the feed does, so that importing the file and
subscribing to the feed give one event in a calendar app, not two."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from agencies.models import User
from meetings import services
from meetings.choices import Frequency
from meetings.models import Meeting
from tests.conftest import client_for
from tests.meetings.conftest import local, schedule

pytestmark = pytest.mark.django_db

# What names an event (or one occurrence of a series) in a calendar app, and what it shows.
KEYS = ("UID", "RECURRENCE-ID", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY")


def _identity(event) -> tuple[str, ...]:
    return tuple(event[name].to_ical().decode() if name in event else "" for name in KEYS)


def _feed_events(person: User) -> set[tuple[str, ...]]:
    _, raw = services.calendar_feed_create(user=person)
    response = Client().get(reverse("meetings:calendar_feed_ics", args=[raw]))
    return {_identity(event) for event in Calendar.from_ical(response.content).walk("VEVENT")}


def _download(person: User, meeting: Meeting):
    response = client_for(person).get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    return event


def test_it_names_a_single_meetings_download_as_the_feed_does(coordinator, member):
    meeting = schedule(coordinator, title="Quarterly review")
    event = _download(member, meeting)
    assert "RECURRENCE-ID" not in event
    assert _identity(event) in _feed_events(member)


def test_it_names_a_series_occurrences_download_by_the_series_uid_and_its_recurrence_id(coordinator, member):
    first = schedule(
        coordinator,
        title="Full task force",
        starts_at=local(2031, 1, 14, 10),
        ends_at=local(2031, 1, 14, 11, 30),
        frequency=Frequency.MONTHLY,
        count=4,
    )
    feed = _feed_events(member)
    for meeting in first.series.meetings.order_by("starts_at"):
        event = _download(member, meeting)
        assert str(event["UID"]) == f"series-{first.series_id}@127.0.0.1"
        assert event.decoded("RECURRENCE-ID") == meeting.series_slot
        assert _identity(event) in feed, meeting


def test_it_cancels_one_occurrence_in_its_download_under_the_series_uid(coordinator, member):
    first = schedule(coordinator, title="Working group", frequency=Frequency.WEEKLY, count=3)
    cancelled = services.meeting_cancel(actor=coordinator, meeting=first.series.meetings.order_by("starts_at")[1])
    event = _download(member, cancelled)
    assert str(event["UID"]) == f"series-{first.series_id}@127.0.0.1"
    assert event.decoded("RECURRENCE-ID") == cancelled.series_slot
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1

"""iCalendar feeds and downloads: valid RFC 5545 (parsed back with the icalendar library), with UID,
DTSTAMP, a VTIMEZONE, RRULE for series, and nothing the reader may not see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.rrule import rrulestr
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from audit.models import AuditEntry, AuditEvent
from meetings import services
from meetings.choices import Audience, Frequency
from meetings.models import CalendarFeed
from tests.conftest import client_for
from tests.meetings.conftest import local, move_to, schedule
from tests.meetings.factories import TrainingFactory

pytestmark = pytest.mark.django_db


def _parse(response) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n")), "lines are folded at 75 octets"
    calendar = Calendar.from_ical(raw)
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    return calendar


def _events(calendar: Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def _check_events(calendar: Calendar) -> None:
    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    assert "America/Chicago" in zones
    for event in _events(calendar):
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL"):
            assert name in event, f"{name} missing"
        assert event["DTSTART"].params["TZID"] == "America/Chicago"
        assert event.decoded("DTSTAMP").tzinfo is not None
        assert str(event["URL"]).startswith("http")


def _feed(user) -> tuple[str, Client]:
    _, raw = services.calendar_feed_create(user=user)
    return reverse("meetings:calendar_feed_ics", args=[raw]), Client()


def test_it_serves_a_valid_private_feed_of_what_the_person_may_see(coordinator, member, outsider):
    shared = schedule(coordinator, title="Everyone's meeting")
    schedule(coordinator, title="Co-chairs only", audience=Audience.COCHAIRS)
    TrainingFactory(title="Members-only training")
    url, client = _feed(outsider)
    calendar = _parse(client.get(url))
    _check_events(calendar)
    summaries = {str(event["SUMMARY"]) for event in _events(calendar)}
    assert summaries == {"Everyone's meeting", "Members-only training"}
    uid = next(str(e["UID"]) for e in _events(calendar) if str(e["SUMMARY"]) == "Everyone's meeting")
    assert uid == f"meeting-{shared.pk}@127.0.0.1"


def test_it_writes_a_series_as_an_rrule_with_overrides_and_exdates(coordinator, member):
    first = schedule(
        coordinator,
        title="Full task force",
        starts_at=local(2031, 1, 14, 10),
        ends_at=local(2031, 1, 14, 11, 30),
        frequency=Frequency.MONTHLY,
        count=4,
    )
    meetings = list(first.series.meetings.order_by("starts_at"))
    services.meeting_cancel(actor=coordinator, meeting=meetings[2])
    url, client = _feed(member)
    calendar = _parse(client.get(url))
    _check_events(calendar)
    master = next(e for e in _events(calendar) if "RRULE" in e)
    assert master["RRULE"].to_ical() == b"FREQ=MONTHLY;COUNT=4;BYDAY=2TU"
    assert [d.dt for d in master["EXDATE"].dts] == [timezone.localtime(meetings[2].starts_at)]
    overrides = [e for e in _events(calendar) if "RECURRENCE-ID" in e]
    assert len(overrides) == 3 and {str(e["UID"]) for e in overrides} == {str(master["UID"])}
    # A calendar app's expansion of the rule gives exactly the stored meetings, in local time.
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=master.decoded("DTSTART"))
    assert list(rule) == [timezone.localtime(m.starts_at) for m in meetings]


def test_it_hides_an_occurrence_whose_audience_excludes_the_reader(coordinator, outsider):
    first = schedule(coordinator, title="Monthly", frequency=Frequency.MONTHLY, count=3)
    hidden = first.series.meetings.order_by("starts_at")[1]
    hidden.audience = Audience.COCHAIRS
    hidden.save()
    url, client = _feed(outsider)
    master = next(e for e in _events(_parse(client.get(url))) if "RRULE" in e)
    assert [d.dt for d in master["EXDATE"].dts] == [timezone.localtime(hidden.starts_at)]


def test_it_stops_a_revoked_or_replaced_feed_link_at_once(member):
    url, client = _feed(member)
    newer, _ = _feed(member)
    assert client.get(url).status_code == 404
    assert client.get(newer).status_code == 200
    services.calendar_feed_revoke(user=member)
    assert client.get(newer).status_code == 404
    assert client.get(reverse("meetings:calendar_feed_ics", args=["not-a-token"])).status_code == 404
    assert AuditEntry.objects.filter(event=AuditEvent.CALENDAR_FEED_REVOKED).count() == 1


def test_it_stops_the_feed_of_a_deactivated_person(member):
    url, client = _feed(member)
    member.is_active = False
    member.save()
    assert client.get(url).status_code == 404


def test_it_keeps_only_a_digest_of_the_feed_token(member, as_member):
    page = as_member.post(reverse("meetings:calendar_feed"), {"action": "create"}).content.decode()
    feed = CalendarFeed.objects.get(user=member)
    token = page.split("/calendar/feed/")[1].split(".ics")[0]
    assert token not in str(CalendarFeed.objects.values().get()) and len(feed.digest) == 64
    assert 'id="new-feed"' not in as_member.get(reverse("meetings:calendar_feed")).content.decode()


def test_it_serves_a_public_feed_of_public_trainings_only(coordinator):
    TrainingFactory(title="Open to all", is_public=True)
    TrainingFactory(title="Members only", is_public=False)
    schedule(coordinator, title="A meeting")
    calendar = _parse(Client().get(reverse("meetings:public_training_feed")))
    _check_events(calendar)
    events = _events(calendar)
    assert [str(e["SUMMARY"]) for e in events] == ["Open to all"]
    assert "/public/trainings/" in str(events[0]["URL"])


def test_it_offers_an_ics_download_of_every_meeting_and_training(coordinator, as_member):
    meeting = schedule(coordinator)
    services.meeting_cancel(actor=coordinator, meeting=meeting)
    response = as_member.get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    event = _events(_parse(response))[0]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    training = TrainingFactory(is_public=True)
    for url in (
        reverse("meetings:training_ics", args=[training.pk]),
        reverse("meetings:public_training_ics", args=[training.pk]),
    ):
        client = as_member if "public" not in url else Client()
        assert str(_events(_parse(client.get(url)))[0]["UID"]) == f"training-{training.pk}@127.0.0.1"


def test_it_leaves_old_meetings_out_of_the_feed(coordinator, member, settings):
    old = move_to(schedule(coordinator, title="Long ago"), starts_in=-timedelta(days=200))
    assert old.ends_at < timezone.now() - timedelta(days=settings.MEETINGS_FEED_PAST_DAYS)
    url, client = _feed(member)
    assert not _events(_parse(client.get(url)))


def test_it_answers_404_for_a_meeting_download_outside_the_audience(coordinator, outsider):
    meeting = schedule(coordinator, audience=Audience.COCHAIRS)
    assert client_for(outsider).get(reverse("meetings:meeting_ics", args=[meeting.pk])).status_code == 404

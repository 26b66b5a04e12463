"""The feeds read the same in independent iCalendar parsers, across both daylight-saving changes.

icalendar (PyPI) reads a time by its TZID through zoneinfo, so it stands for the truth; vobject
(PyPI) and ical.js (npm, run by node: tests/meetings/ical_starts.mjs) read it through the file's
own VTIMEZONE, as calendar apps do. Each parser expands the series itself (RRULE, EXDATE and the
RECURRENCE-ID overrides). Every occurrence's UTC start must be the one stored. The portal has
no all-day events (meetings and trainings have a start and an end time), so none are tested.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
import vobject
from dateutil.rrule import rrulestr
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from agencies.models import User
from meetings import ical, services
from meetings.choices import Frequency
from meetings.models import Meeting, Training
from tests.conftest import client_for
from tests.meetings.conftest import schedule
from tests.meetings.factories import TrainingFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ICAL_JS = ROOT / "tests" / "meetings" / "ical_starts.mjs"
# (UID, RECURRENCE-ID in UTC or None) -> start in UTC, for every occurrence a calendar app shows.
Occurrences = dict[tuple[str, str | None], str]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _expand(uid: str, starts: list[datetime], overrides: Occurrences) -> Occurrences:
    return {(uid, _utc(s)): overrides.get((uid, _utc(s)), _utc(s)) for s in starts}


def _single_occurrences(overrides: Occurrences, found: Occurrences) -> Occurrences:
    """An occurrence without its series (one meeting's event.ics) stands on its own, as in iTIP (RFC 5546)."""
    series = {uid for uid, _ in found}
    return {key: start for key, start in overrides.items() if key[0] not in series}


def read_with_icalendar(raw: bytes) -> Occurrences:
    events = Calendar.from_ical(raw).walk("VEVENT")
    overrides = {
        (str(e["UID"]), _utc(e.decoded("RECURRENCE-ID"))): _utc(e.decoded("DTSTART"))
        for e in events
        if "RECURRENCE-ID" in e
    }
    found: Occurrences = {}
    for event in (e for e in events if "RECURRENCE-ID" not in e):
        uid, start = str(event["UID"]), event.decoded("DTSTART")
        if "RRULE" not in event:
            found[(uid, None)] = _utc(start)
            continue
        exdates = event.get("EXDATE", [])
        excluded = {_utc(d.dt) for line in (exdates if isinstance(exdates, list) else [exdates]) for d in line.dts}
        rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
        found |= _expand(uid, [s for s in rule if _utc(s) not in excluded], overrides)
    return found | _single_occurrences(overrides, found)


def read_with_vobject(raw: bytes) -> Occurrences:
    events = vobject.readOne(raw.decode()).vevent_list
    overrides = {
        (e.uid.value, _utc(e.recurrence_id.value)): _utc(e.dtstart.value)
        for e in events
        if "recurrence-id" in e.contents
    }
    found: Occurrences = {}
    for event in (e for e in events if "recurrence-id" not in e.contents):
        if "rrule" not in event.contents:
            found[(event.uid.value, None)] = _utc(event.dtstart.value)
        else:  # vobject leaves out the EXDATEs itself
            found |= _expand(event.uid.value, list(event.getrruleset(addRDate=True)), overrides)
    return found | _single_occurrences(overrides, found)


def read_with_ical_js(raw: bytes) -> Occurrences:
    if shutil.which("node") is None or not (ROOT / "node_modules" / "ical.js").is_dir():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("node and ical.js are required in CI (apt-get install nodejs npm; make install runs npm ci)")
        pytest.skip("node or node_modules/ical.js is missing: run `make install`")
    result = subprocess.run(["node", str(ICAL_JS)], input=raw, capture_output=True, check=True, cwd=ROOT, timeout=60)
    return {(o["uid"], o["recurrence_id"]): o["start"] for o in json.loads(result.stdout)}


PARSERS = [
    pytest.param(read_with_icalendar, id="icalendar"),
    pytest.param(read_with_vobject, id="vobject"),
    pytest.param(read_with_ical_js, id="ical.js"),
]


def _changes(year: int) -> list[date]:
    """The days the task force's clocks change in `year` (in America/Chicago: March, then November)."""
    zone = timezone.get_current_timezone()
    noons = [datetime.combine(date(year, 1, 1) + timedelta(days=n), time(12), tzinfo=zone) for n in range(366)]
    return [b.date() for a, b in pairwise(noons) if a.utcoffset() != b.utcoffset()]


def _at(day: date, hour: int = 13, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _meeting_at(coordinator: User, start: datetime, **values: object) -> Meeting:
    return schedule(coordinator, starts_at=start, ends_at=start + timedelta(hours=1, minutes=30), **values)


@pytest.fixture
def year() -> int:
    return timezone.localdate().year + 1


@pytest.fixture
def world(coordinator: User, year: int) -> list[Meeting]:
    """Meetings and trainings the week before and after each change, and two series across them."""
    spring, fall = _changes(year)
    for season, change in (("spring", spring), ("fall", fall)):
        for days in (-7, -1, 0, 1, 7):
            _meeting_at(coordinator, _at(change + timedelta(days=days)), title=f"Meeting {days:+} days from {season}")
        for days in (-2, 2):
            start = _at(change + timedelta(days=days), 9, 30)
            TrainingFactory(starts_at=start, ends_at=start + timedelta(hours=3), is_public=days > 0)
        # A weekly series across the change: one occurrence cancelled (EXDATE), one moved (RECURRENCE-ID).
        first = _meeting_at(coordinator, _at(change - timedelta(days=15), 18), frequency=Frequency.WEEKLY, count=5)
        series = list(first.series.meetings.order_by("starts_at"))
        services.meeting_cancel(actor=coordinator, meeting=series[1])
        moved = _at(change + timedelta(days=8), 8, 15)
        details = replace(services.meeting_details(series[3]), starts_at=moved, ends_at=moved + timedelta(hours=1))
        services.meeting_update(actor=coordinator, meeting=series[3], details=details)
    _meeting_at(coordinator, _at(date(year, 1, 13), 10), frequency=Frequency.MONTHLY, count=12)
    return list(Meeting.objects.filter(cancelled_at__isnull=True))


def _expected(meetings: list[Meeting], trainings: list[Training]) -> Occurrences:
    expected: Occurrences = {}
    for meeting in meetings:
        if meeting.series is None:
            expected[(ical.meeting_uid(meeting), None)] = _utc(meeting.starts_at)
        else:
            assert meeting.series_slot is not None
            expected[(ical.series_uid(meeting.series), _utc(meeting.series_slot))] = _utc(meeting.starts_at)
    expected |= {(ical.training_uid(t), None): _utc(t.starts_at) for t in trainings}
    return expected


@pytest.mark.parametrize("read", PARSERS)
def test_it_gives_every_occurrence_of_the_private_feed_its_stored_start(
    read: Callable[[bytes], Occurrences], world: list[Meeting], member: User
):
    _, raw = services.calendar_feed_create(user=member)
    response = Client().get(reverse("meetings:calendar_feed_ics", args=[raw]))
    expected = _expected(world, list(Training.objects.all()))
    assert len(expected) == 34
    assert read(response.content) == expected


@pytest.mark.parametrize("read", PARSERS)
def test_it_gives_every_public_training_its_stored_start(read: Callable[[bytes], Occurrences], world: list[Meeting]):
    response = Client().get(reverse("meetings:public_training_feed"))
    public = list(Training.objects.filter(is_public=True))
    assert len(public) == 2
    assert read(response.content) == _expected([], public)


@pytest.mark.parametrize("read", PARSERS)
def test_it_gives_each_meetings_event_ics_its_stored_start(
    read: Callable[[bytes], Occurrences], world: list[Meeting], member: User
):
    client = client_for(member)
    for meeting in world:
        response = client.get(reverse("meetings:meeting_ics", args=[meeting.pk]))
        assert list(read(response.content).values()) == [_utc(meeting.starts_at)], meeting.title

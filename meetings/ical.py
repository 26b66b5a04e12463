"""iCalendar (RFC 5545) for feeds and downloads, built with the icalendar library.

Times are written with TZID=<task force's zone> and a VTIMEZONE (meetings/vtimezone.py: yearly
rules that every parser reads alike), so that calendar apps show them right in any zone and
across daylight-saving changes. A series is one VEVENT with an RRULE, plus one overriding VEVENT
(RECURRENCE-ID) per meeting, which carries the meeting's own time, status and link back; cancelled
meetings, and meetings the reader may not see, become EXDATEs. A meeting has one name everywhere:
its event.ics is the very VEVENT the feeds carry (for a series, the series' UID with the
occurrence's RECURRENCE-ID), so that importing it and subscribing give one event, not two.
Links and UIDs come from PORTAL_BASE_URL, never from the request's host.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from meetings import recurrence, vtimezone
from meetings.models import Meeting, MeetingSeries, Training

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _domain() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def new_calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.TASKFORCE_NAME}//Task force portal//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def to_ics(calendar: Calendar) -> bytes:
    """The calendar as bytes, with a VTIMEZONE for each zone its times name (not icalendar's own:
    its one multi-valued RDATE is misread by ical.js and vobject, see meetings/vtimezone.py)."""
    events = calendar.walk("VEVENT")
    if events:
        times = [
            event.decoded(name) for event in events for name in ("DTSTART", "DTEND", "RECURRENCE-ID") if name in event
        ]
        first, last = min(times), max(times)
        for tzid in sorted(calendar.get_missing_tzids()):
            calendar.add_component(vtimezone.vtimezone(tzid, first=first, last=last))
    return calendar.to_ical()


def _event(*, uid: str, summary: str, start: datetime, end: datetime, url: str, place: str, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("summary", summary)
    event.add("dtstart", _local(start))
    event.add("dtend", _local(end))
    event.add("url", url)
    if place:
        event.add("location", place)
    event.add("description", f"{description}\n\nDetails: {url}".strip())
    return event


def _meeting_event(meeting: Meeting, *, uid: str) -> Event:
    url = absolute(reverse("meetings:meeting_detail", args=[meeting.pk]))
    description = f"{meeting.get_kind_display()} hosted by {meeting.host_agency.name}."
    if meeting.video_url:
        description += f"\nVideo link: {meeting.video_url}"
    event = _event(
        uid=uid,
        summary=meeting.title,
        start=meeting.starts_at,
        end=meeting.ends_at,
        url=url,
        place=meeting.location or meeting.video_url,
        description=description,
    )
    event.add("sequence", meeting.sequence)
    event.add("last-modified", meeting.updated_at)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{_domain()}"


def series_uid(series: MeetingSeries) -> str:
    return _series_uid(series.pk)


def _series_uid(pk: int) -> str:
    return f"series-{pk}@{_domain()}"


def training_uid(training: Training) -> str:
    return f"training-{training.pk}@{_domain()}"


def meeting_component(meeting: Meeting) -> Event:
    """One meeting as the feeds carry it (also its .ics download): a meeting of a series is the
    occurrence of the series' UID at its RECURRENCE-ID, so that a calendar app takes the download
    and the feed's occurrence for one event (RFC 5546 sends one occurrence the same way)."""
    if meeting.series_id is None:
        return _meeting_event(meeting, uid=meeting_uid(meeting))
    event = _meeting_event(meeting, uid=_series_uid(meeting.series_id))
    assert meeting.series_slot is not None  # set with the series, by meeting_schedule
    event.add("recurrence-id", _local(meeting.series_slot))
    return event


def _series_components(series: MeetingSeries, visible: list[Meeting], slots: dict[int, datetime]) -> list[Event]:
    """`slots`: every meeting of the series (id -> its slot), to exclude those not shown."""
    first = series.first_start
    master = _event(
        uid=series_uid(series),
        summary=series.title,
        start=first,
        end=first + series.duration,
        url=absolute(reverse("meetings:calendar_list")),
        place=series.location or series.video_url,
        description=f"{series.get_kind_display()} hosted by {series.host_agency.name}, "
        + recurrence.describe(first_start=first, frequency=series.frequency, count=series.count)
        + ".",
    )
    master.add("rrule", recurrence.rrule(first_start=first, frequency=series.frequency, count=series.count))
    shown = {m.pk for m in visible if not m.is_cancelled}
    excluded = sorted(_local(slot) for pk, slot in slots.items() if pk not in shown)
    if excluded:
        master.add("exdate", excluded)
    overrides = [meeting_component(meeting) for meeting in visible if not meeting.is_cancelled]
    return [master, *overrides]


def add_meetings(calendar: Calendar, meetings: Iterable[Meeting]) -> None:
    by_series: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        if meeting.series_id is None:
            calendar.add_component(meeting_component(meeting))
        else:
            by_series[meeting.series_id].append(meeting)
    if not by_series:
        return
    slots: dict[int, dict[int, datetime]] = defaultdict(dict)
    for pk, series_id, slot in Meeting.objects.filter(series_id__in=by_series).values_list(
        "pk", "series_id", "series_slot"
    ):
        assert series_id is not None and slot is not None  # set together, by meeting_schedule
        slots[series_id][pk] = slot
    for series in MeetingSeries.objects.filter(pk__in=by_series).select_related("host_agency"):
        for component in _series_components(series, by_series[series.pk], slots[series.pk]):
            calendar.add_component(component)


def training_component(training: Training, *, public: bool = False) -> Event:
    name = "meetings:public_training_detail" if public else "meetings:training_detail"
    url = absolute(reverse(name, args=[training.pk]))
    description = f"Training hosted by {training.host_agency.name}.\n{training.description}"
    if training.video_url:
        description += f"\nVideo link: {training.video_url}"
    event = _event(
        uid=training_uid(training),
        summary=training.title,
        start=training.starts_at,
        end=training.ends_at,
        url=url,
        place=training.location or training.video_url,
        description=description,
    )
    event.add("sequence", training.sequence)
    event.add("last-modified", training.updated_at)
    event.add("status", "CANCELLED" if training.is_cancelled else "CONFIRMED")
    return event


def add_trainings(calendar: Calendar, trainings: Iterable[Training], *, public: bool = False) -> None:
    for training in trainings:
        calendar.add_component(training_component(training, public=public))

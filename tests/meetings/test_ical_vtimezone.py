"""The VTIMEZONE of the feeds: yearly rules, one value a line, read back as zoneinfo says by other
parsers (vobject, and icalendar's own reading of a VTIMEZONE), for zones of every sort."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar

from meetings.vtimezone import vtimezone


def _text(key: str, first: datetime, last: datetime) -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//test//EN")
    calendar.add("version", "2.0")
    calendar.add_component(vtimezone(key, first=first, last=last))
    return calendar.to_ical().decode()


def test_it_writes_chicagos_rules_as_two_yearly_rrules():
    text = _text("America/Chicago", datetime(2026, 1, 5, tzinfo=UTC), datetime(2027, 12, 1, tzinfo=UTC))
    assert text.split("BEGIN:VTIMEZONE\r\n")[1].split("END:VTIMEZONE")[0].splitlines() == [
        "TZID:America/Chicago",
        "BEGIN:DAYLIGHT",
        "DTSTART:20070311T020000",
        "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
        "TZNAME:CDT",
        "TZOFFSETFROM:-0600",
        "TZOFFSETTO:-0500",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "DTSTART:20071104T020000",
        "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
        "TZNAME:CST",
        "TZOFFSETFROM:-0500",
        "TZOFFSETTO:-0600",
        "END:STANDARD",
    ]


@pytest.mark.parametrize(
    ("key", "first_year"),
    [
        ("America/Chicago", 2005),  # before and after the US rules of 2007: history, then rules
        ("Europe/Berlin", 2022),  # the last Sunday of the month
        ("Australia/Sydney", 2022),  # daylight saving over the new year
        ("America/Santiago", 2022),  # "the first Sunday on or after the 2nd": one observance a change
        ("America/Mexico_City", 2021),  # daylight saving abolished in 2022
        ("Asia/Kolkata", 2022),  # no change since 1970
    ],
)
def test_it_reads_back_as_zoneinfo_says_every_hour(key: str, first_year: int):
    first, last = datetime(first_year, 1, 1, tzinfo=UTC), datetime(first_year + 3, 12, 31, tzinfo=UTC)
    text = _text(key, first, last)
    assert "RDATE" not in text
    readers = {
        "vobject": vobject.readOne(text).vtimezone.gettzinfo(),
        "icalendar": Calendar.from_ical(text).walk("VTIMEZONE")[0].to_tz(lookup_tzid=False),
    }
    zone, wrong = ZoneInfo(key), {name: [] for name in readers}
    moment = first
    while moment < last:
        local = moment.astimezone(zone)
        for name, reader in readers.items():
            # An hour that a fall change repeats is read as its first pass, as calendar apps do.
            if local.fold == 0 and local.replace(tzinfo=reader).utcoffset() != local.utcoffset():
                wrong[name].append(local.isoformat())
        moment += timedelta(hours=1)
    assert wrong == {name: [] for name in readers}

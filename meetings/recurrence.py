"""Recurring meetings: the dates of a series and the same rule as an RFC 5545 RRULE.

Occurrences are computed in the task force's wall-clock time and only then converted to UTC,
so that "10:00 on the second Tuesday" stays 10:00 across a daylight-saving change, exactly as
a calendar app expands `DTSTART;TZID=America/Chicago` with the RRULE below.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from meetings.choices import Frequency

MAX_OCCURRENCES = 52
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# The weekday of the month, as in "the second Tuesday".
ORDINALS = {
    1: pgettext_lazy("weekday of the month", "first"),
    2: pgettext_lazy("weekday of the month", "second"),
    3: pgettext_lazy("weekday of the month", "third"),
    4: pgettext_lazy("weekday of the month", "fourth"),
    -1: pgettext_lazy("weekday of the month", "last"),
}


def nth_weekday_of(day: date) -> int:
    """Which weekday of its month `day` is: 1-4, or -1 for a fifth one (kept as "the last")."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def nth_weekday_date(year: int, month: int, weekday: int, nth: int) -> date:
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[nth - 1] if nth > 0 else days[-1]


def _local_dates(first: date, frequency: str, count: int) -> list[date]:
    if frequency in (Frequency.WEEKLY, Frequency.BIWEEKLY):
        step = timedelta(weeks=1 if frequency == Frequency.WEEKLY else 2)
        return [first + step * i for i in range(count)]
    nth, dates = nth_weekday_of(first), []
    for i in range(count):
        year, month = divmod(first.month - 1 + i, 12)
        dates.append(nth_weekday_date(first.year + year, month + 1, first.weekday(), nth))
    return dates


def occurrences(*, first_start: datetime, frequency: str, count: int, zone: ZoneInfo | None = None) -> list[datetime]:
    """The starts of a series (aware, UTC), in wall-clock time of `zone` (the task force's by default)."""
    zone = zone or timezone.get_current_timezone()
    local = first_start.astimezone(zone)
    return [
        datetime.combine(day, local.time(), tzinfo=zone).astimezone(UTC)
        for day in _local_dates(local.date(), frequency, count)
    ]


def rrule(*, first_start: datetime, frequency: str, count: int, zone: ZoneInfo | None = None) -> dict[str, object]:
    """The series as an RRULE value for the icalendar library."""
    local = first_start.astimezone(zone or timezone.get_current_timezone())
    weekday = _WEEKDAYS[local.weekday()]
    if frequency == Frequency.MONTHLY:
        return {"FREQ": "MONTHLY", "BYDAY": f"{nth_weekday_of(local.date())}{weekday}", "COUNT": count}
    interval = 1 if frequency == Frequency.WEEKLY else 2
    return {"FREQ": "WEEKLY", "INTERVAL": interval, "BYDAY": weekday, "COUNT": count}


def describe(*, first_start: datetime, frequency: str, count: int) -> str:
    """In words, in the active language: "every month on the second Tuesday, 12 meetings"."""
    local = timezone.localtime(first_start)
    weekday = WEEKDAYS[local.weekday()]
    if frequency == Frequency.MONTHLY:
        nth = ORDINALS[nth_weekday_of(local.date())]
        rule = _("every month on the %(nth)s %(weekday)s") % {"nth": nth, "weekday": weekday}
    elif frequency == Frequency.BIWEEKLY:
        rule = _("every other %(weekday)s") % {"weekday": weekday}
    else:
        rule = _("every %(weekday)s") % {"weekday": weekday}
    meetings = ngettext("%(count)s meeting", "%(count)s meetings", count) % {"count": count}
    return _("%(rule)s, %(meetings)s") % {"rule": rule, "meetings": meetings}

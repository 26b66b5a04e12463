"""The month view's grid: weeks of days (Sunday first, as US calendars), each with its events."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from meetings.selectors import CalendarEvent


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    events: list[CalendarEvent] = field(default_factory=list)


def parse_month(value: str | None) -> date:
    """ "2026-03" -> March 1st, 2026; this month when missing or malformed."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


def shift_month(first: date, months: int) -> date:
    year, month = divmod(first.month - 1 + months, 12)
    return date(first.year + year, month + 1, 1)


def grid_bounds(first: date) -> tuple[date, date]:
    """The first and last day shown (whole weeks around the month)."""
    weeks = calendar.Calendar(firstweekday=calendar.SUNDAY).monthdatescalendar(first.year, first.month)
    return weeks[0][0], weeks[-1][-1]


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


def month_weeks(first: date, events: list[CalendarEvent]) -> list[list[Day]]:
    today = timezone.localdate()
    weeks = calendar.Calendar(firstweekday=calendar.SUNDAY).monthdatescalendar(first.year, first.month)
    days = {d: Day(date=d, in_month=d.month == first.month, is_today=d == today) for week in weeks for d in week}
    for event in events:
        day = timezone.localtime(event.starts_at).date()
        last = timezone.localtime(event.ends_at - timedelta(microseconds=1)).date()
        while day <= last:
            if day in days:
                days[day].events.append(event)
            day += timedelta(days=1)
    return [[days[d] for d in week] for week in weeks]

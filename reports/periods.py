"""Reporting periods, and the one rule for which date places a record in a period.

A period is a range of calendar days in the task force's time zone (settings.TIME_ZONE),
both ends included. A record counts in the period when its timestamp falls in
[first day 00:00, day after the last day 00:00) in that time zone: a referral sent at
23:30 on 31 March in Chicago counts in the first quarter, although it is April in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

FIRST_YEAR = 2000
CUSTOM_MAX_DAYS = 5 * 366


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", "Calendar quarter"
    HALF = "half", "Half-year (January-June or July-December)"
    FISCAL_YEAR = "fiscal_year", "Federal fiscal year (October-September)"
    CUSTOM = "custom", "Custom range"


def task_force_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # included

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start, end): midnight at both ends, in the task force's time zone."""
        zone = task_force_zone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1} ({_months(self.start, self.end)})"
        if self.kind == PeriodKind.HALF:
            return f"{self.start.year} H{1 if self.start.month == 1 else 2} ({_months(self.start, self.end)})"
        if self.kind == PeriodKind.FISCAL_YEAR:
            return f"Federal fiscal year {self.end.year} ({_months(self.start, self.end)})"
        return f"{_day(self.start)} to {_day(self.end)}"

    @property
    def slug(self) -> str:
        """For file names: 2025-q1, 2025-h2, fy2025, 2025-01-15-to-2025-02-28."""
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-q{(self.start.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.HALF:
            return f"{self.start.year}-h{1 if self.start.month == 1 else 2}"
        if self.kind == PeriodKind.FISCAL_YEAR:
            return f"fy{self.end.year}"
        return f"{self.start.isoformat()}-to-{self.end.isoformat()}"

    def months(self) -> list[date]:
        """The first day of every calendar month the period touches, in order."""
        first, result = self.start.replace(day=1), []
        while first <= self.end:
            result.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return result

    def has_ended(self) -> bool:
        return self.end < timezone.localdate()

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "time_zone": settings.TIME_ZONE,
        }


def period_build(
    *,
    kind: str,
    year: int | None = None,
    part: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Period:
    """The period of `kind`: `year` and `part` (quarter 1-4, half 1-2) or `start`/`end` for a custom range.

    Raises ValidationError keyed by the field at fault, with a message a person can act on.
    """
    if kind not in PeriodKind.values:
        raise ValidationError({"kind": "Choose a quarter, a half-year, a federal fiscal year or a custom range."})
    if kind == PeriodKind.CUSTOM:
        return _custom(start, end)
    _check_year(year)
    assert year is not None
    if kind == PeriodKind.FISCAL_YEAR:
        # Federal fiscal year 2025 runs from 1 October 2024 to 30 September 2025.
        return Period(kind, date(year - 1, 10, 1), date(year, 9, 30))
    count = 4 if kind == PeriodKind.QUARTER else 2
    if part is None or not 1 <= part <= count:
        what = (
            "quarter (1 to 4)" if kind == PeriodKind.QUARTER else "half-year (1 for January-June, 2 for July-December)"
        )
        raise ValidationError({"part": f"Choose the {what}."})
    months = 12 // count
    first = date(year, (part - 1) * months + 1, 1)
    last_month_first = date(year, part * months, 1)
    return Period(kind, first, _month_end(last_month_first))


_SLUG = re.compile(r"(\d{4})-([qh])([1-4])", re.ASCII)


def period_from_slug(slug: str) -> Period | None:
    """The quarter or half-year named by its `slug` ("2025-q1", "2025-h2"); None for anything else."""
    found = _SLUG.fullmatch(slug)
    if found is None:
        return None
    kind = PeriodKind.QUARTER if found[2] == "q" else PeriodKind.HALF
    try:
        return period_build(kind=kind, year=int(found[1]), part=int(found[3]))
    except ValidationError:
        return None  # a year out of range, or a third half-year


def last_months(count: int, *, today: date | None = None) -> Period:
    """The `count` calendar months up to and including the current one (for the dashboard)."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _ in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return Period(PeriodKind.CUSTOM, first, _month_end(today.replace(day=1)))


def _custom(start: date | None, end: date | None) -> Period:
    errors = {}
    if start is None:
        errors["start"] = "Give the first day of the range."
    if end is None:
        errors["end"] = "Give the last day of the range."
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None
    if end < start:
        raise ValidationError({"end": "The last day must be on or after the first day."})
    if start.year < FIRST_YEAR or end.year > timezone.localdate().year + 1:
        raise ValidationError({"start": f"Choose dates from {FIRST_YEAR} to next year."})
    if (end - start).days >= CUSTOM_MAX_DAYS:
        raise ValidationError({"end": "A custom range can span at most five years."})
    return Period(PeriodKind.CUSTOM, start, end)


def _check_year(year: int | None) -> None:
    latest = timezone.localdate().year + 1
    if year is None or not FIRST_YEAR <= year <= latest:
        raise ValidationError({"year": f"Choose a year from {FIRST_YEAR} to {latest}."})


def _month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _months(start: date, end: date) -> str:
    if start.year == end.year:
        return f"{start:%B}-{end:%B} {end.year}"
    return f"{start:%B} {start.year}-{end:%B} {end.year}"


def _day(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"

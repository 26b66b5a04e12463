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
from django.utils import timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FIRST_YEAR = 2000
CUSTOM_MAX_DAYS = 5 * 366


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", gettext_lazy("Calendar quarter")
    HALF = "half", gettext_lazy("Half-year (January-June or July-December)")
    FISCAL_YEAR = "fiscal_year", gettext_lazy("Federal fiscal year (October-September)")
    CUSTOM = "custom", gettext_lazy("Custom range")


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
        """In the active language: "2026 Q4 (October-December 2026)"; published content keeps the English one."""
        months = _months(self.start, self.end)
        if self.kind == PeriodKind.QUARTER:
            quarter = (self.start.month - 1) // 3 + 1
            return _("%(year)s Q%(quarter)s (%(months)s)") % {
                "year": self.start.year,
                "quarter": quarter,
                "months": months,
            }
        if self.kind == PeriodKind.HALF:
            half = 1 if self.start.month == 1 else 2
            return _("%(year)s H%(half)s (%(months)s)") % {"year": self.start.year, "half": half, "months": months}
        if self.kind == PeriodKind.FISCAL_YEAR:
            return _("Federal fiscal year %(year)s (%(months)s)") % {"year": self.end.year, "months": months}
        return _("%(start)s to %(end)s") % {"start": day_label(self.start), "end": day_label(self.end)}

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

    @property
    def english_label(self) -> str:
        """The label in published content, files and the funder's copies: always English."""
        with translation.override("en"):
            return self.label

    def as_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "label": self.english_label,
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
        raise ValidationError({"kind": _("Choose a quarter, a half-year, a federal fiscal year or a custom range.")})
    if kind == PeriodKind.CUSTOM:
        return _custom(start, end)
    _check_year(year)
    assert year is not None
    if kind == PeriodKind.FISCAL_YEAR:
        # Federal fiscal year 2025 runs from 1 October 2024 to 30 September 2025.
        return Period(kind, date(year - 1, 10, 1), date(year, 9, 30))
    count = 4 if kind == PeriodKind.QUARTER else 2
    if part is None or not 1 <= part <= count:
        if kind == PeriodKind.QUARTER:
            raise ValidationError({"part": _("Choose the quarter (1 to 4).")})
        raise ValidationError({"part": _("Choose the half-year (1 for January-June, 2 for July-December).")})
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
    for _step in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return Period(PeriodKind.CUSTOM, first, _month_end(today.replace(day=1)))


def _custom(start: date | None, end: date | None) -> Period:
    errors = {}
    if start is None:
        errors["start"] = _("Give the first day of the range.")
    if end is None:
        errors["end"] = _("Give the last day of the range.")
    if errors:
        raise ValidationError(errors)
    assert start is not None and end is not None
    if end < start:
        raise ValidationError({"end": _("The last day must be on or after the first day.")})
    if start.year < FIRST_YEAR or end.year > timezone.localdate().year + 1:
        raise ValidationError({"start": _("Choose dates from %(first)s to next year.") % {"first": FIRST_YEAR}})
    if (end - start).days >= CUSTOM_MAX_DAYS:
        raise ValidationError({"end": _("A custom range can span at most five years.")})
    return Period(PeriodKind.CUSTOM, start, end)


def _check_year(year: int | None) -> None:
    latest = timezone.localdate().year + 1
    if year is None or not FIRST_YEAR <= year <= latest:
        raise ValidationError(
            {"year": _("Choose a year from %(first)s to %(last)s.") % {"first": FIRST_YEAR, "last": latest}}
        )


def _month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _months(start: date, end: date) -> str:
    # Django's month names, in the active language (strftime's %B follows the C locale: always English).
    first, last = MONTHS[start.month], MONTHS[end.month]
    if start.year == end.year:
        return _("%(first)s-%(last)s %(year)s") % {"first": first, "last": last, "year": end.year}
    return _("%(first)s %(first_year)s-%(last)s %(year)s") % {
        "first": first,
        "first_year": start.year,
        "last": last,
        "year": end.year,
    }


def day_label(day: date) -> str:
    return _("%(month)s %(day)s, %(year)s") % {"month": MONTHS[day.month], "day": day.day, "year": day.year}

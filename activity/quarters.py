"""The quarters figures are entered for: parsed from "2025-q1" (reports.periods' slug), listed for a picker."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.periods import Period, PeriodKind, period_build

_SLUG = re.compile(r"(\d{4})-q([1-4])", re.ASCII)


def quarter_containing(day: date) -> Period:
    return period_build(kind=PeriodKind.QUARTER, year=day.year, part=(day.month - 1) // 3 + 1)


def quarter_parse(slug: str) -> Period | None:
    """The quarter named by `slug` ("2025-q1", as Period.slug writes it); None for anything else."""
    found = _SLUG.fullmatch(slug)
    if found is None:
        return None
    try:
        return period_build(kind=PeriodKind.QUARTER, year=int(found[1]), part=int(found[2]))
    except ValidationError:
        return None  # a year the periods refuse (before 2000, after next year)


def quarter_check_enterable(period: Period, *, today: date | None = None) -> None:
    """Figures are counted per calendar quarter, once it has begun (a running quarter can be corrected later)."""
    if period.kind != PeriodKind.QUARTER or quarter_containing(period.start) != period:
        raise ValidationError({"quarter": _("Figures are entered for a calendar quarter.")})
    if period.start > (today or timezone.localdate()):
        raise ValidationError({"quarter": _("This quarter has not begun yet: enter its figures once it has.")})


def recent_quarters(count: int = 8, *, today: date | None = None) -> list[Period]:
    """The running quarter and the `count - 1` before it, newest first."""
    quarters = [quarter_containing(today or timezone.localdate())]
    while len(quarters) < count:
        quarters.append(quarter_containing(quarters[-1].start - timedelta(days=1)))
    return quarters


def last_ended_quarter(*, today: date | None = None) -> Period:
    """The quarter figures are usually entered for: the one that ended most recently."""
    return recent_quarters(2, today=today)[1]

"""Figures of this area for grant reports: counts only, never people.

Funders ask for task-force meetings held, agencies attending, trainings delivered and people
trained by discipline (DOMAIN.md, "What funders ask for"). The reports area reads them from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Sum
from django.utils import timezone

from meetings.models import Attendance, Meeting, PeopleTrained, Training


@dataclass(frozen=True)
class MeetingFigures:
    meetings_held: int
    agencies_attending: int


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return datetime.combine(start, time(0), tzinfo=zone), datetime.combine(
        end + timedelta(days=1), time(0), tzinfo=zone
    )


def meeting_figures(*, start: date, end: date) -> MeetingFigures:
    """Meetings held from `start` to `end` (local dates, inclusive), and the distinct agencies at any of them."""
    since, until = _bounds(start, end)
    held = Meeting.objects.filter(starts_at__gte=since, starts_at__lt=until, cancelled_at__isnull=True)
    held = held.filter(starts_at__lte=timezone.now())
    agencies = Attendance.objects.filter(meeting__in=held).values("agency_id").distinct().count()
    return MeetingFigures(meetings_held=held.count(), agencies_attending=agencies)


def people_trained_by_sector(*, start: date, end: date) -> dict[str, int]:
    """People trained per audience sector, by trainings that started from `start` to `end`."""
    since, until = _bounds(start, end)
    rows = (
        PeopleTrained.objects.filter(training__starts_at__gte=since, training__starts_at__lt=until)
        .values("sector")
        .annotate(total=Sum("count"))
        .order_by("sector")
    )
    return {row["sector"]: row["total"] for row in rows}


def trainings_delivered(*, start: date, end: date) -> int:
    since, until = _bounds(start, end)
    return Training.objects.filter(
        starts_at__gte=since, starts_at__lt=until, cancelled_at__isnull=True, ends_at__lte=timezone.now()
    ).count()

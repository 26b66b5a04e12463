"""Figures of this area for grant reports: counts only, never people.

Funders ask for task-force meetings held, agencies attending, trainings delivered and people
trained by discipline (DOMAIN.md, "What funders ask for"). The grant report's measures
(meetings/report_measures.py) and the helpers below share the two rules of this module:

- a meeting is HELD in [since, until) when it is not cancelled and it started in that range and
  before `now` (a meeting later in the period is not held yet);
- a training is DELIVERED in [since, until) when it is not cancelled, it started in that range and
  it had ended by `now` (its host records the people trained once it has ended).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet, Sum
from django.utils import timezone

from meetings.models import Attendance, Meeting, PeopleTrained, Training


@dataclass(frozen=True)
class MeetingFigures:
    meetings_held: int
    agencies_attending: int


def held_meetings(*, since: datetime, until: datetime, now: datetime | None = None) -> QuerySet[Meeting]:
    """The meetings held from `since` (included) to `until` (excluded), as of `now`."""
    return Meeting.objects.filter(
        starts_at__gte=since, starts_at__lt=until, starts_at__lte=now or timezone.now(), cancelled_at__isnull=True
    ).order_by()


def delivered_trainings(*, since: datetime, until: datetime, now: datetime | None = None) -> QuerySet[Training]:
    """The trainings delivered from `since` (included) to `until` (excluded), as of `now`."""
    return Training.objects.filter(
        starts_at__gte=since, starts_at__lt=until, ends_at__lte=now or timezone.now(), cancelled_at__isnull=True
    ).order_by()


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    # The task force's time zone (settings.TIME_ZONE), as reports/periods.py: never a zone activated per request.
    zone = timezone.get_default_timezone()
    return datetime.combine(start, time(0), tzinfo=zone), datetime.combine(
        end + timedelta(days=1), time(0), tzinfo=zone
    )


def meeting_figures(*, start: date, end: date) -> MeetingFigures:
    """Meetings held from `start` to `end` (local dates, inclusive), and the distinct agencies at any of them."""
    since, until = _bounds(start, end)
    held = held_meetings(since=since, until=until)
    agencies = Attendance.objects.filter(meeting__in=held).values("agency_id").distinct().count()
    return MeetingFigures(meetings_held=held.count(), agencies_attending=agencies)


def people_trained_by_sector(*, start: date, end: date) -> dict[str, int]:
    """People trained per sector, by trainings delivered from `start` to `end` (local dates, inclusive)."""
    since, until = _bounds(start, end)
    rows = (
        PeopleTrained.objects.filter(training__in=delivered_trainings(since=since, until=until))
        .values("sector")
        .annotate(total=Sum("count"))
        .order_by("sector")
    )
    return {row["sector"]: row["total"] for row in rows}


def trainings_delivered(*, start: date, end: date) -> int:
    since, until = _bounds(start, end)
    return delivered_trainings(since=since, until=until).count()

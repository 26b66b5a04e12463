"""When a digest is due: pure functions of a schedule and an instant, in the person's time zone.

A period is named by the local date it is scheduled on ("daily:2026-11-21") or by its ISO week
("weekly:2026-W47"), so that a change of hour or weekday inside a period never makes a second
digest for it, and a daylight-saving change (an hour that happens twice, or not at all) neither.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from digests.models import Frequency

logger = logging.getLogger(__name__)

PERIOD_LENGTH = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    """A person's time zone; empty or unknown falls back to the task force's (and says so in the log)."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            logger.warning("Unknown time zone %r; using %s", name[:64], settings.TIME_ZONE)
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Schedule:
    frequency: str
    weekday: int
    hour: int
    tz: ZoneInfo


@dataclass(frozen=True)
class Due:
    at: datetime  # aware, UTC
    period: str


def _at(day: date, hour: int, tz: ZoneInfo) -> datetime:
    # A local hour that does not exist (spring forward) resolves to the hour after the gap, one
    # that happens twice (fall back) to its first occurrence: fold=0, as PEP 495 defines it.
    return datetime.combine(day, time(hour), tzinfo=tz).astimezone(UTC)


def _period(frequency: str, day: date) -> str:
    if frequency == Frequency.DAILY:
        return f"daily:{day.isoformat()}"
    year, week, _ = day.isocalendar()
    return f"weekly:{year}-W{week:02d}"


def _matches(schedule: Schedule, day: date) -> bool:
    return schedule.frequency == Frequency.DAILY or day.weekday() == schedule.weekday


def most_recent_due(schedule: Schedule, now: datetime) -> Due | None:
    """The latest scheduled instant at or before `now`; None for "never"."""
    if schedule.frequency not in PERIOD_LENGTH:
        return None
    day = now.astimezone(schedule.tz).date() + timedelta(days=1)
    for _ in range(9):
        if _matches(schedule, day):
            at = _at(day, schedule.hour, schedule.tz)
            if at <= now:
                return Due(at=at, period=_period(schedule.frequency, day))
        day -= timedelta(days=1)
    raise AssertionError("a weekly schedule always has a scheduled day in the last eight days")


def next_due(schedule: Schedule, now: datetime) -> Due | None:
    """The first scheduled instant after `now`; None for "never"."""
    if schedule.frequency not in PERIOD_LENGTH:
        return None
    day = now.astimezone(schedule.tz).date() - timedelta(days=1)
    for _ in range(10):
        if _matches(schedule, day):
            at = _at(day, schedule.hour, schedule.tz)
            if at > now:
                return Due(at=at, period=_period(schedule.frequency, day))
        day += timedelta(days=1)
    raise AssertionError("a weekly schedule always has a scheduled day in the next eight days")

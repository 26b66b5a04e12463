"""The escalation windows (cases/escalation.py): working days across weekends, public holidays and changes
of daylight saving time, in the task force's time zone (America/Chicago; holidays of US / WI)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases.choices import Urgency
from cases.escalation import escalation_due, is_working_day, working_days_after

CHICAGO = ZoneInfo("America/Chicago")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


@pytest.fixture(autouse=True)
def _task_force_calendar(settings):
    settings.TIME_ZONE = "America/Chicago"
    settings.ESCALATION_HOLIDAYS_COUNTRY, settings.ESCALATION_HOLIDAYS_SUBDIV = "US", "WI"
    settings.ESCALATION_EMERGENCY_HOURS = 2
    settings.ESCALATION_URGENT_WORKING_DAYS, settings.ESCALATION_ROUTINE_WORKING_DAYS = 1, 5


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # A working day: the same local time on the Nth following working day.
        (local(2026, 10, 6, 9, 15), 1, local(2026, 10, 7, 9, 15)),
        (local(2026, 10, 9, 15), 1, local(2026, 10, 12, 15)),  # Friday afternoon -> Monday afternoon
        (local(2026, 10, 9, 15), 5, local(2026, 10, 16, 15)),  # Friday -> the Friday after
        # A weekend: the clock starts on Monday at 00:00.
        (local(2026, 10, 10, 11), 1, local(2026, 10, 13, 0)),  # Saturday -> Tuesday 00:00
        (local(2026, 10, 11, 23, 59), 5, local(2026, 10, 19, 0)),  # Sunday -> the Monday after next, 00:00
        # Public holidays: Thanksgiving (Thursday), Christmas Eve and Day (Thursday, Friday).
        (local(2026, 11, 25, 10), 1, local(2026, 11, 27, 10)),
        (local(2026, 11, 26, 9), 1, local(2026, 11, 30, 0)),  # sent on the holiday: Friday 00:00 + 1
        (local(2026, 12, 23, 16), 1, local(2026, 12, 28, 16)),
        # An observed holiday: July 4th 2026 is a Saturday, observed on Friday July 3rd.
        (local(2026, 6, 29, 9), 5, local(2026, 7, 7, 9)),
    ],
)
def test_it_counts_working_days(start, days, due):
    assert working_days_after(start, days) == due
    assert working_days_after(start.astimezone(UTC), days) == due  # whatever zone the moment comes in


def test_it_knows_weekends_and_the_task_forces_holidays():
    assert is_working_day(local(2026, 10, 9).date())  # a Friday
    assert not is_working_day(local(2026, 10, 10).date())  # a Saturday
    assert not is_working_day(local(2026, 11, 26).date())  # Thanksgiving
    assert not is_working_day(local(2026, 7, 3).date())  # Independence Day, observed
    assert not is_working_day(local(2026, 12, 24).date())  # Christmas Eve: a Wisconsin holiday


def test_it_counts_by_the_wall_clock_across_a_change_of_daylight_saving_time(settings):
    # Clocks spring forward on Sunday, March 8th 2026: the weekend is an hour shorter.
    friday = local(2026, 3, 6, 15)
    assert working_days_after(friday, 1) == local(2026, 3, 9, 15)
    assert escalation_due(friday, Urgency.URGENT) - friday == timedelta(hours=71)
    assert escalation_due(local(2026, 3, 6, 10), Urgency.ROUTINE) - local(2026, 3, 6, 10) == timedelta(hours=167)
    # ... and fall back on Sunday, November 1st 2026: an hour longer.
    assert escalation_due(local(2026, 10, 30, 10), Urgency.URGENT) - local(2026, 10, 30, 10) == timedelta(hours=73)


def test_it_counts_an_emergency_in_clock_hours_nights_weekends_and_holidays_included():
    saturday_night = local(2026, 10, 10, 23, 30)
    assert escalation_due(saturday_night, Urgency.EMERGENCY) == local(2026, 10, 11, 1, 30)
    # Two real hours across the spring-forward gap (01:30 CST -> 04:30 CDT), not two hours of wall clock.
    assert escalation_due(local(2026, 3, 8, 1, 30), Urgency.EMERGENCY) == local(2026, 3, 8, 4, 30)
    assert escalation_due(local(2026, 12, 25, 12), Urgency.EMERGENCY) == local(2026, 12, 25, 14)


def test_it_reads_the_windows_and_the_holidays_from_the_settings(settings):
    settings.ESCALATION_EMERGENCY_HOURS = 1
    settings.ESCALATION_URGENT_WORKING_DAYS = 2
    assert escalation_due(local(2026, 10, 6, 9), Urgency.EMERGENCY) == local(2026, 10, 6, 10)
    assert escalation_due(local(2026, 10, 6, 9), Urgency.URGENT) == local(2026, 10, 8, 9)
    # Without Wisconsin's own holidays, Christmas Eve is a working day.
    settings.ESCALATION_HOLIDAYS_SUBDIV = ""
    assert is_working_day(local(2026, 12, 24).date())

"""When a digest is due, in a person's own time zone, across daylight-saving changes (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from digests.schedule import Schedule, most_recent_due, next_due

CHICAGO = ZoneInfo("America/Chicago")
TOKYO = ZoneInfo("Asia/Tokyo")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def daily(hour: int, tz: ZoneInfo = CHICAGO) -> Schedule:
    return Schedule(frequency="daily", weekday=0, hour=hour, tz=tz)


def weekly(weekday: int, hour: int, tz: ZoneInfo = CHICAGO) -> Schedule:
    return Schedule(frequency="weekly", weekday=weekday, hour=hour, tz=tz)


def test_it_names_a_daily_period_by_the_local_date_not_the_utc_date():
    # 03:30 UTC on the 21st is still the 20th, 21:30, in Chicago.
    due = most_recent_due(daily(21), utc(2026, 11, 21, 3, 30))
    assert due is not None
    assert due.period == "daily:2026-11-20"
    assert due.at == utc(2026, 11, 21, 3, 0)


def test_it_waits_for_the_hour_in_the_persons_own_time_zone():
    now = utc(2026, 11, 23, 0, 30)  # Monday 09:30 in Tokyo, Sunday 16:30 in Los Angeles
    tokyo = most_recent_due(weekly(0, 9, TOKYO), now)
    los_angeles = most_recent_due(weekly(0, 9, LOS_ANGELES), now)
    assert tokyo is not None and tokyo.at == utc(2026, 11, 23, 0, 0) and tokyo.period == "weekly:2026-W48"
    assert los_angeles is not None and los_angeles.at == utc(2026, 11, 16, 17, 0)
    assert los_angeles.period == "weekly:2026-W47"


def test_it_keeps_the_local_hour_across_a_daylight_saving_change():
    before = most_recent_due(daily(7), utc(2026, 3, 7, 18, 0))  # CST, UTC-6
    after = most_recent_due(daily(7), utc(2026, 3, 9, 18, 0))  # CDT, UTC-5
    assert before is not None and before.at == utc(2026, 3, 7, 13, 0)
    assert after is not None and after.at == utc(2026, 3, 9, 12, 0)


def test_it_sends_an_hour_that_does_not_exist_at_the_end_of_the_gap():
    # 2026-03-08 02:00 does not exist in Chicago (02:00 CST jumps to 03:00 CDT).
    due = next_due(daily(2), utc(2026, 3, 8, 6, 0))
    assert due is not None
    assert due.period == "daily:2026-03-08"
    assert due.at == utc(2026, 3, 8, 8, 0)  # 03:00 CDT
    assert due.at.astimezone(CHICAGO).hour == 3


def test_it_keeps_one_period_when_an_hour_happens_twice():
    # 2026-11-01 01:00 happens twice in Chicago (CDT, then CST). Both instants name the same period.
    first = most_recent_due(daily(1), utc(2026, 11, 1, 6, 30))  # 01:30 CDT
    second = most_recent_due(daily(1), utc(2026, 11, 1, 7, 30))  # 01:30 CST
    assert first is not None and second is not None
    assert first == second
    assert first.at == utc(2026, 11, 1, 6, 0)  # the first occurrence
    assert first.period == "daily:2026-11-01"


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 11, 23, 12, 59), "weekly:2026-W47"),  # Monday 06:59 in Chicago: last week's
        (utc(2026, 11, 23, 13, 0), "weekly:2026-W48"),  # Monday 07:00: this week's
        (utc(2026, 11, 29, 23, 0), "weekly:2026-W48"),  # Sunday evening: still this week's
    ],
)
def test_it_names_a_weekly_period_by_its_iso_week(now: datetime, expected: str):
    due = most_recent_due(weekly(0, 7), now)
    assert due is not None and due.period == expected


def test_it_names_the_iso_week_across_a_new_year():
    due = most_recent_due(weekly(3, 7), utc(2027, 1, 1, 18, 0))  # Thursday 2026-12-31
    assert due is not None and due.period == "weekly:2026-W53"


def test_it_has_no_due_time_for_never():
    never = Schedule(frequency="never", weekday=0, hour=7, tz=CHICAGO)
    assert most_recent_due(never, utc(2026, 11, 21, 12)) is None
    assert next_due(never, utc(2026, 11, 21, 12)) is None


def test_it_finds_the_next_time_after_now():
    now = utc(2026, 11, 21, 13, 0)  # Saturday 07:00 in Chicago, exactly
    assert next_due(daily(7), now).at == utc(2026, 11, 22, 13, 0)
    assert next_due(weekly(0, 7), now).at == utc(2026, 11, 23, 13, 0)

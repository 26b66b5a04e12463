"""Reporting periods: quarters, half-years, the federal fiscal year, custom ranges, time-zone bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from reports.periods import PeriodKind, last_months, period_build


@pytest.mark.parametrize(
    ("kind", "year", "part", "start", "end", "label"),
    [
        ("quarter", 2025, 1, date(2025, 1, 1), date(2025, 3, 31), "2025 Q1 (January-March 2025)"),
        ("quarter", 2024, 4, date(2024, 10, 1), date(2024, 12, 31), "2024 Q4 (October-December 2024)"),
        ("half", 2025, 1, date(2025, 1, 1), date(2025, 6, 30), "2025 H1 (January-June 2025)"),
        ("half", 2025, 2, date(2025, 7, 1), date(2025, 12, 31), "2025 H2 (July-December 2025)"),
        (
            "fiscal_year",
            2025,
            None,
            date(2024, 10, 1),
            date(2025, 9, 30),
            "Federal fiscal year 2025 (October 2024-September 2025)",
        ),
    ],
)
def test_it_builds_the_funders_periods(kind, year, part, start, end, label):
    period = period_build(kind=kind, year=year, part=part)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_it_builds_a_custom_range_and_counts_its_days_in_the_task_forces_time_zone(settings):
    settings.TIME_ZONE = "America/Chicago"
    period = period_build(kind=PeriodKind.CUSTOM, start=date(2025, 3, 9), end=date(2025, 3, 9))
    begin, end = period.bounds
    chicago = ZoneInfo("America/Chicago")
    # 9 March 2025 is the day clocks spring forward in Chicago: 23 hours long.
    assert begin == datetime(2025, 3, 9, tzinfo=chicago) and end == datetime(2025, 3, 10, tzinfo=chicago)
    assert (end.astimezone(UTC) - begin.astimezone(UTC)).total_seconds() == 23 * 3600
    assert period.label == "March 9, 2025 to March 9, 2025"


def test_it_lists_the_months_a_period_touches():
    period = period_build(kind=PeriodKind.CUSTOM, start=date(2024, 11, 15), end=date(2025, 2, 3))
    assert period.months() == [date(2024, 11, 1), date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]
    assert [m.month for m in last_months(12, today=date(2025, 3, 10)).months()] == [
        4,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
        1,
        2,
        3,
    ]


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"kind": "decade", "year": 2025}, "kind"),
        ({"kind": "quarter", "year": 2025, "part": 5}, "part"),
        ({"kind": "quarter", "year": 2025}, "part"),
        ({"kind": "half", "year": 2025, "part": 3}, "part"),
        ({"kind": "quarter", "year": 1999, "part": 1}, "year"),
        ({"kind": "fiscal_year"}, "year"),
        ({"kind": "custom", "start": date(2025, 1, 1)}, "end"),
        ({"kind": "custom", "start": date(2025, 2, 1), "end": date(2025, 1, 1)}, "end"),
        ({"kind": "custom", "start": date(2015, 1, 1), "end": date(2024, 1, 1)}, "end"),
        ({"kind": "custom", "start": date(1, 1, 1), "end": date(9999, 12, 31)}, "start"),
    ],
)
def test_it_refuses_a_period_that_makes_no_sense_with_a_message_for_the_field(arguments, field):
    with pytest.raises(ValidationError) as refused:
        period_build(**arguments)
    assert field in refused.value.message_dict

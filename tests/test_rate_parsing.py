"""Rates ("count/period") are read in one place, toolkit.ratelimit.parse_rate: the public form's limits
(meetings.throttle) read a rate as the API's throttles (DRF) do, and tolerate what a person types into an
environment variable."""

from __future__ import annotations

from uuid import uuid4

import pytest
from rest_framework.throttling import SimpleRateThrottle

from meetings import throttle
from toolkit.ratelimit import parse_rate


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("5/s", (5, 1)), ("10/m", (10, 60)), ("10/h", (10, 3600)), ("200/d", (200, 86400)), ("60/hour", (60, 3600))],
)
def test_it_reads_a_rate_as_the_api_throttles_do(rate, expected):
    assert parse_rate(rate) == expected
    assert parse_rate(rate) == SimpleRateThrottle.parse_rate(SimpleRateThrottle.__new__(SimpleRateThrottle), rate)


def test_it_tolerates_spaces_and_capitals_typed_into_the_environment():
    assert parse_rate(" 10 / H ") == (10, 3600)
    assert parse_rate("200/Day") == (200, 86400)


@pytest.mark.parametrize("rate", ["10", "10/w", "ten/h", "10/", ""])
def test_it_refuses_a_rate_it_cannot_read_and_names_it(rate):
    with pytest.raises(ValueError, match="rate"):
        parse_rate(rate)


def test_the_public_form_limit_counts_in_windows_of_the_parsed_rate():
    key = f"form-{uuid4()}"
    assert [throttle.allow(key=key, rate="2/ H") for _ in range(3)] == [True, True, False]
    assert throttle.allow(key=f"{key}-other", rate="2/h") is True


def test_the_public_form_limit_refuses_a_rate_it_cannot_read():
    with pytest.raises(ValueError, match="rate"):
        throttle.allow(key=f"form-{uuid4()}", rate="2/week")

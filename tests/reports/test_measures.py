"""Every referral measure against the hand-counted quarter of tests/reports/conftest.py (QUARTER)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.engine import report_compute
from reports.measures import all_measures, measures_by_key
from reports.periods import Period, PeriodKind, period_build

pytestmark = pytest.mark.django_db

Q1 = period_build(kind=PeriodKind.QUARTER, year=2025, part=1)


def raw(key: str, period: Period = Q1) -> dict[str, int]:
    """The measure's raw counts, before suppression (only tests ever see these)."""
    result = measures_by_key([key])[0].compute(period)
    return {count.key: count.value for count in result.counts}


def nonzero(counts: dict[str, int], prefix: str) -> dict[str, int]:
    return {k.removeprefix(prefix): v for k, v in counts.items() if k.startswith(prefix) and v}


def test_it_counts_referrals_sent_and_received_by_sector(quarter):
    counts = raw("sent_received_by_sector")
    assert counts["referrals.total"] == 8
    assert nonzero(counts, "sector.sent.") == {"victim_services": 4, "law_enforcement": 2, "health": 2}
    assert nonzero(counts, "sector.received.") == {"victim_services": 2, "law_enforcement": 4, "health": 2}


def test_it_counts_by_trafficking_type(quarter):
    assert nonzero(raw("trafficking_type"), "trafficking_type.") == {"sex": 3, "labor": 3, "both": 1, "unknown": 1}


def test_it_counts_potential_and_confirmed_victims(quarter):
    assert nonzero(raw("victim_status"), "victim_status.") == {"potential": 5, "confirmed": 3}


def test_it_counts_adults_minors_and_age_bands(quarter):
    counts = raw("age")
    assert counts["age.minors"] == 2 and counts["age.adults"] == 5
    assert nonzero(counts, "age.") == {
        "under_12": 1,
        "12_17": 1,
        "18_24": 2,
        "25_59": 2,
        "60_plus": 1,
        "unknown": 1,
        "minors": 2,
        "adults": 5,
    }


def test_it_counts_by_gender(quarter):
    assert nonzero(raw("gender"), "gender.") == {
        "woman": 3,
        "man": 2,
        "non_binary": 1,
        "prefers_not_to_say": 1,
        "transgender_woman": 1,
    }


def test_it_counts_by_citizenship_category(quarter):
    expected = {"citizen_or_lpr": 3, "foreign_national": 3, "unknown": 2}
    assert nonzero(raw("citizenship"), "citizenship.") == expected


def test_it_counts_by_referral_source(quarter):
    expected = {"hotline": 3, "law_enforcement": 2, "child_welfare": 1, "self": 1, "health": 1}
    assert nonzero(raw("source_type"), "source_type.") == expected


def test_it_counts_referrals_listing_each_need_and_protects_those_without(quarter):
    counts = raw("needs")
    having = {k: v for k, v in nonzero(counts, "needs.").items() if not k.endswith(".without")}
    assert having == {
        "shelter": 3,
        "legal": 3,
        "immigration": 1,
        "medical": 2,
        "safety_planning": 1,
        "mental_health": 1,
        "interpreter": 1,
        "employment": 1,
    }
    assert counts["needs.shelter.without"] == 5 and counts["needs.childcare.without"] == 8


def test_it_counts_outcomes_and_decline_reasons(quarter):
    counts = raw("outcomes")
    assert nonzero(counts, "outcomes.") == {
        "awaiting": 1,
        "accepted": 1,
        "declined.no_capacity": 1,
        "declined.not_eligible": 1,
        "closed.services_provided": 1,
        "closed.referred_elsewhere": 1,
        "closed.client_declined": 1,
        "withdrawn": 1,
    }
    assert counts["referrals.declined"] == 2 and counts["referrals.closed"] == 3 and counts["referrals.total"] == 8


def test_it_computes_the_median_days_to_accept_and_to_close(quarter):
    result = measures_by_key(["median_days"])[0].compute(Q1)
    counts = {c.key: c.value for c in result.counts}
    medians = {s.key: s.value for s in result.statistics}
    # Accepted after 2, 1, 3 and 4 days: median 2.5. Closed after 10, 5 and 6 days: median 6.
    assert counts == {"referrals.accepted_ever": 4, "referrals.closed": 3}
    assert medians["medians.accept"] == pytest.approx(2.5)
    assert medians["medians.close"] == pytest.approx(6.0)


def test_it_counts_active_partner_agencies_and_members(quarter):
    counts = raw("active_agencies")
    assert counts["agencies.active"] == 3 and counts["agencies.members"] == 4
    assert nonzero(counts, "agencies.active.") == {"victim_services": 1, "law_enforcement": 1, "health": 1}
    assert counts["agencies.members.legal_aid"] == 1


def test_it_counts_referrals_by_month_in_the_task_forces_time_zone(quarter):
    counts = raw("referrals_by_month")
    assert counts == {"month.2025-01": 2, "month.2025-02": 3, "month.2025-03": 3, "referrals.total": 8}


def test_it_places_a_referral_by_its_day_in_the_task_forces_time_zone(quarter):
    # The referral sent at 23:30 on 31 March (Chicago) is in Q1; the one at 00:00 on 1 April is in Q2.
    q2 = period_build(kind=PeriodKind.QUARTER, year=2025, part=2)
    last_q4 = Period(PeriodKind.CUSTOM, date(2024, 12, 31), date(2024, 12, 31))
    assert raw("trafficking_type", q2)["referrals.total"] == 1
    assert raw("trafficking_type", last_q4)["referrals.total"] == 1


def test_it_counts_every_measure_with_a_fixed_number_of_queries(quarter):
    keys = [measure.key for measure in all_measures()]
    with CaptureQueriesContext(connection) as few:
        report_compute(period=Q1, measure_keys=keys)
    period_year = period_build(kind=PeriodKind.FISCAL_YEAR, year=2025)
    with CaptureQueriesContext(connection) as year:
        report_compute(period=period_year, measure_keys=keys)
    # GROUP BY queries only: the number does not grow with the number of referrals or months.
    assert len(few.captured_queries) == len(year.captured_queries) <= 2 * len(keys)


def test_it_publishes_the_hand_counted_quarter_with_every_small_count_suppressed(quarter, settings):
    content = report_compute(period=Q1, measure_keys=["trafficking_type", "median_days"])
    types = {row["key"]: row["cells"][0] for row in content["measures"][0]["rows"]}
    assert types["sex"] == {"value": None, "display": "<11", "status": "small"}
    assert types["total"] == {"value": None, "display": "<11", "status": "small"}
    medians = content["measures"][1]["rows"]
    assert medians[0]["cells"][1] == {"value": None, "display": "withheld", "status": "withheld"}


def test_it_withholds_across_measures_that_share_a_total(quarter):
    keys = ["trafficking_type", "victim_status", "median_days"]
    content = report_compute(period=Q1, measure_keys=keys, threshold=3)
    tables = {
        m["key"]: {row["key"]: [c["display"] for c in row["cells"]] for row in m["rows"]} for m in content["measures"]
    }
    # "both" and "unknown" are 1 each: "<3". Were sex (3), labor (3) and the total (8) shown, the two
    # would share 8 - 3 - 3 = 2, each at least 1: both pinned to 1. Withholding sex and labor is not
    # enough (each is 3 or more, so the two small ones still add up to at most 2): the total goes too.
    assert tables["trafficking_type"] == {
        "sex": ["withheld"],
        "labor": ["withheld"],
        "both": ["<3"],
        "unknown": ["<3"],
        "total": ["withheld"],
    }
    # The same total is in the next table: with it withheld, "confirmed" (total minus 5) must go too.
    assert tables["victim_status"] == {"potential": ["5"], "confirmed": ["withheld"], "total": ["withheld"]}
    # Medians rest on 4 and 3 referrals, not fewer than 3: shown.
    assert tables["median_days"] == {"accept": ["4", "2.5"], "close": ["3", "6.0"]}

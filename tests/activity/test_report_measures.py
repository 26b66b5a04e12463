"""The activity measures of the grant report: totals per measure over the period's quarters, across
agencies, protected by the suppression every report goes through."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from activity import report_measures, services
from activity.choices import ActivityMeasure
from agencies.models import Sector
from agencies.roles import Role
from reports.engine import report_compute
from reports.measures import measures_by_key
from reports.periods import PeriodKind, period_build
from tests.activity.conftest import Q1, Q2, Q3
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
M = ActivityMeasure
H1 = period_build(kind=PeriodKind.HALF, year=2025, part=1)
KEYS = ["activity_enforcement", "activity_outreach"]


def raw(key: str, period=H1) -> dict[str, int]:
    result = measures_by_key([key])[0].compute(period)
    return {count.key: count.value for count in result.counts}


@pytest.fixture
def entered(sheriff, detective_admin, prosecutor, prosecutor_admin, agency, coordinator):
    police = AgencyFactory(name="Juniper City Police", sector=Sector.LAW_ENFORCEMENT)
    officer = UserFactory(agency=police, role=Role.AGENCY_ADMIN)
    with time_machine.travel(date(2025, 10, 15), tick=False):
        for period, values in ((Q1, {M.ARRESTS_SEX: 3, M.ARRESTS_LABOR: 1}), (Q2, {M.ARRESTS_SEX: 9})):
            services.activity_figures_enter(agency=sheriff, period=period, values=values, actor=detective_admin)
        services.activity_figures_enter(agency=police, period=Q2, values={M.ARRESTS_SEX: 2}, actor=officer)
        services.activity_figures_enter(agency=sheriff, period=Q3, values={M.ARRESTS_SEX: 50}, actor=detective_admin)
        services.activity_figures_enter(
            agency=prosecutor,
            period=Q1,
            values={M.CONVICTIONS_LABOR: 1, M.CHARGES_OTHER_SEX: 0},
            actor=prosecutor_admin,
        )
        services.activity_figures_enter(
            agency=agency, period=Q2, values={M.AWARENESS_EVENTS: 4, M.AWARENESS_PEOPLE: 300}, actor=coordinator
        )


def test_it_totals_each_measure_over_the_quarters_of_the_period_across_agencies(entered):
    counts = raw("activity_enforcement")
    assert counts["activity.arrests_sex"] == 3 + 9 + 2  # Q3's 50 lies outside the half-year
    assert counts["activity.arrests_labor"] == 1 and counts["activity.arrests"] == 15
    assert counts["activity.convictions_labor"] == 1 and counts["activity.convictions"] == 1
    assert counts["activity.investigations"] == 0 and counts["activity.charges_other"] == 0
    assert raw("activity_enforcement", Q1)["activity.arrests_sex"] == 3
    assert raw("activity_enforcement", Q3)["activity.arrests_sex"] == 50
    assert raw("activity_outreach") == {
        "activity.awareness_events": 4,
        "activity.awareness_people": 300,
        "activity.ta_received": 0,
        "activity.ta_answered": 0,
    }


def test_it_suppresses_small_counts_about_people_and_shows_events_as_they_are(entered):
    content = report_compute(period=H1, measure_keys=KEYS)
    enforcement, outreach = content["measures"]
    arrests = next(row for row in enforcement["rows"] if row["key"] == "arrests")
    assert [cell["display"] for cell in arrests["cells"]] == ["withheld", "<11", "15"]  # parts withheld before totals
    convictions = next(row for row in enforcement["rows"] if row["key"] == "convictions")
    assert [cell["status"] for cell in convictions["cells"]] == ["shown", "small", "small"]
    shown = {row["key"]: row["cells"][0]["display"] for row in outreach["rows"]}
    assert shown == {"awareness_events": "4", "awareness_people": "300", "ta_received": "0", "ta_answered": "0"}


def test_it_names_the_funder_item_of_every_figure():
    result = measures_by_key(["activity_enforcement"])[0].compute(Q1)
    laid_out = {count.key for count in result.counts} - {
        f"activity.{row}" for row, *_ in report_measures.ENFORCEMENT_ROWS
    }
    laid_out |= {f"activity.{m}" for m, _, _ in report_measures.OUTREACH_ROWS}
    assert laid_out == set(report_measures.FUNDER_ITEMS) == {f"activity.{m}" for m in ActivityMeasure.values}

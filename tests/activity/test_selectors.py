"""Who sees which figures, and which agencies still owe a quarter's figures."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser

from activity import selectors, services
from activity.choices import HOLDERS, ActivityMeasure, Holder
from agencies.models import Agency, Sector
from agencies.roles import Role
from reports.periods import PeriodKind, period_build
from tests.activity.conftest import Q1, Q2
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
M = ActivityMeasure
CHICAGO = ZoneInfo("America/Chicago")
H1 = period_build(kind=PeriodKind.HALF, year=2025, part=1)


def admitted(agency: Agency, day: date) -> Agency:
    Agency.objects.filter(pk=agency.pk).update(created_at=datetime(day.year, day.month, day.day, tzinfo=CHICAGO))
    agency.refresh_from_db()
    return agency


def everything(holder: Holder, value: int = 1) -> dict[str, int]:
    return {measure.value: value for measure in HOLDERS[holder]}


@pytest.fixture
def entered(sheriff, detective_admin, agency, coordinator):
    sheriff_figure = services.activity_figures_enter(
        agency=sheriff, period=Q1, values={M.ARRESTS_SEX: 2}, actor=detective_admin
    )[0]
    cochair_figure = services.activity_figures_enter(
        agency=agency, period=Q1, values={M.AWARENESS_EVENTS: 3}, actor=coordinator
    )[0]
    return sheriff_figure, cochair_figure


def test_it_shows_an_agency_its_own_figures_only(entered, deputy, member):
    sheriff_figure, cochair_figure = entered
    assert list(selectors.figures_for(user=deputy)) == [sheriff_figure]
    assert list(selectors.figures_for(user=member)) == [cochair_figure]
    assert not selectors.figures_for(user=AnonymousUser()).exists()


def test_it_shows_every_agencys_exact_figures_only_to_a_grant_manager_with_mfa(entered, coordinator, grant_manager):
    """The funder copy's rule: a coordinator sees the partner copy ("<11"), so only its own agency's figures."""
    _sheriff_figure, cochair_figure = entered
    assert grant_manager.has_totp and selectors.figures_for(user=grant_manager).count() == 2
    assert list(selectors.figures_for(user=coordinator)) == [cochair_figure]
    grant_manager.authenticator_set.all().delete()
    without_mfa = type(grant_manager).objects.get(pk=grant_manager.pk)
    own = [figure for figure in entered if figure.agency_id == without_mfa.agency_id]
    assert list(selectors.figures_for(user=without_mfa)) == own


def test_it_hides_the_figures_from_a_deactivated_person(entered, deputy):
    deputy.is_active = False
    deputy.save()
    assert not selectors.figures_for(user=deputy).exists()


@time_machine.travel(date(2025, 8, 1), tick=False)
def test_it_lists_the_agencies_that_have_not_entered_a_quarter(
    sheriff, detective_admin, prosecutor, prosecutor_admin, agency, coordinator, clinic
):
    for holder_agency in (sheriff, prosecutor, agency, clinic):
        admitted(holder_agency, date(2024, 6, 1))
    services.activity_figures_enter(
        agency=sheriff, period=Q1, values=everything(Holder.LAW_ENFORCEMENT), actor=detective_admin
    )
    services.activity_figures_enter(agency=prosecutor, period=Q1, values={M.CONVICTIONS_SEX: 0}, actor=prosecutor_admin)
    missing = selectors.missing_for(Q1)
    assert [(m.agency, m.quarter) for m in missing] == [(prosecutor, Q1), (agency, Q1)]
    assert missing[0].measures == tuple(m for m in HOLDERS[Holder.PROSECUTION] if m != M.CONVICTIONS_SEX)
    assert missing[1].measures == HOLDERS[Holder.COCHAIR]

    services.activity_figures_enter(
        agency=prosecutor, period=Q1, values=everything(Holder.PROSECUTION), actor=prosecutor_admin
    )
    services.activity_figures_enter(agency=agency, period=Q1, values=everything(Holder.COCHAIR), actor=coordinator)
    assert selectors.missing_for(Q1) == []
    # A half-year: the second quarter is owed by all three.
    assert [(m.agency.name, m.quarter) for m in selectors.missing_for(H1)] == [
        (prosecutor.name, Q2),
        (sheriff.name, Q2),
        (agency.name, Q2),
    ]


@time_machine.travel(date(2025, 8, 1), tick=False)
def test_it_owes_nothing_for_quarters_before_admission_or_not_begun_or_when_inactive(sheriff, prosecutor):
    admitted(sheriff, date(2025, 4, 15))  # during Q2
    admitted(prosecutor, date(2024, 1, 1))
    Agency.objects.filter(pk=prosecutor.pk).update(is_active=False)
    assert selectors.missing_for(Q1) == []
    year = period_build(kind=PeriodKind.FISCAL_YEAR, year=2026)  # October 2025 onwards: not begun
    assert selectors.missing_for(year) == []
    quarters = [m.quarter for m in selectors.missing_for(period_build(kind=PeriodKind.HALF, year=2025, part=2))]
    assert quarters == [period_build(kind=PeriodKind.QUARTER, year=2025, part=3)]
    assert [m.quarter for m in selectors.missing_for(H1)] == [Q2]


def test_it_asks_nothing_of_an_agency_that_holds_no_measures():
    clinic = AgencyFactory(sector=Sector.HEALTH)
    admitted(clinic, date(2020, 1, 1))
    UserFactory(agency=clinic, role=Role.AGENCY_ADMIN)
    assert selectors.missing_for(Q1) == []

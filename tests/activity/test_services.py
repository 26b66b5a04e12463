"""activity_figures_enter: who may enter which figures, once per agency and quarter, corrections audited."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from activity import services
from activity.choices import MAX_VALUE, ActivityMeasure
from activity.models import ActivityFigure
from agencies.models import Sector
from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from reports.periods import Period, PeriodKind, period_build
from tests.activity.conftest import Q1
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db
M = ActivityMeasure


def enter(agency, actor, values, period=Q1):
    return services.activity_figures_enter(agency=agency, period=period, values=values, actor=actor)


def test_it_enters_a_law_enforcement_agencys_figures_with_who_entered_them(sheriff, detective_admin):
    figures = enter(sheriff, detective_admin, {M.ARRESTS_SEX: 3, M.INVESTIGATIONS_LABOR: 0})
    assert [(f.measure, f.value) for f in figures] == [(M.INVESTIGATIONS_LABOR, 0), (M.ARRESTS_SEX, 3)]
    figure = ActivityFigure.objects.get(measure=M.ARRESTS_SEX)
    assert (figure.agency, figure.period_start, figure.period_end) == (sheriff, date(2025, 1, 1), date(2025, 3, 31))
    assert figure.entered_by == detective_admin and figure.entered_at is not None
    assert figure.corrected_by is None and figure.corrected_at is None
    entered = AuditEntry.objects.filter(event=AuditEvent.ACTIVITY_FIGURE_ENTERED)
    assert sorted(row.detail["measure"] for row in entered) == [M.ARRESTS_SEX, M.INVESTIGATIONS_LABOR]
    assert {row.agency for row in entered} == {sheriff}


def test_it_keeps_one_figure_per_agency_quarter_and_measure(sheriff, detective_admin):
    enter(sheriff, detective_admin, {M.ARRESTS_SEX: 3})
    enter(sheriff, detective_admin, {M.ARRESTS_SEX: 4})
    enter(sheriff, detective_admin, {M.ARRESTS_SEX: 1}, period=period_build(kind=PeriodKind.QUARTER, year=2025, part=2))
    assert sorted(ActivityFigure.objects.values_list("period_start", "value")) == [
        (date(2025, 1, 1), 4),
        (date(2025, 4, 1), 1),
    ]
    with pytest.raises(IntegrityError):
        ActivityFigure.objects.create(
            agency=sheriff,
            period_start=Q1.start,
            period_end=Q1.end,
            measure=M.ARRESTS_SEX,
            value=9,
            entered_by=detective_admin,
        )


def test_it_audits_a_correction_with_the_old_and_the_new_value(sheriff, detective_admin):
    enter(sheriff, detective_admin, {M.ARRESTS_SEX: 3, M.ARRESTS_LABOR: 1})
    colleague = UserFactory(agency=sheriff, role=Role.AGENCY_ADMIN)
    enter(sheriff, colleague, {M.ARRESTS_SEX: 5, M.ARRESTS_LABOR: 1})
    corrections = AuditEntry.objects.filter(event=AuditEvent.ACTIVITY_FIGURE_CORRECTED)
    assert [row.detail for row in corrections] == [{"measure": "arrests_sex", "quarter": "2025-q1", "old": 3, "new": 5}]
    figure = ActivityFigure.objects.get(measure=M.ARRESTS_SEX)
    assert corrections[0].target_id == str(figure.pk) and corrections[0].actor == colleague
    assert (figure.value, figure.entered_by, figure.corrected_by) == (5, detective_admin, colleague)
    assert figure.corrected_at is not None
    # The unchanged figure is not a correction.
    assert ActivityFigure.objects.get(measure=M.ARRESTS_LABOR).corrected_by is None


def test_it_lets_the_prosecutor_enter_charges_and_convictions(prosecutor, prosecutor_admin):
    enter(prosecutor, prosecutor_admin, {M.CHARGES_TRAFFICKING_SEX: 2, M.CHARGES_OTHER_LABOR: 1, M.CONVICTIONS_SEX: 1})
    assert ActivityFigure.objects.filter(agency=prosecutor).count() == 3


def test_it_lets_a_cochairs_coordinator_and_administrator_enter_awareness_and_assistance(
    agency, coordinator, agency_admin
):
    enter(agency, coordinator, {M.AWARENESS_EVENTS: 4, M.AWARENESS_PEOPLE: 250})
    enter(agency, agency_admin, {M.TA_RECEIVED: 6, M.TA_ANSWERED: 5})
    assert ActivityFigure.objects.filter(agency=agency).count() == 4


def test_it_lets_a_cochair_law_enforcement_agency_enter_both_kinds():
    sheriff = AgencyFactory(sector=Sector.LAW_ENFORCEMENT, is_cochair=True)
    coordinator = UserFactory(agency=sheriff, role=Role.COORDINATOR)
    enter(sheriff, coordinator, {M.ARRESTS_LABOR: 1, M.AWARENESS_EVENTS: 2})
    assert ActivityFigure.objects.count() == 2


def test_it_refuses_a_figure_another_kind_of_agency_holds_and_writes_none_of_the_others(sheriff, detective_admin):
    with pytest.raises(ValidationError) as refused:
        enter(sheriff, detective_admin, {M.ARRESTS_SEX: 3, M.CONVICTIONS_SEX: 1, M.AWARENESS_EVENTS: 2})
    assert refused.value.message_dict == {
        "convictions_sex": ["Convictions: sex trafficking: entered by the prosecutor's office, not by your agency."],
        "awareness_events": ["Public-awareness events held: entered by the co-chair agencies, not by your agency."],
    }
    assert not ActivityFigure.objects.exists() and not AuditEntry.objects.exists()


def test_it_refuses_charges_from_law_enforcement(sheriff, detective_admin):
    with pytest.raises(ValidationError) as refused:
        enter(sheriff, detective_admin, {M.CHARGES_TRAFFICKING_SEX: 1})
    assert "prosecutor's office" in refused.value.message_dict["charges_trafficking_sex"][0]


def test_it_refuses_an_agency_that_enters_no_figures(clinic, clinic_admin):
    with pytest.raises(PermissionDenied, match="does not enter activity figures"):
        enter(clinic, clinic_admin, {M.ARRESTS_SEX: 1})


@pytest.mark.parametrize("role", [Role.MEMBER, Role.REFERRAL_OFFICER, Role.GRANT_MANAGER])
def test_it_refuses_people_whose_role_does_not_enter_figures(sheriff, role):
    person = UserFactory(agency=sheriff, role=role)
    with pytest.raises(PermissionDenied, match="Your role"):
        enter(sheriff, person, {M.ARRESTS_SEX: 1})
    assert not ActivityFigure.objects.exists()


def test_it_refuses_figures_of_another_agency_even_to_a_coordinator(sheriff, coordinator):
    with pytest.raises(PermissionDenied, match="own agency"):
        enter(sheriff, coordinator, {M.ARRESTS_SEX: 1})


@pytest.mark.parametrize("value", [-1, MAX_VALUE + 1, True, 2.5, "3", None])
def test_it_refuses_anything_but_a_whole_number_in_range(sheriff, detective_admin, value):
    with pytest.raises(ValidationError) as refused:
        enter(sheriff, detective_admin, {M.ARRESTS_SEX: 1, M.ARRESTS_LABOR: value})
    assert refused.value.message_dict == {"arrests_labor": [f"Give a whole number from 0 to {MAX_VALUE:,}."]}
    assert not ActivityFigure.objects.exists()


def test_it_refuses_no_figures_and_unknown_ones_without_repeating_them(sheriff, detective_admin):
    with pytest.raises(ValidationError, match="at least one"):
        enter(sheriff, detective_admin, {})
    with pytest.raises(ValidationError) as refused:
        enter(sheriff, detective_admin, {"Jane Doe": 1})
    assert "Jane" not in " ".join(refused.value.messages)


@time_machine.travel(date(2025, 5, 10), tick=False)
def test_it_takes_a_quarter_once_it_has_begun(sheriff, detective_admin):
    enter(sheriff, detective_admin, {M.ARRESTS_SEX: 1}, period=period_build(kind=PeriodKind.QUARTER, year=2025, part=2))
    with pytest.raises(ValidationError) as refused:
        enter(
            sheriff,
            detective_admin,
            {M.ARRESTS_SEX: 1},
            period=period_build(kind=PeriodKind.QUARTER, year=2025, part=3),
        )
    assert list(refused.value.message_dict) == ["quarter"]
    assert ActivityFigure.objects.count() == 1


@pytest.mark.parametrize(
    "period",
    [
        period_build(kind=PeriodKind.HALF, year=2025, part=1),
        Period(PeriodKind.CUSTOM, date(2025, 1, 1), date(2025, 3, 31)),
        Period(PeriodKind.QUARTER, date(2025, 1, 2), date(2025, 3, 31)),
    ],
)
def test_it_refuses_a_period_that_is_not_a_calendar_quarter(sheriff, detective_admin, period):
    with pytest.raises(ValidationError) as refused:
        enter(sheriff, detective_admin, {M.ARRESTS_SEX: 1}, period=period)
    assert list(refused.value.message_dict) == ["quarter"]


def test_it_leaves_nothing_half_written_when_a_write_fails(sheriff, detective_admin, monkeypatch):
    enter(sheriff, detective_admin, {M.ARRESTS_SEX: 3})
    real = services.audit_record
    calls = []

    def fail_on_the_second(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "audit_record", fail_on_the_second)
    with pytest.raises(RuntimeError):
        enter(sheriff, detective_admin, {M.ARRESTS_SEX: 4, M.ARRESTS_LABOR: 2})
    assert list(ActivityFigure.objects.values_list("measure", "value")) == [(M.ARRESTS_SEX, 3)]
    assert AuditEntry.objects.count() == 1


def test_it_answers_two_first_entries_at_once_with_a_clear_error(sheriff, detective_admin, monkeypatch):
    def raced(**kwargs):
        raise IntegrityError("UNIQUE constraint failed")

    monkeypatch.setattr(services, "_write", raced)
    with pytest.raises(ValidationError) as refused:
        enter(sheriff, detective_admin, {M.ARRESTS_SEX: 3})
    assert refused.value.messages == [services.RACE]

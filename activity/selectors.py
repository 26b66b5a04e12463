"""Reads of activity figures: who sees which, and which agencies still owe a quarter's figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

from activity.choices import ActivityMeasure, measures_for
from activity.models import ActivityFigure, ActivityFigureQuerySet
from activity.quarters import quarter_containing
from agencies.models import Agency, Sector

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User
    from reports.periods import Period


@dataclass(frozen=True)
class MissingFigures:
    """An agency that has not entered every figure it holds for a quarter."""

    agency: Agency
    quarter: Period
    measures: tuple[ActivityMeasure, ...]  # those not entered yet, in form order


def figures_for(*, user: User | AnonymousUser) -> ActivityFigureQuerySet:
    return ActivityFigure.objects.for_user(user).select_related("agency", "entered_by", "corrected_by")


def figures_of_quarter(*, agency: Agency, quarter: Period) -> dict[str, ActivityFigure]:
    """The agency's figures of one quarter, by measure (for the entry page of that agency's own people)."""
    figures = ActivityFigure.objects.filter(agency=agency, period_start=quarter.start)
    return {figure.measure: figure for figure in figures.select_related("entered_by", "corrected_by")}


def quarters_in(period: Period) -> list[Period]:
    """The calendar quarters wholly inside `period` that have begun, oldest first."""
    quarters, quarter, today = [], quarter_containing(period.start), timezone.localdate()
    while quarter.start <= min(period.end, today):
        if quarter.start >= period.start and quarter.end <= period.end:
            quarters.append(quarter)
        quarter = quarter_containing(quarter.end + timedelta(days=1))
    return quarters


def missing_for(period: Period) -> list[MissingFigures]:
    """Per quarter of `period` (those wholly inside it that have begun), the agencies that hold activity
    measures and have not entered all of them, by quarter and agency name.

    Agencies that hold measures: active law-enforcement and prosecution agencies and the co-chairs,
    as they are now; an agency admitted after a quarter ended owes nothing for it. Names of agencies
    and measure codes only, never a figure: the grant manager's page uses it to remind them.
    """
    quarters = quarters_in(period)
    if not quarters:
        return []
    holders = list(
        Agency.objects.filter(
            Q(sector__in=[Sector.LAW_ENFORCEMENT, Sector.PROSECUTION]) | Q(is_cochair=True), is_active=True
        ).order_by("name", "pk")
    )
    entered = set(
        ActivityFigure.objects.filter(period_start__gte=quarters[0].start, period_end__lte=quarters[-1].end)
        .values_list("agency_id", "period_start", "measure")
        .order_by()
    )
    missing = []
    for quarter in quarters:
        for agency in holders:
            if agency.created_at >= quarter.bounds[1]:
                continue
            owed = tuple(m for m in measures_for(agency) if (agency.pk, quarter.start, m.value) not in entered)
            if owed:
                missing.append(MissingFigures(agency=agency, quarter=quarter, measures=owed))
    return missing

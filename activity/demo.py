"""Demo activity figures: the last six ended quarters of every demo agency that holds activity measures
(the sheriff's office, the district attorney, the co-chairs), entered through the service as their
administrators or coordinators would, with one correction, so that reports and the audit trail show them.

Idempotent: nothing is added once any demo agency has figures. Invented numbers, no case behind them.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import TextIO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from activity.choices import ActivityMeasure, measures_for
from activity.models import ActivityFigure
from activity.quarters import recent_quarters
from activity.services import activity_figures_enter
from agencies.models import Agency, User
from agencies.roles import Role
from reports.periods import Period, task_force_zone

QUARTERS = 6
# The district attorney has no demo login; its figures are entered in the name of this person,
# who cannot sign in (no usable password).
RECORDS_PERSON = ("records.da@demo.example.org", "Casey", "Marlowe")
# (low, high) of each invented figure per agency and quarter.
RANGES: dict[str, tuple[int, int]] = {
    ActivityMeasure.INVESTIGATIONS_SEX: (3, 9),
    ActivityMeasure.INVESTIGATIONS_LABOR: (1, 4),
    ActivityMeasure.ARRESTS_SEX: (1, 6),
    ActivityMeasure.ARRESTS_LABOR: (0, 2),
    ActivityMeasure.CHARGES_TRAFFICKING_SEX: (1, 5),
    ActivityMeasure.CHARGES_TRAFFICKING_LABOR: (0, 2),
    ActivityMeasure.CHARGES_OTHER_SEX: (0, 4),
    ActivityMeasure.CHARGES_OTHER_LABOR: (0, 1),
    ActivityMeasure.CONVICTIONS_SEX: (0, 3),
    ActivityMeasure.CONVICTIONS_LABOR: (0, 1),
    ActivityMeasure.AWARENESS_EVENTS: (2, 8),
    ActivityMeasure.AWARENESS_PEOPLE: (40, 600),
    ActivityMeasure.TA_RECEIVED: (3, 12),
    ActivityMeasure.TA_ANSWERED: (3, 12),
}


def seed(*, agencies: dict[str, Agency], stdout: TextIO) -> None:
    holders = [agency for agency in agencies.values() if measures_for(agency)]
    if ActivityFigure.objects.filter(agency__in=holders).exists():
        stdout.write("Demo activity figures: already there.")
        return
    rng = random.Random(2027)  # noqa: S311 - demo data, not security
    quarters = recent_quarters(QUARTERS + 1)[:0:-1]  # the six ended quarters, oldest first
    with transaction.atomic():
        for agency in holders:
            actor = _enterer(agency)
            for quarter in quarters:
                _enter(agency=agency, quarter=quarter, actor=actor, rng=rng)
        _correct_one(holders, quarters[-1])
    stdout.write(f"Demo activity figures: {len(holders)} agencies, {len(quarters)} quarters.")


def _enter(*, agency: Agency, quarter: Period, actor: User, rng: random.Random) -> None:
    values = {measure.value: rng.randint(*RANGES[measure]) for measure in measures_for(agency)}
    if ActivityMeasure.TA_ANSWERED in values:
        values[ActivityMeasure.TA_ANSWERED] = min(
            values[ActivityMeasure.TA_ANSWERED], values[ActivityMeasure.TA_RECEIVED]
        )
    activity_figures_enter(agency=agency, period=quarter, values=values, actor=actor)
    # Entered some days after the quarter ended, as an agency would (not all dated today).
    day = quarter.end + timedelta(days=rng.randint(5, 20))
    entered = min(datetime.combine(day, time(10, rng.randint(0, 59)), tzinfo=task_force_zone()), timezone.now())
    ActivityFigure.objects.filter(agency=agency, period_start=quarter.start).update(
        entered_at=entered, updated_at=entered
    )


def _correct_one(holders: list[Agency], quarter: Period) -> None:
    """A late correction of the last quarter's arrests, so that the audit trail holds one."""
    figure = ActivityFigure.objects.filter(
        agency__in=holders, period_start=quarter.start, measure=ActivityMeasure.ARRESTS_SEX
    ).first()
    if figure is not None:
        actor = _enterer(figure.agency)
        activity_figures_enter(
            agency=figure.agency, period=quarter, values={figure.measure: figure.value + 1}, actor=actor
        )


def _enterer(agency: Agency) -> User:
    """An administrator or coordinator of the agency; the records person for an agency without one."""
    people = agency.people.filter(Q(role=Role.AGENCY_ADMIN) | Q(role=Role.COORDINATOR), is_active=True)
    person = people.order_by("pk").first()
    if person is not None:
        return person
    email, first, last = RECORDS_PERSON
    person = User.objects.filter(email=email).first() or User.objects.create_user(email, None, agency=agency)
    person.first_name, person.last_name, person.agency, person.role = first, last, agency, Role.AGENCY_ADMIN
    person.date_joined = min(person.date_joined, agency.created_at)  # on the staff since the agency joined
    person.save()
    return person

"""seed_demo adds six ended quarters of activity figures for the demo's sheriff, district attorney and
co-chairs, once."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from activity.choices import measures_for
from activity.models import ActivityFigure
from activity.quarters import recent_quarters
from activity.selectors import missing_for
from agencies.models import Agency
from audit.models import AuditEntry, AuditEvent
from reports.periods import Period, PeriodKind

pytestmark = pytest.mark.django_db


def test_it_seeds_six_quarters_of_figures_once():
    call_command("seed_demo", stdout=io.StringIO())
    figures = ActivityFigure.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert ActivityFigure.objects.count() == figures

    holders = [agency for agency in Agency.objects.all() if measures_for(agency)]
    assert sorted(agency.name for agency in holders) == [
        "Juniper County District Attorney",
        "Juniper County Sheriff's Office",
        "Safe Harbor Survivor Center",
    ]
    assert figures == 6 * sum(len(measures_for(agency)) for agency in holders)
    ended = recent_quarters(7)[1:]
    assert {start for start in ActivityFigure.objects.values_list("period_start", flat=True)} == {
        quarter.start for quarter in ended
    }
    # The demo admits its agencies today; as members of long standing, they owe the running quarter only.
    Agency.objects.update(created_at=timezone.now() - timedelta(days=3 * 366))
    six = Period(PeriodKind.CUSTOM, ended[-1].start, ended[0].end)
    assert missing_for(six) == []
    running = missing_for(recent_quarters(1)[0])
    assert sorted(missing.agency.name for missing in running) == sorted(agency.name for agency in holders)
    assert AuditEntry.objects.filter(event=AuditEvent.ACTIVITY_FIGURE_CORRECTED).count() == 1
    # Entered after each quarter ended, not all today.
    assert all(figure.entered_at.date() > figure.period_end for figure in ActivityFigure.objects.all())

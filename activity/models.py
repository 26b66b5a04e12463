"""One figure: what one agency counted for one measure in one calendar quarter. Counts only:
no free text and nothing about an individual case, on purpose."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from activity.choices import ActivityMeasure
from agencies.roles import Action
from reports.periods import Period, PeriodKind
from reports.selectors import may_read_funder_copy

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from agencies.models import User


class ActivityFigureQuerySet(models.QuerySet["ActivityFigure"]):
    def for_user(self, user: User | AnonymousUser) -> ActivityFigureQuerySet:
        """An agency's people see its own figures. Every agency's exact figures are the funder copy's (an
        arrest count of 2 is shown "<11" to partners): only those who may read the funder copy see them all,
        by that copy's own rule (grant managers with an authenticator)."""
        if not user.is_authenticated or not user.can(Action.VIEW_TASKFORCE_CONTENT):
            return self.none()
        if may_read_funder_copy(user):
            return self.all()
        agency_id = user.agency_id
        return self.none() if agency_id is None else self.filter(agency_id=agency_id)

    def in_period(self, period: Period) -> ActivityFigureQuerySet:
        """The figures of the quarters that lie wholly inside `period` (reports ask for runs of quarters)."""
        return self.filter(period_start__gte=period.start, period_end__lte=period.end)


class ActivityFigure(models.Model):
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="activity_figures")
    # A calendar quarter (reports/periods.py): its first and last day, in the task force's time zone.
    period_start = models.DateField()
    period_end = models.DateField()
    measure = models.CharField(max_length=40, choices=ActivityMeasure.choices)
    value = models.PositiveIntegerField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The last correction, if any (the audit trail holds every one, with the old and the new value).
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    corrected_at = models.DateTimeField(null=True, blank=True)

    objects = ActivityFigureQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "agency_id", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "period_start", "measure"], name="activity_figure_once_per_agency_quarter"
            ),
            models.CheckConstraint(condition=Q(period_end__gt=F("period_start")), name="activity_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}, {self.period.label}"

    @property
    def period(self) -> Period:
        return Period(PeriodKind.QUARTER, self.period_start, self.period_end)

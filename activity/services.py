"""Writes of activity figures: entered once per agency, quarter and measure, corrected with an audit row."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activity.choices import HOLDER_LABELS, HOLDER_OF, MAX_VALUE, ActivityMeasure, measures_for
from activity.models import ActivityFigure
from activity.quarters import quarter_check_enterable
from agencies.roles import Action
from audit.models import AuditEvent
from audit.services import audit_record

if TYPE_CHECKING:
    from agencies.models import Agency, User
    from reports.periods import Period

RACE = gettext_lazy(
    "Someone else saved figures of this quarter at the same moment, so nothing was saved. Reload and try again."
)


def activity_figures_enter(
    *, agency: Agency, period: Period, values: Mapping[str, object], actor: User
) -> list[ActivityFigure]:
    """Enter or correct `agency`'s figures of the quarter `period`: every value of `values`, or none.

    `values` maps measures (activity.choices.ActivityMeasure) to whole numbers; measures left out are
    left as they are. A new figure records who entered it; a changed one is a correction, audited with
    the old and the new value in the same transaction; a value given again unchanged writes nothing.
    Refusals: PermissionDenied for a person or agency that does not enter figures, ValidationError
    keyed by measure (or "quarter") for the rest. Returns the agency's figures of the quarter.
    """
    _check_may_enter(actor=actor, agency=agency)
    quarter_check_enterable(period)
    clean = _clean(values, allowed=measures_for(agency))
    try:
        with transaction.atomic():
            _write(agency=agency, period=period, values=clean, actor=actor)
    except IntegrityError as error:
        # Two first entries of the same figure at once: the unique constraint refused the second.
        raise ValidationError(RACE) from error
    order = {measure: position for position, measure in enumerate(ActivityMeasure.values)}
    figures = ActivityFigure.objects.filter(agency=agency, period_start=period.start)
    return sorted(figures.select_related("entered_by", "corrected_by"), key=lambda figure: order[figure.measure])


def _check_may_enter(*, actor: User, agency: Agency) -> None:
    if not actor.can(Action.ENTER_ACTIVITY_FIGURES):
        raise PermissionDenied(_("Your role does not enter activity figures: your agency's administrator does."))
    if agency.pk != actor.agency_id:
        raise PermissionDenied(_("You enter the figures of your own agency only."))
    if not measures_for(agency):
        raise PermissionDenied(
            _(
                "Your agency does not enter activity figures: law enforcement, the prosecutor's office and the "
                "co-chair agencies do."
            )
        )


def _clean(values: Mapping[str, object], *, allowed: tuple[ActivityMeasure, ...]) -> dict[str, int]:
    if not values:
        raise ValidationError(_("Give at least one figure."))
    if set(values) - set(ActivityMeasure.values):
        # The unknown names are not repeated back: they are whatever the client sent.
        raise ValidationError(_("The figures are: %(codes)s.") % {"codes": ", ".join(ActivityMeasure.values)})
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for measure, value in values.items():
        if measure not in allowed:
            label = ActivityMeasure(measure).label
            holder = HOLDER_LABELS[HOLDER_OF[measure]]
            errors[measure] = _("%(measure)s: entered by %(holder)s, not by your agency.") % {
                "measure": label,
                "holder": holder,
            }
        # bool is an int in Python; True is not a count.
        elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_VALUE:
            clean[measure] = value
        else:
            limit = number_format(MAX_VALUE, force_grouping=True)
            errors[measure] = _("Give a whole number from 0 to %(limit)s.") % {"limit": limit}
    if errors:
        raise ValidationError(errors)
    return clean


def _write(*, agency: Agency, period: Period, values: dict[str, int], actor: User) -> None:
    rows = ActivityFigure.objects.select_for_update().filter(agency=agency, period_start=period.start)
    existing = {figure.measure: figure for figure in rows.filter(measure__in=values)}
    for measure, value in values.items():
        figure = existing.get(measure)
        if figure is None:
            _create(agency=agency, period=period, measure=measure, value=value, actor=actor)
        elif figure.value != value:
            _correct(figure=figure, value=value, actor=actor)


def _create(*, agency: Agency, period: Period, measure: str, value: int, actor: User) -> None:
    figure = ActivityFigure.objects.create(
        agency=agency,
        period_start=period.start,
        period_end=period.end,
        measure=measure,
        value=value,
        entered_by=actor,
    )
    detail = {"measure": measure, "quarter": period.slug, "value": value}
    audit_record(actor=actor, event=AuditEvent.ACTIVITY_FIGURE_ENTERED, target=figure, detail=detail)


def _correct(*, figure: ActivityFigure, value: int, actor: User) -> None:
    """A correction: the audit row keeps the value it replaces, so no figure is ever lost."""
    old, figure.value = figure.value, value
    figure.corrected_by, figure.corrected_at = actor, timezone.now()
    figure.save(update_fields=["value", "corrected_by", "corrected_at", "updated_at"])
    detail = {"measure": figure.measure, "quarter": figure.period.slug, "old": old, "new": value}
    audit_record(actor=actor, event=AuditEvent.ACTIVITY_FIGURE_CORRECTED, target=figure, detail=detail)

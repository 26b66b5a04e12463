"""The activity measures, and which kind of agency holds each: the one place that says so.

Who holds what, read from ../shared/DOMAIN.md ("investigations opened, arrests, charges (trafficking
and other), convictions: case, entered by police and prosecutors"; "co-chairs enter public-awareness
events and technical-assistance requests"):

- investigations opened and arrests: law-enforcement agencies, which open them and make them;
- charges and convictions: the prosecutor's office only. The prosecutor files the charges and obtains
  the convictions; were law enforcement to enter charges as well, a case charged on a police
  referral would count twice, and overstated counts are what the funder's auditors found before;
- public-awareness events, people reached, technical-assistance requests received and answered:
  the co-chair agencies, which run the task force's outreach (trainings are counted apart, by
  meetings).

A co-chair law-enforcement agency holds both its own measures and the co-chairs'.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies.models import Sector

if TYPE_CHECKING:
    from agencies.models import Agency


class ActivityMeasure(models.TextChoices):
    INVESTIGATIONS_SEX = "investigations_sex", _("Investigations opened: sex trafficking")
    INVESTIGATIONS_LABOR = "investigations_labor", _("Investigations opened: labor trafficking")
    ARRESTS_SEX = "arrests_sex", _("Arrests: sex trafficking")
    ARRESTS_LABOR = "arrests_labor", _("Arrests: labor trafficking")
    CHARGES_TRAFFICKING_SEX = "charges_trafficking_sex", _("Trafficking charges: sex trafficking")
    CHARGES_TRAFFICKING_LABOR = "charges_trafficking_labor", _("Trafficking charges: labor trafficking")
    CHARGES_OTHER_SEX = "charges_other_sex", _("Other charges: sex trafficking cases")
    CHARGES_OTHER_LABOR = "charges_other_labor", _("Other charges: labor trafficking cases")
    CONVICTIONS_SEX = "convictions_sex", _("Convictions: sex trafficking")
    CONVICTIONS_LABOR = "convictions_labor", _("Convictions: labor trafficking")
    AWARENESS_EVENTS = "awareness_events", _("Public-awareness events held")
    AWARENESS_PEOPLE = "awareness_people", _("People reached by public-awareness events")
    TA_RECEIVED = "ta_received", _("Technical-assistance requests received")
    TA_ANSWERED = "ta_answered", _("Technical-assistance requests answered")


class Holder(StrEnum):
    """The kind of agency that enters a measure."""

    LAW_ENFORCEMENT = "law_enforcement"
    PROSECUTION = "prosecution"
    COCHAIR = "cochair"


_M = ActivityMeasure
HOLDERS: dict[Holder, tuple[ActivityMeasure, ...]] = {
    Holder.LAW_ENFORCEMENT: (_M.INVESTIGATIONS_SEX, _M.INVESTIGATIONS_LABOR, _M.ARRESTS_SEX, _M.ARRESTS_LABOR),
    Holder.PROSECUTION: (
        _M.CHARGES_TRAFFICKING_SEX,
        _M.CHARGES_TRAFFICKING_LABOR,
        _M.CHARGES_OTHER_SEX,
        _M.CHARGES_OTHER_LABOR,
        _M.CONVICTIONS_SEX,
        _M.CONVICTIONS_LABOR,
    ),
    Holder.COCHAIR: (_M.AWARENESS_EVENTS, _M.AWARENESS_PEOPLE, _M.TA_RECEIVED, _M.TA_ANSWERED),
}
HOLDER_OF: dict[str, Holder] = {measure: holder for holder, measures in HOLDERS.items() for measure in measures}
HOLDER_LABELS: dict[Holder, Promise] = {
    Holder.LAW_ENFORCEMENT: _("law-enforcement agencies"),
    Holder.PROSECUTION: _("the prosecutor's office"),
    Holder.COCHAIR: _("the co-chair agencies"),
}
# Headings of the entry form, one per holder.
HOLDER_HEADINGS: dict[Holder, Promise] = {
    Holder.LAW_ENFORCEMENT: _("Investigations and arrests"),
    Holder.PROSECUTION: _("Charges and convictions"),
    Holder.COCHAIR: _("Public awareness and technical assistance"),
}
# The largest figure accepted: far above any county's quarter (people reached by a media campaign
# included), low enough that a typing slip of a few extra digits is caught.
MAX_VALUE = 10_000_000


def holders_of(agency: Agency) -> tuple[Holder, ...]:
    """The kinds of measures `agency` enters, in form order; () for an agency that enters none."""
    held = []
    if agency.sector == Sector.LAW_ENFORCEMENT:
        held.append(Holder.LAW_ENFORCEMENT)
    if agency.sector == Sector.PROSECUTION:
        held.append(Holder.PROSECUTION)
    if agency.is_cochair:
        held.append(Holder.COCHAIR)
    return tuple(held)


def measures_for(agency: Agency) -> tuple[ActivityMeasure, ...]:
    """The measures `agency` enters, in form order."""
    return tuple(measure for holder in holders_of(agency) for measure in HOLDERS[holder])

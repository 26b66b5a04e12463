"""Task-force activity measures of the grant report: the figures the agencies entered, totalled per
measure over the quarters of the period, across agencies.

Which figures count: those of the calendar quarters wholly inside the period (a report's period is
always a run of whole quarters: reports/releases.py), as entered or last corrected when the report is
computed. An agency that has not entered a quarter adds nothing to it (activity.selectors.missing_for
lists who still owes figures).

Investigations, arrests, charges and convictions concern people, and in a county a count of 2 can
point at a case: they are protected as counts of people (`sensitive`), as are the people reached by
awareness events. Events and technical-assistance requests are not people: shown as they are.

These aggregates read across the whole task force on purpose, bypassing ActivityFigure.for_user():
they leave this module only as counts protected by reports/suppression.py, never as rows.
ReportsConfig.ready() imports this module, as it imports meetings' and cases'.
"""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_noop

from activity.choices import ActivityMeasure
from activity.models import ActivityFigure
from activity.selectors import MissingFigures, missing_for
from agencies.models import User
from agencies.roles import PERMISSIONS, Action
from reports.completeness import Gap, completeness_check_register
from reports.funder import FunderItem, funder_item_register
from reports.measures import Column, Group, Measure, MeasureResult, Row, register
from reports.periods import Period
from reports.suppression import Count, Relation

_M = ActivityMeasure

GROUP = Group.ACTIVITY

# The funder's item each cell answers, by the cell's count key ("activity." + the measure); registered
# below as reports.funder items of BJA's task-force PMT (all of them) and of OVC's PMT (the task force's
# outreach, which the victim-service partner reports too). Named by the item's wording, not its number:
# the numbering changes with each solicitation's questionnaire, so the codes are descriptive (section,
# then measure), and the wording should be checked against the award's own PMT form.
FUNDER_ITEMS: dict[str, str] = {
    "activity.investigations_sex": "PMT, law enforcement: human trafficking investigations opened, sex trafficking",
    "activity.investigations_labor": "PMT, law enforcement: human trafficking investigations opened, labor trafficking",
    "activity.arrests_sex": "PMT, law enforcement: arrests, sex trafficking",
    "activity.arrests_labor": "PMT, law enforcement: arrests, labor trafficking",
    "activity.charges_trafficking_sex": "PMT, prosecution: human trafficking charges filed, sex trafficking",
    "activity.charges_trafficking_labor": "PMT, prosecution: human trafficking charges filed, labor trafficking",
    "activity.charges_other_sex": "PMT, prosecution: other charges filed in sex trafficking cases",
    "activity.charges_other_labor": "PMT, prosecution: other charges filed in labor trafficking cases",
    "activity.convictions_sex": "PMT, prosecution: convictions, sex trafficking",
    "activity.convictions_labor": "PMT, prosecution: convictions, labor trafficking",
    "activity.awareness_events": "PMT, task force: public-awareness events held",
    "activity.awareness_people": "PMT, task force: people reached by public-awareness events",
    "activity.ta_received": "PMT, task force: technical-assistance requests received",
    "activity.ta_answered": "PMT, task force: technical-assistance requests answered",
}

# Rows of the enforcement table: (row key, label, sex-trafficking measure, labor-trafficking measure).
ENFORCEMENT_ROWS = (
    ("investigations", gettext_noop("Investigations opened"), _M.INVESTIGATIONS_SEX, _M.INVESTIGATIONS_LABOR),
    ("arrests", gettext_noop("Arrests"), _M.ARRESTS_SEX, _M.ARRESTS_LABOR),
    (
        "charges_trafficking",
        gettext_noop("Trafficking charges"),
        _M.CHARGES_TRAFFICKING_SEX,
        _M.CHARGES_TRAFFICKING_LABOR,
    ),
    ("charges_other", gettext_noop("Other charges"), _M.CHARGES_OTHER_SEX, _M.CHARGES_OTHER_LABOR),
    ("convictions", gettext_noop("Convictions"), _M.CONVICTIONS_SEX, _M.CONVICTIONS_LABOR),
)
# Rows of the outreach table: (measure, label, counts people).
OUTREACH_ROWS = (
    (_M.AWARENESS_EVENTS, gettext_noop("Public-awareness events held"), False),
    (_M.AWARENESS_PEOPLE, gettext_noop("People reached by public-awareness events"), True),
    (_M.TA_RECEIVED, gettext_noop("Technical-assistance requests received"), False),
    (_M.TA_ANSWERED, gettext_noop("Technical-assistance requests answered"), False),
)
AS_ENTERED = gettext_noop(
    "As entered by the agencies for the calendar quarters of the period, summed across agencies; an agency that "
    "has not entered a quarter adds nothing to it."
)


def key(measure: str) -> str:
    """The count key of a measure's total in the report."""
    return f"activity.{measure}"


def totals(period: Period) -> dict[str, int]:
    """The sum of every agency's figure per measure over the quarters of `period` (absent: none entered)."""
    summed = ActivityFigure.objects.in_period(period).values_list("measure").annotate(total=Sum("value")).order_by()
    return dict(summed)


def enforcement(period: Period) -> MeasureResult:
    found = totals(period)
    counts, relations, rows = [], [], []
    for row, label, sex, labor in ENFORCEMENT_ROWS:
        sex_value, labor_value = found.get(sex, 0), found.get(labor, 0)
        counts += [Count(key(sex), sex_value), Count(key(labor), labor_value), Count(key(row), sex_value + labor_value)]
        relations.append(Relation(key(row), (key(sex), key(labor))))
        rows.append(Row(row, label, (key(sex), key(labor), key(row))))
    columns = (
        Column("sex", gettext_noop("Sex trafficking")),
        Column("labor", gettext_noop("Labor trafficking")),
        Column("all", gettext_noop("All")),
    )
    notes = (
        AS_ENTERED,
        gettext_noop(
            "Investigations and arrests are entered by law-enforcement agencies; charges and convictions by the "
            "prosecutor's office only, so that a case is not counted by both."
        ),
        gettext_noop("Other charges: charges other than trafficking filed in trafficking cases."),
    )
    return MeasureResult(columns, tuple(rows), tuple(counts), tuple(relations), notes=notes)


def outreach(period: Period) -> MeasureResult:
    found = totals(period)
    counts = tuple(Count(key(m), found.get(m, 0), sensitive=people) for m, _, people in OUTREACH_ROWS)
    rows = tuple(Row(m.value, label, (key(m),)) for m, label, _ in OUTREACH_ROWS)
    notes = (
        AS_ENTERED,
        gettext_noop("Entered by the co-chair agencies. Trainings are counted apart, under Trainings."),
    )
    return MeasureResult((Column("figure", gettext_noop("Number")),), rows, counts, notes=notes)


register(
    Measure(
        key="activity_enforcement",
        group=GROUP,
        order=100,
        title=gettext_noop("Investigations, arrests, charges and convictions"),
        sheet="Investigations and charges",
        definition=gettext_noop(
            "Human trafficking investigations opened and arrests made by law-enforcement agencies, charges "
            "filed and convictions obtained by the prosecutor's office, by type of trafficking, as the agencies "
            "entered them for each calendar quarter of the period."
        ),
        compute=enforcement,
    )
)
register(
    Measure(
        key="activity_outreach",
        group=GROUP,
        order=110,
        title=gettext_noop("Public awareness and technical assistance"),
        sheet="Awareness and assistance",
        definition=gettext_noop(
            "Public-awareness events held and the people they reached, and technical-assistance requests "
            "received and answered, as the co-chair agencies entered them for each calendar quarter of the period."
        ),
        compute=outreach,
    )
)


# --- the funder's forms ------------------------------------------------------------------------------------
_SECTION_CODES = {"law enforcement": "LE", "prosecution": "PROS", "task force": "TF"}
OVC_PMT_SECTIONS = ("task force",)


def _register_funder_items() -> None:
    for order, (statistic, wording) in enumerate(FUNDER_ITEMS.items(), start=1):
        section, question = wording.removeprefix("PMT, ").split(": ", 1)
        measure = "activity_outreach" if section == "task force" else "activity_enforcement"
        code = f"{_SECTION_CODES[section]}-{statistic.removeprefix('activity.').replace('_', '-')}"
        templates = ["bja_taskforce_pmt"] + (["ovc_pmt"] if section in OVC_PMT_SECTIONS else [])
        for template in templates:
            funder_item_register(
                FunderItem(
                    template=template,
                    code=code,
                    question=f"{question[0].upper()}{question[1:]} ({section})",
                    measure=measure,
                    statistic=statistic,
                    order=1000 + order,  # after the people and services items of the form
                )
            )


_register_funder_items()


# --- missing figures -----------------------------------------------------------------------------------------
REMINDER_TASK = "activity.tasks.remind_activity_figures"


def activity_gaps(period: Period) -> list[Gap]:
    """One gap per agency that owes figures for a quarter of `period`: how many, for which quarters."""
    owed: dict[int, list[MissingFigures]] = {}
    for missing in missing_for(period):
        owed.setdefault(missing.agency.pk, []).append(missing)
    gaps = []
    for rows in owed.values():
        count = sum(len(row.measures) for row in rows)
        quarters = ", ".join(row.quarter.label for row in rows)
        noun = "activity figure" if count == 1 else "activity figures"
        what = f"has not entered {count} {noun} for {quarters}"
        gaps.append(Gap(agency_id=rows[0].agency.pk, agency_name=rows[0].agency.name, what=what, count=count))
    return gaps


def activity_remind(period: Period, agency_id: int) -> int:
    """Emails the people of the agency who enter its figures (through the outbox); returns how many."""
    from outbox.services import outbox_enqueue  # database-first: a broker outage delays it, loses nothing

    roles = list(PERMISSIONS[Action.ENTER_ACTIVITY_FIGURES])
    asked = User.objects.filter(agency_id=agency_id, is_active=True, role__in=roles).count()
    if asked:
        args = [agency_id, period.kind, period.start.isoformat(), period.end.isoformat()]
        outbox_enqueue(task=REMINDER_TASK, args=args)
    return asked


completeness_check_register(key="activity", check=activity_gaps, remind=activity_remind)

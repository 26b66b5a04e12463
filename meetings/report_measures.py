"""Meeting and training measures of the grant report (registered like cases/report_measures.py).

Which records count, each placed in the period by one timestamp in the task force's time zone
(Period.bounds, reports/periods.py), as of the moment the report is computed:

- a meeting is HELD when it is not cancelled and it started in the period, before that moment:
  a meeting scheduled for later in the period is not held yet (meetings/reporting.py);
- a training is DELIVERED when it is not cancelled, it started in the period and it had ended by
  that moment (its host records the people trained once it has ended; meetings/reporting.py);
- an action item is OPENED when it was created, and COMPLETED or DROPPED when it was marked so:
  ActionItem.closed_at is that moment (it is cleared when an item is reopened), so an item counts
  by its state when the report is computed;
- a training request is RECEIVED when it was submitted, FULFILLED (done) or DECLINED when it was
  closed (TrainingRequest.closed_at).

Meetings, agencies, trainings, action items and training requests are not people: their counts are
`sensitive=False`. People trained and attendances of people are: their small counts are suppressed.

These aggregates read across the whole task force on purpose, bypassing the for_user() querysets:
they leave this module only as counts protected by reports/suppression.py, never as rows.
"""

from __future__ import annotations

from django.db.models import Count as CountOf
from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils.translation import gettext_noop

from agencies.models import Agency, Sector
from meetings.choices import ActionStatus, Audience, MeetingKind, RequestStatus, TrainingSector
from meetings.models import (
    ActionItem,
    Attendance,
    Committee,
    Meeting,
    PeopleTrained,
    Training,
    TrainingAudience,
    TrainingRequest,
)
from meetings.reporting import delivered_trainings, held_meetings
from reports.funder import FunderItem, funder_item_register
from reports.measures import ChartSpec, Column, Group, Measure, MeasureResult, Row, RowKind, Statistic, register
from reports.periods import Period
from reports.suppression import Count, Relation

HELD = "meetings.held"
ATTENDANCES = "meetings.attendances"
AGENCIES_ATTENDING = "meetings.agencies_attending"
DELIVERED = "trainings.delivered"
PEOPLE_TRAINED = "trainings.people"
ALL_TRAININGS = gettext_noop("All trainings delivered")
TRAININGS = gettext_noop("Trainings")
# Words of the published content are English, marked for the pages that translate them (reports/display.py);
# a definition is one whole sentence.


def _held(period: Period) -> QuerySet[Meeting]:
    start, end = period.bounds
    return held_meetings(since=start, until=end)


def _delivered(period: Period) -> QuerySet[Training]:
    start, end = period.bounds
    return delivered_trainings(since=start, until=end)


def _in_period(field: str, period: Period) -> Q:
    start, end = period.bounds
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


# --- meetings held, by kind -------------------------------------------------------------------------
def meetings_held_by_kind(period: Period) -> MeasureResult:
    grouped = (
        _held(period)
        .values_list("kind")
        .annotate(
            meetings=CountOf("pk", distinct=True),
            people=CountOf("attendance", filter=Q(attendance__person__isnull=False)),
        )
        .order_by()
    )
    found = {kind: (meetings, people) for kind, meetings, people in grouped}
    held = {kind: f"{HELD}.{kind}" for kind in MeetingKind.values}
    present = {kind: f"{ATTENDANCES}.{kind}" for kind in MeetingKind.values}
    counts = [Count(held[kind], found.get(kind, (0, 0))[0], sensitive=False) for kind in MeetingKind.values]
    counts += [Count(present[kind], found.get(kind, (0, 0))[1]) for kind in MeetingKind.values]
    counts += [
        Count(HELD, sum(found.get(kind, (0, 0))[0] for kind in MeetingKind.values), sensitive=False),
        Count(ATTENDANCES, sum(found.get(kind, (0, 0))[1] for kind in MeetingKind.values)),
    ]
    relations = (Relation(HELD, tuple(held.values())), Relation(ATTENDANCES, tuple(present.values())))
    columns = (
        Column("meetings", gettext_noop("Meetings held")),
        Column("attendances", gettext_noop("Attendances of people")),
    )
    rows = [Row(kind, str(label), (held[kind], present[kind])) for kind, label in MeetingKind.choices]
    rows.append(Row("total", gettext_noop("All meetings held"), (HELD, ATTENDANCES), RowKind.TOTAL))
    notes = (
        gettext_noop(
            "Attendances of people: each person recorded present at a meeting held, once per meeting (someone at "
            "three meetings counts three times). An agency recorded present without naming who came adds none."
        ),
    )
    return MeasureResult(columns, tuple(rows), tuple(counts), relations, notes=notes)


# --- agencies attending, by sector ----------------------------------------------------------------------
def agencies_attending(period: Period) -> MeasureResult:
    present = Attendance.objects.filter(meeting__in=_held(period)).order_by()
    by_sector = dict(present.values_list("agency__sector").annotate(n=CountOf("agency", distinct=True)))
    cells = {value: f"{AGENCIES_ATTENDING}.{value}" for value in Sector.values}
    counts = [Count(cells[value], by_sector.get(value, 0), sensitive=False) for value in Sector.values]
    # Each agency has one sector: the sectors add up to the distinct agencies attending.
    counts.append(Count(AGENCIES_ATTENDING, sum(by_sector.get(value, 0) for value in Sector.values), sensitive=False))
    rows = [Row(value, str(label), (cells[value],)) for value, label in Sector.choices]
    rows.append(Row("total", gettext_noop("All agencies attending"), (AGENCIES_ATTENDING,), RowKind.TOTAL))
    relation = Relation(AGENCIES_ATTENDING, tuple(cells.values()))
    return MeasureResult(
        (Column("agencies", gettext_noop("Agencies attending")),), tuple(rows), tuple(counts), (relation,)
    )


# --- attendance rate by agency ------------------------------------------------------------------------------
def _count_of(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) of `queryset`, one number per outer row (no GROUP BY in the subquery)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _agency_present() -> Exists:
    """Inside a subquery on meetings correlated to an agency: the agency was recorded present."""
    return Exists(Attendance.objects.filter(meeting_id=OuterRef("pk"), agency_id=OuterRef(OuterRef("pk"))))


def _audience_includes_agency() -> Q:
    """Inside a subquery on meetings correlated to an agency: the meeting's audience included the agency.

    That is, the audience included at least one of its people (as meetings.models.audience_q does
    for one person), for an agency that is a member now and was admitted before the meeting:
    all members; a committee's member agencies and the agencies of its individual members; the
    co-chair agencies; and the agency of the meeting's designated organizer. Committees and co-chairs
    as they are when the report is computed (their history is not kept).
    """
    agency = OuterRef(OuterRef("pk"))
    committee_agency = Committee.agencies.through.objects.filter(committee_id=OuterRef("committee_id"), agency=agency)
    committee_person = Committee.members.through.objects.filter(
        committee_id=OuterRef("committee_id"), user__agency=agency
    )
    audience = (
        Q(audience=Audience.ALL_MEMBERS)
        | Q(Q(audience=Audience.COMMITTEE), Exists(committee_agency) | Exists(committee_person))
        | Q(Q(audience=Audience.COCHAIRS), Exact(OuterRef("is_cochair"), True))
        | Q(organizer__agency=OuterRef("pk"))
    )
    return Q(audience, Exact(OuterRef("is_active"), True), starts_at__gte=OuterRef("created_at"))


def attendance_by_agency(period: Period) -> MeasureResult:
    held = _held(period)
    agencies = (
        Agency.objects.annotate(
            open=_count_of(held.filter(_audience_includes_agency() | _agency_present())),
            attended=_count_of(held.filter(_agency_present())),
        )
        .filter(open__gt=0)
        .order_by("name", "pk")
        .values_list("pk", "name", "open", "attended")
    )
    counts, statistics, rows = [], [], []
    for pk, name, open_to, attended in agencies:
        key = f"attendance.{pk}"
        counts += [Count(f"{key}.open", open_to, sensitive=False), Count(f"{key}.attended", attended, sensitive=False)]
        statistics.append(Statistic(f"{key}.rate", 100 * attended / open_to, basis=f"{key}.open", decimals=0))
        # The one measure labelled from records: names of member agencies (organizations, never people),
        # which every member sees in the directory and which the funder asks for ("agencies attending").
        rows.append(Row(f"agency-{pk}", name, (f"{key}.open", f"{key}.attended", f"{key}.rate")))
    columns = (
        Column("open", gettext_noop("Open to it")),
        Column("attended", gettext_noop("Attended")),
        Column("rate", gettext_noop("Rate (%)")),
    )
    notes = (
        gettext_noop(
            "Meetings open to an agency: meetings held whose audience included it (all members; a committee it or "
            "one of its people sits on; the co-chairs, for a co-chair agency; its own designated organizer), plus "
            "any other meeting it attended as a guest. Committees and co-chairs as they are when the report is "
            "computed."
        ),
        gettext_noop(
            "Only member agencies admitted before a meeting are in its audience; an agency that is no longer a "
            "member counts only the meetings it attended."
        ),
        gettext_noop(
            "Attended: the agency, or one of its people, was recorded present. Rate: meetings attended out of those "
            "open to it. A rate resting on fewer meetings than the suppression threshold is withheld, like any rate "
            "or median; the counts beside it are meetings, not people, and are shown."
        ),
    )
    return MeasureResult(columns, tuple(rows), tuple(counts), statistics=tuple(statistics), notes=notes)


# --- action items -------------------------------------------------------------------------------------------
def action_items(period: Period) -> MeasureResult:
    figures = ActionItem.objects.aggregate(
        opened=CountOf("pk", filter=_in_period("created_at", period)),
        completed=CountOf("pk", filter=Q(_in_period("closed_at", period), status=ActionStatus.DONE)),
        dropped=CountOf("pk", filter=Q(_in_period("closed_at", period), status=ActionStatus.DROPPED)),
    )
    labels = {
        "opened": gettext_noop("Opened (created in the period)"),
        "completed": gettext_noop("Completed (marked done in the period)"),
        "dropped": gettext_noop("Dropped (marked dropped in the period)"),
    }
    counts = tuple(Count(f"actions.{name}", figures[name], sensitive=False) for name in labels)
    rows = tuple(Row(name, label, (f"actions.{name}",)) for name, label in labels.items())
    notes = (
        gettext_noop(
            "Completed and dropped items count by the moment they were last marked so; an item reopened since "
            "counts as neither. An item opened in the period may be completed in a later one."
        ),
    )
    return MeasureResult((Column("items", gettext_noop("Action items")),), rows, counts, notes=notes)


# --- trainings delivered -----------------------------------------------------------------------------------
def trainings_delivered(period: Period) -> MeasureResult:
    figures = _delivered(period).aggregate(
        total=CountOf("pk"), recorded=CountOf("pk", filter=Q(people_trained_recorded_at__isnull=False))
    )
    recorded, waiting = f"{DELIVERED}.recorded", f"{DELIVERED}.not_recorded"
    counts = (
        Count(recorded, figures["recorded"], sensitive=False),
        Count(waiting, figures["total"] - figures["recorded"], sensitive=False),
        Count(DELIVERED, figures["total"], sensitive=False),
    )
    rows = (
        Row("recorded", gettext_noop("People trained recorded by the host"), (recorded,)),
        Row("not_recorded", gettext_noop("People trained not recorded yet"), (waiting,)),
        Row("total", ALL_TRAININGS, (DELIVERED,), RowKind.TOTAL),
    )
    relation = Relation(DELIVERED, (recorded, waiting))
    return MeasureResult((Column("trainings", TRAININGS),), rows, counts, (relation,))


# --- trainings and people trained, by sector --------------------------------------------------------------------
def trainings_by_sector(period: Period) -> MeasureResult:
    delivered = _delivered(period)
    audiences = TrainingAudience.objects.filter(training__in=delivered).order_by()
    trainings = dict(audiences.values_list("sector").annotate(n=CountOf("training", distinct=True)))
    recorded = PeopleTrained.objects.filter(training__in=delivered).order_by()
    people = dict(recorded.values_list("sector").annotate(n=Sum("count")))
    sectors = TrainingSector.values
    counts = [Count(f"trainings.sector.{s}", trainings.get(s, 0), sensitive=False) for s in sectors]
    counts += [Count(f"{PEOPLE_TRAINED}.{s}", people.get(s, 0)) for s in sectors]
    counts += [
        Count(DELIVERED, delivered.count(), sensitive=False),
        Count(PEOPLE_TRAINED, sum(people.get(s, 0) for s in sectors)),
    ]
    relation = Relation(PEOPLE_TRAINED, tuple(f"{PEOPLE_TRAINED}.{s}" for s in sectors))
    rows = [
        Row(s, str(label), (f"trainings.sector.{s}", f"{PEOPLE_TRAINED}.{s}")) for s, label in TrainingSector.choices
    ]
    rows.append(Row("total", ALL_TRAININGS, (DELIVERED, PEOPLE_TRAINED), RowKind.TOTAL))
    columns = (Column("trainings", TRAININGS), Column("people", gettext_noop("People trained")))
    notes = (
        gettext_noop(
            "Trainings: those whose audience included the sector; a training may address several sectors, so the "
            "sectors add up to more than the trainings delivered."
        ),
        gettext_noop(
            "People trained: the counts the host recorded after each training, by the sector of the people trained "
            "(someone at two trainings counts twice). A training without a record adds no one."
        ),
    )
    return MeasureResult(columns, tuple(rows), tuple(counts), (relation,), notes=notes)


# --- training requests ----------------------------------------------------------------------------------------
def training_requests(period: Period) -> MeasureResult:
    figures = TrainingRequest.objects.aggregate(
        received=CountOf("pk", filter=_in_period("created_at", period)),
        fulfilled=CountOf("pk", filter=Q(_in_period("closed_at", period), status=RequestStatus.DONE)),
        declined=CountOf("pk", filter=Q(_in_period("closed_at", period), status=RequestStatus.DECLINED)),
    )
    labels = {
        "received": gettext_noop("Received (submitted in the period)"),
        "fulfilled": gettext_noop("Fulfilled (marked done in the period)"),
        "declined": gettext_noop("Declined (in the period)"),
    }
    counts = tuple(Count(f"requests.{name}", figures[name], sensitive=False) for name in labels)
    rows = tuple(Row(name, label, (f"requests.{name}",)) for name, label in labels.items())
    notes = (gettext_noop("A request received in the period may be fulfilled or declined in a later one."),)
    return MeasureResult((Column("requests", gettext_noop("Training requests")),), rows, counts, notes=notes)


# --- the registry entries ---------------------------------------------------------------------------------------
register(
    Measure(
        key="meetings_held",
        group=Group.MEETINGS,
        order=10,
        title=gettext_noop("Meetings held by kind"),
        definition=gettext_noop(
            "Meetings held in the period: not cancelled, and started in the period (in the task force's time zone) "
            "before the report was computed, by kind, with the people recorded present at them."
        ),
        compute=meetings_held_by_kind,
    )
)
register(
    Measure(
        key="agencies_attending",
        group=Group.MEETINGS,
        order=20,
        title=gettext_noop("Agencies attending"),
        definition=gettext_noop(
            "Distinct agencies recorded present (the agency or one of its people) at a meeting held in the period, by "
            "sector. Meetings held in the period: not cancelled, and started in the period (in the task force's time "
            "zone) before the report was computed."
        ),
        compute=agencies_attending,
    )
)
register(
    Measure(
        key="attendance_by_agency",
        group=Group.MEETINGS,
        order=30,
        title=gettext_noop("Attendance by agency"),
        definition=gettext_noop(
            "For each agency, the meetings held in the period that were open to it, those it attended, and its "
            "attendance rate (attended out of open to it, in percent). Meetings held in the period: not cancelled, and "
            "started in the period (in the task force's time zone) before the report was computed."
        ),
        compute=attendance_by_agency,
        chart=ChartSpec(
            "bars",
            ("attended", "open"),
            gettext_noop("Bar chart of the meetings each agency attended and of those open to it"),
        ),
    )
)
register(
    Measure(
        key="action_items",
        group=Group.MEETINGS,
        order=40,
        title=gettext_noop("Action items opened and completed"),
        sheet="Action items",
        definition=gettext_noop(
            "Action items created in the period, and those marked done (or dropped) in the period, by the "
            "moment each was created or marked, in the task force's time zone."
        ),
        compute=action_items,
    )
)
register(
    Measure(
        key="trainings_delivered",
        group=Group.TRAININGS,
        order=10,
        title=gettext_noop("Trainings delivered"),
        definition=gettext_noop(
            "Trainings delivered in the period: not cancelled, started in the period (in the task force's time zone) "
            "and ended before the report was computed, and whether their host has recorded the people trained."
        ),
        compute=trainings_delivered,
    )
)
register(
    Measure(
        key="trainings_by_sector",
        group=Group.TRAININGS,
        order=20,
        title=gettext_noop("Trainings and people trained by sector"),
        sheet="People trained by sector",
        definition=gettext_noop(
            "Trainings delivered in the period: not cancelled, started in the period (in the task force's time zone) "
            "and ended before the report was computed: the trainings addressed to each sector, and the people trained "
            "from each sector as their hosts recorded them."
        ),
        compute=trainings_by_sector,
        chart=ChartSpec("bars", ("people",), gettext_noop("Bar chart of the people trained from each sector")),
    )
)
register(
    Measure(
        key="training_requests",
        group=Group.TRAININGS,
        order=30,
        title=gettext_noop("Training requests received and fulfilled"),
        sheet="Training requests",
        definition=gettext_noop(
            "Training requests submitted in the period, and those marked done (fulfilled) or declined in "
            "the period, by the moment each was submitted or closed, in the task force's time zone."
        ),
        compute=training_requests,
    )
)


# --- the funder's items these measures answer (reports/funder.py) -----------------------------------------------
# BJA's task-force PMT asks for meetings held, partners attending, trainings and people trained by discipline;
# OVC's PMT asks for trainings and people trained. The codes are descriptive (the numbering changes with each
# solicitation's questionnaire): check them against the award's own form.
def _register_funder_items() -> None:
    items = [
        ("TF-meetings-held", "Task-force meetings held", "meetings_held", HELD, ("bja_taskforce_pmt",)),
        (
            "TF-agencies-attending",
            "Partner agencies that attended a task-force meeting",
            "agencies_attending",
            AGENCIES_ATTENDING,
            ("bja_taskforce_pmt",),
        ),
        (
            "TR-delivered",
            "Trainings delivered",
            "trainings_by_sector",
            DELIVERED,
            ("bja_taskforce_pmt", "ovc_pmt"),
        ),
        (
            "TR-people",
            "People trained",
            "trainings_by_sector",
            PEOPLE_TRAINED,
            ("bja_taskforce_pmt", "ovc_pmt"),
        ),
    ]
    items += [
        (
            f"TR-people-{sector.replace('_', '-')}",
            f"People trained: {label}",
            "trainings_by_sector",
            f"{PEOPLE_TRAINED}.{sector}",
            ("bja_taskforce_pmt", "ovc_pmt"),
        )
        for sector, label in TrainingSector.choices
    ]
    for order, (code, question, measure, statistic, templates) in enumerate(items, start=1):
        for template in templates:
            funder_item_register(
                FunderItem(
                    template=template,
                    code=code,
                    question=question,
                    measure=measure,
                    statistic=statistic,
                    order=2000 + order,  # after the people, services and activity items of the form
                )
            )


_register_funder_items()

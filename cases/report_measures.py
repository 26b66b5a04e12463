"""Referral measures of the grant report, kept beside the referrals they count.

The reports app is the framework (reports/measures.py: the registry, the engine, suppression) and
imports no domain app; ReportsConfig.ready() imports this module, as it does
meetings/report_measures.py, and the `register()` calls below add the measures.

Which referrals a measure counts: those SENT in the period, i.e. whose `created_at` (the moment
`referral_send` created and sent it) falls in the period's days in the task force's time zone
(reports/periods.py). Every referral measure counts that same set, so they share one total,
"referrals.total", and each referral is counted once however often it moved. A referral's state
(outcome, decline reason, acceptance) is the one it has when the report is computed; an
approved report freezes it.

Sent and received: every referral has one sending and one receiving member agency, so the task
force sent exactly as many as it received; the measure splits both by the agencies' sector.

These aggregates read across the whole task force on purpose, bypassing Referral.for_user():
they leave this module only as counts protected by reports/suppression.py, never as rows.

People, not referrals (issue 17): a person is a person code (cases/person_codes.py). The people
measures count the person codes on referrals sent in the period, each once, and describe each person
by their LATEST referral sent in the period (latest by sending time, then by id) where referrals
disagree on age band, type, gender or citizenship: the latest is the sender's most recent knowledge.
Two facts look further: a person is "continuing" when a referral with the code was sent before the
period started ("new" otherwise), and "confirmed" when any referral with the code sent up to the end
of the period says so. Referrals without a person code (sent before codes existed) are counted
apart, as referrals, and add no person. Services provided are counted per person and service over
the months the period touches (ServiceDelivery keeps months only). No code ever leaves this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Count as CountOf
from django.db.models import DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_noop, ngettext

from agencies.models import Agency, Sector
from cases import choices
from cases.models import Referral, ReferralNeed, ServiceDelivery
from reports.completeness import Gap, completeness_check_register
from reports.funder import FunderItem, funder_item_register
from reports.measures import (
    ChartSpec,
    Column,
    Group,
    Measure,
    MeasureResult,
    Row,
    RowKind,
    Statistic,
    phrase,
    register,
)
from reports.periods import Period, task_force_zone
from reports.suppression import Count, Relation

TOTAL = "referrals.total"
DECLINED = "referrals.declined"
CLOSED = "referrals.closed"
ACCEPTED_EVER = "referrals.accepted_ever"
REFERRALS = (Column("referrals", gettext_noop("Referrals")),)
NOT_RECORDED = "not_recorded"
NOT_RECORDED_LABEL = gettext_noop("Not recorded")
# Words of the published content are English, marked for the pages that translate them (reports/display.py):
# a definition is one whole sentence, a label made of a fixed wording and a choice is a declared phrase.
MINORS_BAND = phrase(gettext_noop("Minors: %(band)s"))
ADULTS_BAND = phrase(gettext_noop("Adults: %(band)s"))
DECLINED_FOR = phrase(gettext_noop("Declined: %(reason)s"))
CLOSED_WITH = phrase(gettext_noop("Closed: %(outcome)s"))


def referrals_sent_in(period: Period) -> QuerySet[Referral]:
    start, end = period.bounds
    return Referral.objects.filter(created_at__gte=start, created_at__lt=end).order_by()


def _group_counts(queryset: QuerySet, field: str) -> dict[str, int]:
    return dict(queryset.values_list(field).annotate(n=CountOf("pk")).order_by())


def _total_row(label: str = gettext_noop("All referrals"), columns: int = 1) -> Row:
    return Row("total", label, (TOTAL,) * columns, RowKind.TOTAL)


def _one_way(key: str, counts_by_value: dict[str, int], options: Iterable[tuple[str, str]]) -> MeasureResult:
    """One column, one row per choice (zeros included), the total; values outside the choices are
    gathered under "Not recorded" so that the parts still add up to the total."""
    options = list(options)
    known = {value for value, _ in options}
    stray = sum(n for value, n in counts_by_value.items() if value not in known)
    if stray:
        options.append((NOT_RECORDED, NOT_RECORDED_LABEL))
        counts_by_value = {**counts_by_value, NOT_RECORDED: stray}
    cells = [f"{key}.{value}" for value, _ in options]
    rows = [Row(value, str(label), (cell,)) for (value, label), cell in zip(options, cells, strict=True)]
    counts = [Count(cell, counts_by_value.get(value, 0)) for (value, _), cell in zip(options, cells, strict=True)]
    counts.append(Count(TOTAL, sum(c.value for c in counts)))
    return MeasureResult(REFERRALS, (*rows, _total_row()), tuple(counts), (Relation(TOTAL, tuple(cells)),))


def breakdown(
    *,
    key: str,
    field: str,
    options: type[choices.models.TextChoices],
    order: int,
    title: str,
    definition: str,
    chart: ChartSpec | None = None,
    sheet: str = "",
) -> Measure:
    """A measure counting referrals sent in the period by one coded field."""

    def compute(period: Period) -> MeasureResult:
        return _one_way(key, _group_counts(referrals_sent_in(period), field), options.choices)

    return register(
        Measure(
            key=key,
            group=Group.REFERRALS,
            order=order,
            title=title,
            definition=definition,
            compute=compute,
            chart=chart,
            sheet=sheet,
        )
    )


# --- referrals sent and received by sector ------------------------------------------------------
def sent_and_received_by_sector(period: Period) -> MeasureResult:
    referrals = referrals_sent_in(period)
    sent = _group_counts(referrals, "sending_agency__sector")
    received = _group_counts(referrals, "receiving_agency__sector")
    columns = (Column("sent", gettext_noop("Sent")), Column("received", gettext_noop("Received")))
    rows = [
        Row(value, str(label), (f"sector.sent.{value}", f"sector.received.{value}")) for value, label in Sector.choices
    ]
    counts = [Count(f"sector.sent.{value}", sent.get(value, 0)) for value in Sector.values]
    counts += [Count(f"sector.received.{value}", received.get(value, 0)) for value in Sector.values]
    counts.append(Count(TOTAL, sum(sent.values())))
    relations = (
        Relation(TOTAL, tuple(f"sector.sent.{value}" for value in Sector.values)),
        Relation(TOTAL, tuple(f"sector.received.{value}" for value in Sector.values)),
    )
    notes = (
        gettext_noop(
            "Each referral goes from one member agency to another: the task force sent as many as it received."
        ),
    )
    return MeasureResult(columns, (*rows, _total_row(columns=2)), tuple(counts), relations, notes=notes)


# --- adult or minor, and age band -----------------------------------------------------------------
MINORS = gettext_noop("Minors (under 18)")
ADULTS = gettext_noop("Adults (18 or older)")
AGE_UNKNOWN = gettext_noop("Age unknown")
_MINORS = [choices.AgeBand.UNDER_12, choices.AgeBand.AGE_12_17]
_ADULTS = [choices.AgeBand.AGE_18_24, choices.AgeBand.AGE_25_59, choices.AgeBand.AGE_60_PLUS]


def adult_or_minor_and_age(period: Period) -> MeasureResult:
    by_band = _group_counts(referrals_sent_in(period), "age_band")
    band = {value: f"age.{value}" for value in choices.AgeBand.values}
    counts = [Count(band[value], by_band.get(value, 0)) for value in choices.AgeBand.values]
    minors = sum(by_band.get(value, 0) for value in _MINORS)
    adults = sum(by_band.get(value, 0) for value in _ADULTS)
    counts += [Count("age.minors", minors), Count("age.adults", adults), Count(TOTAL, sum(c.value for c in counts))]
    rows = [Row("minors", MINORS, ("age.minors",), RowKind.SUBTOTAL)]
    rows += [Row(v, MINORS_BAND % {"band": choices.AgeBand(v).label}, (band[v],)) for v in _MINORS]
    rows += [Row("adults", ADULTS, ("age.adults",), RowKind.SUBTOTAL)]
    rows += [Row(v, ADULTS_BAND % {"band": choices.AgeBand(v).label}, (band[v],)) for v in _ADULTS]
    rows += [Row(choices.AgeBand.UNKNOWN, AGE_UNKNOWN, (band[choices.AgeBand.UNKNOWN],)), _total_row()]
    relations = (
        Relation("age.minors", tuple(band[v] for v in _MINORS)),
        Relation("age.adults", tuple(band[v] for v in _ADULTS)),
        Relation(TOTAL, ("age.minors", "age.adults", band[choices.AgeBand.UNKNOWN])),
    )
    return MeasureResult(REFERRALS, tuple(rows), tuple(counts), relations)


# --- needs (several per referral) -------------------------------------------------------------------
def needs(period: Period) -> MeasureResult:
    start, end = period.bounds
    listed = ReferralNeed.objects.filter(referral__created_at__gte=start, referral__created_at__lt=end)
    with_need = dict(listed.values_list("need").annotate(n=CountOf("referral_id", distinct=True)).order_by())
    total = referrals_sent_in(period).count()
    counts, relations, rows = [Count(TOTAL, total)], [], []
    for value, label in choices.Need.choices:
        having = with_need.get(value, 0)
        # "Referrals without this need" follows from the total: it is protected although never shown.
        counts += [Count(f"needs.{value}", having), Count(f"needs.{value}.without", total - having, published=False)]
        relations.append(Relation(TOTAL, (f"needs.{value}", f"needs.{value}.without")))
        rows.append(Row(value, str(label), (f"needs.{value}",)))
    rows.append(_total_row(gettext_noop("All referrals (each may list several needs)")))
    notes = (
        gettext_noop("A referral may list several needs, so the needs add up to more than the number of referrals."),
    )
    return MeasureResult(REFERRALS, tuple(rows), tuple(counts), tuple(relations), notes=notes)


# --- where referrals stand: outcomes and decline reasons ---------------------------------------------
def outcomes_and_decline_reasons(period: Period) -> MeasureResult:
    buckets: dict[str, int] = {}
    grouped = referrals_sent_in(period).values_list("status", "decline_reason", "outcome").annotate(n=CountOf("pk"))
    for status, reason, outcome, n in grouped.order_by():
        bucket = _bucket(status, reason, outcome)
        buckets[bucket] = buckets.get(bucket, 0) + n
    reasons = [f"declined.{value}" for value in choices.DeclineReason.values]
    outcomes = [f"closed.{value}" for value in choices.Outcome.values]
    simple = ["awaiting", "accepted", "withdrawn"]
    counts = [Count(f"outcomes.{bucket}", buckets.get(bucket, 0)) for bucket in simple + reasons + outcomes]
    declined = sum(buckets.get(bucket, 0) for bucket in reasons)
    closed = sum(buckets.get(bucket, 0) for bucket in outcomes)
    counts += [Count(DECLINED, declined), Count(CLOSED, closed), Count(TOTAL, sum(buckets.values()))]
    relations = (
        Relation(TOTAL, ("outcomes.awaiting", "outcomes.accepted", DECLINED, CLOSED, "outcomes.withdrawn")),
        Relation(DECLINED, tuple(f"outcomes.{bucket}" for bucket in reasons)),
        Relation(CLOSED, tuple(f"outcomes.{bucket}" for bucket in outcomes)),
    )
    rows = [
        Row("awaiting", gettext_noop("Awaiting an answer"), ("outcomes.awaiting",)),
        Row("accepted", gettext_noop("Accepted or in progress"), ("outcomes.accepted",)),
        Row("declined", gettext_noop("Declined"), (DECLINED,), RowKind.SUBTOTAL),
        *(
            Row(f"declined.{v}", DECLINED_FOR % {"reason": label}, (f"outcomes.declined.{v}",))
            for v, label in choices.DeclineReason.choices
        ),
        Row("closed", gettext_noop("Closed"), (CLOSED,), RowKind.SUBTOTAL),
        *(
            Row(f"closed.{v}", CLOSED_WITH % {"outcome": label}, (f"outcomes.closed.{v}",))
            for v, label in choices.Outcome.choices
        ),
        Row("withdrawn", gettext_noop("Withdrawn by the sending agency"), ("outcomes.withdrawn",)),
        _total_row(),
    ]
    return MeasureResult(REFERRALS, tuple(rows), tuple(counts), relations)


def _bucket(status: str, reason: str, outcome: str) -> str:
    if status == choices.Status.DECLINED:
        return f"declined.{reason if reason in choices.DeclineReason.values else choices.DeclineReason.OTHER}"
    if status == choices.Status.CLOSED:
        return f"closed.{outcome if outcome in choices.Outcome.values else choices.Outcome.OTHER}"
    if status in (choices.Status.ACCEPTED, choices.Status.IN_PROGRESS):
        return "accepted"
    return "withdrawn" if status == choices.Status.WITHDRAWN else "awaiting"


# --- median days to accept and to close -----------------------------------------------------------------
def median_days(period: Period) -> MeasureResult:
    referrals = referrals_sent_in(period)
    accepted = referrals.filter(accepted_at__isnull=False)
    closed = referrals.filter(status=choices.Status.CLOSED)
    counts = (Count(ACCEPTED_EVER, accepted.count()), Count(CLOSED, closed.count()))
    statistics = (
        Statistic("medians.accept", _median_days(accepted, "accepted_at"), basis=ACCEPTED_EVER),
        Statistic("medians.close", _median_days(closed.filter(closed_at__isnull=False), "closed_at"), basis=CLOSED),
    )
    columns = (
        Column("referrals", gettext_noop("Referrals counted")),
        Column("median_days", gettext_noop("Median days")),
    )
    rows = (
        Row(
            "accept", gettext_noop("From sending to acceptance (referrals accepted)"), (ACCEPTED_EVER, "medians.accept")
        ),
        Row("close", gettext_noop("From sending to closing (referrals closed)"), (CLOSED, "medians.close")),
    )
    notes = (gettext_noop("A median resting on fewer referrals than the suppression threshold is withheld."),)
    return MeasureResult(columns, rows, counts, statistics=statistics, notes=notes)


def _median_days(queryset: QuerySet[Referral], end_field: str) -> float | None:
    """The median in the database: count, then read only the middle one or two durations in order."""
    durations = (
        queryset.annotate(took=ExpressionWrapper(F(end_field) - F("created_at"), output_field=DurationField()))
        .order_by("took")
        .values_list("took", flat=True)
    )
    size = queryset.count()
    if size == 0:
        return None
    middle = [
        took if isinstance(took, timedelta) else timedelta(microseconds=took)
        for took in durations[(size - 1) // 2 : size // 2 + 1]
    ]
    return sum(took.total_seconds() for took in middle) / len(middle) / 86400


# --- active partner agencies -----------------------------------------------------------------------------
def active_partner_agencies(period: Period) -> MeasureResult:
    start, end = period.bounds
    in_period = Q(created_at__gte=start, created_at__lt=end)
    active = Agency.objects.annotate(
        sent=Exists(Referral.objects.filter(in_period, sending_agency=OuterRef("pk"))),
        received=Exists(Referral.objects.filter(in_period, receiving_agency=OuterRef("pk"))),
    ).filter(Q(sent=True) | Q(received=True))
    members = Agency.objects.filter(is_active=True, created_at__lt=end)
    by_sector = {"active": _group_counts(active, "sector"), "members": _group_counts(members, "sector")}
    counts, relations = [], []
    for column, found in by_sector.items():
        cells = [f"agencies.{column}.{value}" for value in Sector.values]
        counts += [Count(cell, found.get(v, 0), sensitive=False) for cell, v in zip(cells, Sector.values, strict=True)]
        counts.append(Count(f"agencies.{column}", sum(found.values()), sensitive=False))
        relations.append(Relation(f"agencies.{column}", tuple(cells)))
    columns = (
        Column("active", gettext_noop("Active partner agencies")),
        Column("members", gettext_noop("Member agencies")),
    )
    rows = [Row(v, str(label), (f"agencies.active.{v}", f"agencies.members.{v}")) for v, label in Sector.choices]
    rows.append(Row("total", gettext_noop("All agencies"), ("agencies.active", "agencies.members"), RowKind.TOTAL))
    notes = (
        gettext_noop(
            "Active partner agency: a member agency that sent or received at least one referral in the period."
        ),
        gettext_noop("Member agencies: admitted before the end of the period and still members."),
    )
    return MeasureResult(columns, tuple(rows), tuple(counts), tuple(relations), notes=notes)


# --- trend by month ----------------------------------------------------------------------------------------
def referrals_by_month(period: Period) -> MeasureResult:
    zone = task_force_zone()
    grouped = (
        referrals_sent_in(period)
        .annotate(month=TruncMonth("created_at", tzinfo=zone))
        .values_list("month")
        .annotate(n=CountOf("pk"))
        .order_by()
    )
    by_month = {month.astimezone(zone).strftime("%Y-%m"): n for month, n in grouped}
    months = [first.strftime("%Y-%m") for first in period.months()]
    counts = [Count(f"month.{m}", by_month.get(m, 0)) for m in months]
    counts.append(Count(TOTAL, sum(by_month.values())))
    rows = [Row(m, first.strftime("%B %Y"), (f"month.{m}",)) for m, first in zip(months, period.months(), strict=True)]
    partial = gettext_noop("The first and last months count only the days inside the period.")
    notes = (partial,) if _partial(period) else ()
    relation = Relation(TOTAL, tuple(f"month.{m}" for m in months))
    return MeasureResult(REFERRALS, (*rows, _total_row()), tuple(counts), (relation,), notes=notes)


def _partial(period: Period) -> bool:
    return period.start.day != 1 or (period.end + timedelta(days=1)).day != 1


# --- the registry entries ------------------------------------------------------------------------------------
register(
    Measure(
        key="referrals_by_month",
        group=Group.REFERRALS,
        order=5,
        title=gettext_noop("Referrals by month"),
        sheet="By month",
        definition=gettext_noop(
            "Referrals sent in the period (the date each was sent, in the task force's time zone), by the calendar "
            "month in which each was sent."
        ),
        compute=referrals_by_month,
        chart=ChartSpec(
            "columns", ("referrals",), gettext_noop("Column chart of the number of referrals sent each month")
        ),
    )
)
register(
    Measure(
        key="sent_received_by_sector",
        group=Group.REFERRALS,
        order=10,
        title=gettext_noop("Referrals sent and received by sector"),
        sheet="Sent and received by sector",
        definition=gettext_noop(
            "Referrals sent in the period (the date each was sent, in the task force's time zone), by the sector of "
            "the sending agency and of the receiving agency."
        ),
        compute=sent_and_received_by_sector,
        chart=ChartSpec(
            "bars", ("sent", "received"), gettext_noop("Bar chart of referrals sent and received by each sector")
        ),
    )
)
breakdown(
    key="trafficking_type",
    field="trafficking_type",
    options=choices.TraffickingType,
    order=20,
    title=gettext_noop("Trafficking type"),
    definition=gettext_noop(
        "Referrals sent in the period (the date each was sent, in the task force's time zone), by trafficking type."
    ),
    chart=ChartSpec("bars", ("referrals",), gettext_noop("Bar chart of referrals by trafficking type")),
)
breakdown(
    key="victim_status",
    field="victim_status",
    options=choices.VictimStatus,
    order=30,
    title=gettext_noop("Potential or confirmed victim"),
    definition=gettext_noop(
        "Referrals sent in the period (the date each was sent, in the task force's time zone), by potential or "
        "confirmed victim."
    ),
    sheet="Potential or confirmed",
)
register(
    Measure(
        key="age",
        group=Group.REFERRALS,
        order=40,
        title=gettext_noop("Adult or minor, and age band"),
        sheet="Adult or minor and age",
        definition=gettext_noop(
            "Referrals sent in the period (the date each was sent, in the task force's time zone), by age band; minors "
            "are the bands under 18."
        ),
        compute=adult_or_minor_and_age,
    )
)
breakdown(
    key="gender",
    field="gender",
    options=choices.Gender,
    order=50,
    title=gettext_noop("Gender"),
    definition=gettext_noop(
        "Referrals sent in the period (the date each was sent, in the task force's time zone), by gender."
    ),
)
breakdown(
    key="citizenship",
    field="citizenship",
    options=choices.Citizenship,
    order=60,
    title=gettext_noop("Citizenship category"),
    definition=gettext_noop(
        "Referrals sent in the period (the date each was sent, in the task force's time zone), by citizenship category."
    ),
)
breakdown(
    key="source_type",
    field="source_type",
    options=choices.SourceType,
    order=65,
    title=gettext_noop("Referral source"),
    definition=gettext_noop(
        "Referrals sent in the period (the date each was sent, in the task force's time zone), by referral source."
    ),
)
register(
    Measure(
        key="needs",
        group=Group.REFERRALS,
        order=70,
        title=gettext_noop("Needs"),
        definition=gettext_noop(
            "Referrals sent in the period (the date each was sent, in the task force's time zone) that list each need."
        ),
        compute=needs,
        chart=ChartSpec("bars", ("referrals",), gettext_noop("Bar chart of the number of referrals listing each need")),
    )
)
register(
    Measure(
        key="outcomes",
        group=Group.REFERRALS,
        order=80,
        title=gettext_noop("Outcomes and decline reasons"),
        sheet="Outcomes",
        definition=gettext_noop(
            "Referrals sent in the period (the date each was sent, in the task force's time zone), by where each "
            "stands when the "
            "report is computed (for an approved report: when it was approved)."
        ),
        compute=outcomes_and_decline_reasons,
    )
)
register(
    Measure(
        key="median_days",
        group=Group.REFERRALS,
        order=90,
        title=gettext_noop("Median days to accept and to close"),
        sheet="Median days",
        definition=gettext_noop(
            "Referrals sent in the period (the date each was sent, in the task force's time zone) that were accepted "
            "(or closed): "
            "the median time from sending to acceptance (or to closing), in days."
        ),
        compute=median_days,
    )
)
register(
    Measure(
        key="active_agencies",
        group=Group.REFERRALS,
        order=100,
        title=gettext_noop("Active partner agencies"),
        definition=gettext_noop(
            "Member agencies that sent or received at least one referral in the period, by sector."
        ),
        compute=active_partner_agencies,
    )
)


# --- people, counted by person code ---------------------------------------------------------------------------
PEOPLE = "people.total"
CODED = "referrals.coded"
UNCODED = "referrals.uncoded"
SERVED = "served.total"
PEOPLE_COLUMN = (Column("people", gettext_noop("People")),)
LATEST_COUNTS = gettext_noop(
    "A person whose referrals in the period disagree is described by the latest referral sent in the period."
)


def _coded_in(period: Period) -> QuerySet[Referral]:
    return referrals_sent_in(period).filter(person_code__isnull=False)


def people_latest_referrals(period: Period) -> QuerySet[Referral]:
    """One referral per person identified in the period: the latest sent in it (by time, then id)."""
    referrals = _coded_in(period)
    same_person = referrals.filter(person_code=OuterRef("person_code"))
    later = same_person.filter(
        Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    return referrals.filter(~Exists(later))


def people_identified(period: Period) -> MeasureResult:
    start, end = period.bounds
    with_code = Referral.objects.filter(person_code=OuterRef("person_code")).order_by()
    earlier = with_code.filter(created_at__lt=start)
    confirmed = with_code.filter(created_at__lt=end, victim_status=choices.VictimStatus.CONFIRMED)
    people = people_latest_referrals(period).aggregate(
        total=CountOf("pk"),
        continuing=CountOf("pk", filter=Exists(earlier)),
        confirmed=CountOf("pk", filter=Exists(confirmed)),
    )
    referrals = referrals_sent_in(period).aggregate(
        total=CountOf("pk"), coded=CountOf("pk", filter=Q(person_code__isnull=False))
    )
    total, continuing, sure = people["total"], people["continuing"], people["confirmed"]
    counts = (
        Count(PEOPLE, total),
        Count("people.new", total - continuing),
        Count("people.continuing", continuing),
        Count("people.potential", total - sure),
        Count("people.confirmed", sure),
        Count(TOTAL, referrals["total"]),
        Count(CODED, referrals["coded"]),
        Count(UNCODED, referrals["total"] - referrals["coded"]),
    )
    relations = (
        Relation(PEOPLE, ("people.new", "people.continuing")),
        Relation(PEOPLE, ("people.potential", "people.confirmed")),
        Relation(TOTAL, (CODED, UNCODED)),
    )
    columns = (Column("number", gettext_noop("Number")),)
    rows = (
        Row("people", gettext_noop("People identified (each person once)"), (PEOPLE,), RowKind.TOTAL),
        Row("new", gettext_noop("New in the period"), ("people.new",)),
        Row("continuing", gettext_noop("Continuing (referred before the period)"), ("people.continuing",)),
        Row("potential", gettext_noop("Potential victims"), ("people.potential",)),
        Row("confirmed", gettext_noop("Confirmed victims"), ("people.confirmed",)),
        Row("referrals", gettext_noop("Referrals sent in the period"), (TOTAL,), RowKind.TOTAL),
        Row("coded", gettext_noop("Referrals with a person code"), (CODED,)),
        Row(
            "uncoded",
            gettext_noop("Referrals without a person code (their people are not counted above)"),
            (UNCODED,),
        ),
    )
    notes = (
        gettext_noop("One person referred to three agencies is one person and three referrals."),
        gettext_noop(
            "Confirmed: any referral with the person's code, sent up to the end of the period, says confirmed."
        ),
    )
    return MeasureResult(columns, rows, counts, relations, notes=notes)


def _people_by(key: str, by_value: dict[str, int], options: Iterable[tuple[str, str]]) -> MeasureResult:
    """People by one coded fact (`by_value`: people per value), as `_one_way` lays out referrals: a row per
    choice, zeros included, strays under "Not recorded", and the people identified as the total."""
    options = list(options)
    known = {value for value, _ in options}
    stray = sum(n for value, n in by_value.items() if value not in known)
    if stray:
        options.append((NOT_RECORDED, NOT_RECORDED_LABEL))
        by_value = {**by_value, NOT_RECORDED: stray}
    cells = [f"{key}.{value}" for value, _ in options]
    rows = [Row(value, str(label), (cell,)) for (value, label), cell in zip(options, cells, strict=True)]
    counts = [Count(cell, by_value.get(value, 0)) for (value, _), cell in zip(options, cells, strict=True)]
    counts.append(Count(PEOPLE, sum(c.value for c in counts)))
    total = Row("total", gettext_noop("All people identified"), (PEOPLE,), RowKind.TOTAL)
    return MeasureResult(
        PEOPLE_COLUMN, (*rows, total), tuple(counts), (Relation(PEOPLE, tuple(cells)),), notes=(LATEST_COUNTS,)
    )


AGE_GROUPS = (("minor", MINORS), ("adult", ADULTS), ("unknown", AGE_UNKNOWN))


def people_by_age(period: Period) -> MeasureResult:
    by_band = _group_counts(people_latest_referrals(period), "age_band")
    groups = {"minor": _MINORS, "adult": _ADULTS, "unknown": [choices.AgeBand.UNKNOWN]}
    by_group = {group: sum(by_band.pop(band, 0) for band in bands) for group, bands in groups.items()}
    return _people_by("people.age", {**by_band, **by_group}, AGE_GROUPS)


def people_breakdown(
    *,
    key: str,
    field: str,
    options: type[choices.models.TextChoices],
    order: int,
    title: str,
    sheet: str,
    definition: str,
) -> Measure:
    """A measure counting people identified in the period by one coded fact of their latest referral."""

    def compute(period: Period) -> MeasureResult:
        return _people_by(key, _group_counts(people_latest_referrals(period), field), options.choices)

    return register(
        Measure(
            key=key.replace(".", "_"),
            group=Group.REFERRALS,
            order=order,
            title=title,
            sheet=sheet,
            definition=definition,
            compute=compute,
        )
    )


# --- services provided -------------------------------------------------------------------------------------------
def services_in(period: Period) -> QuerySet[ServiceDelivery]:
    """Services recorded for a month the period touches (a service is kept by month, not by day)."""
    return ServiceDelivery.objects.filter(month__gte=period.start.replace(day=1), month__lte=period.end).order_by()


def people_served(period: Period) -> MeasureResult:
    delivered = services_in(period)
    coded = delivered.filter(referral__person_code__isnull=False)
    per_service = dict(
        coded.values_list("service").annotate(n=CountOf("referral__person_code", distinct=True)).order_by()
    )
    totals = delivered.aggregate(
        people=CountOf("referral__person_code", distinct=True),
        uncoded=CountOf("referral", distinct=True, filter=Q(referral__person_code__isnull=True)),
    )
    served = totals["people"]
    counts, relations, rows = [Count(SERVED, served)], [], []
    for value, label in choices.Need.choices:
        having = per_service.get(value, 0)
        # People served without this service follow from the total: protected although never shown.
        counts += [Count(f"served.{value}", having), Count(f"served.{value}.without", served - having, published=False)]
        relations.append(Relation(SERVED, (f"served.{value}", f"served.{value}.without")))
        rows.append(Row(value, str(label), (f"served.{value}",)))
    counts.append(Count("served.uncoded", totals["uncoded"]))
    rows += [
        Row("total", gettext_noop("People served (each once, whatever the services)"), (SERVED,), RowKind.TOTAL),
        Row(
            "uncoded",
            gettext_noop("Referrals without a person code that were served (not counted above)"),
            ("served.uncoded",),
        ),
    ]
    notes = (
        gettext_noop(
            "A person may receive several services, so the services add up to more than the number of people served."
        ),
        gettext_noop(
            "Services are recorded by month: a period that starts or ends inside a month counts that whole month."
        ),
    )
    return MeasureResult(
        (Column("people", gettext_noop("People served")),), tuple(rows), tuple(counts), tuple(relations), notes=notes
    )


register(
    Measure(
        key="people_identified",
        group=Group.REFERRALS,
        order=6,
        title=gettext_noop("People identified, new and continuing"),
        sheet="People identified",
        definition=gettext_noop(
            "People identified in the period: the person codes on referrals sent in the period, each counted once. "
            "New: no referral with the code was sent before the period started; continuing: one was. "
            "Confirmed: any referral with the code sent up to the end of the period says confirmed; potential "
            "otherwise. Referrals without a person code are counted apart and add no person."
        ),
        compute=people_identified,
    )
)
people_breakdown(
    key="people.type",
    field="trafficking_type",
    options=choices.TraffickingType,
    order=7,
    title=gettext_noop("People by trafficking type"),
    sheet="People by type",
    definition=gettext_noop(
        "People identified in the period: the person codes on referrals sent in the period, each counted once, by "
        "trafficking type. A person whose referrals in the period disagree is described by the latest referral sent in "
        "the period."
    ),
)
register(
    Measure(
        key="people_age",
        group=Group.REFERRALS,
        order=8,
        title=gettext_noop("People by adult or minor"),
        sheet="People by age",
        definition=gettext_noop(
            "People identified in the period: the person codes on referrals sent in the period, each counted once, by "
            "the age band of their latest referral in the period: minors are the bands under 18. A person whose "
            "referrals in the period disagree is described by the latest referral sent in the period."
        ),
        compute=people_by_age,
    )
)
people_breakdown(
    key="people.gender",
    field="gender",
    options=choices.Gender,
    order=9,
    title=gettext_noop("People by gender"),
    sheet="People by gender",
    definition=gettext_noop(
        "People identified in the period: the person codes on referrals sent in the period, each counted once, by "
        "gender. A person whose referrals in the period disagree is described by the latest referral sent in the "
        "period."
    ),
)
people_breakdown(
    key="people.citizenship",
    field="citizenship",
    options=choices.Citizenship,
    order=9,
    title=gettext_noop("People by citizenship category"),
    sheet="People by citizenship",
    definition=gettext_noop(
        "People identified in the period: the person codes on referrals sent in the period, each counted once, by "
        "citizenship category. A person whose referrals in the period disagree is described by the latest referral "
        "sent in the period."
    ),
)
register(
    Measure(
        key="people_served",
        group=Group.REFERRALS,
        order=75,
        title=gettext_noop("People served by service type"),
        sheet="People served",
        definition=gettext_noop(
            "People (person codes) whose referral's receiving agency recorded a service provided in a month of the "
            "period, each counted once per service type and once in the total. Services on referrals without a "
            "person code are counted apart, as referrals."
        ),
        compute=people_served,
        chart=ChartSpec(
            "bars", ("people",), gettext_noop("Bar chart of the number of people served with each service")
        ),
    )
)


# --- the funder's forms ------------------------------------------------------------------------------------------
# OVC's TIMS (half-years) and PMT (quarters) ask the same client questions; their numbering changes with each
# solicitation's questionnaire, so the codes are descriptive ("CL" clients, "SV" services, then the answer) and the
# wording should be checked against the award's own form.
def _client_items() -> list[tuple[str, str, str, str]]:
    """(code, question, measure, statistic) of every client and service item, in the forms' order."""
    items = [
        ("CL-served", "Clients served, unduplicated (people identified in the period)", "people_identified", PEOPLE),
        ("CL-new", "New clients (first referred in the period)", "people_identified", "people.new"),
        ("CL-continuing", "Continuing clients (referred before the period)", "people_identified", "people.continuing"),
        ("CL-potential", "Clients who are potential victims", "people_identified", "people.potential"),
        ("CL-confirmed", "Clients who are confirmed victims", "people_identified", "people.confirmed"),
    ]
    breakdowns = (
        ("type", "people_type", "people.type", choices.TraffickingType.choices, "Clients by trafficking type"),
        ("age", "people_age", "people.age", AGE_GROUPS, "Clients by age group"),
        ("gender", "people_gender", "people.gender", choices.Gender.choices, "Clients by gender"),
        (
            "citizenship",
            "people_citizenship",
            "people.citizenship",
            choices.Citizenship.choices,
            "Clients by citizenship",
        ),
    )
    for short, measure, key, options, question in breakdowns:
        items += [(f"CL-{short}-{v}", f"{question}: {label}", measure, f"{key}.{v}") for v, label in options]
    items.append(("SV-served", "Clients who received services (any service recorded)", "people_served", SERVED))
    items += [
        (f"SV-{value}", f"Clients who received services by type: {label}", "people_served", f"served.{value}")
        for value, label in choices.Need.choices
    ]
    return [(code.replace("_", "-"), question, measure, statistic) for code, question, measure, statistic in items]


def _register_funder_items() -> None:
    for order, (code, question, measure, statistic) in enumerate(_client_items(), start=10):
        for template in ("ovc_tims", "ovc_pmt"):
            funder_item_register(
                FunderItem(
                    template=template, code=code, question=question, measure=measure, statistic=statistic, order=order
                )
            )


_register_funder_items()


# --- missing figures -----------------------------------------------------------------------------------------------
def referrals_without_person_code(period: Period) -> list[Gap]:
    """Per sending agency, referrals sent in the period without a person code: their people go uncounted.

    No reminder: a referral sent since person codes exist always has one (the portal issues it), so these
    are referrals sent before, which cannot be given a code now; the grant manager reads how many people
    the report may leave out.
    """
    grouped = (
        referrals_sent_in(period)
        .filter(person_code__isnull=True)
        .values_list("sending_agency_id", "sending_agency__name")
        .annotate(n=CountOf("pk"))
        .order_by("sending_agency__name")
    )
    return [
        Gap(
            agency_id=agency_id,
            agency_name=name,
            what=ngettext(
                "sent %(count)s referral in %(period)s without a person code",
                "sent %(count)s referrals in %(period)s without a person code",
                n,
            )
            % {"count": n, "period": period.label},
            count=n,
        )
        for agency_id, name, n in grouped
    ]


completeness_check_register(key="person_codes", check=referrals_without_person_code, remind=None)

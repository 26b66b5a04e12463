"""Property tests: a reader who collects every figure of every period they may ask for, and attacks.

The world: random referrals over a few consecutive quarters, counted by month, by type, by gender
and by one need (whose "without" count is implied, never shown), as the real measures count them.
The pipeline under test is the real one (reports.engine.publish for a quarter, every measure
together; reports.releases.combine for every run of quarters and any choice of measures).

The reader is an integer program (scipy's HiGHS): its unknowns are the true counts of every quarter,
its constraints every figure obtained (a shown figure is a sum of quarters' counts; "<T" bounds it;
a quarter's "withheld" is T or more unless its table was blacked out, which the reader is told), and
every relation of every quarter. Differencing, summing and complements are all linear, so the
program subsumes them. For every count from 1 to T-1 it can name (a quarter's cell, or any figure of
any run of quarters) it computes the least and greatest possible value: they must differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from reports.engine import publish
from reports.measures import Column, Group, Measure, MeasureResult, Row, RowKind
from reports.periods import Period, PeriodKind, period_build
from reports.releases import check_publishable, combine, quarters_of
from reports.suppression import Count, Relation

UPPER = 10**5
TYPES, GENDERS = ("sex", "labor", "both"), ("woman", "man")
KEYS = ("by_month", "type", "gender", "need")
COLUMN = (Column("referrals", "Referrals"),)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Referral:
    month: int  # 0-2 within its quarter
    kind: str
    gender: str
    need: bool


def _measure(key: str) -> Measure:
    return Measure(key=key, group=Group.REFERRALS, order=KEYS.index(key), title=key, definition=key, compute=print)


MEASURES = [_measure(key) for key in KEYS]


def _quarter(index: int) -> Period:
    return period_build(kind=PeriodKind.QUARTER, year=2024 + index // 4, part=index % 4 + 1)


def _one_way(rows: dict[str, tuple[str, int]]) -> MeasureResult:
    """rows: row key -> (count key, value); their total is "N"."""
    counts = [Count(key, value) for key, value in rows.values()] + [Count("N", sum(v for _, v in rows.values()))]
    laid = [Row(row, row, (key,)) for row, (key, _) in rows.items()] + [Row("total", "All", ("N",), RowKind.TOTAL)]
    relation = Relation("N", tuple(key for key, _ in rows.values()))
    return MeasureResult(COLUMN, tuple(laid), tuple(counts), (relation,))


def results_of(quarter: int, referrals: Sequence[Referral]) -> list[MeasureResult]:
    """The four measures of one quarter, shaped as the real ones (month rows are named by month, not quarter)."""
    months = {f"m{quarter * 3 + m}": (f"month.{m}", sum(r.month == m for r in referrals)) for m in range(3)}
    kinds = {kind: (f"type.{kind}", sum(r.kind == kind for r in referrals)) for kind in TYPES}
    genders = {gender: (f"gender.{gender}", sum(r.gender == gender for r in referrals)) for gender in GENDERS}
    having = sum(r.need for r in referrals)
    need = MeasureResult(
        COLUMN,
        (Row("need", "Need", ("need",)), Row("total", "All", ("N",), RowKind.TOTAL)),
        (
            Count("N", len(referrals)),
            Count("need", having),
            Count("need.without", len(referrals) - having, published=False),
        ),
        (Relation("N", ("need", "need.without")),),
    )
    return [_one_way(months), _one_way(kinds), _one_way(genders), need]


def cell_keys(quarter: int) -> dict[tuple[str, str], str]:
    """(measure, row) -> the count key behind the cell, in this quarter's table."""
    keys = {("by_month", f"m{quarter * 3 + m}"): f"month.{m}" for m in range(3)}
    keys |= {("type", kind): f"type.{kind}" for kind in TYPES} | {("gender", g): f"gender.{g}" for g in GENDERS}
    keys |= {("need", "need"): "need"} | {(measure, "total"): "N" for measure in KEYS}
    return keys


def raw_counts(results: Sequence[MeasureResult]) -> dict[str, int]:
    return {count.key: count.value for result in results for count in result.counts}


def _truth(world: list[list[Referral]]) -> dict[int, dict[str, int]]:
    return {q: raw_counts(results_of(q, referrals)) for q, referrals in enumerate(world)}


RELATIONS = [relation for result in results_of(0, []) for relation in result.relations]
COUNT_KEYS = sorted(raw_counts(results_of(0, [])))


# --- what one person can obtain ----------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    terms: tuple[tuple[int, str], ...]  # (quarter, count key): the figure is the sum of these true counts
    status: str
    value: int | None
    truth: int


def _figures(content: dict, quarters: Sequence[int], truth: dict[int, dict[str, int]]) -> list[Figure]:
    found = []
    for measure in content["measures"]:
        for row in measure["rows"]:
            where = (measure["key"], row["key"])
            terms = tuple((q, cell_keys(q)[where]) for q in quarters if where in cell_keys(q))
            cell = row["cells"][0]
            found.append(Figure(terms, cell["status"], cell["value"], sum(truth[q][key] for q, key in terms)))
    return found


def obtain_with_releases(world: list[list[Referral]], threshold: int, selections: list[list[str]]) -> list[Figure]:
    truth = _truth(world)
    releases = []
    for q, referrals in enumerate(world):
        content = publish(period=_quarter(q), measures=MEASURES, results=results_of(q, referrals), threshold=threshold)
        releases.append({"content": content, "statistics": {}})
    figures = []
    for first in range(len(world)):
        for last in range(first, len(world)):
            period = Period(PeriodKind.CUSTOM, _quarter(first).start, _quarter(last).end)
            for keys in selections:
                content = combine(period=period, releases=releases[first : last + 1], measure_keys=keys)
                figures += _figures(content, range(first, last + 1), truth)
    return figures


def obtain_per_period(world: list[list[Referral]], threshold: int) -> list[Figure]:
    """The method before issue 15: each period's raw counts protected on their own, whatever was published before."""
    truth = _truth(world)
    figures = []
    for first in range(len(world)):
        for last in range(first, len(world)):
            quarters = range(first, last + 1)
            period = Period(PeriodKind.CUSTOM, _quarter(first).start, _quarter(last).end)
            content = publish(period=period, measures=MEASURES, results=_merged(quarters, truth), threshold=threshold)
            # Each period was one table: its "withheld" read as "T or more" (or blacked out), like a quarter's.
            figures += [_as_single(figure) for figure in _figures(content, quarters, truth)]
    return figures


def _merged(quarters: range, truth: dict[int, dict[str, int]]) -> list[MeasureResult]:
    """A period's measures from its raw counts: every month laid out, the rest summed over its quarters."""
    summed = {key: sum(truth[q][key] for q in quarters) for key in COUNT_KEYS}
    by_month = {f"m{q * 3 + m}": (f"month.{q}.{m}", truth[q][f"month.{m}"]) for q in quarters for m in range(3)}
    return [_one_way(by_month), *(_counted(result, summed) for result in results_of(0, [])[1:])]


def _counted(result: MeasureResult, counts: dict[str, int]) -> MeasureResult:
    return MeasureResult(
        result.columns, result.rows, tuple(Count(c.key, counts[c.key], published=c.published) for c in result.counts),
        result.relations,
    )  # fmt: skip


def _as_single(figure: Figure) -> Figure:
    status = "withheld_t" if figure.status == "withheld" else figure.status
    return Figure(figure.terms, status, figure.value, figure.truth)


# --- the reader ---------------------------------------------------------------------------------------
def pinned_small_counts(world_size: int, figures: Sequence[Figure], threshold: int, truth: dict) -> list[str]:
    variables = [(q, key) for q in range(world_size) for key in COUNT_KEYS]
    index = {v: i for i, v in enumerate(variables)}
    rows, low, high = [], [], []

    def add(terms: Sequence[tuple[int, str]], lo: float, hi: float) -> None:
        row = np.zeros(len(variables))
        for term in terms:
            row[index[term]] += 1
        rows.append(row)
        low.append(lo)
        high.append(hi)

    for q in range(world_size):
        for relation in RELATIONS:
            row = np.zeros(len(variables))
            row[index[(q, relation.total)]] += 1
            for part in relation.parts:
                row[index[(q, part)]] -= 1
            rows.append(row)
            low.append(0)
            high.append(0)
    for figure in figures:
        if not figure.terms:
            continue
        if figure.status == "shown":
            add(figure.terms, figure.value, figure.value)
        elif figure.status == "small":
            add(figure.terms, 1, threshold - 1)
        elif figure.status in ("withheld", "withheld_t") and (len(figure.terms) == 1 or figure.status == "withheld_t"):
            # A quarter's "withheld" is T or more, except in a blacked-out table: the reader is told which.
            add(figure.terms, threshold if figure.truth >= threshold else 0, np.inf)
    constraint = LinearConstraint(np.array(rows), low, high)
    targets = {(v,): truth[v[0]][v[1]] for v in variables}
    targets |= {figure.terms: figure.truth for figure in figures if figure.terms}
    pinned = []
    for terms, value in targets.items():
        if not 1 <= value < threshold:
            continue
        objective = np.zeros(len(variables))
        for term in terms:
            objective[index[term]] = 1
        ends = []
        for sign in (1, -1):
            result = milp(sign * objective, constraints=[constraint], bounds=Bounds(0, UPPER),
                          integrality=np.ones(len(variables)))  # fmt: skip
            assert result.success, result.message
            ends.append(round(float(objective @ result.x)))
        assert ends[0] <= value <= ends[1]
        if ends[0] == ends[1]:
            pinned.append(f"{terms} = {value}")
    return pinned


# --- random worlds ------------------------------------------------------------------------------------------
referral = st.builds(
    Referral, st.integers(0, 2), st.sampled_from(TYPES), st.sampled_from(GENDERS), st.booleans()
)  # fmt: skip
quarter_of_referrals = st.one_of(st.lists(referral, max_size=14), st.lists(referral, min_size=10, max_size=45))
worlds = st.lists(quarter_of_referrals, min_size=2, max_size=4)
selections = st.lists(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True), min_size=1, max_size=3)


@PROPERTY
@given(worlds, st.integers(3, 11), selections)
def test_it_leaves_no_small_count_recoverable_from_every_run_of_quarters_and_measure_choice(world, threshold, chosen):
    figures = obtain_with_releases(world, threshold, [list(KEYS), *chosen])
    assert pinned_small_counts(len(world), figures, threshold, _truth(world)) == []


@PROPERTY
@given(worlds, st.integers(3, 11))
def test_it_never_shows_a_figure_from_1_to_t_minus_1_for_any_run_of_quarters(world, threshold):
    for figure in obtain_with_releases(world, threshold, [list(KEYS)]):
        if figure.status == "shown":
            assert figure.value == figure.truth and not 1 <= figure.value < threshold


def test_it_catches_the_attack_on_periods_protected_one_by_one():
    """The reader is real: against the old method it works out 3 labor referrals of the first quarter
    from the half-year's 23 and the second quarter's 20, as in issue 15."""
    first = [Referral(0, "labor", "woman", True)] * 3 + [Referral(1, "sex", "man", False)] * 20
    first += [Referral(2, "both", "woman", False)] * 20
    second = [Referral(m % 3, kind, "man", True) for m in range(3) for kind in TYPES for _ in range(7)]
    second = second[:20] + [Referral(0, "labor", "man", True)] * 20
    world = [first, second]
    pinned = pinned_small_counts(2, obtain_per_period(world, 11), 11, _truth(world))
    assert any("(0, 'type.labor')" in found and found.endswith("= 3") for found in pinned), pinned
    assert pinned_small_counts(2, obtain_with_releases(world, 11, [list(KEYS)]), 11, _truth(world)) == []


# --- the periods one may ask for ---------------------------------------------------------------------------
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2025, 12, 31))


@settings(max_examples=200, deadline=None)
@given(days, st.integers(0, 800))
def test_it_accepts_only_runs_of_whole_quarters(start, length):
    period = Period(PeriodKind.CUSTOM, start, start + timedelta(days=length))
    try:
        quarters = quarters_of(period)
    except ValidationError as refused:
        assert {"start", "end"} & set(refused.message_dict)
        return
    # Accepted: the quarters tile the period exactly, so any two accepted periods differ by whole quarters.
    assert quarters[0].start == period.start and quarters[-1].end == period.end
    assert all(a.end + timedelta(days=1) == b.start for a, b in pairwise(quarters))


def test_it_refuses_a_quarter_before_it_has_ended_and_settled(settings):
    settings.REPORT_RELEASE_DELAY_DAYS = 14
    quarter = period_build(kind=PeriodKind.QUARTER, year=2025, part=1)
    with pytest.raises(ValidationError) as refused:
        check_publishable(quarter, today=date(2025, 4, 14))
    assert "published from April 15, 2025" in str(refused.value)
    assert check_publishable(quarter, today=date(2025, 4, 15)) == [quarter]

"""Small-cell suppression: unit cases and property tests on random tables.

The property tests check the two guarantees of reports/suppression.py against an independent
oracle: an integer program (scipy's HiGHS) that plays the reader who knows every published
figure, every relation and what the markers imply, and computes the smallest and largest value
each suppressed small count could have. Two different values must remain possible.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from reports.suppression import (
    Count,
    Protection,
    Relation,
    Status,
    protect,
    protect_breakdown,
    suppression_threshold,
)

UPPER = 10**6


# --- the oracle ------------------------------------------------------------------------------
def feasible_range(
    key: str, counts: Sequence[Count], relations: Sequence[Relation], protection: Protection
) -> tuple[int, int]:
    """The least and greatest value of `key` a reader could deduce from everything published."""
    unknown = [c.key for c in counts if protection.statuses[c.key] != Status.SHOWN]
    index = {k: i for i, k in enumerate(unknown)}
    values = {c.key: c.value for c in counts}
    rows, rhs = [], []
    for relation in relations:
        row, constant = np.zeros(len(unknown)), 0
        for member, coefficient in [(relation.total, 1), *((p, -1) for p in relation.parts)]:
            if member in index:
                row[index[member]] += coefficient
            else:
                constant -= coefficient * values[member]
        if row.any():
            rows.append(row)
            rhs.append(constant)
    low, high = [], []
    for k in unknown:
        status = protection.statuses[k]
        withheld_low = 0 if k in protection.blackout else protection.threshold
        low.append({Status.SMALL: 1, Status.WITHHELD: withheld_low}.get(status, 0))
        high.append(protection.threshold - 1 if status == Status.SMALL else UPPER)
    constraints = [LinearConstraint(np.array(rows), rhs, rhs)] if rows else []
    ends = []
    for sign in (1, -1):
        objective = np.zeros(len(unknown))
        objective[index[key]] = sign
        result = milp(objective, constraints=constraints, bounds=Bounds(low, high), integrality=np.ones(len(unknown)))
        assert result.success, result.message
        ends.append(round(result.x[index[key]]))
    return ends[0], ends[1]


def assert_protected(counts: Sequence[Count], relations: Sequence[Relation], threshold: int) -> Protection:
    protection = protect(counts, relations, threshold=threshold)
    assert not protection.uncertified
    values = {c.key: c.value for c in counts}
    # (a) no published count of people is from 1 to T-1; markers say the truth.
    for count in counts:
        status = protection.statuses[count.key]
        if status == Status.SHOWN and count.sensitive:
            assert count.published and (count.value == 0 or count.value >= threshold), count
        if status == Status.SMALL:
            assert 1 <= count.value < threshold and protection.cell(count.key).display == f"<{threshold}"
        if status == Status.WITHHELD:
            assert count.value >= threshold or count.key in protection.blackout
            assert protection.cell(count.key).value is None
    # Structural: a relation that holds an unknown small count holds at least two unknowns.
    for relation in relations:
        members = [relation.total, *relation.parts]
        unknown = [k for k in members if protection.statuses[k] != Status.SHOWN]
        if any(_secret(k, values, protection) for k in unknown):
            assert len(unknown) >= 2, (relation, protection.statuses)
    # (b) no suppressed small count (published or implied) can be pinned to one value.
    for key in values:
        if _secret(key, values, protection):
            low, high = feasible_range(key, counts, relations, protection)
            assert low <= values[key] <= high
            assert low < high, f"{key} = {values[key]} is recoverable: {protection.statuses}"
    return protection


def _secret(key: str, values: dict[str, int], protection: Protection) -> bool:
    return protection.statuses[key] != Status.SHOWN and 1 <= values[key] < protection.threshold


# --- random tables ---------------------------------------------------------------------------
cell_values = st.one_of(st.integers(0, 14), st.integers(0, 40), st.integers(0, 400))
thresholds = st.integers(3, 12)
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def one_way(draw: st.DrawFn) -> tuple[list[Count], list[Relation]]:
    parts = draw(st.lists(cell_values, min_size=1, max_size=8))
    counts = [Count(f"p{i}", v) for i, v in enumerate(parts)] + [Count("total", sum(parts))]
    return counts, [Relation("total", tuple(f"p{i}" for i in range(len(parts))))]


@st.composite
def two_way(draw: st.DrawFn) -> tuple[list[Count], list[Relation]]:
    """Rows by columns with row totals, column totals and the grand total."""
    n_rows, n_cols = draw(st.integers(2, 5)), draw(st.integers(2, 4))
    grid = [[draw(cell_values) for _ in range(n_cols)] for _ in range(n_rows)]
    counts = [Count(f"c{r}.{c}", grid[r][c]) for r in range(n_rows) for c in range(n_cols)]
    counts += [Count(f"r{r}", sum(grid[r])) for r in range(n_rows)]
    counts += [Count(f"k{c}", sum(row[c] for row in grid)) for c in range(n_cols)]
    counts.append(Count("all", sum(map(sum, grid))))
    relations = [Relation(f"r{r}", tuple(f"c{r}.{c}" for c in range(n_cols))) for r in range(n_rows)]
    relations += [Relation(f"k{c}", tuple(f"c{r}.{c}" for r in range(n_rows))) for c in range(n_cols)]
    relations += [
        Relation("all", tuple(f"r{r}" for r in range(n_rows))),
        Relation("all", tuple(f"k{c}" for c in range(n_cols))),
    ]
    return counts, relations


@st.composite
def shared_total_report(draw: st.DrawFn) -> tuple[list[Count], list[Relation]]:
    """Several breakdowns of one total (type, gender, age with subtotals) and multi-answer counts
    with their unpublished complements (referrals with / without a need), as a report has."""
    total = draw(st.one_of(st.integers(0, 12), st.integers(0, 60)))
    counts, relations = [Count("N", total)], []
    for b in range(draw(st.integers(1, 3))):
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=1, max_size=5)))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        keys = [f"b{b}.{i}" for i in range(len(parts))]
        counts += [Count(k, v) for k, v in zip(keys, parts, strict=True)]
        if len(parts) >= 3 and draw(st.booleans()):  # a subtotal over the first two parts
            counts.append(Count(f"b{b}.sub", parts[0] + parts[1]))
            relations += [Relation(f"b{b}.sub", tuple(keys[:2])), Relation("N", (f"b{b}.sub", *keys[2:]))]
        else:
            relations.append(Relation("N", tuple(keys)))
    for n in range(draw(st.integers(0, 3))):
        having = draw(st.integers(0, total))
        counts += [Count(f"need{n}", having), Count(f"need{n}.without", total - having, published=False)]
        relations.append(Relation("N", (f"need{n}", f"need{n}.without")))
    if draw(st.booleans()):
        counts.append(Count("agencies", draw(st.integers(0, 9)), sensitive=False))
    return counts, relations


@PROPERTY
@given(one_way(), thresholds)
def test_it_protects_every_small_count_of_a_breakdown(table, threshold):
    assert_protected(*table, threshold)


@PROPERTY
@given(two_way(), thresholds)
def test_it_protects_every_small_count_of_a_two_way_table_with_margins(table, threshold):
    assert_protected(*table, threshold)


@PROPERTY
@given(shared_total_report(), thresholds)
def test_it_protects_small_counts_across_breakdowns_that_share_a_total(table, threshold):
    assert_protected(*table, threshold)


@PROPERTY
@given(st.lists(cell_values, min_size=1, max_size=10), thresholds)
def test_it_shows_zeros_and_large_counts_untouched_when_nothing_is_small(parts, threshold):
    parts = [0 if v < threshold else v for v in parts]
    cells, total = protect_breakdown(
        dict(enumerate(map(str, range(len(parts))))) and {str(i): v for i, v in enumerate(parts)}, threshold=threshold
    )
    assert [cells[str(i)].value for i in range(len(parts))] == parts
    assert total.value == sum(parts)


# --- unit cases that tell the story ------------------------------------------------------------
def test_it_shows_a_count_below_the_threshold_as_less_than_eleven_and_zero_as_zero():
    cells, total = protect_breakdown({"sex": 3, "labor": 25, "both": 30, "unknown": 0}, threshold=11)
    assert cells["sex"].display == "<11" and cells["sex"].value is None
    assert cells["unknown"].display == "0" and cells["unknown"].value == 0
    # One small count alone would be total minus the rest: the smallest other count is withheld.
    assert cells["labor"].status == Status.WITHHELD and cells["labor"].display == "withheld"
    assert cells["both"].value == 30 and total.value == 58


def test_it_withholds_the_total_when_two_small_counts_would_be_pinned_by_their_bounds():
    # 10 + 10 = 20: knowing both are at most 10, a reader would know both are 10.
    _, total = protect_breakdown({"a": 10, "b": 10}, threshold=11)
    assert total.status == Status.WITHHELD
    # 1 + 11 = 12: "<11" plus "withheld" (11 or more) would pin both.
    _, total = protect_breakdown({"a": 1, "b": 11}, threshold=11)
    assert total.status == Status.WITHHELD


def test_it_protects_a_count_implied_by_a_total_and_a_published_count():
    # 30 referrals, 29 need shelter: "1 without" would point at a person.
    counts = [Count("N", 30), Count("shelter", 29), Count("shelter.without", 1, published=False)]
    protection = protect(counts, [Relation("N", ("shelter", "shelter.without"))], threshold=11)
    assert protection.statuses["shelter"] == Status.WITHHELD and protection.statuses["N"] == Status.SHOWN


def test_it_never_suppresses_counts_of_agencies():
    protection = protect([Count("agencies", 4, sensitive=False)], threshold=11)
    assert protection.cell("agencies").value == 4


def test_it_refuses_figures_that_do_not_add_up():
    from reports.suppression import SuppressionError

    with pytest.raises(SuppressionError):
        protect([Count("N", 5), Count("a", 3)], [Relation("N", ("a",))], threshold=11)
    with pytest.raises(SuppressionError):
        protect([Count("N", 5), Count("N", 6)], threshold=11)


def test_it_reads_the_threshold_from_settings_and_refuses_a_meaningless_one(settings):
    settings.REPORT_SUPPRESSION_THRESHOLD = 5
    cells, _ = protect_breakdown({"a": 4, "b": 20, "c": 30})
    assert cells["a"].display == "<5"
    assert suppression_threshold() == 5
    for bad in (2, 0, "11"):
        settings.REPORT_SUPPRESSION_THRESHOLD = bad
        with pytest.raises(ImproperlyConfigured):
            suppression_threshold()

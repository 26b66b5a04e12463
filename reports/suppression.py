"""Small-cell suppression: the one module that decides which counts may be published.

Every output (dashboard, API, CSV, XLSX, PDF, and the digests) publishes counts of people only
through `protect()`; nothing else decides whether a count is shown.

The rules, with T = settings.REPORT_SUPPRESSION_THRESHOLD (11 unless configured):

1. Primary suppression. A count of people from 1 to T-1 is not published: it shows as "<11".
   Zero is shown; it points at no one.
2. Complementary suppression. Assume a reader who knows every published figure of the report,
   every linear relation between its figures (a total is the sum of its parts; several
   breakdowns share the same total; subtotals; a count "with a need" and the unpublished count
   "without" it add up to the total), and what the markers imply: "<11" means 1 to T-1 and
   "withheld" means T or more (only counts of T or more are ever withheld, never zeros).
   No small count may be pinned to a single value by that reader. We prove it for each small
   count by constructing a second table of whole numbers that agrees with everything published,
   with every relation and with every marker, and differs in that count (a *certificate*).
   Where no certificate is found, one more count is withheld (the smallest published count of
   T or more nearby, parts before totals) and the search runs again. A certificate stays valid
   when more counts are withheld, so each small count is certified once.
   A cheap first pass makes sure no relation is left with exactly one unknown small count.
   Last resort: when everything around a small count is already suppressed and the markers'
   bounds alone still pin it (10 months of "<11" that add up to a total of "<11" must all be
   1), every count of that connected group is withheld, zeros and small counts included; a
   reader then knows only that they are whole numbers of at least zero, which pins nothing.
3. Counts that are not about people (agencies, meetings) are published as they are.

The property tests (tests/reports/test_suppression.py) check both guarantees on random tables
against an independent integer-programming oracle.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

MINIMUM_THRESHOLD = 3  # with 2, "<2" would mean exactly 1: the marker itself would disclose
_SEARCH_BUDGET = 20_000  # steps per certificate search; running out counts as "not certified"


class Status(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # primary: 1 to T-1, shown as "<T"
    WITHHELD = "withheld"  # complementary: T or more, hidden so that a small count cannot be worked out
    HIDDEN = "hidden"  # never laid out in any table (e.g. referrals WITHOUT a need): protected, never shown


@dataclass(frozen=True)
class Count:
    key: str
    value: int
    sensitive: bool = True  # a count of people; False for counts of agencies, meetings...
    published: bool = True  # False: a figure implied by the others but laid out nowhere


@dataclass(frozen=True)
class Relation:
    """`total` is the sum of `parts`."""

    total: str
    parts: tuple[str, ...]


@dataclass(frozen=True)
class Published:
    """What may leave the portal: the value only when shown."""

    value: int | None
    display: str
    status: Status


class SuppressionError(ValueError):
    """The figures given are not consistent with their relations: nothing may be published."""


def suppression_threshold(threshold: int | None = None) -> int:
    limit = settings.REPORT_SUPPRESSION_THRESHOLD if threshold is None else threshold
    if not isinstance(limit, int) or limit < MINIMUM_THRESHOLD:
        raise ImproperlyConfigured(
            f"REPORT_SUPPRESSION_THRESHOLD must be a whole number of at least {MINIMUM_THRESHOLD}."
        )
    return limit


def small_marker(threshold: int) -> str:
    return f"<{threshold}"


WITHHELD_MARKER = "withheld"


def legend(threshold: int) -> list[str]:
    """The explanation every output prints under its tables, in the active language (published content: English)."""
    return [
        gettext("“%(marker)s”: a count from 1 to %(largest)s, not published so that no one can be singled out.")
        % {"marker": small_marker(threshold), "largest": threshold - 1},
        gettext(
            "“%(marker)s”: a count hidden so that a small count cannot be worked out from totals or other"
            " figures (where every count of a table is withheld, any of them may be small or zero)."
        )
        % {"marker": gettext(WITHHELD_MARKER)},
        gettext("Zero means none. Counts of agencies are not suppressed: they do not describe a person."),
    ]


@dataclass(frozen=True)
class Protection:
    threshold: int
    statuses: Mapping[str, Status]
    _values: Mapping[str, int] = field(repr=False)
    # Counts withheld as a last resort, zeros included (see rule 2).
    blackout: frozenset[str] = frozenset()
    # Small counts left without a certificate: impossible by construction (a blacked-out group
    # always has one); kept so that the tests can say so.
    uncertified: frozenset[str] = frozenset()

    def cell(self, key: str) -> Published:
        status = self.statuses[key]
        if status == Status.SHOWN:
            value = self._values[key]
            return Published(value, f"{value:,}", status)
        if status == Status.SMALL:
            return Published(None, small_marker(self.threshold), status)
        if status == Status.WITHHELD:
            return Published(None, WITHHELD_MARKER, status)
        raise KeyError(f"{key} is never published")

    def raw_allows(self, key: str) -> bool:
        """For statistics (a median) resting on this count: is the count large enough to rest on?"""
        return self._values[key] >= self.threshold


def protect(counts: Iterable[Count], relations: Iterable[Relation] = (), *, threshold: int | None = None) -> Protection:
    limit = suppression_threshold(threshold)
    cells = _index(counts)
    relations = tuple(relations)
    _check(cells, relations)
    solver = _Solver(cells, relations, limit)
    solver.run()
    values = {key: cell.value for key, cell in cells.items()}
    return Protection(limit, dict(solver.status), values, frozenset(solver.blackout), frozenset(solver.uncertified))


def protect_breakdown(
    parts: Mapping[str, int], *, threshold: int | None = None
) -> tuple[dict[str, Published], Published]:
    """A one-way breakdown of people and its total, protected together (digests, small summaries)."""
    total_key = "\x00total"
    counts = [Count(key, value) for key, value in parts.items()]
    counts.append(Count(total_key, sum(parts.values())))
    protection = protect(counts, [Relation(total_key, tuple(parts))], threshold=threshold)
    return {key: protection.cell(key) for key in parts}, protection.cell(total_key)


def _index(counts: Iterable[Count]) -> dict[str, Count]:
    cells: dict[str, Count] = {}
    for count in counts:
        if not isinstance(count.value, int) or count.value < 0:
            raise SuppressionError(f"{count.key}: a count is a whole number of at least zero.")
        if count.key in cells and cells[count.key] != count:
            raise SuppressionError(f"{count.key} was given twice with different values.")
        cells[count.key] = count
    return cells


def _check(cells: Mapping[str, Count], relations: tuple[Relation, ...]) -> None:
    for relation in relations:
        members = (relation.total, *relation.parts)
        missing = [key for key in members if key not in cells]
        if missing:
            raise SuppressionError(f"relation of {relation.total} names unknown counts: {missing}")
        if len(set(members)) != len(members):
            raise SuppressionError(f"relation of {relation.total} names a count twice")
        if cells[relation.total].value != sum(cells[part].value for part in relation.parts):
            # The data changed between two queries, or a measure is wrong: publishing could leak.
            raise SuppressionError(f"{relation.total} is not the sum of its parts")


class _OutOfBudget(Exception):
    pass


class _Solver:
    def __init__(self, cells: Mapping[str, Count], relations: tuple[Relation, ...], threshold: int) -> None:
        self.cells, self.threshold = cells, threshold
        # Each relation as (key, coefficient) pairs that sum to zero: +total, -parts.
        self.relations = [((r.total, 1), *((part, -1) for part in r.parts)) for r in relations]
        self.totals = {r.total for r in relations}
        self.relations_of: dict[str, list[int]] = {key: [] for key in cells}
        for index, relation in enumerate(self.relations):
            for key, _ in relation:
                self.relations_of[key].append(index)
        self.status = {key: self._initial(cell) for key, cell in cells.items()}
        self.certified: set[str] = set()
        self.blackout: set[str] = set()
        self.uncertified: set[str] = set()

    def _initial(self, cell: Count) -> Status:
        if not cell.sensitive:
            return Status.SHOWN
        if not cell.published:
            return Status.HIDDEN
        if 1 <= cell.value < self.threshold:
            return Status.SMALL
        return Status.SHOWN

    # --- the loop ---------------------------------------------------------------------
    def run(self) -> None:
        self._close_lonely_unknowns()
        while (at_risk := self._first_uncertified()) is not None:
            candidate = self._complement_for(at_risk)
            if candidate is not None:
                self.status[candidate] = Status.WITHHELD
                self._close_lonely_unknowns()
            elif at_risk not in self.blackout:
                self._black_out(at_risk)
            else:
                logger.error("suppression: a small count has no certificate even in a withheld group")
                self.uncertified.add(at_risk)

    def _black_out(self, key: str) -> None:
        for member in self._component(key):
            cell = self.cells[member]
            if cell.sensitive and cell.published:
                self.status[member] = Status.WITHHELD
            self.blackout.add(member)

    def _component(self, key: str) -> set[str]:
        seen, todo = {key}, [key]
        while todo:
            for index in self.relations_of[todo.pop()]:
                for member, _ in self.relations[index]:
                    if member not in seen:
                        seen.add(member)
                        todo.append(member)
        return seen

    def _close_lonely_unknowns(self) -> None:
        """No relation may keep a single unknown small count: it would equal total minus the rest."""
        changed = True
        while changed:
            changed = False
            for relation in self.relations:
                unknown = [key for key, _ in relation if self._unknown(key)]
                if len(unknown) == 1 and self._secret(unknown[0]):
                    candidate = self._best([key for key, _ in relation])
                    if candidate is not None:
                        self.status[candidate] = Status.WITHHELD
                        changed = True

    def _first_uncertified(self) -> str | None:
        for key in sorted(self.cells):
            if self._secret(key) and key not in self.certified and key not in self.uncertified:
                if self._certificate(key) is None:
                    return key
                self.certified.add(key)
        return None

    # --- what the reader knows ----------------------------------------------------------
    def _unknown(self, key: str) -> bool:
        return self.status[key] != Status.SHOWN

    def _secret(self, key: str) -> bool:
        # Small counts, whether shown as "<11", implied and never shown, or withheld in a blackout.
        return self.status[key] != Status.SHOWN and 1 <= self.cells[key].value < self.threshold

    def _fits(self, key: str, step: int) -> bool:
        value, status = self.cells[key].value + step, self.status[key]
        if status == Status.SMALL:
            return 1 <= value < self.threshold
        if status == Status.WITHHELD:
            return value >= (0 if key in self.blackout else self.threshold)
        return status == Status.HIDDEN and value >= 0

    # --- certificates -------------------------------------------------------------------
    def _certificate(self, key: str) -> dict[str, int] | None:
        """Moves (key -> change) that keep every relation and marker true and change `key`; None if none."""
        budget = [_SEARCH_BUDGET]
        for step in (1, -1):
            if not self._fits(key, step):
                continue
            moves = {key: step}
            try:
                if self._balance(moves, budget):
                    return moves
            except _OutOfBudget:
                return None
        return None

    def _balance(self, moves: dict[str, int], budget: list[int]) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            raise _OutOfBudget
        relation = self._unbalanced(moves)
        if relation is None:
            return True
        residual = sum(coefficient * moves.get(key, 0) for key, coefficient in relation)
        for key, coefficient in self._absorbers(relation, moves):
            step = -residual * coefficient
            if self._fits(key, step):
                moves[key] = step
                if self._balance(moves, budget):
                    return True
                del moves[key]
        return False

    def _unbalanced(self, moves: Mapping[str, int]) -> tuple[tuple[str, int], ...] | None:
        for moved in moves:
            for index in self.relations_of[moved]:
                relation = self.relations[index]
                if sum(coefficient * moves.get(key, 0) for key, coefficient in relation):
                    return relation
        return None

    def _absorbers(self, relation: tuple[tuple[str, int], ...], moves: Mapping[str, int]) -> list[tuple[str, int]]:
        free = [(key, c) for key, c in relation if self._unknown(key) and key not in moves]
        # Parts before totals (a total drags its other breakdowns along), roomy cells before small ones.
        return sorted(free, key=lambda item: (item[0] in self.totals, self._secret(item[0]), item[0]))

    # --- choosing what else to withhold ------------------------------------------------------
    def _best(self, keys: Iterable[str]) -> str | None:
        candidates = [
            key
            for key in keys
            if self.status[key] == Status.SHOWN and self.cells[key].sensitive and self.cells[key].value > 0
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda key: (key in self.totals, self.cells[key].value, key))

    def _complement_for(self, key: str) -> str | None:
        """The best count to withhold near `key`: in its own relations first, then further out."""
        for layer in self._layers(key):
            candidate = self._best(layer)
            if candidate is not None:
                return candidate
        return None

    def _layers(self, key: str) -> Iterator[list[str]]:
        seen_relations: set[int] = set()
        frontier = {key}
        while frontier:
            layer: list[str] = []
            reached: set[str] = set()
            for member in sorted(frontier):
                for index in self.relations_of[member]:
                    if index in seen_relations:
                        continue
                    seen_relations.add(index)
                    for other, _ in self.relations[index]:
                        layer.append(other)
                        if self._unknown(other):
                            reached.add(other)
            yield layer
            frontier = reached

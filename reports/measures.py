"""The measure registry: what a grant report can count, and the interface a measure implements.

A measure is a plain entry: a key, a title, the sentence that defines what it counts and which
date places a record in the period, and a `compute(period)` function that runs its aggregate
queries in the database and returns raw counts, the relations between them, and the table that
lays them out. The engine (reports/engine.py) merges the measures of a report, protects every
count through reports/suppression.py, and publishes only what suppression allows. A measure
never formats or suppresses anything itself.

Adding a measure (cases/report_measures.py and meetings/report_measures.py do): write `compute`, then

    register(Measure(key="meetings_by_kind", group=Group.MEETINGS, order=10, title=..., definition=...,
                     compute=meetings_by_kind))

in a module named `report_measures.py` of any installed app; ReportsConfig.ready() imports
those modules, so the engine does not change. Rules for `compute`:

- Count in the database (`values(...).annotate(n=Count(...))`, `aggregate(...)`), never by
  iterating over rows: a year can hold 200,000 referrals.
- Name cells with keys unique in the whole report; a count that several measures publish (the
  number of referrals in the period) uses the same key everywhere, so that suppression sees it
  as one figure. Declare every "total = sum of parts" relation, subtotals included.
- Mark counts that do not describe people (agencies, meetings) `sensitive=False`.
- A count that follows from published ones but is not laid out (referrals WITHOUT a need:
  total minus those with it) belongs in `counts` and `relations` anyway: it is protected too.
- No free text, names or reference codes: labels come from code (choices), never from records.
- Words are English in published content and translated only on pages (reports/display.py), which looks
  each one up in the catalogs: mark a fixed word with `gettext_noop` where it is written (a title, a
  definition as one whole sentence, a note, a column, a row), and a label composed of fixed words and
  values ("Declined: No capacity") with `phrase(gettext_noop("Declined: %(reason)s"))`, declared at import
  time, so that a page finds the wording again in the English text and translates it and its values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_lazy

from reports.suppression import Count, Relation

if TYPE_CHECKING:
    from reports.periods import Period


class Group(StrEnum):
    REFERRALS = "Referrals"
    MEETINGS = "Meetings"
    TRAININGS = "Trainings"
    ACTIVITY = "Task-force activity"


_GROUP_LABELS = {
    Group.REFERRALS: gettext_lazy("Referrals"),
    Group.MEETINGS: gettext_lazy("Meetings"),
    Group.TRAININGS: gettext_lazy("Trainings"),
    Group.ACTIVITY: gettext_lazy("Task-force activity"),
}


def group_label(group: str) -> str:
    """A group's name in the active language (its value, English, is what published content holds)."""
    label = _GROUP_LABELS.get(group)  # type: ignore[call-overload]  # a StrEnum key matches its plain value
    return str(label) if label is not None else group


_PHRASES: list[str] = []


def phrase(template: str) -> str:
    """Declares a wording composed of fixed words and values ("Declined: %(reason)s", values named `%(x)s`),
    and returns it: published content holds `template % values` in English; a page finds the template again
    in that text, translates it, and translates each value on its own (reports/display.py). Mark the
    template with gettext_noop where it is written, so that it is extracted; declare it at import time, so
    that a page knows it when it shows a report frozen long ago."""
    if template not in _PHRASES:
        _PHRASES.append(template)
    return template


def phrases() -> tuple[str, ...]:
    return tuple(_PHRASES)


class RowKind(StrEnum):
    ITEM = "item"
    SUBTOTAL = "subtotal"
    TOTAL = "total"


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    cells: tuple[str | None, ...]  # the key of a count or statistic per column; None: not applicable
    kind: RowKind = RowKind.ITEM


@dataclass(frozen=True)
class Statistic:
    """A figure that is not a count (a median). Published only when `basis` counts T or more people."""

    key: str
    value: float | None
    basis: str
    decimals: int = 1


@dataclass(frozen=True)
class ChartSpec:
    """How to draw a measure: `columns` bars per category (item rows), or one bar per period for trends."""

    kind: str  # "bars" (horizontal, one per category) or "columns" (vertical, e.g. months)
    columns: tuple[str, ...]
    alt: str  # what the chart shows, for its text alternative


@dataclass(frozen=True)
class MeasureResult:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    counts: tuple[Count, ...]
    relations: tuple[Relation, ...] = ()
    statistics: tuple[Statistic, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measure:
    key: str
    group: Group
    order: int
    title: str
    definition: str
    compute: Callable[[Period], MeasureResult] = field(compare=False)
    chart: ChartSpec | None = None
    # Short name for a spreadsheet tab (31 characters at most, no []:*?/\).
    sheet: str = ""


_REGISTRY: dict[str, Measure] = {}
_FORBIDDEN_IN_SHEET = set("[]:*?/\\")


def register(measure: Measure) -> Measure:
    if measure.key in _REGISTRY and _REGISTRY[measure.key] is not measure:
        raise ValueError(f"measure {measure.key!r} is registered twice")
    sheet = measure.sheet or measure.title
    if len(sheet) > 31 or _FORBIDDEN_IN_SHEET & set(sheet):
        raise ValueError(f"measure {measure.key!r}: give a sheet name of at most 31 characters without []:*?/\\")
    _REGISTRY[measure.key] = measure
    return measure


def all_measures() -> list[Measure]:
    group_order = list(Group)
    return sorted(_REGISTRY.values(), key=lambda m: (group_order.index(m.group), m.order, m.key))


def measure_keys() -> list[str]:
    return [measure.key for measure in all_measures()]


def measures_by_key(keys: Iterable[str]) -> list[Measure]:
    """The measures named, in the registry's order; KeyError names the first unknown key."""
    wanted = set(keys)
    unknown = wanted - _REGISTRY.keys()
    if unknown:
        raise KeyError(sorted(unknown)[0])
    return [measure for measure in all_measures() if measure.key in wanted]


def grouped_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """(group, [(key, title)]) for forms, in order and in the active language; groups without measures yet
    are left out."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for measure in all_measures():
        groups.setdefault(group_label(measure.group), []).append((measure.key, gettext(str(measure.title))))
    return list(groups.items())

"""Computing a report: run the measures, protect every count, publish the content.

The content is a plain JSON-able dict holding published figures only (a suppressed count is
null with its marker, never its value). It is what a snapshot freezes, what the API returns,
and what the dashboard, CSV, XLSX and PDF render; none of them sees a raw count.

    {"format": 1, "taskforce": str, "period": {kind, label, start, end, time_zone},
     "threshold": int, "computed_at": iso datetime, "legend": [str],
     "measures": [{"key", "title", "sheet", "group", "definition", "notes": [str],
                   "columns": [{"key", "label"}],
                   "rows": [{"key", "label", "kind", "cells": [{"value", "display", "status"}]}],
                   "chart": {"kind", "columns", "alt"} | null}]}

Cell status: "shown", "small" ("<11"), "withheld", or "empty" (nothing to show: a median of no
referral, or a column that does not apply to the row).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from reports.measures import Measure, MeasureResult, Statistic, measures_by_key
from reports.periods import Period
from reports.suppression import Count, Protection, Relation, legend, protect, suppression_threshold

CONTENT_FORMAT = 1
EMPTY = {"value": None, "display": "", "status": "empty"}


class FiguresChanged(RuntimeError):
    """The figures moved while they were being computed, or no longer match what was reviewed."""


def report_compute(
    *,
    period: Period,
    measure_keys: Sequence[str],
    threshold: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """The published content of a report. Raises KeyError for an unknown measure key."""
    measures = measures_by_key(measure_keys)
    results = []
    # A measure's labels are English whoever computes it (choices' labels are lazy translations).
    with consistent_reads(), translation.override("en"):
        for done, measure in enumerate(measures, start=1):
            results.append(measure.compute(period))
            if on_progress is not None:
                on_progress(done, len(measures))
    return publish(period=period, measures=measures, results=results, threshold=threshold)


@contextmanager
def consistent_reads() -> Iterator[None]:
    """All the queries of one report see the same data, so that shared totals agree.

    PostgreSQL: one REPEATABLE READ transaction. SQLite: a transaction reads one snapshot.
    Inside a caller's transaction (tests, a service) that transaction is used as it is.
    """
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                # The per-agency attendance query is estimated dear enough for PostgreSQL to JIT-compile
                # it: 1.2 s of compiling for 60 ms of work (benchmarks/README-http.md, benchmark 6).
                cursor.execute("SET LOCAL jit = off")
        yield


def publish(
    *, period: Period, measures: Sequence[Measure], results: Sequence[MeasureResult], threshold: int | None = None
) -> dict[str, Any]:
    # Published content is data, frozen and hashed: always in English, whoever computes it first. Pages
    # translate it for their reader (reports/display.py); files and the funder get it as it is.
    with translation.override("en"):
        return _publish(period=period, measures=measures, results=results, threshold=threshold)


def _publish(
    *, period: Period, measures: Sequence[Measure], results: Sequence[MeasureResult], threshold: int | None = None
) -> dict[str, Any]:
    limit = suppression_threshold(threshold)
    laid_out = {key for result in results for row in result.rows for key in row.cells if key}
    counts: dict[str, Count] = {}
    relations: dict[tuple[str, tuple[str, ...]], Relation] = {}
    statistics: dict[str, Statistic] = {}
    for result in results:
        for count in result.counts:
            merged = Count(count.key, count.value, count.sensitive, published=count.key in laid_out)
            if counts.setdefault(count.key, merged) != merged:
                raise FiguresChanged(f"{count.key} differs between two measures")
        for relation in result.relations:
            relations[(relation.total, relation.parts)] = relation
        statistics.update({statistic.key: statistic for statistic in result.statistics})
    protection = protect(counts.values(), relations.values(), threshold=limit)
    return {
        "format": CONTENT_FORMAT,
        "taskforce": settings.TASKFORCE_NAME,
        "period": period.as_dict(),
        "threshold": limit,
        "computed_at": timezone.localtime().isoformat(timespec="seconds"),  # the task force's time zone
        "legend": legend(limit),
        "measures": [
            _measure(measure, result, protection, statistics) for measure, result in zip(measures, results, strict=True)
        ],
    }


def _measure(
    measure: Measure, result: MeasureResult, protection: Protection, statistics: dict[str, Statistic]
) -> dict[str, Any]:
    chart = measure.chart
    return {
        "key": measure.key,
        # str(): a measure's words may be lazy translations; JSON takes text only.
        "title": str(measure.title),
        "sheet": str(measure.sheet or measure.title),
        "group": measure.group.value,
        "definition": str(measure.definition),
        "notes": [str(note) for note in result.notes],
        "columns": [{"key": column.key, "label": str(column.label)} for column in result.columns],
        "rows": [
            {
                "key": row.key,
                "label": str(row.label),
                "kind": row.kind.value,
                "cells": [_cell(key, protection, statistics) for key in row.cells],
            }
            for row in result.rows
        ],
        "chart": {"kind": chart.kind, "columns": list(chart.columns), "alt": str(chart.alt)} if chart else None,
    }


def _cell(key: str | None, protection: Protection, statistics: dict[str, Statistic]) -> dict[str, Any]:
    if key is None:
        return dict(EMPTY)
    if key in statistics:
        statistic = statistics[key]
        if statistic.value is None:
            return {"value": None, "display": "none", "status": "empty"}
        if not protection.raw_allows(statistic.basis):
            return {"value": None, "display": "withheld", "status": "withheld"}
        value = round(statistic.value, statistic.decimals)
        return {"value": value, "display": f"{value:.{statistic.decimals}f}", "status": "shown"}
    published = protection.cell(key)
    return {"value": published.value, "display": published.display, "status": published.status.value}


# --- canonical text and hashes ---------------------------------------------------------------------
def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def figures_fingerprint(content: dict[str, Any]) -> str:
    """What a reviewer saw: everything but the moment of computing."""
    return sha256_hex(canonical_json({key: value for key, value in content.items() if key != "computed_at"}))

"""Exact figures and the funder copy of a report.

Approval freezes two things from one report: the partner copy (`Report.content`, published figures
read from the quarters' releases, small counts suppressed: reports/releases.py) and the exact
figures (`Report.figures`): every count and statistic of every chosen measure, computed once on the
live data in one consistent read, with nothing suppressed. The funder's systems (TIMS, PMT) take
exact numbers and protect them; the funder copy is those frozen figures laid out by the items of the
report's template (reports/funder.py). Nothing here feeds a release, a partner copy or a partner
export: only grant managers with MFA ever read what this module returns (selectors.funder_report_get).

    figures = {"format": 1, "period": {kind, label, start, end, time_zone}, "computed_at": iso datetime,
               "measures": {measure key: {"counts": {count key: int}, "statistics": {key: float | null}}}}

    funder copy = {"format": 1, "taskforce": str, "template": {"key", "title"}, "period": {...},
                   "status": "draft" | "approved", "approved_at": iso datetime | null,
                   "computed_at": iso datetime, "figures_hash": str,
                   "items": [{"code", "question", "measure", "statistic", "answer": number | null, "note"}]}

A draft's funder copy is computed afresh whenever it is read, like its partner copy.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.engine import canonical_json, consistent_reads, sha256_hex
from reports.funder import funder_items, funder_template
from reports.measures import measures_by_key
from reports.periods import Period, task_force_zone

if TYPE_CHECKING:
    from reports.models import Report

FIGURES_FORMAT = 1
FUNDER_COPY_FORMAT = 1
NOT_IN_REPORT = "Not in this report: its measure was not chosen."
NOT_COUNTED = "The measure gives no such figure for this period."


class FiguresMissing(RuntimeError):
    """The report has no funder copy: no template, or approved before exact figures were frozen."""


class FiguresCorrupted(RuntimeError):
    """Frozen exact figures no longer match their hash: they must not be handed out."""


def figures_compute(*, period: Period, measure_keys: Sequence[str]) -> dict[str, Any]:
    """The exact counts and statistics of the measures, all read in one consistent read. KeyError: unknown measure."""
    measures = measures_by_key(measure_keys)
    with consistent_reads():
        results = [measure.compute(period) for measure in measures]
    return {
        "format": FIGURES_FORMAT,
        "period": period.as_dict(),
        "computed_at": timezone.localtime().isoformat(timespec="seconds"),
        "measures": {
            measure.key: {
                "counts": {count.key: count.value for count in result.counts},
                "statistics": {statistic.key: statistic.value for statistic in result.statistics},
            }
            for measure, result in zip(measures, results, strict=True)
        },
    }


def frozen_figures(*, report: Report) -> dict[str, Any]:
    """An approved report's exact figures, checked against their hash."""
    if not report.figures:
        raise FiguresMissing(_("This report was approved before exact figures were frozen with reports."))
    if sha256_hex(report.figures) != report.figures_hash:
        raise FiguresCorrupted(f"report {report.pk} does not match its figures hash")
    figures: dict[str, Any] = json.loads(report.figures)
    return figures


def report_figures(*, report: Report) -> dict[str, Any]:
    """The frozen figures of an approved report; a draft's, computed now."""
    if report.is_approved:
        return frozen_figures(report=report)
    return figures_compute(period=report.period, measure_keys=report.measures)


def funder_copy(*, report: Report) -> dict[str, Any]:
    """The funder copy: the report's exact figures laid out by its template's items."""
    if not report.template:
        raise FiguresMissing(_("Choose the award's form (template) for this report first."))
    figures = report_figures(report=report)
    return funder_layout(report=report, figures=figures)


def funder_layout(*, report: Report, figures: dict[str, Any]) -> dict[str, Any]:
    template = funder_template(report.template)
    approved_at = None
    if report.is_approved and report.approved_at is not None:
        approved_at = report.approved_at.astimezone(task_force_zone()).isoformat(timespec="seconds")
    return {
        "format": FUNDER_COPY_FORMAT,
        "taskforce": settings.TASKFORCE_NAME,
        "template": {"key": template.key, "title": template.title},
        "period": report.period.as_dict(),
        "status": report.status,
        "approved_at": approved_at,
        "computed_at": figures["computed_at"],
        "figures_hash": report.figures_hash if report.is_approved else sha256_hex(canonical_json(figures)),
        "items": [_answer(item, figures) for item in funder_items(template.key)],
    }


def _answer(item: Any, figures: dict[str, Any]) -> dict[str, Any]:
    found = figures["measures"].get(item.measure)
    answer, note = None, ""
    if found is None:
        note = NOT_IN_REPORT
    elif item.statistic in found["counts"]:
        answer = found["counts"][item.statistic]
    elif found["statistics"].get(item.statistic) is not None:
        answer = found["statistics"][item.statistic]
    else:
        note = NOT_COUNTED
    return {
        "code": item.code,
        "question": item.question,
        "measure": item.measure,
        "statistic": item.statistic,
        "answer": answer,
        "note": note,
    }

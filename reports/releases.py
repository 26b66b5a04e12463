"""What partners may obtain: figures of whole, ended calendar quarters, each published once.

The method, and why it holds against differencing, is in reports/SUPPRESSION.md. In short:

1. The unit of publication is the calendar quarter. A period that partners may ask for is a run of
   whole quarters (a quarter, a half-year, a federal fiscal year, or a custom range from the first
   day of a quarter to the last day of a quarter); anything else is refused.
2. A quarter is published once, after it has ended and a settling time has passed
   (REPORT_RELEASE_DELAY_DAYS): every measure is computed and protected *together*
   (reports/suppression.py, complementary suppression) and the published content is frozen in a
   ReportRelease. Later requests read it; late changes to the data never reach it. So no two
   obtainable versions of a quarter exist, and the choice of measures changes nothing.
3. A period of several quarters is derived from the quarters' published figures only: a cell is
   the sum of the quarters' cells when every one is shown; otherwise it is "withheld". A derived
   figure therefore tells nothing that the quarters did not already publish.

Quarters are disjoint sets of records, so no relation links two quarters: the guarantee proven
for each quarter's table (certificates, tests/reports/test_suppression.py) holds for everything a
person can collect (tests/reports/test_suppression_periods.py attacks it).

Exact figures (issue 17, for grant managers with MFA) never go through this module: reports/figures.py reads
them on the live data with nothing suppressed, and they never reach partners.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reports.engine import consistent_reads, publish, sha256_hex
from reports.measures import all_measures
from reports.models import ReportRelease
from reports.periods import Period, PeriodKind, day_label, period_build

WITHHELD = {"value": None, "display": "withheld", "status": "withheld"}
# English in published content; pages translate it (reports/display.py).
DERIVED_NOTE = gettext_noop(
    "Figures of a period of several quarters are the sums of the quarters' published figures; where a "
    "quarter's figure is suppressed, the sum is withheld and may be any number, small or zero."
)
MEDIANS_NOTE = gettext_noop("Medians are published for single quarters only: a median of several quarters is withheld.")
# Rates that can be derived from the quarters' shown figures: (measure, column) -> (numerator, denominator).
DERIVED_RATES = {("attendance_by_agency", "rate"): ("attended", "open")}


class ReleaseCorrupted(RuntimeError):
    """A published quarter no longer matches its content hash: nothing may be handed out."""


def release_delay() -> timedelta:
    return timedelta(days=settings.REPORT_RELEASE_DELAY_DAYS)


def published_from(quarter: Period) -> date:
    """The first day on which a quarter's figures may be published."""
    return quarter.end + timedelta(days=1) + release_delay()


def quarters_of(period: Period) -> list[Period]:
    """The calendar quarters a period is made of; ValidationError (keyed by field) when it is not whole quarters."""
    if period.start.day != 1 or period.start.month % 3 != 1:
        raise ValidationError(
            {"start": _("Start on the first day of a quarter (1 January, 1 April, 1 July, 1 October).")}
        )
    after = period.end + timedelta(days=1)
    if after.day != 1 or after.month % 3 != 1:
        message = _("End on the last day of a quarter (31 March, 30 June, 30 September, 31 December).")
        raise ValidationError({"end": message})
    quarters = [quarter_of(period.start)]
    while quarters[-1].end < period.end:
        quarters.append(quarter_of(quarters[-1].end + timedelta(days=1)))
    return quarters


def check_publishable(period: Period, *, today: date | None = None) -> list[Period]:
    """The period's quarters, once every one may be published; ValidationError saying why not otherwise."""
    quarters = quarters_of(period)
    today = today or timezone.localdate()
    last = quarters[-1]
    first_day = published_from(last)
    if first_day > today:
        when = day_label(first_day)
        message = _("Figures for %(period)s are published from %(day)s, once the quarter has ended and settled.") % {
            "period": last.label,
            "day": when,
        }
        raise ValidationError({"end": message})
    return quarters


def quarter_of(day: date) -> Period:
    return period_build(kind=PeriodKind.QUARTER, year=day.year, part=(day.month - 1) // 3 + 1)


def quarters_before(quarter: Period, count: int) -> Period:
    """The quarter `count` quarters before `quarter`."""
    for _step in range(count):
        quarter = quarter_of(quarter.start - timedelta(days=1))
    return quarter


def latest_published_quarter(*, today: date | None = None) -> Period:
    quarter = quarter_of(today or timezone.localdate())
    while published_from(quarter) > (today or timezone.localdate()):
        quarter = quarters_before(quarter, 1)
    return quarter


# --- one quarter, published once ----------------------------------------------------------------------
def release_get_or_publish(quarter: Period) -> dict[str, Any]:
    """The quarter's frozen release: {"content": published content, "statistics": {measure: [[row, column]]}}."""
    release = ReportRelease.objects.filter(period_start=quarter.start).first()
    if release is None:
        release = _publish_quarter(quarter)
    if sha256_hex(release.content) != release.content_hash:
        raise ReleaseCorrupted(f"published quarter {release.period_start} does not match its content hash")
    return json.loads(release.content)


def _publish_quarter(quarter: Period) -> ReportRelease:
    measures = all_measures()
    # Published content is English whoever opens the quarter first: the measures' labels included (a
    # choice's label is a lazy translation, made text in `compute`).
    with consistent_reads(), translation.override("en"):
        results = [measure.compute(quarter) for measure in measures]
    content = publish(period=quarter, measures=measures, results=results)
    statistics = {
        measure.key: [
            [row.key, index]
            for row in result.rows
            for index, key in enumerate(row.cells)
            if key in {statistic.key for statistic in result.statistics}
        ]
        for measure, result in zip(measures, results, strict=True)
    }
    text = json.dumps({"content": content, "statistics": statistics}, sort_keys=True, separators=(",", ":"))
    try:
        with transaction.atomic():
            return ReportRelease.objects.create(
                period_start=quarter.start, period_end=quarter.end, content=text, content_hash=sha256_hex(text)
            )
    except IntegrityError:  # published by a concurrent request a moment ago: theirs is the one
        return ReportRelease.objects.get(period_start=quarter.start)


# --- a period of whole quarters --------------------------------------------------------------------------
def report_publish(
    *, period: Period, measure_keys: Sequence[str], on_progress: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """The published content of a report for partners. ValidationError when the period may not be published."""
    quarters = check_publishable(period)
    releases = []
    for done, quarter in enumerate(quarters, start=1):
        releases.append(release_get_or_publish(quarter))
        if on_progress is not None:
            on_progress(done, len(quarters))
    return combine(period=period, releases=releases, measure_keys=measure_keys)


def combine(*, period: Period, releases: Sequence[dict[str, Any]], measure_keys: Sequence[str]) -> dict[str, Any]:
    """The content of `period` from its quarters' releases alone (pure: no raw figure is read here)."""
    wanted = set(measure_keys)
    first = releases[0]["content"]
    available = [set(m["key"] for m in release["content"]["measures"]) for release in releases]
    missing = sorted(wanted - set.intersection(*available))
    if missing:
        raise ValidationError(
            {
                "measures": _("“%(measure)s” was added after these quarters were published; choose a later period.")
                % {"measure": missing[0]}
            }
        )
    if len(releases) == 1:
        measures = [m for m in first["measures"] if m["key"] in wanted]
        return {**first, "period": period.as_dict(), "measures": measures}
    threshold = max(release["content"]["threshold"] for release in releases)
    measures = [
        _combine_measure(key, releases, threshold) for key in (m["key"] for m in first["measures"]) if key in wanted
    ]
    return {
        **first,
        "period": period.as_dict(),
        "threshold": threshold,
        "computed_at": max(release["content"]["computed_at"] for release in releases),
        "legend": [*first["legend"], DERIVED_NOTE],
        "measures": measures,
    }


def _combine_measure(key: str, releases: Sequence[dict[str, Any]], threshold: int) -> dict[str, Any]:
    parts = [next(m for m in release["content"]["measures"] if m["key"] == key) for release in releases]
    statistic_cells = {(row, column) for release in releases for row, column in release["statistics"].get(key, [])}
    rows = _merged_rows(key, parts)
    columns = parts[0]["columns"]
    notes = list(dict.fromkeys(note for part in parts for note in part["notes"]))
    if statistic_cells and not any((key, column["key"]) in DERIVED_RATES for column in columns):
        notes.append(MEDIANS_NOTE)
    combined_rows = []
    for template in rows:
        found = [next((r for r in part["rows"] if r["key"] == template["key"]), None) for part in parts]
        cells = []
        for index, column in enumerate(columns):
            if (template["key"], index) in statistic_cells:
                cells.append(_derived_statistic(key, column["key"], columns, found, threshold))
            else:
                cells.append(_summed([row["cells"][index] for row in found if row is not None]))
        combined_rows.append({**template, "cells": cells})
    return {**parts[0], "notes": notes, "rows": combined_rows}


def _merged_rows(key: str, parts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of every quarter by key, in order of first appearance; totals last (months run on)."""
    seen: dict[str, dict[str, Any]] = {}
    for part in parts:
        for row in part["rows"]:
            seen.setdefault(row["key"], row)
    rows = list(seen.values())
    if key == "attendance_by_agency":
        rows.sort(key=lambda row: (row["kind"] == "total", row["label"].casefold(), row["key"]))
    return [row for row in rows if row["kind"] != "total"] + [row for row in rows if row["kind"] == "total"]


def _summed(cells: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The sum of the quarters' cells; withheld unless every one of them is shown."""
    if len(cells) == 1:
        return dict(cells[0])
    if all(cell["status"] == "empty" and not cell["display"] for cell in cells):
        return dict(cells[0])
    if any(cell["status"] != "shown" for cell in cells):
        return dict(WITHHELD)
    total = sum(cell["value"] for cell in cells)
    return {"value": total, "display": f"{total:,}", "status": "shown"}


def _derived_statistic(
    key: str, column: str, columns: Sequence[dict[str, Any]], found: Sequence[dict[str, Any] | None], threshold: int
) -> dict[str, Any]:
    present = [row for row in found if row is not None]
    if len(present) == 1:
        return dict(present[0]["cells"][[c["key"] for c in columns].index(column)])
    if (key, column) not in DERIVED_RATES:
        return dict(WITHHELD)
    numerator, denominator = DERIVED_RATES[(key, column)]
    index = [c["key"] for c in columns]
    top = _summed([row["cells"][index.index(numerator)] for row in present])
    bottom = _summed([row["cells"][index.index(denominator)] for row in present])
    if top["status"] != "shown" or bottom["status"] != "shown" or bottom["value"] < threshold:
        return dict(WITHHELD)
    value = round(100 * top["value"] / bottom["value"], 0)
    return {"value": value, "display": f"{value:.0f}", "status": "shown"}

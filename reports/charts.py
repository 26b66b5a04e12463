"""Charts of published figures, drawn with matplotlib on the server (no browser library, no CDN).

A chart is drawn from a measure's *published* content, never from raw counts: a suppressed
category gets no bar, only its marker ("<11", "withheld") at the baseline, exactly as the table
beside it says. The same drawing serves the web page (SVG in an <img>, which the Content
Security Policy allows as a data: image) and the PDF (PNG).

Any measure with a `chart` in the registry gets a chart; a future measure (trainings by sector,
attendance by agency) needs nothing more than its ChartSpec.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from types import ModuleType

    from matplotlib.figure import Figure


@cache
def _matplotlib() -> ModuleType:
    """matplotlib, loaded on first use: importing it (and its font cache) at start-up would slow
    every web and Celery process that never draws a chart."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server; must precede any drawing
    import matplotlib.figure

    return matplotlib


# Colours with at least 4.5:1 contrast on white, distinguishable with the common colour-vision
# deficiencies; the second series is also hatched so that it never relies on colour alone.
SERIES = [("#1a4f8b", ""), ("#b45309", "//")]
INK, MUTED, GRID = "#1f2933", "#4b5563", "#d1d5db"
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.fonttype": "none",  # text stays text in the SVG: smaller, selectable
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "hatch.color": "#ffffff",
}


@dataclass(frozen=True)
class Chart:
    data_uri: str  # an SVG as a data: URI, for <img src>
    alt: str  # the text alternative: what it shows and its main figures


def chart_for(measure: dict[str, Any], period_label: str) -> Chart | None:
    """The web chart of a published measure, or None when the measure has no chart."""
    figure = draw(measure)
    if figure is None:
        return None
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    encoded = base64.b64encode(buffer.getvalue().encode("utf-8")).decode("ascii")
    return Chart(f"data:image/svg+xml;base64,{encoded}", describe(measure, period_label))


def chart_png(measure: dict[str, Any], *, dpi: int = 150) -> bytes | None:
    figure = draw(measure)
    if figure is None:
        return None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def draw(measure: dict[str, Any]) -> Figure | None:
    spec = measure.get("chart")
    if not spec:
        return None
    with _matplotlib().rc_context(STYLE):
        if spec["kind"] == "columns":
            return _columns(measure, spec)
        return _bars(measure, spec)


def _series(measure: dict[str, Any], spec: dict[str, Any]) -> tuple[list[str], list[tuple[str, list[dict]]]]:
    items = [row for row in measure["rows"] if row["kind"] == "item"]
    index = {column["key"]: i for i, column in enumerate(measure["columns"])}
    labels = {column["key"]: column["label"] for column in measure["columns"]}
    series = [(labels[key], [row["cells"][index[key]] for row in items]) for key in spec["columns"]]
    return [row["label"] for row in items], series


def _bars(measure: dict[str, Any], spec: dict[str, Any]) -> Figure:
    categories, series = _series(measure, spec)
    height = 0.9 + 0.32 * len(categories) * max(1, len(series) * 0.75)
    figure = _matplotlib().figure.Figure(figsize=(6.4, height), layout="constrained")
    axes = figure.add_subplot()
    width = 0.8 / len(series)
    positions = list(range(len(categories)))
    for n, (name, cells) in enumerate(series):
        colour, hatch = SERIES[n % len(SERIES)]
        offsets = [p - 0.4 + width * (n + 0.5) for p in positions]
        values = _values(cells)
        axes.barh(offsets, values, height=width * 0.92, color=colour, hatch=hatch, label=name)
        for y, value, cell in zip(offsets, values, cells, strict=True):
            text = f"{value:,}" if cell["status"] == "shown" else cell["display"]
            axes.annotate(text, (value, y), xytext=(3, 0), textcoords="offset points", va="center",
                          fontsize=8.5, color=INK if cell["status"] == "shown" else MUTED)  # fmt: skip
    axes.set_yticks(positions, categories)
    axes.invert_yaxis()
    _tidy(axes, grid_axis="x", largest=max((v for _, cells in series for v in _values(cells)), default=0))
    if len(series) > 1:
        axes.legend(loc="lower right", frameon=False)
    return figure


def _columns(measure: dict[str, Any], spec: dict[str, Any]) -> Figure:
    categories, series = _series(measure, spec)
    name, cells = series[0]
    figure = _matplotlib().figure.Figure(figsize=(6.4, 3.4), layout="constrained")
    axes = figure.add_subplot()
    values = _values(cells)
    positions = list(range(len(categories)))
    axes.bar(positions, values, width=0.7, color=SERIES[0][0], label=name)
    for x, value, cell in zip(positions, values, cells, strict=True):
        text = f"{value:,}" if cell["status"] == "shown" else cell["display"]
        axes.annotate(text, (x, value), xytext=(0, 2), textcoords="offset points", ha="center", fontsize=8.5,
                      color=INK if cell["status"] == "shown" else MUTED)  # fmt: skip
    step = max(1, len(categories) // 12)
    short = [_short_month(label) for label in categories]
    axes.set_xticks(positions[::step], short[::step])
    _tidy(axes, grid_axis="y", largest=max(values, default=0))
    return figure


def _values(cells: list[dict]) -> list[int]:
    return [cell["value"] if cell["status"] == "shown" else 0 for cell in cells]


def _tidy(axes: Any, *, grid_axis: str, largest: float) -> None:
    """Counts start at zero; room above the largest bar for its label; a word when nothing can be drawn."""
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis=grid_axis, color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    (axes.xaxis if grid_axis == "x" else axes.yaxis).get_major_locator().set_params(integer=True)
    limit = axes.set_xlim if grid_axis == "x" else axes.set_ylim
    limit(0, max(1, largest * 1.18))
    if largest == 0:
        axes.text(
            0.98,
            0.98,
            _("Nothing to draw: every figure is zero or suppressed (see the table)."),
            transform=axes.transAxes,
            ha="right",
            va="top",
            color=MUTED,
            fontsize=9,
        )


def _short_month(label: str) -> str:
    """ "January 2025" -> "Jan\n2025"; other labels unchanged."""
    parts = label.split()
    if len(parts) == 2 and parts[1].isdigit():
        return f"{parts[0][:3]}\n{parts[1]}"
    return label


def describe(measure: dict[str, Any], period_label: str) -> str:
    """The chart's text alternative: what it shows, the largest published figure, what is suppressed."""
    spec = measure["chart"]
    categories, series = _series(measure, spec)
    parts = [_("%(chart)s, %(period)s.") % {"chart": spec["alt"], "period": period_label}]
    for name, cells in series:
        shown = [
            (cell["value"], label) for cell, label in zip(cells, categories, strict=True) if cell["status"] == "shown"
        ]
        hidden = sum(1 for cell in cells if cell["status"] in ("small", "withheld"))
        said = []
        if shown and max(shown)[0] > 0:
            value, label = max(shown, key=lambda item: item[0])
            said.append(_("highest %(label)s (%(value)s).") % {"label": label, "value": f"{value:,}"})
        if hidden:
            said.append(_("%(hidden)s of %(count)s suppressed.") % {"hidden": hidden, "count": len(cells)})
        if len(series) > 1:  # which series each sentence is about
            said = [_("%(series)s: %(text)s") % {"series": name, "text": text} for text in said]
        parts += said
    parts.append(_("The table beside the chart has every figure."))
    return " ".join(parts)

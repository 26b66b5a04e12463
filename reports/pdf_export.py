"""PDF of a report: a printable document with the task force's name, the period, charts and tables.

Built with reportlab's platypus from the published content only; charts come from
reports/charts.py as PNG. `invariant` keeps the bytes equal for equal content (approved reports).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.charts import chart_png

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#4b5563")
SOFT = colors.HexColor("#f3f4f6")
LINE = colors.HexColor("#d1d5db")
BRAND = colors.HexColor("#1a4f8b")
WIDTH = LETTER[0] - 1.5 * inch

_styles = getSampleStyleSheet()
TITLE = ParagraphStyle("title", parent=_styles["Title"], textColor=BRAND, alignment=0, fontSize=20, leading=24)
H2 = ParagraphStyle("h2", parent=_styles["Heading2"], textColor=INK, spaceBefore=14, spaceAfter=4)
BODY = ParagraphStyle("body", parent=_styles["BodyText"], textColor=INK, fontSize=9.5, leading=12.5)
SMALL = ParagraphStyle("small", parent=BODY, textColor=MUTED, fontSize=8.5, leading=11)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=9, leading=11)
CELL_RIGHT = ParagraphStyle("cell_right", parent=CELL, alignment=TA_RIGHT)


def write_pdf(
    content: dict[str, Any], meta: dict[str, Any], path: Path, *, on_progress: Callable[[int, int], None] | None = None
) -> None:
    period = content["period"]
    document = SimpleDocTemplate(
        str(path),
        pagesize=LETTER,
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.75 * inch,
        bottomMargin=0.8 * inch,
        title=f"Grant report, {period['label']}",
        author=content["taskforce"],
        creator="Task force portal",
        invariant=1,
    )
    story: list[Any] = _cover(content, meta)
    measures = content["measures"]
    for done, measure in enumerate(measures, start=1):
        story += _measure(measure)
        if on_progress is not None:
            on_progress(done, len(measures))
    footer = f"{content['taskforce']} · Grant report, {period['label']} · {_status(meta)}"

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(0.75 * inch, 0.5 * inch, footer)
        canvas.drawRightString(LETTER[0] - 0.75 * inch, 0.5 * inch, f"Page {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=decorate, onLaterPages=decorate)


def _cover(content: dict[str, Any], meta: dict[str, Any]) -> list[Any]:
    period = content["period"]
    facts = [
        ("Period", f"{period['label']}: {period['start']} to {period['end']}, days in {period['time_zone']}"),
        ("Status", _status(meta)),
        ("Figures computed", content["computed_at"]),
        ("Suppression threshold", str(content["threshold"])),
        ("Content hash (SHA-256)", meta["content_hash"]),
    ]
    rows = [[Paragraph(f"<b>{escape(k)}</b>", CELL), Paragraph(escape(v), CELL)] for k, v in facts]
    table = Table(rows, colWidths=[1.7 * inch, WIDTH - 1.7 * inch])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE)]))
    story: list[Any] = [
        Paragraph(escape(content["taskforce"]), SMALL),
        Paragraph(f"Grant report, {escape(period['label'])}", TITLE),
        table,
        Spacer(1, 8),
        Paragraph("<b>How to read the figures</b>", BODY),
    ]
    story += [Paragraph(escape(line), SMALL) for line in content["legend"]]
    return story


def _measure(measure: dict[str, Any]) -> list[Any]:
    heading = [Paragraph(escape(measure["title"]), H2), Paragraph(escape(measure["definition"]), SMALL)]
    png = chart_png(measure)
    parts: list[Any] = []
    if png is not None:
        image = Image(io.BytesIO(png))
        scale = min(1.0, WIDTH / image.drawWidth, 3.6 * inch / image.drawHeight)
        image.drawWidth, image.drawHeight = image.drawWidth * scale, image.drawHeight * scale
        parts += [Spacer(1, 4), image]
    parts += [Spacer(1, 4), _table(measure)]
    parts += [Paragraph(escape(note), SMALL) for note in measure["notes"]]
    # Keep a heading with the start of its content; a long table may still break across pages.
    return [KeepTogether([*heading, *parts[:2]]), *parts[2:]]


def _table(measure: dict[str, Any]) -> Table:
    columns = measure["columns"]
    header = [Paragraph("", CELL)] + [Paragraph(f"<b>{escape(c['label'])}</b>", CELL_RIGHT) for c in columns]
    body: list[list[Paragraph]]
    style: list[tuple[Any, ...]]  # TableStyle commands: a name, two cells, then the command's values
    body, style = (
        [header],
        [
            ("BACKGROUND", (0, 0), (-1, 0), SOFT),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ],
    )
    for number, row in enumerate(measure["rows"], start=1):
        strong = row["kind"] != "item"
        wrap = (lambda text: f"<b>{text}</b>") if strong else (lambda text: text)
        cells = [Paragraph(wrap(escape(cell["display"])), CELL_RIGHT) for cell in row["cells"]]
        body.append([Paragraph(wrap(escape(row["label"])), CELL), *cells])
        if row["kind"] == "total":
            style.append(("LINEABOVE", (0, number), (-1, number), 0.8, INK))
    first = WIDTH - 1.25 * inch * len(columns)
    table = Table(body, colWidths=[first] + [1.25 * inch] * len(columns), repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _status(meta: dict[str, Any]) -> str:
    if meta["status"] == "approved":
        return f"Approved {meta['approved_at']}"
    return "DRAFT, not approved"

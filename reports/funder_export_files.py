"""The funder copy as files laid out like the funder's form: item, question, answer, with the period and the
award's form named at the top. XLSX through openpyxl and PDF through reportlab, as the partner exports
(reports/xlsx_export.py, reports/pdf_export.py), but written in memory: a form has a few dozen items.

Answers are exact (1 to 10 included): these files go to the funder's system, never to partners; each
says so at the top. Equal content gives equal bytes (an approved report's files are stamped with the
approval time).
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.xml.functions import tostring
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports import pdf_export, xlsx_export

EXACT_NOTICE = (
    "Exact figures for the funder's system only. Do not share this file with partners: a count from 1 to 10 "
    "can point at a person. Partners receive the partner copy, where such counts show as \u201c<11\u201d."
)
HEADER = ("Item", "Question", "Answer", "Note")


def _facts(copy: dict[str, Any]) -> list[tuple[str, str]]:
    period = copy["period"]
    status = f"Approved {copy['approved_at']}: frozen figures" if copy["approved_at"] else "Draft, not approved"
    return [
        ("Award's form", copy["template"]["title"]),
        ("Period", f"{period['label']}: {period['start']} to {period['end']}, days in {period['time_zone']}"),
        ("Status", status),
        ("Figures computed", copy["computed_at"]),
        ("Figures hash (SHA-256)", copy["figures_hash"]),
    ]


def _stamp(copy: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(copy["approved_at"] or copy["computed_at"])


def funder_xlsx(copy: dict[str, Any]) -> bytes:
    stamp = _stamp(copy).replace(tzinfo=None)
    book = Workbook(write_only=True)
    book.properties.creator = copy["taskforce"]
    book.properties.title = f"{copy['template']['title']}, {copy['period']['label']}"
    book.properties.created = book.properties.modified = stamp
    sheet = book.create_sheet("Funder form")
    for letter, width in zip("ABCD", (24, 80, 14, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([xlsx_export._bold(sheet, copy["taskforce"])])
    sheet.append([xlsx_export._bold(sheet, copy["template"]["title"])])
    for label, value in _facts(copy):
        xlsx_export._append(sheet, [xlsx_export._bold(sheet, label), value])
    xlsx_export._append(sheet, [None, EXACT_NOTICE])
    sheet.append([])
    sheet.append([xlsx_export._bold(sheet, label) for label in HEADER])
    for item in copy["items"]:
        xlsx_export._append(sheet, [item["code"], item["question"], _answer_cell(sheet, item), item["note"]])
    raw, final = io.BytesIO(), io.BytesIO()
    book.save(raw)
    book.properties.modified = stamp  # save() stamps "modified" with the clock; put the report's own time back
    raw.seek(0)
    xlsx_export._restamp(raw, final, stamp, {"docProps/core.xml": tostring(book.properties.to_tree())})
    return final.getvalue()


def _answer_cell(sheet: Any, item: dict[str, Any]) -> Any:
    if item["answer"] is None:
        return xlsx_export._text(sheet, "")
    cell = xlsx_export.WriteOnlyCell(sheet, value=item["answer"])
    cell.alignment = Alignment(horizontal="right")
    return cell


def funder_pdf(copy: dict[str, Any]) -> bytes:
    buffer = io.BytesIO()
    title = f"{copy['template']['title']}, {copy['period']['label']}"
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.75 * inch,
        bottomMargin=0.8 * inch,
        title=title,
        author=copy["taskforce"],
        creator="Task force portal",
        invariant=1,
    )
    footer = f"{copy['taskforce']} · {title} · exact figures, for the funder's system only"

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7.5)
        canvas.setFillColor(pdf_export.MUTED)
        canvas.drawString(0.75 * inch, 0.5 * inch, footer)
        canvas.drawRightString(LETTER[0] - 0.75 * inch, 0.5 * inch, f"Page {doc.page}")
        canvas.restoreState()

    document.build(_story(copy), onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def _story(copy: dict[str, Any]) -> list[Any]:
    cell, right = pdf_export.CELL, pdf_export.CELL_RIGHT
    facts = [[Paragraph(f"<b>{escape(k)}</b>", cell), Paragraph(escape(v), cell)] for k, v in _facts(copy)]
    about = Table(facts, colWidths=[1.7 * inch, pdf_export.WIDTH - 1.7 * inch])
    about.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, pdf_export.LINE)])
    )
    rows = [[Paragraph(f"<b>{escape(label)}</b>", right if label == "Answer" else cell) for label in HEADER[:3]]]
    for item in copy["items"]:
        answer = "" if item["answer"] is None else f"{item['answer']:,}"
        question = escape(item["question"]) + (f"<br/><i>{escape(item['note'])}</i>" if item["note"] else "")
        rows.append([Paragraph(escape(item["code"]), cell), Paragraph(question, cell), Paragraph(answer, right)])
    widths = [1.3 * inch, pdf_export.WIDTH - 2.3 * inch, 1.0 * inch]
    items = Table(rows, colWidths=widths, repeatRows=1)
    items.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), pdf_export.SOFT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, pdf_export.LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return [
        Paragraph(escape(copy["taskforce"]), pdf_export.SMALL),
        Paragraph(escape(copy["template"]["title"]), pdf_export.TITLE),
        about,
        Spacer(1, 8),
        Paragraph(f"<b>{escape(EXACT_NOTICE)}</b>", pdf_export.BODY),
        Spacer(1, 8),
        items,
    ]

"""The PDF of a meeting's agenda, minutes and decisions (reportlab's platypus, as reports/pdf_export.py)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from meetings.selectors import Printout
from reports.pdf_export import BODY, H2, SMALL, TITLE


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _when(printout: Printout) -> str:
    meeting = printout.meeting
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    when = f"{starts:%A, %B} {starts.day}, {starts.year}, {starts:%I:%M %p} to {ends:%I:%M %p}"
    place = f" · {meeting.location}" if meeting.location else ""
    cancelled = " · CANCELLED" if meeting.is_cancelled else ""
    return when.replace(" 0", " ") + place + cancelled


def _agenda(printout: Printout) -> list[Any]:
    story: list[Any] = [Paragraph("Agenda", H2)]
    if printout.agenda is None:
        return [*story, Paragraph("The agenda is not published yet.", SMALL)]
    if not printout.agenda:
        return [*story, Paragraph("No agenda items.", SMALL)]
    for number, item in enumerate(printout.agenda, start=1):
        presenter = f" ({item.presenter_agency.name})" if item.presenter_agency else ""
        story.append(Paragraph(f"{number}. {_text(item.title)}{_text(presenter)}, {item.minutes} min", BODY))
        if item.notes:
            story.append(Paragraph(_text(item.notes), SMALL))
    return story


def _minutes(printout: Printout) -> list[Any]:
    story: list[Any] = [Paragraph("Minutes", H2)]
    minutes = printout.minutes
    if minutes is None:
        return [*story, Paragraph("No minutes yet.", SMALL)]
    story.append(Paragraph(f"Version {minutes.version}: {_text(minutes.get_status_display())}", SMALL))
    present = sorted({row.agency.name for row in printout.attendance})
    if present:
        story.append(Paragraph("Agencies present: " + _text(", ".join(present)), SMALL))
    return [*story, Spacer(1, 4), Paragraph(_text(minutes.body), BODY)]


def _decisions(printout: Printout) -> list[Any]:
    story: list[Any] = [Paragraph("Decisions", H2)]
    if not printout.motions:
        return [*story, Paragraph("No motions recorded.", SMALL)]
    for number, motion in enumerate(printout.motions, start=1):
        story.append(Paragraph(f"<b>Motion {number}: {_text(motion.get_result_display())}</b>", BODY))
        story.append(Paragraph(_text(motion.text), BODY))
        votes = f"Yes {motion.yes}, no {motion.no}, abstain {motion.abstain}"
        movers = f"Moved by {motion.mover_agency.name}, seconded by {motion.seconder_agency.name}. {votes}."
        story.append(Paragraph(_text(movers), SMALL))
    return story


def printout_pdf(printout: Printout) -> bytes:
    buffer = io.BytesIO()
    title = printout.meeting.title
    document = SimpleDocTemplate(
        buffer, pagesize=LETTER, leftMargin=0.75 * inch, rightMargin=0.75 * inch, title=title, invariant=1
    )
    story: list[Any] = [Paragraph(_text(title), TITLE), Paragraph(_text(_when(printout)), SMALL)]
    story += _agenda(printout) + _minutes(printout) + _decisions(printout)
    document.build(story)
    return buffer.getvalue()

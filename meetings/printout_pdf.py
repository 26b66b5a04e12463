"""The PDF of a meeting's agenda, minutes and decisions (reportlab's platypus, as reports/pdf_export.py)."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from agencies.templatetags.times import format_clock_zone, format_moment_long
from meetings.selectors import Printout
from reports.pdf_export import BODY, H2, SMALL, TITLE


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


def _when(printout: Printout) -> str:
    meeting = printout.meeting
    when = _("%(start)s to %(end)s") % {
        "start": format_moment_long(meeting.starts_at),
        "end": format_clock_zone(meeting.ends_at),
    }
    place = f" · {meeting.location}" if meeting.location else ""
    cancelled = " · " + _("CANCELLED") if meeting.is_cancelled else ""
    return when + place + cancelled


def _agenda(printout: Printout) -> list[Any]:
    story: list[Any] = [Paragraph(_("Agenda"), H2)]
    if printout.agenda is None:
        return [*story, Paragraph(_("The agenda is not published yet."), SMALL)]
    if not printout.agenda:
        return [*story, Paragraph(_("No agenda items."), SMALL)]
    for number, item in enumerate(printout.agenda, start=1):
        presenter = f" ({item.presenter_agency.name})" if item.presenter_agency else ""
        length = _("%(minutes)s min") % {"minutes": item.minutes}
        story.append(Paragraph(f"{number}. {_text(item.title)}{_text(presenter)}, {length}", BODY))
        if item.notes:
            story.append(Paragraph(_text(item.notes), SMALL))
    return story


def _minutes(printout: Printout) -> list[Any]:
    story: list[Any] = [Paragraph(_("Minutes"), H2)]
    minutes = printout.minutes
    if minutes is None:
        return [*story, Paragraph(_("No minutes yet."), SMALL)]
    version = _("Version %(version)s: %(status)s") % {
        "version": minutes.version,
        "status": minutes.get_status_display(),
    }
    story.append(Paragraph(_text(version), SMALL))
    present = sorted({row.agency.name for row in printout.attendance})
    if present:
        story.append(Paragraph(_text(_("Agencies present:") + " " + ", ".join(present)), SMALL))
    return [*story, Spacer(1, 4), Paragraph(_text(minutes.body), BODY)]


def _decisions(printout: Printout) -> list[Any]:
    story: list[Any] = [Paragraph(_("Decisions"), H2)]
    if not printout.motions:
        return [*story, Paragraph(_("No motions recorded."), SMALL)]
    for number, motion in enumerate(printout.motions, start=1):
        heading = _("Motion %(number)s: %(result)s.") % {"number": number, "result": motion.get_result_display()}
        story.append(Paragraph(f"<b>{_text(heading)}</b>", BODY))
        story.append(Paragraph(_text(motion.text), BODY))
        movers = _("Moved by %(mover)s, seconded by %(seconder)s. Yes %(yes)s, no %(no)s, abstain %(abstain)s.") % {
            "mover": motion.mover_agency.name,
            "seconder": motion.seconder_agency.name,
            "yes": motion.yes,
            "no": motion.no,
            "abstain": motion.abstain,
        }
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

"""A meeting's agenda, minutes and decisions to print (a page without navigation) or as a PDF."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from meetings import selectors
from meetings.printout_pdf import printout_pdf


@requires(Action.VIEW_TASKFORCE_CONTENT)
def meeting_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    printout = selectors.meeting_printout(user=request.user, meeting=meeting)
    response = render(request, "meetings/meeting_print.html", {"printout": printout, "meeting": meeting})
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Action.VIEW_TASKFORCE_CONTENT)
def meeting_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    printout = selectors.meeting_printout(user=request.user, meeting=meeting)
    response = HttpResponse(printout_pdf(printout), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="meeting-{meeting.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response

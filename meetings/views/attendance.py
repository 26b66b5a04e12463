"""Attendance recorded by the organizer, with the quorum indicator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from meetings import selectors, services
from meetings.forms import AttendanceForm
from meetings.models import Attendance
from meetings.quorum import quorum_for
from meetings.views.common import add_errors, message, posted


@requires(Action.VIEW_TASKFORCE_CONTENT)
def attendance_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    form = AttendanceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            row = services.attendance_record(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Recorded: %(who)s present.") % {"who": row.person or row.agency})
            return redirect("meetings:attendance_edit", pk=pk)
    context = {
        "meeting": meeting,
        "form": form,
        "attendance": meeting.attendance.select_related("person", "agency"),
        "quorum": quorum_for(meeting),
        "opens_at": services.check_in_opens_at(meeting),
        "attendance_open": timezone.now() >= services.check_in_opens_at(meeting),
    }
    return render(request, "meetings/attendance_edit.html", context, status=400 if form.errors else 200)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def attendance_remove(request: AuthenticatedRequest, pk: int, row_pk: int) -> HttpResponse:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    row = Attendance.objects.select_related("person", "agency", "meeting").filter(pk=row_pk, meeting=meeting).first()
    if row is None:  # removed already (a second click): nothing left to do
        messages.info(request, _("That attendance was already removed."))
        return redirect("meetings:attendance_edit", pk=pk)
    label = str(row.person or row.agency)
    try:
        services.attendance_remove(actor=request.user, attendance=row)
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        messages.success(request, _("Removed %(who)s from the attendance.") % {"who": label})
    return redirect("meetings:attendance_edit", pk=pk)

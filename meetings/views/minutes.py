"""The minutes editor and their lifecycle: draft, circulated, approved, corrected by a new version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from meetings import selectors, services
from meetings.forms import ApproveForm, CorrectionForm, MinutesForm
from meetings.models import Meeting, Minutes
from meetings.views.common import add_errors, message


def _current(meeting: Meeting) -> Minutes | None:
    return meeting.minutes_versions.select_related("approved_by", "approved_at_meeting").order_by("-version").first()


def _editor(
    request: AuthenticatedRequest,
    meeting: Meeting,
    *,
    form: MinutesForm | None = None,
    status: int = 200,
    correction_form: CorrectionForm | None = None,
) -> HttpResponse:
    current = _current(meeting)
    if form is None:
        initial = {"body": current.body} if current and not current.is_approved else {}
        form = MinutesForm(initial=initial, meeting=meeting)
    choices = services.approval_meetings(minutes=current) if current else []
    context = {
        "meeting": meeting,
        "current": current,
        "form": form,
        "approve_form": ApproveForm(choices=choices),
        "approval_choices": choices,
        "next_approval": services.next_approval_meeting(minutes=current) if current else None,
        "correction_form": correction_form or CorrectionForm(),
        "versions": selectors.minutes_visible(user=request.user, meeting=meeting),
    }
    return render(request, "meetings/minutes_edit.html", context, status=status)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def minutes_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    if request.method != "POST":
        return _editor(request, meeting)
    form = MinutesForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            minutes = services.minutes_save(actor=request.user, meeting=meeting, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_errors(form, error, refused=("body",))
        else:
            messages.success(
                request,
                _("Minutes saved (version %(version)s, %(status)s).")
                % {"version": minutes.version, "status": minutes.get_status_display().lower()},
            )
            return redirect("meetings:minutes_edit", pk=pk)
    return _editor(request, meeting, form=form, status=400)


def _open_minutes(request: AuthenticatedRequest, pk: int) -> tuple[Meeting, Minutes | None]:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    return meeting, _current(meeting)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def minutes_circulate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _meeting, minutes = _open_minutes(request, pk)
    try:
        if minutes is None:
            raise ValidationError(_("Write the minutes first."))
        services.minutes_circulate(actor=request.user, minutes=minutes)
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        messages.success(request, _("The minutes are circulated to the meeting's audience for review."))
    return redirect("meetings:minutes_edit", pk=pk)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def minutes_approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting, minutes = _open_minutes(request, pk)
    form = ApproveForm(request.POST, choices=services.approval_meetings(minutes=minutes) if minutes else [])
    try:
        if minutes is None or not form.is_valid():
            raise ValidationError(_("Choose the meeting at which the minutes were approved."))
        services.minutes_approve(actor=request.user, minutes=minutes, at_meeting=form.cleaned_data["at_meeting"])
    except ValidationError as error:
        messages.error(request, message(error))
        return redirect("meetings:minutes_edit", pk=pk)
    messages.success(request, _("The minutes are approved. They can no longer be edited, only corrected."))
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def minutes_correct(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting, minutes = _open_minutes(request, pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            if minutes is None:
                raise ValidationError(_("There are no minutes to correct."))
            correction = services.minutes_correct(
                actor=request.user, minutes=minutes, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error, refused=("reason",))
        else:
            messages.success(
                request,
                _("Version %(version)s is a draft correction. The approved text stays on record.")
                % {"version": correction.version},
            )
            return redirect("meetings:minutes_edit", pk=pk)
    return _editor(request, meeting, correction_form=form, status=400)

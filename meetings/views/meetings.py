"""A meeting: scheduling, its page, RSVP, self check-in, changes and its .ics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from meetings import ical, selectors, services
from meetings.forms import ActionStatusForm, AgendaItemForm, AttachmentForm, MeetingForm, RsvpForm
from meetings.models import Meeting
from meetings.views.common import add_errors, ics_response, message, posted

# Fields the de-identification guard reads: a refused value is never sent back into the page.
_REFUSED = ("title", "location")


@requires(Action.RUN_MEETINGS)
def meeting_create(request: AuthenticatedRequest) -> HttpResponse:
    form = MeetingForm(posted(request), actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                actor=request.user,
                details=form.to_input(),
                frequency=form.cleaned_data["repeats"],
                count=form.cleaned_data["count"] or 1,
            )
        except ValidationError as error:
            add_errors(form, error, refused=_REFUSED)
        else:
            messages.success(request, _("%(title)s is scheduled. Prepare its agenda next.") % {"title": meeting.title})
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/meeting_form.html", {"form": form}, status=status)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return render(request, "meetings/meeting_detail.html", _page_context(request, meeting))


def _page_context(request: AuthenticatedRequest, meeting: Meeting, **extra: object) -> dict[str, object]:
    page = selectors.meeting_page(user=request.user, meeting=meeting)
    context = {
        "page": page,
        "meeting": meeting,
        "rsvp_form": RsvpForm(initial={"response": page.my_rsvp}),
        "status_form": ActionStatusForm(),
        "attachment_form": AttachmentForm() if page.may_run else None,
        "agenda_form": AgendaItemForm(meeting=meeting) if page.may_run else None,
    }
    return {**context, **extra}


@requires(Action.VIEW_TASKFORCE_CONTENT)
def meeting_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    form = MeetingForm(posted(request), actor=request.user, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, details=form.to_input())
        except ValidationError as error:
            add_errors(form, error, refused=_REFUSED)
        else:
            messages.success(request, _("The meeting is updated. Calendar feeds show the change."))
            return redirect("meetings:meeting_detail", pk=meeting.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting}, status=status)


@require_http_methods(["GET", "POST"])
@requires(Action.VIEW_TASKFORCE_CONTENT)
def meeting_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (saying who sees the change); POST cancels."""
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    if request.method == "GET":
        context = {
            "meeting": meeting,
            "invited": selectors.invited_people(meeting=meeting).count(),
            "notified": selectors.cancellation_recipients(meeting=meeting),
        }
        return render(request, "meetings/meeting_cancel.html", context)
    try:
        services.meeting_cancel(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        messages.success(
            request,
            _("The meeting is cancelled. The people invited are told by email; calendar feeds show it as cancelled."),
        )
    return redirect("meetings:meeting_detail", pk=meeting.pk)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def meeting_rsvp(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    form = RsvpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose attending, maybe or not attending."))
        return redirect("meetings:meeting_detail", pk=pk)
    try:
        rsvp = services.rsvp_set(actor=request.user, meeting=meeting, response=form.cleaned_data["response"])
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        messages.success(
            request, _("Thank you. Your answer: %(answer)s.") % {"answer": rsvp.get_response_display().lower()}
        )
    return redirect("meetings:meeting_detail", pk=pk)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def meeting_check_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    try:
        services.attendance_check_in(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        messages.success(request, _("You are checked in."))
    return redirect("meetings:meeting_detail", pk=pk)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def meeting_ics(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    calendar = ical.new_calendar(meeting.title)
    calendar.add_component(ical.meeting_component(meeting))
    return ics_response(calendar, filename=f"meeting-{meeting.pk}.ics")

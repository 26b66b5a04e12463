"""Motions voted in a meeting, and the decision log of a series."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from meetings import selectors, services
from meetings.forms import MotionForm
from meetings.quorum import quorum_for
from meetings.views.common import add_errors, posted


@requires(Action.VIEW_TASKFORCE_CONTENT)
def motion_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    agencies = services.present_agencies(meeting)
    form = MotionForm(posted(request), agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            motion = services.motion_record(
                actor=request.user,
                meeting=meeting,
                text=form.cleaned_data["text"],
                mover_agency=form.cleaned_data["mover_agency"],
                seconder_agency=form.cleaned_data["seconder_agency"],
                votes=form.votes(),
            )
        except ValidationError as error:
            add_errors(form, error, refused=("text",))
        else:
            messages.success(
                request, _("Motion recorded: %(result)s.") % {"result": motion.get_result_display().lower()}
            )
            return redirect(reverse("meetings:meeting_detail", args=[meeting.pk]) + "#decisions-heading")
    context = {
        "meeting": meeting,
        "form": form,
        "quorum": quorum_for(meeting),
        "rule": _(services.RULE_IN_WORDS),
        "may_vote": meeting.has_started() and not meeting.is_cancelled,
    }
    return render(request, "meetings/motion_form.html", context, status=400 if form.errors else 200)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def series_decisions(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    series = selectors.series_get(user=request.user, pk=pk)
    motions = selectors.decisions_of_series(user=request.user, series=series)
    context = {"series": series, "motions": motions, "rule": _(services.RULE_IN_WORDS)}
    return render(request, "meetings/series_decisions.html", context)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def committee_decisions(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = selectors.committee_get(user=request.user, pk=pk)
    motions = selectors.decisions_of_committee(user=request.user, committee=committee)
    context = {"committee": committee, "motions": motions, "rule": _(services.RULE_IN_WORDS)}
    return render(request, "meetings/committee_decisions.html", context)

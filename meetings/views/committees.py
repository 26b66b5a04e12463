"""Committees and working groups: the audiences of committee meetings."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from meetings import selectors, services
from meetings.forms import CommitteeForm
from meetings.models import Committee
from meetings.views.common import add_errors, posted


@requires(Action.VIEW_TASKFORCE_CONTENT)
def committee_list(request: AuthenticatedRequest) -> HttpResponse:
    committees = selectors.committees_for(user=request.user)
    managed = set(Committee.objects.managed_by(request.user).values_list("pk", flat=True))
    return render(request, "meetings/committee_list.html", {"committees": committees, "managed": managed})


def _save(request: AuthenticatedRequest, committee: Committee | None) -> HttpResponse:
    form = CommitteeForm(posted(request), actor=request.user, committee=committee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chair = data["chair"] if "chair" in form.changed_data or committee is None else committee.chair
        try:
            saved = services.committee_save(
                actor=request.user,
                committee=committee,
                name=data["name"],
                description=data["description"],
                chair=chair,
                members=data["members"],
                agencies=data["agencies"],
            )
        except ValidationError as error:
            # A value the de-identification guard refused is never sent back into the page.
            add_errors(form, error, refused=("name", "description"))
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
            return redirect("meetings:committee_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/committee_form.html", {"form": form, "committee": committee}, status=status)


@requires(Action.RUN_MEETINGS)
def committee_create(request: AuthenticatedRequest) -> HttpResponse:
    return _save(request, None)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def committee_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _save(request, selectors.committee_managed_get(user=request.user, pk=pk))

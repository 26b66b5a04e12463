"""Training requests from the public: coordinators route them to a host agency, which tracks them to done."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from meetings import selectors, services
from meetings.choices import RequestStatus
from meetings.forms import RequestAssignForm, RequestStatusForm
from meetings.models import TrainingRequest
from meetings.views.common import add_errors


@requires(Action.OFFER_TRAININGS)
def training_request_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    requests = selectors.training_requests_for(user=request.user)
    if status == "open":
        requests = requests.exclude(status__in=RequestStatus.closed())
    elif status in RequestStatus.values:
        requests = requests.filter(status=status)
    context = {"requests": requests[:200], "status": status, "statuses": RequestStatus.choices}
    return render(request, "meetings/training_request_list.html", context)


def _page(request: AuthenticatedRequest, item: TrainingRequest, **forms: object) -> HttpResponse:
    context = {
        "item": item,
        "assign_form": forms.get("assign_form") or RequestAssignForm(initial={"agency": item.assigned_agency_id}),
        "status_form": forms.get("status_form") or RequestStatusForm(agency_id=item.assigned_agency_id),
        "may_assign": request.user.can(Action.MANAGE_TRAINING_REQUESTS),
        "closed": item.status in RequestStatus.closed(),
    }
    return render(request, "meetings/training_request_detail.html", context, status=400 if forms else 200)


@requires(Action.OFFER_TRAININGS)
def training_request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = selectors.training_request_get(user=request.user, pk=pk)
    if request.method != "POST":
        return _page(request, item)
    if request.POST.get("action") == "assign" and request.user.can(Action.MANAGE_TRAINING_REQUESTS):
        form = RequestAssignForm(request.POST)
        if form.is_valid():
            try:
                services.training_request_assign(actor=request.user, request=item, agency=form.cleaned_data["agency"])
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, _("Routed to %(agency)s.") % {"agency": form.cleaned_data["agency"]})
                return redirect("meetings:training_request_detail", pk=pk)
        return _page(request, item, assign_form=form)
    status_form = RequestStatusForm(request.POST, agency_id=item.assigned_agency_id)
    if status_form.is_valid():
        try:
            services.training_request_set_status(actor=request.user, request=item, **status_form.cleaned_data)
        except ValidationError as error:
            add_errors(status_form, error)
        else:
            messages.success(request, _("The request is updated."))
            return redirect("meetings:training_request_detail", pk=pk)
    return _page(request, item, status_form=status_form)

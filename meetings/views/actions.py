"""Action items: created from a meeting, "my action items", status changes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from meetings import selectors, services
from meetings.forms import ActionItemForm, ActionStatusForm
from meetings.permissions import may_update_action_item
from meetings.views.common import add_errors, message, posted


@requires(Action.VIEW_TASKFORCE_CONTENT)
def action_item_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    form = ActionItemForm(posted(request), initial={"owner_agency": meeting.host_agency_id})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.action_item_create(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error, refused=("title",))
        else:
            messages.success(
                request, _("Action item added for %(owner)s.") % {"owner": item.owner_person or item.owner_agency}
            )
            return redirect("meetings:meeting_detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/action_item_form.html", {"meeting": meeting, "form": form}, status=status)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def my_action_items(request: AuthenticatedRequest) -> HttpResponse:
    include_closed = request.GET.get("show") == "all"
    items = selectors.with_permissions(
        request.user, selectors.my_action_items(user=request.user, include_closed=include_closed)
    )
    context = {
        "items": items,
        "include_closed": include_closed,
        "overdue": sum(1 for item in items if item.is_overdue),
        "status_form": ActionStatusForm(),
    }
    return render(request, "meetings/my_action_items.html", context)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def action_item_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_get(user=request.user, pk=pk)
    if not may_update_action_item(request.user, item):
        raise PermissionDenied(_("Only the owner, their agency's administrators or the organizers can change this."))
    form = ActionStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose open, done or dropped."))
        item = services.action_item_set_status(actor=request.user, item=item, status=form.cleaned_data["status"])
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        messages.success(
            request,
            _("“%(title)s” is now %(status)s.") % {"title": item.title, "status": item.get_status_display().lower()},
        )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(back)
    return redirect("meetings:my_action_items")

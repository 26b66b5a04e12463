"""The agenda editor: ordinary forms, one per item, with move-up and move-down buttons (keyboard first)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from meetings import selectors, services
from meetings.forms import AgendaItemForm
from meetings.models import AgendaItem, Meeting
from meetings.views.common import add_errors, message

_REFUSED = ("title", "notes")


def _editor(
    request: HttpRequest,
    meeting: Meeting,
    *,
    add_form: AgendaItemForm | None = None,
    failed: tuple[int, AgendaItemForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    rows = []
    for item in meeting.agenda_items.select_related("presenter_agency", "action_item"):
        if failed and failed[0] == item.pk:
            rows.append((item, failed[1]))
        else:
            initial = {
                "title": item.title,
                "presenter_agency": item.presenter_agency_id,
                "minutes": item.minutes,
                "notes": item.notes,
            }
            rows.append((item, AgendaItemForm(initial=initial, meeting=meeting, prefix=f"item-{item.pk}")))
    context = {
        "meeting": meeting,
        "rows": rows,
        "total_minutes": sum(item.minutes for item, _form in rows),
        "add_form": add_form or AgendaItemForm(meeting=meeting, prefix="new"),
        "locked": meeting.agenda_is_locked(),
    }
    return render(request, "meetings/agenda_edit.html", context, status=status)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def agenda_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    if request.method != "POST":
        return _editor(request, meeting)
    form = AgendaItemForm(request.POST, meeting=meeting, prefix="new")
    if form.is_valid():
        try:
            item = services.agenda_item_add(actor=request.user, meeting=meeting, data=form.to_input())
        except ValidationError as error:
            add_errors(form, error, refused=_REFUSED)
        else:
            messages.success(request, _("Added “%(title)s”.") % {"title": item.title})
            return redirect(reverse("meetings:agenda_edit", args=[pk]) + "#add-item")
    return _editor(request, meeting, add_form=form, status=400)


def _item(request: AuthenticatedRequest, pk: int, item_pk: int) -> tuple[Meeting, AgendaItem]:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    return meeting, get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_pk, meeting=meeting)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def agenda_item_edit(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting, item = _item(request, pk, item_pk)
    form = AgendaItemForm(request.POST, meeting=meeting, prefix=f"item-{item.pk}")
    if form.is_valid():
        try:
            services.agenda_item_update(actor=request.user, item=item, data=form.to_input())
        except ValidationError as error:
            add_errors(form, error, refused=_REFUSED)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": item.title})
            return redirect(reverse("meetings:agenda_edit", args=[pk]) + f"#item-{item.pk}")
    return _editor(request, meeting, failed=(item.pk, form), status=400)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def agenda_item_move(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    _meeting, item = _item(request, pk, item_pk)
    direction = request.POST.get("direction", "")
    try:
        services.agenda_item_move(actor=request.user, item=item, direction=direction)
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        moved = _("Moved “%(title)s” up.") if direction == "up" else _("Moved “%(title)s” down.")
        messages.success(request, moved % {"title": item.title})
    # Back to the item, so that keyboard focus returns to where the person was (meetings.js).
    return redirect(reverse("meetings:agenda_edit", args=[pk]) + f"#item-{item.pk}")


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def agenda_item_remove(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    _meeting, item = _item(request, pk, item_pk)
    title = item.title
    try:
        services.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        messages.success(request, _("Removed “%(title)s”.") % {"title": title})
    return redirect("meetings:agenda_edit", pk=pk)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def agenda_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_run_get(user=request.user, pk=pk)
    try:
        services.agenda_publish(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, message(error))
        return redirect("meetings:agenda_edit", pk=pk)
    messages.success(request, _("The agenda is published to the meeting's audience."))
    return redirect("meetings:meeting_detail", pk=pk)

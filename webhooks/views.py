"""The webhooks pages of an agency administrator: their agency's endpoints, each with its delivery log.

Another agency's endpoint answers 404, as a missing one does. A new secret (on adding an endpoint, on
replacing its secret) is shown once, in the answer to that POST, never stored in the session and
never shown again; those answers are not cached.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from webhooks import selectors, services
from webhooks.forms import EndpointAddForm, EndpointEditForm
from webhooks.models import WebhookEndpoint

LOG_PAGE_SIZE = 25


@requires(Action.MANAGE_WEBHOOKS)
def endpoint_list(request: AuthenticatedRequest) -> HttpResponse:
    endpoints = selectors.endpoints_for(user=request.user)
    return render(request, "webhooks/endpoint_list.html", {"endpoints": endpoints})


@require_http_methods(["GET", "POST"])
@requires(Action.MANAGE_WEBHOOKS)
def endpoint_add(request: AuthenticatedRequest) -> HttpResponse:
    form = EndpointAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.webhook_endpoint_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            return _detail(request, endpoint, new_secret=endpoint.secret, created=True)
    status = 400 if request.method == "POST" else 200
    return render(request, "webhooks/endpoint_add.html", {"form": form}, status=status)


@requires(Action.MANAGE_WEBHOOKS, hide=True)
def endpoint_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.endpoint_get(user=request.user, pk=pk))


def _detail(
    request: AuthenticatedRequest, endpoint: WebhookEndpoint, *, new_secret: str = "", created: bool = False
) -> HttpResponse:
    page = Paginator(selectors.deliveries_of(endpoint=endpoint), LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "endpoint": endpoint,
        "page": page,
        "new_secret": new_secret,
        "created": created,
        "now": timezone.now(),
        "timeout": f"{settings.WEBHOOK_TIMEOUT:g}",
        "retry_delays": retry_delays_in_words(),
    }
    response = render(request, "webhooks/endpoint_detail.html", context)
    if new_secret:
        response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@requires(Action.MANAGE_WEBHOOKS, hide=True)
def endpoint_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_get(user=request.user, pk=pk)
    initial = {"description": endpoint.description, "events": endpoint.events}
    form = EndpointEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_endpoint_update(actor=request.user, endpoint=endpoint, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The endpoint is saved."))
            return redirect("webhooks:detail", pk=endpoint.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "webhooks/endpoint_edit.html", {"endpoint": endpoint, "form": form}, status=status)


@require_POST
@requires(Action.MANAGE_WEBHOOKS, hide=True)
def endpoint_test(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_get(user=request.user, pk=pk)
    try:
        services.webhook_test_send(actor=request.user, endpoint=endpoint)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("A test event was sent. Its result is at the top of the delivery log."))
    return redirect("webhooks:detail", pk=endpoint.pk)


@require_http_methods(["GET", "POST"])
@requires(Action.MANAGE_WEBHOOKS, hide=True)
def endpoint_rotate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST makes the new secret and shows it, once."""
    endpoint = selectors.endpoint_get(user=request.user, pk=pk)
    if request.method == "GET":
        grace_hours = f"{settings.WEBHOOK_SECRET_ROTATION_GRACE.total_seconds() / 3600:g}"
        return render(request, "webhooks/endpoint_rotate.html", {"endpoint": endpoint, "grace_hours": grace_hours})
    endpoint = services.webhook_secret_rotate(actor=request.user, endpoint=endpoint)
    return _detail(request, endpoint, new_secret=endpoint.secret)


@require_POST
@requires(Action.MANAGE_WEBHOOKS, hide=True)
def endpoint_enable(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    endpoint = selectors.endpoint_get(user=request.user, pk=pk)
    was_active = endpoint.is_active
    services.webhook_endpoint_enable(actor=request.user, endpoint=endpoint)
    if not was_active:
        messages.success(request, _("The endpoint is on again: new referral events will be sent to it."))
    return redirect("webhooks:detail", pk=endpoint.pk)


@require_http_methods(["GET", "POST"])
@requires(Action.MANAGE_WEBHOOKS, hide=True)
def endpoint_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST deletes the endpoint and its delivery log."""
    endpoint = selectors.endpoint_get(user=request.user, pk=pk)
    if request.method == "GET":
        return render(request, "webhooks/endpoint_delete.html", {"endpoint": endpoint})
    services.webhook_endpoint_delete(actor=request.user, endpoint=endpoint)
    messages.success(
        request, _("The endpoint to %(host)s is deleted. Nothing more is sent to it.") % {"host": endpoint.host}
    )
    return redirect("webhooks:list")


def retry_delays_in_words() -> str:
    """WEBHOOK_RETRY_SCHEDULE as the page says it: "30 seconds, 2 minutes and 1 hour" (in the active language)."""
    words = [_duration(delay.total_seconds()) for delay in settings.WEBHOOK_RETRY_SCHEDULE]
    if len(words) <= 1:
        return "".join(words)
    # Translators: the end of a list of delays, "30 seconds, 2 minutes and 1 hour".
    return _("%(items)s and %(last)s") % {"items": ", ".join(words[:-1]), "last": words[-1]}


def _duration(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        count = int(seconds // 3600)
        return ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count}
    if seconds >= 60 and seconds % 60 == 0:
        count = int(seconds // 60)
        return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}
    # A fraction of a second is possible in settings ("0.5 seconds"): ngettext's count is whole.
    return ngettext("%(count)s second", "%(count)s seconds", 1 if seconds == 1 else 2) % {"count": f"{seconds:g}"}


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """The service's refusals on the form, by box. A box the de-identification guard refused is
    emptied: what was typed is never sent back into the page."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    refused = [
        field
        for field, errors in error.error_dict.items()
        if field in form.fields and any(item.code == "identifier" for item in errors)
    ]
    if refused:
        # Bound to request.POST, a QueryDict: its copy keeps the boxes with several values (the events).
        data = form.data.copy() if isinstance(form.data, QueryDict) else {**form.data}
        for field in refused:
            data[field] = ""
        form.data = data
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)

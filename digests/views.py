from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from agencies.access import AuthenticatedRequest, requires
from agencies.models import User
from agencies.roles import Action
from digests import selectors, services
from digests.forms import DigestPreferenceForm, DigestSettingsForm
from digests.models import NOTIFICATION_SWITCHES, TaskForceDigestDefaults
from digests.rendering import unsubscribe_from_token
from digests.schedule import zone


def _fields(form: DigestSettingsForm, schedule: tuple[str, ...]) -> dict[str, object]:
    """The form's fields in the groups the page shows them in (fieldsets with legends)."""
    return {
        "schedule_fields": [form[name] for name in schedule],
        "switch_fields": [form[name] for name in NOTIFICATION_SWITCHES],
    }


def _add_errors(form: DigestSettingsForm, error: ValidationError) -> None:
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


@require_http_methods(["GET", "POST"])
@requires(Action.VIEW_TASKFORCE_CONTENT)
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user
    if request.method == "POST" and request.POST.get("action") == "reset":
        services.digest_preference_reset(actor=person)
        messages.success(request, _("You now follow the task force's email defaults."))
        return redirect("digests:preferences")
    own = selectors.preference_of(person)
    chosen = own or TaskForceDigestDefaults.current()
    initial = {**DigestPreferenceForm.initial_from(chosen), "time_zone": person.time_zone}
    form = DigestPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.digest_preference_update(actor=person, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your email preferences are saved."))
            return redirect("digests:preferences")
    context = {
        "form": form,
        "follows_defaults": own is None,
        "time_zone": zone(person.time_zone),
        **_fields(form, ("weekday", "hour", "time_zone")),
    }
    return render(request, "digests/preferences.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET"])
@requires(Action.VIEW_TASKFORCE_CONTENT)
def preview(request: AuthenticatedRequest) -> HttpResponse:
    person = request.user
    result = selectors.digest_preview(person=person, now=timezone.now())
    context = {"preview": result, "time_zone": zone(person.time_zone)}
    return render(request, "digests/preview.html", context)


@require_http_methods(["GET", "POST"])
@requires(Action.SET_DIGEST_DEFAULTS)
def defaults(request: AuthenticatedRequest) -> HttpResponse:
    current = TaskForceDigestDefaults.current()
    form = DigestSettingsForm(request.POST or None, initial=DigestSettingsForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        try:
            services.digest_defaults_update(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The task force's email defaults are saved."))
            return redirect("digests:defaults")
    context = {"form": form, "current": current, **_fields(form, ("weekday", "hour"))}
    return render(request, "digests/defaults.html", context, status=400 if form.errors else 200)


def _unsubscription(token: str) -> tuple[User, str, str] | None:
    """(person, stream, what it stops) for a valid link; None for a forged, altered or stale one."""
    found = unsubscribe_from_token(token)
    if found is None:
        return None
    person_id, stream = found
    try:
        label = services.stream_label(stream)
    except ValueError:  # a notification kind that no longer exists
        return None
    person = User.objects.filter(pk=person_id).first()
    return (person, stream, label) if person is not None else None


@csrf_exempt  # RFC 8058: mail providers POST the one-click request without cookies or a form token.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """Public: GET asks to confirm, POST (the button, or a mail provider's one-click) unsubscribes."""
    found = _unsubscription(token)
    if found is None:
        return render(request, "digests/unsubscribe_invalid.html", status=404)
    person, stream, label = found
    if request.method == "POST":
        services.digest_unsubscribe(person=person, stream=stream)
        return render(request, "digests/unsubscribe_done.html", {"label": label})
    return render(request, "digests/unsubscribe.html", {"label": label})

"""The public pages: public trainings, their feed, and the form to request a training.

The form is the portal's only public write: rate-limited per client address and in all, with a
honeypot field and a minimum time to fill it in. The pages carry the hotline and a quick exit.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meetings import ical, selectors, services, throttle
from meetings.forms import TrainingRequestForm
from meetings.models import Training
from meetings.views.common import add_errors, ics_response


def _public(request: HttpRequest, template: str, context: dict[str, object], status: int = 200) -> HttpResponse:
    context = {"quick_exit_url": settings.MEETINGS_QUICK_EXIT_URL, **context}
    # The site-wide Referrer-Policy (same-origin, SECURE_REFERRER_POLICY) already sends no referrer
    # to other sites, the quick exit's neutral site included. "no-referrer" here made Chromium post
    # this page's form with `Origin: null`, which CSRF checking rightly refuses.
    return render(request, template, context, status=status)


@require_GET
def public_training_list(request: HttpRequest) -> HttpResponse:
    trainings = selectors.trainings_for(user=AnonymousUser()).filter(
        cancelled_at__isnull=True, ends_at__gte=timezone.now()
    )
    return _public(request, "meetings/public_training_list.html", {"trainings": trainings[:100]})


def _public_training(pk: int) -> Training:
    # The public pages show public trainings only, whoever is signed in.
    return selectors.training_get(user=AnonymousUser(), pk=pk)


@require_GET
def public_training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _public(request, "meetings/public_training_detail.html", {"training": _public_training(pk)})


@require_GET
def public_training_ics(request: HttpRequest, pk: int) -> HttpResponse:
    training = _public_training(pk)
    calendar = ical.new_calendar(training.title)
    calendar.add_component(ical.training_component(training, public=True))
    return ics_response(calendar, filename=f"training-{training.pk}.ics", private=False)


@require_GET
def public_training_feed(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - timedelta(days=settings.MEETINGS_FEED_PAST_DAYS)
    trainings = selectors.trainings_for(user=AnonymousUser()).filter(ends_at__gte=since)
    calendar = ical.new_calendar(f"{settings.TASKFORCE_NAME}: public trainings")
    ical.add_trainings(calendar, trainings, public=True)
    return ics_response(calendar, filename="trainings.ics", download=False, private=False)


def _client(request: HttpRequest) -> str:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or "unknown"


def public_training_request(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _public(request, "meetings/public_training_request.html", {"form": TrainingRequestForm()})
    if not _within_limits(request):
        context = {"form": TrainingRequestForm(), "limited": True}
        return _public(request, "meetings/public_training_request.html", context, status=429)
    form = TrainingRequestForm(request.POST)
    if form.is_spam():
        # Robots get the same answer as people, so that they learn nothing; nothing is stored.
        return redirect("meetings:public_training_request_thanks")
    if form.is_valid() and _filled_by_a_person(form):
        try:
            services.training_request_submit(
                **{
                    name: form.cleaned_data[name]
                    for name in ("organization", "contact_email", "topic", "preferred_dates")
                }
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("meetings:public_training_request_thanks")
    return _public(request, "meetings/public_training_request.html", {"form": form.restamped()}, status=400)


def _within_limits(request: HttpRequest) -> bool:
    per_client = throttle.allow(key=f"treq:{_client(request)}", rate=settings.MEETINGS_TRAINING_REQUEST_RATE)
    overall = throttle.allow(key="treq:all", rate=settings.MEETINGS_TRAINING_REQUEST_GLOBAL_RATE)
    return per_client and overall


def _filled_by_a_person(form: TrainingRequestForm) -> bool:
    seconds = form.seconds_since_shown()
    if seconds is None:
        form.add_error(None, _("This form has expired. Check your details and send it again."))
        return False
    if seconds < settings.MEETINGS_TRAINING_REQUEST_MIN_SECONDS:
        form.add_error(None, _("The form was sent very quickly. Check your details and send it again."))
        return False
    return True


@require_GET
def public_training_request_thanks(request: HttpRequest) -> HttpResponse:
    return _public(request, "meetings/public_training_request_thanks.html", {})

"""The training calendar for members: offering, registering (with a waiting list), people trained."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.access import AuthenticatedRequest, requires
from agencies.models import Agency
from agencies.roles import Action
from meetings import ical, selectors, services
from meetings.choices import RegistrationStatus, TrainingSector
from meetings.forms import PeopleTrainedForm, TrainingForm
from meetings.models import Training
from meetings.views.common import add_errors, ics_response, message, posted
from toolkit.parsing import whole_number

# Fields the de-identification guard reads: a refused value is never sent back into the page.
_REFUSED = ("title", "description", "location")


@requires(Action.VIEW_TASKFORCE_CONTENT)
def training_list(request: AuthenticatedRequest) -> HttpResponse:
    past = request.GET.get("when") == "past"
    now = timezone.now()
    trainings = selectors.trainings_for(user=request.user)
    trainings = trainings.filter(ends_at__lt=now).order_by("-starts_at") if past else trainings.filter(ends_at__gte=now)
    sector = request.GET.get("sector", "")
    if sector in TrainingSector.values:
        trainings = trainings.filter(audiences__sector=sector)
    agency_id = whole_number(request.GET.get("agency", ""))
    if agency_id is not None:
        trainings = trainings.filter(host_agency_id=agency_id)
    context = {
        "trainings": trainings[:200],
        "past": past,
        "sector": sector,
        "sectors": TrainingSector.choices,
        "agency_id": agency_id,
        "agencies": Agency.objects.filter(is_active=True),
    }
    return render(request, "meetings/training_list.html", context)


def _detail(request: AuthenticatedRequest, training: Training, *, status: int = 200) -> HttpResponse:
    managed = Training.objects.managed_by(request.user).filter(pk=training.pk).exists()
    context = {
        "training": training,
        "managed": managed,
        "registrations": selectors.training_registrations(training=training) if managed else None,
        "people_trained": training.people_trained.all(),
        "started": training.starts_at <= timezone.now(),
    }
    return render(request, "meetings/training_detail.html", context, status=status)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def training_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.training_get(user=request.user, pk=pk))


@requires(Action.OFFER_TRAININGS)
def training_create(request: AuthenticatedRequest) -> HttpResponse:
    form = TrainingForm(posted(request), actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.training_offer(actor=request.user, data=form.to_input())
        except ValidationError as error:
            add_errors(form, error, refused=_REFUSED)
        else:
            messages.success(request, _("%(title)s is on the training calendar.") % {"title": training.title})
            return redirect("meetings:training_detail", pk=training.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/training_form.html", {"form": form}, status=status)


@requires(Action.OFFER_TRAININGS)
def training_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = selectors.training_managed_get(user=request.user, pk=pk)
    form = TrainingForm(posted(request), actor=request.user, training=training)
    if request.method == "POST" and form.is_valid():
        try:
            services.training_update(actor=request.user, training=training, data=form.to_input())
        except ValidationError as error:
            add_errors(form, error, refused=_REFUSED)
        else:
            messages.success(request, _("The training is updated."))
            return redirect("meetings:training_detail", pk=training.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/training_form.html", {"form": form, "training": training}, status=status)


@require_POST
@requires(Action.OFFER_TRAININGS)
def training_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = selectors.training_managed_get(user=request.user, pk=pk)
    services.training_cancel(actor=request.user, training=training)
    messages.success(request, _("The training is cancelled."))
    return redirect("meetings:training_detail", pk=pk)


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def training_register(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Answers with the training page itself: registering again is harmless, so no redirect is needed."""
    training = selectors.training_get(user=request.user, pk=pk)
    try:
        registration = services.training_register(actor=request.user, training=training)
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        messages.success(
            request,
            _("You are registered.")
            if registration.status == RegistrationStatus.REGISTERED
            else _("You are on the waiting list."),
        )
    return _detail(request, selectors.training_get(user=request.user, pk=pk))


@require_POST
@requires(Action.VIEW_TASKFORCE_CONTENT)
def training_unregister(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = selectors.training_get(user=request.user, pk=pk)
    try:
        services.training_unregister(actor=request.user, training=training)
    except ValidationError as error:
        messages.error(request, message(error))
    else:
        messages.success(request, _("Your registration is cancelled; your seat goes to the waiting list."))
    return _detail(request, selectors.training_get(user=request.user, pk=pk))


@requires(Action.OFFER_TRAININGS)
def training_people_trained(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = selectors.training_managed_get(user=request.user, pk=pk)
    form = PeopleTrainedForm(posted(request), training=training)
    if request.method == "POST" and form.is_valid():
        try:
            services.people_trained_record(actor=request.user, training=training, counts=form.counts())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("People trained are recorded for the grant report."))
            return redirect("meetings:training_detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/people_trained_form.html", {"training": training, "form": form}, status=status)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def training_ics(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    training = selectors.training_get(user=request.user, pk=pk)
    calendar = ical.new_calendar(training.title)
    calendar.add_component(ical.training_component(training))
    return ics_response(calendar, filename=f"training-{training.pk}.ics")

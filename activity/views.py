"""The "Activity figures" page: an agency's administrators and coordinators enter its quarter's figures."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from activity import selectors, services
from activity.choices import holders_of
from activity.forms import ActivityFiguresForm, QuarterPickForm
from activity.quarters import last_ended_quarter, quarter_parse, recent_quarters
from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from reports.periods import Period


@require_http_methods(["GET", "POST"])
@requires(Action.ENTER_ACTIVITY_FIGURES)
def figures(request: AuthenticatedRequest) -> HttpResponse:
    agency = request.user.member_agency  # `requires` lets in people of an agency only
    holders = holders_of(agency)
    if not holders:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "activity/figures.html", {"agency": agency, "holders": holders})
    quarter = _quarter(request)
    form = ActivityFiguresForm(
        request.POST if request.method == "POST" else None,
        holders=holders,
        figures=selectors.figures_of_quarter(agency=agency, quarter=quarter),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_figures_enter(agency=agency, period=quarter, values=form.values(), actor=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The figures of %(quarter)s are saved.") % {"quarter": quarter.label})
            return redirect(f"{reverse('activity:figures')}?quarter={quarter.slug}")
    context = {
        "agency": agency,
        "holders": holders,
        "quarter": quarter,
        "pick": QuarterPickForm(initial={"quarter": quarter.slug}, choices=_choices(quarter)),
        "form": form,
    }
    return render(request, "activity/figures.html", context, status=400 if request.method == "POST" else 200)


def _quarter(request: AuthenticatedRequest) -> Period:
    """The quarter in the address (?quarter=2025-q1), or the last one that ended. A malformed one, or one
    that has not begun, is a page that does not exist: nothing is ever saved to a quarter guessed at."""
    if "quarter" not in request.GET:
        if request.method == "POST":
            raise Http404  # the form always names its quarter
        return last_ended_quarter()
    quarter = quarter_parse(request.GET["quarter"])
    if quarter is None or quarter.start > timezone.localdate():
        raise Http404
    return quarter


def _choices(selected: Period) -> list[tuple[str, str]]:
    quarters = recent_quarters(8)
    if selected not in quarters:
        quarters.append(selected)  # an older quarter reached by its address
    return [(quarter.slug, quarter.label) for quarter in quarters]


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """The service's refusals on the form: by field where it names one of the form's boxes."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)

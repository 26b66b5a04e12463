"""The service directory's pages: every member reads it; an agency's administrators and coordinators edit
its profile and confirm its capacity (another agency's answers 404 to an agency administrator)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies.access import AuthenticatedRequest, requires
from agencies.roles import Action
from directory import selectors, services
from directory.forms import CapacityForm, DirectoryFilterForm, ServiceProfileForm
from directory.permissions import may_edit_profile


@requires(Action.VIEW_TASKFORCE_CONTENT)
def directory_list(request: AuthenticatedRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context = {"form": form, "profiles": [], "own": _own(request)}
        return render(request, "directory/directory.html", context, status=400)
    filters = selectors.DirectoryFilters(**form.cleaned_data) if form.is_bound else selectors.DirectoryFilters()
    profiles = selectors.profiles_for(user=request.user, filters=filters)
    context = {"form": form, "profiles": profiles, "filtered": form.is_bound, "own": _own(request)}
    return render(request, "directory/directory.html", context)


@requires(Action.VIEW_TASKFORCE_CONTENT)
def profile_detail(request: AuthenticatedRequest, agency_pk: int) -> HttpResponse:
    agency, profile = selectors.profile_of(user=request.user, agency_pk=agency_pk)
    context = {"agency": agency, "profile": profile, "may_edit": may_edit_profile(request.user, agency)}
    return render(request, "directory/profile_detail.html", context)


@require_http_methods(["GET", "POST"])
@requires(Action.EDIT_SERVICE_PROFILE, hide=True)
def profile_edit(request: AuthenticatedRequest, agency_pk: int) -> HttpResponse:
    agency = selectors.editable_agency_get(user=request.user, agency_pk=agency_pk)
    _agency, profile = selectors.profile_of(user=request.user, agency_pk=agency.pk)
    form = ServiceProfileForm(request.POST if request.method == "POST" else None, profile=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_profile_update(agency=agency, actor=request.user, values=form.values())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The service profile of %(agency)s is saved.") % {"agency": agency.name})
            return redirect("directory:detail", agency_pk=agency.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "directory/profile_edit.html", {"agency": agency, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@requires(Action.EDIT_SERVICE_PROFILE, hide=True)
def capacity_confirm(request: AuthenticatedRequest, agency_pk: int) -> HttpResponse:
    """GET asks to confirm (the status now, changeable); POST records it as confirmed today."""
    agency = selectors.editable_agency_get(user=request.user, agency_pk=agency_pk)
    _agency, profile = selectors.profile_of(user=request.user, agency_pk=agency.pk)
    initial = {"capacity": profile.capacity if profile else None}
    form = CapacityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.capacity_confirm(agency=agency, actor=request.user, capacity=form.cleaned_data["capacity"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Capacity of %(agency)s confirmed today.") % {"agency": agency.name})
            return redirect("directory:detail", agency_pk=agency.pk)
    status = 400 if request.method == "POST" else 200
    context = {"agency": agency, "profile": profile, "form": form}
    return render(request, "directory/capacity_confirm.html", context, status=status)


def _own(request: AuthenticatedRequest) -> int | None:
    """The person's agency, when they may edit its profile (the page offers the link)."""
    agency = request.user.agency
    return agency.pk if agency is not None and may_edit_profile(request.user, agency) else None


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    """The service's refusals on the form: by field where it names one of the form's boxes."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    refused = [f for f, errors in error.error_dict.items() if any(e.code == "identifier" for e in errors)]
    if refused and isinstance(form.data, QueryDict):
        data = form.data.copy()
        for field in refused:
            data[field] = ""  # never echo a refused value back into the page: the person retypes it
        form.data = data
    for field, field_messages in error.message_dict.items():
        if field in form.fields:
            form.add_error(field, field_messages)
        else:
            form.add_error(None, [f"{field.replace('_', ' ').capitalize()}: {m}" for m in field_messages])

"""Helpers shared by the views of this area."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext
from icalendar import Calendar

from meetings import ical


def message(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or gettext("Your role does not allow this.")


def add_errors(form: forms.Form, error: ValidationError, *, refused: tuple[str, ...] = ()) -> None:
    """Puts a service's errors on the form. Fields in `refused` are emptied: a value the
    de-identification guard refused is never sent back into the page."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        if field in refused:
            # A QueryDict stays one, so that the other fields' lists (checkboxes) survive.
            data = form.data.copy() if isinstance(form.data, QueryDict) else dict(form.data)
            data[field] = ""
            form.data = data
        target = field if field in form.fields else None
        if target and target in getattr(form, "cleaned_data", {}):
            del form.cleaned_data[target]
        form.add_error(target, field_messages)


def ics_response(calendar: Calendar, *, filename: str, download: bool = True, private: bool = True) -> HttpResponse:
    response = HttpResponse(ical.to_ics(calendar), content_type=ical.CONTENT_TYPE)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data to bind a form to, even when empty (then the form says what is missing)."""
    return request.POST if request.method == "POST" else None

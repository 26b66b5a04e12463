"""The endpoint forms. The service checks everything again (the API shares it): the form gives the boxes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from webhooks.addresses import URL_MAX_LENGTH
from webhooks.models import WebhookEvent
from webhooks.services import DESCRIPTION_MAX_LENGTH


def _events_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Events to send"),
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event to receive.")},
    )


def _description_field() -> forms.CharField:
    return forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("Which of your systems this is, for example: our case-management system. No case details."),
    )


class _AccessibleForm(forms.Form):
    """Ties each error to its box, so that a screen reader reads it with the box: the form's own errors,
    and those of the service, added after validation."""

    def full_clean(self) -> None:
        super().full_clean()
        self._describe_errors()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        self._describe_errors()

    def _describe_errors(self) -> None:
        for name in self.errors:
            if name in self.fields:
                described = [f"id_{name}_error"] + ([f"id_{name}_helptext"] if self.fields[name].help_text else [])
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


class EndpointAddForm(_AccessibleForm):
    url = forms.CharField(
        label=_("Endpoint address"),
        max_length=URL_MAX_LENGTH,
        help_text=_(
            "The HTTPS address where your system receives events, for example https://cms.example.org/hooks/portal."
        ),
        widget=forms.URLInput(attrs={"autocomplete": "url", "spellcheck": "false"}),
        error_messages={"required": _("Give the address of your system's endpoint, starting with https://.")},
    )
    description = _description_field()
    events = _events_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["events"].initial = list(WebhookEvent.values)


class EndpointEditForm(_AccessibleForm):
    description = _description_field()
    events = _events_field()

"""The announcement form. It reads and types the input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Sector
from home.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, Audience
from home.services import AnnouncementDraft

_GUARDED = {"data-deid-check": "true"}  # portal.js warns while typing; the service refuses on send


class AgencyChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.get_sector_display()})"


class AnnouncementForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=TITLE_MAX_LENGTH, widget=forms.TextInput(attrs={**_GUARDED, "autocomplete": "off"})
    )
    body = forms.CharField(
        label=_("Announcement"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={**_GUARDED, "rows": 8}),
        help_text=_(
            "Task-force business only: never a survivor's name, contact details or anything that identifies one."
        ),
    )
    audience = forms.ChoiceField(
        label=_("Who receives it"), choices=Audience.choices, initial=Audience.ALL, widget=forms.RadioSelect
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Choose a sector")), *Sector.choices], required=False,
        help_text=_("When it goes to the agencies of one sector."),
    )  # fmt: skip
    agencies = AgencyChoices(
        label=_("Agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("When it goes to chosen agencies."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Agency.objects.filter(is_active=True).order_by("name")

    def full_clean(self) -> None:
        super().full_clean()
        self._describe_errors()

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's refusals on the form: by field where it names one of the form's boxes."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
        else:
            for name, errors in error.error_dict.items():
                if any(e.code == "identifier" for e in errors):
                    self._forget(name)
                self.add_error(name if name in self.fields else None, [m for e in errors for m in e.messages])
        self._describe_errors()

    def _forget(self, name: str) -> None:
        """A value the de-identification guard refused is never sent back into the page."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
        data[name] = ""
        self.data = data
        if name in getattr(self, "cleaned_data", {}):
            del self.cleaned_data[name]

    def _describe_errors(self) -> None:
        # Tie each error to its box, so that a screen reader reads it with the box.
        for name in self.errors:
            if name in self.fields:
                described = [f"id_{name}_error"] + ([f"id_{name}_helptext"] if self.fields[name].help_text else [])
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)
                self.fields[name].widget.attrs["aria-invalid"] = "true"

    def draft(self) -> AnnouncementDraft:
        data = self.cleaned_data
        return AnnouncementDraft(
            title=data["title"],
            body=data["body"],
            audience=data["audience"],
            sector=data.get("sector") or "",
            agency_ids=tuple(agency.pk for agency in data.get("agencies") or ()),
        )

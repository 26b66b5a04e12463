"""The directory's forms: the filters, the profile (with a row per weekday for the hours), capacity."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.models import AfterHours, Capacity
from directory.vocabulary import WEEKDAYS, choices_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from directory.models import ServiceProfile

_ANY: list[tuple[str, Any]] = [("", _("Any"))]
_LIST_FIELDS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "needs": (_("Services offered"), _("The referral's needs your agency serves.")),
    "languages": (_("Languages staff speak with clients"), ""),
    "age_bands": (_("Ages served"), _("Tick none if you serve every age.")),
    "genders": (_("Genders served"), _("Tick none if you serve everyone.")),
    "trafficking_types": (_("Types of trafficking served"), _("Tick none if you serve survivors of any type.")),
    "citizenship": (_("Citizenship or immigration status served"), _("Tick none if you serve everyone.")),
}


class DirectoryFilterForm(forms.Form):
    need = forms.ChoiceField(label=_("Service"), required=False, choices=_ANY + choices_for("needs"))
    language = forms.ChoiceField(label=_("Language"), required=False, choices=_ANY + choices_for("languages"))
    county = forms.CharField(label=_("County served"), required=False, max_length=60)
    capacity = forms.ChoiceField(label=_("Capacity"), required=False, choices=_ANY + list(Capacity.choices))


class ServiceProfileForm(forms.Form):
    """Every field of the profile; the service validates the values again (the API sends the same)."""

    description = forms.CharField(
        label=_("What your agency offers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain words about your services. Never anything about a client."),
    )
    website = forms.CharField(label=_("Website"), required=False, widget=forms.URLInput)
    interpretation_available = forms.BooleanField(
        label=_("We arrange interpreters for other languages"), required=False
    )
    counties = forms.CharField(
        label=_("Counties served"),
        required=False,
        help_text=_("County names separated by commas. Leave empty if you serve every county."),
    )
    after_hours = forms.ChoiceField(label=_("After hours"), choices=AfterHours.choices, widget=forms.RadioSelect)
    intake_role = forms.CharField(
        label=_("Whom to call for a hand-off"),
        required=False,
        max_length=120,
        help_text=_("A role, like Intake coordinator."),
    )
    intake_phone = forms.CharField(
        label=_("Intake phone"), required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    intake_email = forms.CharField(label=_("Intake email"), required=False, widget=forms.EmailInput)
    after_hours_phone = forms.CharField(
        label=_("After-hours phone"), required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    contacts_internal = forms.BooleanField(
        label=_("Show these contacts to task-force members only (never in the public directory)"), required=False
    )
    requires_release = forms.BooleanField(
        label=_("We take referrals only with a signed release, whoever sends them"), required=False
    )
    capacity = forms.ChoiceField(
        label=_("Can you take referrals now?"), choices=Capacity.choices, widget=forms.RadioSelect
    )
    public = forms.BooleanField(
        label=_("List our services in the public directory (Open Referral export for 211)"),
        required=False,
        help_text=_("Never the capacity status; contacts only if they are not marked members-only."),
    )

    def __init__(self, data: Any = None, *, profile: ServiceProfile | None = None) -> None:
        super().__init__(data, initial=_initial(profile))
        for name, (label, help_text) in _LIST_FIELDS.items():
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                required=False,
                choices=choices_for(name),
                help_text=help_text,
                widget=forms.CheckboxSelectMultiple,
            )
        for weekday, day in WEEKDAYS.items():
            for end, word in (("opens", gettext("%(day)s: opens")), ("closes", gettext("%(day)s: closes"))):
                self.fields[f"{end}_{weekday}"] = forms.CharField(
                    label=word % {"day": day},
                    required=False,
                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                )

    def full_clean(self) -> None:
        super().full_clean()
        # Tie each error to its box, so that a screen reader reads it with the box.
        for name in self.errors:
            if name in self.fields:
                described = [f"id_{name}_error"] + ([f"id_{name}_helptext"] if self.fields[name].help_text else [])
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for weekday, day in WEEKDAYS.items():
            opens, closes = data.get(f"opens_{weekday}", ""), data.get(f"closes_{weekday}", "")
            if bool(opens) != bool(closes):
                message = gettext("%(day)s: give both the opening and the closing time, or neither.") % {"day": day}
                self.add_error(f"opens_{weekday}", message)
        return data

    def hours_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(str(day), self[f"opens_{weekday}"], self[f"closes_{weekday}"]) for weekday, day in WEEKDAYS.items()]

    def values(self) -> dict[str, Any]:
        """The profile's fields as the service takes them."""
        data = self.cleaned_data
        values = {name: data[name] for name in data if not re.match(r"^(opens|closes)_\d$", name)}
        values["counties"] = [c for c in re.split(r"[,\n;]", data.get("counties", "")) if c.strip()]
        values["hours"] = [
            {"weekday": weekday, "opens": data[f"opens_{weekday}"], "closes": data[f"closes_{weekday}"]}
            for weekday in WEEKDAYS
            if data.get(f"opens_{weekday}")
        ]
        return values


class CapacityForm(forms.Form):
    capacity = forms.ChoiceField(label=_("Capacity now"), choices=Capacity.choices, widget=forms.RadioSelect)


def _initial(profile: ServiceProfile | None) -> dict[str, Any]:
    if profile is None:
        return {"after_hours": AfterHours.NONE, "capacity": Capacity.ACCEPTING, "contacts_internal": True}
    initial: dict[str, Any] = {
        name: getattr(profile, name)
        for name in (
            "description",
            "website",
            "interpretation_available",
            "after_hours",
            "intake_role",
            "intake_phone",
            "intake_email",
            "after_hours_phone",
            "contacts_internal",
            "requires_release",
            "capacity",
            "public",
            *_LIST_FIELDS,
        )
    }
    initial["counties"] = ", ".join(profile.counties)
    for row in profile.hours:
        initial[f"opens_{row['weekday']}"] = row["opens"]
        initial[f"closes_{row['weekday']}"] = row["closes"]
    return initial

"""The directory's forms: the filters, the profile (with a row per weekday for the hours), capacity."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms

from directory.models import AfterHours, Capacity
from directory.vocabulary import WEEKDAYS, choices_for

if TYPE_CHECKING:
    from directory.models import ServiceProfile

_ANY = [("", "Any")]
_LIST_FIELDS = {
    "needs": ("Services offered", "The referral's needs your agency serves."),
    "languages": ("Languages staff speak with clients", ""),
    "age_bands": ("Ages served", "Tick none if you serve every age."),
    "genders": ("Genders served", "Tick none if you serve everyone."),
    "trafficking_types": ("Types of trafficking served", "Tick none if you serve survivors of any type."),
    "citizenship": ("Citizenship or immigration status served", "Tick none if you serve everyone."),
}


class DirectoryFilterForm(forms.Form):
    need = forms.ChoiceField(label="Service", required=False, choices=_ANY + choices_for("needs"))
    language = forms.ChoiceField(label="Language", required=False, choices=_ANY + choices_for("languages"))
    county = forms.CharField(label="County served", required=False, max_length=60)
    capacity = forms.ChoiceField(label="Capacity", required=False, choices=_ANY + list(Capacity.choices))


class ServiceProfileForm(forms.Form):
    """Every field of the profile; the service validates the values again (the API sends the same)."""

    description = forms.CharField(
        label="What your agency offers",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain words about your services. Never anything about a client.",
    )
    website = forms.CharField(label="Website", required=False, widget=forms.URLInput)
    interpretation_available = forms.BooleanField(label="We arrange interpreters for other languages", required=False)
    counties = forms.CharField(
        label="Counties served",
        required=False,
        help_text="County names separated by commas. Leave empty if you serve every county.",
    )
    after_hours = forms.ChoiceField(label="After hours", choices=AfterHours.choices, widget=forms.RadioSelect)
    intake_role = forms.CharField(
        label="Whom to call for a hand-off",
        required=False,
        max_length=120,
        help_text="A role, like Intake coordinator.",
    )
    intake_phone = forms.CharField(
        label="Intake phone", required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    intake_email = forms.CharField(label="Intake email", required=False, widget=forms.EmailInput)
    after_hours_phone = forms.CharField(
        label="After-hours phone", required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    contacts_internal = forms.BooleanField(
        label="Show these contacts to task-force members only (never in the public directory)", required=False
    )
    requires_release = forms.BooleanField(
        label="We take referrals only with a signed release, whoever sends them", required=False
    )
    capacity = forms.ChoiceField(
        label="Can you take referrals now?", choices=Capacity.choices, widget=forms.RadioSelect
    )
    public = forms.BooleanField(
        label="List our services in the public directory (Open Referral export for 211)",
        required=False,
        help_text="Never the capacity status; contacts only if they are not marked members-only.",
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
            for end, word in (("opens", "Opens"), ("closes", "Closes")):
                self.fields[f"{end}_{weekday}"] = forms.CharField(
                    label=f"{day}: {word.lower()}",
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
                self.add_error(f"opens_{weekday}", f"{day}: give both the opening and the closing time, or neither.")
        return data

    def hours_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [(day, self[f"opens_{weekday}"], self[f"closes_{weekday}"]) for weekday, day in WEEKDAYS.items()]

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
    capacity = forms.ChoiceField(label="Capacity now", choices=Capacity.choices, widget=forms.RadioSelect)


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

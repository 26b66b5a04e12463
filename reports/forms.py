from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from reports.measures import grouped_choices
from reports.models import ExportFormat
from reports.periods import FIRST_YEAR, Period, PeriodKind, period_build
from reports.releases import check_publishable
from reports.services import BACKGROUND_FORMATS

QUARTERS = [
    ("1", "Q1: January-March"),
    ("2", "Q2: April-June"),
    ("3", "Q3: July-September"),
    ("4", "Q4: October-December"),
]
HALVES = [("1", "January-June"), ("2", "July-December")]


def _years() -> list[tuple[str, str]]:
    latest = timezone.localdate().year + 1
    return [(str(year), str(year)) for year in range(latest, FIRST_YEAR - 1, -1)]


class ReportForm(forms.Form):
    """A period and the measures. Fields that do not apply to the chosen kind of period are ignored."""

    kind = forms.ChoiceField(label="Kind of period", choices=PeriodKind.choices, widget=forms.RadioSelect)
    year = forms.TypedChoiceField(label="Year", coerce=int, empty_value=None, required=False, choices=_years)
    quarter = forms.TypedChoiceField(label="Quarter", coerce=int, empty_value=None, required=False, choices=QUARTERS)
    half = forms.TypedChoiceField(label="Half-year", coerce=int, empty_value=None, required=False, choices=HALVES)
    start = forms.DateField(label="First day", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="Last day", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    measures = forms.MultipleChoiceField(
        label="Measures",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one measure."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measures"].choices = grouped_choices()
        today = timezone.localdate()
        self.fields["year"].initial = str(today.year)
        self.fields["quarter"].initial = str((today.month - 1) // 3 + 1)
        self.fields["half"].initial = "1" if today.month <= 6 else "2"
        self.fields["kind"].initial = PeriodKind.QUARTER

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        part = data.get("quarter") if kind == PeriodKind.QUARTER else data.get("half")
        try:
            data["period"] = period_build(
                kind=kind, year=data.get("year"), part=part, start=data.get("start"), end=data.get("end")
            )
            check_publishable(data["period"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = {"part": "quarter" if kind == PeriodKind.QUARTER else "half"}.get(field, field)
                if kind != PeriodKind.CUSTOM and field in ("start", "end"):
                    target = None  # a quarter, half or year not published yet: the message is the form's
                self.add_error(target, messages)
        return data

    @property
    def period(self) -> Period:
        return self.cleaned_data["period"]

    def measure_groups(self) -> list[tuple[str, list[Any]]]:
        """The checkboxes by group, for one fieldset each."""
        boxes = {box.data["value"]: box for box in self["measures"]}
        return [(group, [boxes[key] for key, _ in options]) for group, options in grouped_choices()]


class ExportForm(forms.Form):
    report = forms.IntegerField(min_value=1)
    format = forms.ChoiceField(choices=[(f.value, f.label) for f in ExportFormat if f in BACKGROUND_FORMATS])


class ApproveForm(forms.Form):
    report = forms.IntegerField(min_value=1)
    reviewed = forms.CharField(max_length=64, min_length=64)

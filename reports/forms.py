from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.funder import funder_templates
from reports.measures import grouped_choices
from reports.models import ExportFormat
from reports.periods import FIRST_YEAR, Period, PeriodKind, period_build, period_from_slug
from reports.releases import check_publishable, quarter_of, quarters_before
from reports.services import BACKGROUND_FORMATS, check_template

QUARTERS = [
    ("1", gettext_lazy("Q1: January-March")),
    ("2", gettext_lazy("Q2: April-June")),
    ("3", gettext_lazy("Q3: July-September")),
    ("4", gettext_lazy("Q4: October-December")),
]
HALVES = [("1", gettext_lazy("January-June")), ("2", gettext_lazy("July-December"))]


def _years() -> list[tuple[str, str]]:
    latest = timezone.localdate().year + 1
    return [(str(year), str(year)) for year in range(latest, FIRST_YEAR - 1, -1)]


class ReportForm(forms.Form):
    """A period and the measures. Fields that do not apply to the chosen kind of period are ignored."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of period"), choices=PeriodKind.choices, widget=forms.RadioSelect)
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), coerce=int, empty_value=None, required=False, choices=_years
    )
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("Quarter"), coerce=int, empty_value=None, required=False, choices=QUARTERS
    )
    half = forms.TypedChoiceField(
        label=gettext_lazy("Half-year"), coerce=int, empty_value=None, required=False, choices=HALVES
    )
    start = forms.DateField(
        label=gettext_lazy("First day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    template = forms.ChoiceField(
        label=gettext_lazy("Award's form (for the funder copy)"),
        required=False,
        help_text=gettext_lazy(
            "The funder copy lays the exact figures out as this form asks for them; its measures are added."
        ),
    )
    measures = forms.MultipleChoiceField(
        label=gettext_lazy("Measures"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one measure.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measures = self.fields["measures"]
        assert isinstance(measures, forms.MultipleChoiceField)
        measures.choices = grouped_choices()
        template = self.fields["template"]
        assert isinstance(template, forms.ChoiceField)
        template.choices = [("", _("None: partner copy only")), *template_choices()]
        today = timezone.localdate()
        self.fields["year"].initial = str(today.year)
        self.fields["quarter"].initial = str((today.month - 1) // 3 + 1)
        self.fields["half"].initial = "1" if today.month <= 6 else "2"
        self.fields["kind"].initial = PeriodKind.QUARTER

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = data.get("kind")
        if not kind:
            return data
        part = data.get("quarter") if kind == PeriodKind.QUARTER else data.get("half")
        try:
            data["period"] = period_build(
                kind=kind, year=data.get("year"), part=part, start=data.get("start"), end=data.get("end")
            )
            check_publishable(data["period"])
            check_template(template=data.get("template") or "", period=data["period"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target: str | None = {"part": "quarter" if kind == PeriodKind.QUARTER else "half"}.get(field, field)
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


def template_choices() -> list[tuple[str, str]]:
    return [(template.key, template.title) for template in funder_templates()]


def recent_periods(*, count: int = 12, today: date | None = None) -> list[Period]:
    """The last `count` quarters that have begun and the half-years they fall in, newest first."""
    quarters = [quarter_of(today or timezone.localdate())]
    while len(quarters) < count:
        quarters.append(quarters_before(quarters[-1], 1))
    halves = {
        period_build(kind=PeriodKind.HALF, year=q.start.year, part=1 if q.start.month <= 6 else 2) for q in quarters
    }
    return sorted([*quarters, *halves], key=lambda period: period.start, reverse=True)


class FunderPickForm(forms.Form):
    """The grant manager's workflow: the award's form and its period (a quarter or a half-year, by slug)."""

    template = forms.ChoiceField(label=gettext_lazy("Award's form"), choices=template_choices)
    period = forms.ChoiceField(label=gettext_lazy("Period"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        periods = recent_periods()
        period.choices = [
            (_("Quarters"), [(p.slug, p.label) for p in periods if p.kind == PeriodKind.QUARTER]),
            (_("Half-years"), [(p.slug, p.label) for p in periods if p.kind == PeriodKind.HALF]),
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        chosen = period_from_slug(data.get("period") or "")
        if "period" in data and chosen is None:
            self.add_error("period", _("Choose a quarter or a half-year from the list."))
        elif chosen is not None and data.get("template"):
            try:
                check_template(template=data["template"], period=chosen)
            except ValidationError as error:
                self.add_error("period", error.message_dict["template"])
            data["period_obj"] = chosen
        return data

    @property
    def chosen_period(self) -> Period:
        return self.cleaned_data["period_obj"]


class TemplateForm(forms.Form):
    report = forms.IntegerField(min_value=1)
    template = forms.ChoiceField(choices=template_choices)


class RemindForm(forms.Form):
    check = forms.CharField(max_length=40)
    agency = forms.IntegerField(min_value=1)
    period = forms.CharField(max_length=10)
    template = forms.CharField(max_length=40)

    def clean_period(self) -> Period:
        period = period_from_slug(self.cleaned_data["period"])
        if period is None:
            raise ValidationError(_("Choose a quarter or a half-year."))
        return period


class ExportForm(forms.Form):
    report = forms.IntegerField(min_value=1)
    format = forms.ChoiceField(choices=[(f.value, f.label) for f in ExportFormat if f in BACKGROUND_FORMATS])


class ApproveForm(forms.Form):
    report = forms.IntegerField(min_value=1)
    reviewed = forms.CharField(max_length=64, min_length=64)

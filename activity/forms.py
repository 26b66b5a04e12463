"""The entry form: one whole number per measure the agency holds, grouped as the agency knows them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activity.choices import HOLDER_HEADINGS, HOLDERS, MAX_VALUE, Holder
from agencies.templatetags.times import format_moment

if TYPE_CHECKING:
    from activity.models import ActivityFigure


class QuarterPickForm(forms.Form):
    quarter = forms.ChoiceField(label=gettext_lazy("Quarter"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["quarter"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ActivityFiguresForm(forms.Form):
    """Every measure of the agency is required: a zero is a figure too, and an empty box is not one."""

    def __init__(
        self, *args: Any, holders: tuple[Holder, ...], figures: dict[str, ActivityFigure], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list[str]]] = []
        for holder in holders:
            names = [measure.value for measure in HOLDERS[holder]]
            self.groups.append((str(HOLDER_HEADINGS[holder]), names))
            for measure in HOLDERS[holder]:
                figure = figures.get(measure.value)
                self.fields[measure.value] = forms.IntegerField(
                    label=measure.label,
                    min_value=0,
                    max_value=MAX_VALUE,
                    initial=figure.value if figure else None,
                    help_text=_entered(figure),
                    error_messages={"required": _("Give a number; enter 0 if there were none.")},
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )

    def full_clean(self) -> None:
        super().full_clean()
        # Tie each error to its box, so that a screen reader reads it with the box (Django ties the help only).
        for name in self.errors:
            if name in self.fields:
                described = [f"id_{name}_error"] + ([f"id_{name}_helptext"] if self.fields[name].help_text else [])
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)

    def has_field_errors(self) -> bool:
        return any(name in self.fields for name in self.errors)

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(heading, [self[name] for name in names]) for heading, names in self.groups]

    def values(self) -> dict[str, int]:
        return dict(self.cleaned_data)


def _entered(figure: ActivityFigure | None) -> str:
    if figure is None:
        return _("Not entered yet.")
    text = _("Entered by %(person)s on %(moment)s.") % {
        "person": _name(figure.entered_by),
        "moment": format_moment(figure.entered_at),
    }
    if figure.corrected_by is not None and figure.corrected_at is not None:
        text += " " + _("Last corrected by %(person)s on %(moment)s.") % {
            "person": _name(figure.corrected_by),
            "moment": format_moment(figure.corrected_at),
        }
    return text


def _name(person: Any) -> str:
    return person.get_full_name() or person.email

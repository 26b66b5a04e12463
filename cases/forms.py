from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from agencies.models import Agency, User
from cases import choices
from cases.models import CODED_FIELDS, NOTE_MAX_LENGTH, Referral
from cases.services import CONSENT_DEFAULT_DAYS, ConsentInput

_GUARDED = {"data-deid-check": "true"}
_NOTE_HELP = (
    "Optional. Coded facts only: never a name, contact detail, address, date of birth, ID or case number. "
    "Make the warm hand-off by phone."
)


class ReferralForm(forms.ModelForm):
    receiving_agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Send to")
    needs = forms.MultipleChoiceField(choices=choices.Need.choices, widget=forms.CheckboxSelectMultiple, label="Needs")
    consent_method = forms.ChoiceField(
        choices=choices.ConsentMethod.choices, required=False, label="How consent was given"
    )
    consent_given_on = forms.DateField(
        required=False, label="Consent given on", widget=forms.DateInput(attrs={"type": "date"})
    )
    consent_scope = forms.ChoiceField(
        choices=choices.ConsentScope.choices, required=False, label="What the survivor agreed to share"
    )
    consent_expires_on = forms.DateField(
        required=False,
        label="Consent expires on",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=f"Consent must be time-limited; the default is {CONSENT_DEFAULT_DAYS} days, at most a year.",
    )

    class Meta:
        model = Referral
        fields = [
            "receiving_agency",
            *CODED_FIELDS,
            "needs",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={**_GUARDED, "rows": 4, "maxlength": NOTE_MAX_LENGTH})}
        help_texts = {"note": _NOTE_HELP, "county": "County only, never a city, street or ZIP code."}
        labels = {"victim_status": "Potential or confirmed victim", "interpreter_needed": "Needs an interpreter"}

    def __init__(self, *args: object, actor: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.needs_consent = actor.agency.is_confidential_provider
        self.fields["receiving_agency"].queryset = Agency.objects.filter(is_active=True).exclude(pk=actor.agency_id)
        self.fields["county"].initial = actor.agency.county
        today = timezone.localdate()
        self.fields["consent_given_on"].initial = today
        self.fields["consent_expires_on"].initial = today + timedelta(days=CONSENT_DEFAULT_DAYS)
        if self.needs_consent:
            for name in ("consent_method", "consent_given_on", "consent_scope", "consent_expires_on"):
                self.fields[name].required = True

    def _post_clean(self) -> None:
        # The form never saves the model: referral_send validates the whole referral and runs the
        # de-identification guard (which audits refusals), so model validation is not repeated here.
        return None

    def consent_input(self) -> ConsentInput | None:
        if not self.needs_consent:
            return None
        data = self.cleaned_data
        return ConsentInput(
            method=data["consent_method"],
            given_on=data["consent_given_on"],
            scope=data["consent_scope"],
            expires_on=data["consent_expires_on"],
        )

    def facts(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name not in ("receiving_agency", "needs")}


class TransitionForm(forms.Form):
    move = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(required=False)
    note = forms.CharField(
        required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={**_GUARDED, "rows": 2})
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={**_GUARDED, "rows": 3}),
        help_text="Seen by both agencies. No identifying details.",
    )

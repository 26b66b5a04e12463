from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from agencies.models import Agency, User
from cases import choices
from cases.models import CODED_FIELDS, NOTE_MAX_LENGTH, Referral
from cases.person_codes import EXAMPLE, MAX_LENGTH
from cases.services import CONSENT_DEFAULT_DAYS, ConsentInput

_GUARDED = {"data-deid-check": "true"}
_NOTE_HELP = (
    "Optional. Coded facts only: never a name, contact detail, address, date of birth, ID or case number. "
    "Make the warm hand-off by phone."
)


NEW_PERSON, KNOWN_PERSON = "new", "known"


class ReferralForm(forms.ModelForm):
    receiving_agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Send to")
    # Not required: a form sent without it (older clients, scripts) is about a new person, as the page preselects.
    person = forms.ChoiceField(
        choices=[
            (NEW_PERSON, "A person new to the task force: the portal issues a person code"),
            (KNOWN_PERSON, "A person who already has a person code"),
        ],
        widget=forms.RadioSelect,
        required=False,
        initial=NEW_PERSON,
        label="Who is referred",
    )
    person_code = forms.CharField(
        required=False,
        max_length=MAX_LENGTH + 6,  # room for spaces a person may type
        label="Person code",
        help_text=f"From your own records, for example {EXAMPLE}; or the code on the referral your agency "
        "received, when you refer the person onward.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}),
    )
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

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        agency, receiving = actor.agency, self.fields["receiving_agency"]
        # Only a person of an agency may send referrals (User.can), so the sender has one.
        assert agency is not None and isinstance(receiving, forms.ModelChoiceField)
        self.needs_consent = agency.is_confidential_provider
        receiving.queryset = Agency.objects.filter(is_active=True).exclude(pk=agency.pk)
        self.fields["county"].initial = agency.county
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

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        known, typed = data.get("person") == KNOWN_PERSON, (data.get("person_code") or "").strip()
        if known and not typed:
            self.add_error("person_code", "Type the person code from your records.")
        if typed and not known:
            self.add_error(
                "person_code", "You chose a person new to the task force: clear the code, or choose the other option."
            )
        return data

    def person_code_input(self) -> str | None:
        """The code typed for a person who has one; None for a new person (the portal issues a code)."""
        return self.cleaned_data["person_code"].strip() if self.cleaned_data.get("person") == KNOWN_PERSON else None

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


_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-\d{2})?")


class ServiceDeliveryForm(forms.Form):
    services = forms.MultipleChoiceField(
        choices=choices.Need.choices, widget=forms.CheckboxSelectMultiple, label="Services provided"
    )
    month = forms.CharField(
        label="Month provided",
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text="The month only: reports count people served by service and month.",
    )

    def clean_month(self) -> date:
        found = _MONTH.fullmatch(self.cleaned_data["month"].strip())
        try:
            if found:
                return date(int(found[1]), int(found[2]), 1)
        except ValueError:  # a month 13
            pass
        raise forms.ValidationError("Give a month such as 2025-03.")

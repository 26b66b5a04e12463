from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, User
from cases import choices, selectors
from cases.deidentification import find_identifiers
from cases.models import CODED_FIELDS, NOTE_MAX_LENGTH, Referral
from cases.person_codes import EXAMPLE, MAX_LENGTH
from cases.services import CONSENT_DEFAULT_DAYS, ConsentInput
from cases.suggestions import ReferralFacts

# portal.js warns while typing; text_check.js asks the guard on submit and keeps the text (cases/text_check.py).
_GUARDED = {"data-deid-check": "true", "data-text-check": "true"}
_NOTE_HELP = _(
    "Optional. Coded facts only: never a name, contact detail, address, date of birth, ID or case number. "
    "Make the warm hand-off by phone."
)


NEW_PERSON, KNOWN_PERSON = "new", "known"
COUNTY_OPTIONS = "county-options"  # the id of the page's <datalist> of counties


class ReferralForm(forms.ModelForm):
    receiving_agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Send to"))
    # Not required: a form sent without it (older clients, scripts) is about a new person, as the page preselects.
    person = forms.ChoiceField(
        choices=[
            (NEW_PERSON, _("A person new to the task force: the portal issues a person code")),
            (KNOWN_PERSON, _("A person who already has a person code")),
        ],
        widget=forms.RadioSelect,
        required=False,
        initial=NEW_PERSON,
        label=_("Who is referred"),
    )
    person_code = forms.CharField(
        required=False,
        max_length=MAX_LENGTH + 6,  # room for spaces a person may type
        label=_("Person code"),
        help_text=format_lazy(
            _(
                "From your own records, for example {example}; or the code on the referral your agency "
                "received, when you refer the person onward."
            ),
            example=EXAMPLE,
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}),
    )
    needs = forms.MultipleChoiceField(
        choices=choices.Need.choices, widget=forms.CheckboxSelectMultiple, label=_("Needs")
    )
    consent_method = forms.ChoiceField(
        choices=choices.ConsentMethod.choices, required=False, label=_("How consent was given")
    )
    consent_given_on = forms.DateField(
        required=False, label=_("Consent given on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    consent_scope = forms.ChoiceField(
        choices=choices.ConsentScope.choices, required=False, label=_("What the survivor agreed to share")
    )
    consent_expires_on = forms.DateField(
        required=False,
        label=_("Consent expires on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=format_lazy(
            _("Consent must be time-limited; the default is {days} days, at most a year."), days=CONSENT_DEFAULT_DAYS
        ),
    )

    class Meta:
        model = Referral
        fields = [
            "receiving_agency",
            *CODED_FIELDS,
            "needs",
            "note",
        ]
        widgets = {
            "note": forms.Textarea(attrs={**_GUARDED, "rows": 4, "maxlength": NOTE_MAX_LENGTH}),
            # The member agencies' counties are offered (a <datalist> on the page): the suggestions match on them.
            "county": forms.TextInput(attrs={"list": COUNTY_OPTIONS, "autocomplete": "off"}),
        }
        help_texts = {"note": _NOTE_HELP, "county": _("County only, never a city, street or ZIP code.")}
        # Here rather than as the model's verbose names, which would need a migration for a label.
        labels = {
            "urgency": _("Urgency"),
            "trafficking_type": _("Trafficking type"),
            "victim_status": _("Potential or confirmed victim"),
            "age_band": _("Age band"),
            "gender": _("Gender"),
            "citizenship": _("Citizenship"),
            "county": _("County"),
            "language": _("Language"),
            "interpreter_needed": _("Needs an interpreter"),
            "source_type": _("Source type"),
            "note": _("Note"),
        }

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor
        agency, receiving = actor.agency, self.fields["receiving_agency"]
        # Only a person of an agency may send referrals (User.can), so the sender has one.
        assert agency is not None and isinstance(receiving, forms.ModelChoiceField)
        self.needs_consent = agency.is_confidential_provider
        receiving.queryset = self.receivers(actor=actor)
        self.fields["county"].initial = agency.county
        today = timezone.localdate()
        self.fields["consent_given_on"].initial = today
        self.fields["consent_expires_on"].initial = today + timedelta(days=CONSENT_DEFAULT_DAYS)
        if self.needs_consent:
            for name in ("consent_method", "consent_given_on", "consent_scope", "consent_expires_on"):
                self.fields[name].required = True

    @staticmethod
    def receivers(*, actor: User) -> QuerySet[Agency]:
        """Every active agency but the sender's: a referral may go to any of them, suggested or not."""
        if actor.agency_id is None:  # no one of no agency sends referrals (User.can)
            return Agency.objects.none()
        return Agency.objects.filter(is_active=True).exclude(pk=actor.agency_id)

    def _post_clean(self) -> None:
        # The form never saves the model: referral_send validates the whole referral and runs the
        # de-identification guard (which audits refusals), so model validation is not repeated here.
        return None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        known, typed = data.get("person") == KNOWN_PERSON, (data.get("person_code") or "").strip()
        if known and not typed:
            self.add_error("person_code", gettext("Type the person code from your records."))
        if typed and not known:
            self.add_error(
                "person_code",
                gettext("You chose a person new to the task force: clear the code, or choose the other option."),
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

    @classmethod
    def kept(cls, data: QueryDict, *, actor: User, receiver: str = "") -> ReferralForm:
        """The form shown again with what was typed, unvalidated and not sent: after "Show suggested agencies"
        or a suggestion's "Choose" (`receiver`, the chosen agency's id). No field says "required" at a
        person who only asked for suggestions. A note the guard would refuse is not sent back: it is
        cleared, and the guard's message (which never repeats the value) says why."""
        multiple = {name for name, field in cls.base_fields.items() if isinstance(field, forms.MultipleChoiceField)}
        initial: dict[str, Any] = {
            name: data.getlist(name) if name in multiple else data.get(name, "")
            for name in cls.base_fields
            if name in data
        }
        initial["interpreter_needed"] = "interpreter_needed" in data
        if receiver:
            initial["receiving_agency"] = receiver
        findings = find_identifiers(initial.get("note", ""))
        if findings:
            initial["note"] = ""
        form = cls(initial=initial, actor=actor)
        if findings:
            form.errors["note"] = form.error_class([finding.message() for finding in findings])
        return form


_ANY = ("", _("Any"))
ALL_STATUSES = "all"


class ReferralListFilterForm(forms.Form):
    """The referral list's filters (a GET form). Without any status the list shows the open referrals (every
    status when a reference code is given); "all" shows every status. Dates are local days: "on or after"
    includes the day, "before" does not (as the API's created_after and created_before given a date)."""

    status = forms.MultipleChoiceField(
        choices=[(ALL_STATUSES, _("All statuses")), *choices.Status.choices],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Status"),
    )
    urgency = forms.ChoiceField(choices=[_ANY, *choices.Urgency.choices], required=False, label=_("Urgency"))
    age_band = forms.ChoiceField(choices=[_ANY, *choices.AgeBand.choices], required=False, label=_("Age band"))
    need = forms.ChoiceField(choices=[_ANY, *choices.Need.choices], required=False, label=_("Need"))
    created_after = forms.DateField(
        required=False, label=_("Sent on or after"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    created_before = forms.DateField(
        required=False, label=_("Sent before"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reference = forms.CharField(
        required=False,
        max_length=20,
        label=_("Reference code"),
        help_text=_("The whole code or its beginning, for example JC-2026."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "mono"}),
    )
    escalated = forms.BooleanField(
        required=False,
        label=_("Escalated only"),
        widget=forms.CheckboxInput(attrs={"value": "yes"}),
    )

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip()
        if reference and not selectors.REFERENCE_PREFIX.fullmatch(reference):
            raise forms.ValidationError(
                gettext("A reference code holds letters, digits and hyphens only, for example JC-2026-00012.")
            )
        return reference

    def clean_escalated(self) -> bool:
        if self.data.get("escalated", "yes") not in ("yes", ""):
            raise forms.ValidationError(gettext('Tick the box, or leave it empty ("escalated=yes").'))
        return self.cleaned_data["escalated"]

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        after, before = data.get("created_after"), data.get("created_before")
        if after and before and after >= before:
            self.add_error("created_before", gettext("Give a day after the first date."))
        return data

    def filters(self) -> selectors.ReferralListFilters:
        data = self.cleaned_data
        statuses = data["status"]
        if not statuses:
            # The open ones by default; a reference code is looked for whatever its status (a person who
            # types a code wants that referral, closed or not).
            statuses = [ALL_STATUSES] if data["reference"] else list(selectors.OPEN_STATUSES)
        return selectors.ReferralListFilters(
            statuses=() if ALL_STATUSES in statuses else tuple(statuses),
            urgency=data["urgency"],
            age_band=data["age_band"],
            need=data["need"],
            created_from=_local_midnight(data["created_after"]),
            created_until=_local_midnight(data["created_before"]),
            reference=data["reference"],
            escalated=data["escalated"],
        )


def _local_midnight(day: date | None) -> datetime | None:
    return timezone.make_aware(datetime.combine(day, time.min)) if day else None


class SuggestionFactsForm(forms.Form):
    """The coded facts suggestions are made on, read from the referral form's fields (the same names): in
    the form's POST, or in the query of the suggestions fragment, which holds coded values only. A county
    counts only when it is a member agency's (selectors.counties_known), case aside; any other is left out.
    Missing values match anything (cases.suggestions.ReferralFacts)."""

    needs = forms.MultipleChoiceField(choices=choices.Need.choices, required=False)
    urgency = forms.ChoiceField(choices=[_ANY, *choices.Urgency.choices], required=False)
    trafficking_type = forms.ChoiceField(choices=[_ANY, *choices.TraffickingType.choices], required=False)
    age_band = forms.ChoiceField(choices=[_ANY, *choices.AgeBand.choices], required=False)
    gender = forms.ChoiceField(choices=[_ANY, *choices.Gender.choices], required=False)
    citizenship = forms.ChoiceField(choices=[_ANY, *choices.Citizenship.choices], required=False)
    language = forms.ChoiceField(choices=[_ANY, *choices.Language.choices], required=False)
    interpreter_needed = forms.BooleanField(required=False)
    county = forms.CharField(required=False, max_length=60)

    def clean_county(self) -> str:
        typed = self.cleaned_data["county"].strip().casefold()
        return next((county for county in selectors.counties_known() if county.casefold() == typed), "")

    def facts(self) -> ReferralFacts:
        data = self.cleaned_data
        return ReferralFacts(
            needs=tuple(data["needs"]),
            language=data["language"],
            interpreter_needed=data["interpreter_needed"],
            age_band=data["age_band"],
            gender=data["gender"],
            trafficking_type=data["trafficking_type"],
            citizenship=data["citizenship"],
            county=data["county"],
            urgency=data["urgency"],
        )


class TransitionForm(forms.Form):
    move = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(required=False)
    note = forms.CharField(
        required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={**_GUARDED, "rows": 2})
    )
    # On accept: who handles it at the receiving agency (a person's id; the service checks who may be named).
    contact = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class ContactForm(forms.Form):
    """The receiving agency names another person who handles the referral (referral_contact_set)."""

    contact = forms.IntegerField(min_value=1, max_value=2**63 - 1, label=_("Who handles it at your agency"))


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={**_GUARDED, "rows": 3}),
        help_text=_("Seen by both agencies. No identifying details."),
    )


_MONTH = re.compile(r"(\d{4})-(\d{2})(?:-\d{2})?")


class ServiceDeliveryForm(forms.Form):
    services = forms.MultipleChoiceField(
        choices=choices.Need.choices, widget=forms.CheckboxSelectMultiple, label=_("Services provided")
    )
    month = forms.CharField(
        label=_("Month provided"),
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=_("The month only: reports count people served by service and month."),
    )

    def clean_month(self) -> date:
        found = _MONTH.fullmatch(self.cleaned_data["month"].strip())
        try:
            if found:
                return date(int(found[1]), int(found[2]), 1)
        except ValueError:  # a month 13
            pass
        raise forms.ValidationError(gettext("Give a month such as 2025-03."))

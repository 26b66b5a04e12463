from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, AgreementKind, Sector, User
from agencies.roles import GRANTABLE_ROLES, Action, Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), help_text=_("The link is sent here and works once."))
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Agency"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field, role_field = self.fields["agency"], self.fields["role"]
        assert isinstance(agency_field, forms.ModelChoiceField) and isinstance(role_field, forms.ChoiceField)
        if actor.can(Action.INVITE_TO_ANY_AGENCY):
            agency_field.queryset = Agency.objects.filter(is_active=True)
        else:
            agency_field.queryset = Agency.objects.filter(people=actor)
            agency_field.initial = actor.agency_id
        grantable = GRANTABLE_ROLES.get(actor.role, frozenset())
        role_field.choices = [(role.value, role.label) for role in Role if role in grantable]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        grantable = GRANTABLE_ROLES.get(actor.role, frozenset())
        role_field.choices = [(role.value, role.label) for role in Role if role in grantable]


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(max_length=150, label=_("First name"))
    last_name = forms.CharField(max_length=150, label=_("Last name"))
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", gettext("The two passwords differ."))
        elif first:
            probe = User(email=self.email, first_name=data.get("first_name", ""), last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class AgencyForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))
    sector = forms.ChoiceField(choices=Sector.choices, label=_("Sector"))
    county = forms.CharField(max_length=100, label=_("County"))
    is_confidential_provider = forms.BooleanField(
        required=False, label=_("Bound by victim-service confidentiality (VAWA/VOCA/FVPSA)")
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Agency.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(gettext("An agency with this name is already a member."))
        return name


class AgreementForm(forms.Form):
    """A data-sharing agreement as a coordinator records it (agencies.agreements.agreement_record checks it)."""

    SCOPE_CHOICES = [
        ("referrals", _("Referrals (sending and receiving them)")),
        ("case_review", _("Case review")),
        ("reports", _("Reports")),
    ]

    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label=_("Agency"))
    kind = forms.ChoiceField(choices=AgreementKind.choices, label=_("Kind of agreement"), widget=forms.RadioSelect)
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        help_text=_("The last day the agreement is in force. Leave empty if it has no end date."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    scope = forms.MultipleChoiceField(
        choices=SCOPE_CHOICES,
        label=_("What it covers"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Say what the agreement covers: referrals, case review or reports (at least one).")
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example where the signed copy is kept. Never anything about a survivor or a case."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ModelChoiceField)
        agency_field.queryset = Agency.objects.filter(is_active=True).order_by("name")

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        # Tie each error to its box, so that a screen reader reads it with the box (Django ties the help
        # only); here rather than in full_clean, so that the service's refusals added later are tied too.
        for name in self.errors:
            if name in self.fields:
                described = [f"id_{name}_error"] + ([f"id_{name}_helptext"] if self.fields[name].help_text else [])
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)

    def agreement_values(self) -> dict[str, Any]:
        """The keyword arguments of agencies.agreements.agreement_record."""
        data = self.cleaned_data
        scope = set(data["scope"])
        return {
            "agency": data["agency"],
            "kind": data["kind"],
            "signed_on": data["signed_on"],
            "expires_on": data["expires_on"],
            "covers_referrals": "referrals" in scope,
            "covers_case_review": "case_review" in scope,
            "covers_reports": "reports" in scope,
            "note": data["note"],
        }

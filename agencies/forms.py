from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from agencies.models import Agency, Sector, User
from agencies.roles import GRANTABLE_ROLES, Action, Role


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address", help_text="The link is sent here and works once.")
    agency = forms.ModelChoiceField(queryset=Agency.objects.none(), label="Agency")
    role = forms.ChoiceField(label="Role")

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
    role = forms.ChoiceField(label="Role")

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        grantable = GRANTABLE_ROLES.get(actor.role, frozenset())
        role_field.choices = [(role.value, role.label) for role in Role if role in grantable]


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(max_length=150, label="First name")
    last_name = forms.CharField(max_length=150, label="Last name")
    password1 = forms.CharField(
        label="Password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password.",
    )
    password2 = forms.CharField(
        label="Password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            probe = User(email=self.email, first_name=data.get("first_name", ""), last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class AgencyForm(forms.Form):
    name = forms.CharField(max_length=200)
    sector = forms.ChoiceField(choices=Sector.choices)
    county = forms.CharField(max_length=100)
    is_confidential_provider = forms.BooleanField(
        required=False, label="Bound by victim-service confidentiality (VAWA/VOCA/FVPSA)"
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Agency.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("An agency with this name is already a member.")
        return name

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label=_("What is this token for?"), help_text=_("For example: our case-management sync.")
    )

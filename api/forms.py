from django import forms


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="What is this token for?", help_text="For example: our case-management sync."
    )

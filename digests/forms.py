from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

from django import forms
from django.conf import settings

from digests.models import HOURS, DigestSettings, Frequency, Weekday


@lru_cache(maxsize=1)
def _time_zones() -> list[tuple[str, str]]:
    zones = sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith(("Etc/", "SystemV/")))
    default = ("", f"The task force's time zone ({settings.TIME_ZONE})")
    return [default, *((zone, zone.replace("_", " ")) for zone in zones)]


class DigestSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How often", choices=Frequency.choices, widget=forms.RadioSelect, help_text="“Never” sends no digest."
    )
    weekday = forms.TypedChoiceField(
        label="Day of the week", choices=Weekday.choices, coerce=int, help_text="Used for a weekly digest."
    )
    hour = forms.TypedChoiceField(label="Hour", choices=HOURS, coerce=int)
    notify_referral_received = forms.BooleanField(label="A referral is sent to my agency", required=False)
    notify_consent_revoked = forms.BooleanField(
        label="Consent is withdrawn on a referral my agency received", required=False
    )
    notify_invitations = forms.BooleanField(label="I am invited to a meeting or training", required=False)
    notify_agency_alerts = forms.BooleanField(
        label="Something needs my agency's attention (a referral left unanswered, a failing webhook)",
        required=False,
    )
    notify_announcements = forms.BooleanField(label="The task force sends an announcement", required=False)

    @classmethod
    def initial_from(cls, chosen: DigestSettings) -> dict[str, object]:
        return {field: getattr(chosen, field) for field in cls.base_fields if hasattr(chosen, field)}


class DigestPreferenceForm(DigestSettingsForm):
    time_zone = forms.ChoiceField(label="My time zone", required=False, choices=_time_zones)

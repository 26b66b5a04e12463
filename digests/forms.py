from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from digests.models import HOURS, DigestSettings, Frequency, Weekday


@lru_cache(maxsize=1)
def _time_zones() -> list[tuple[str, StrOrPromise]]:
    zones = sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith(("Etc/", "SystemV/")))
    # Lazy: the list is cached once for every language.
    default = ("", format_lazy(_("The task force's time zone ({zone})"), zone=settings.TIME_ZONE))
    return [default, *((zone, zone.replace("_", " ")) for zone in zones)]


class DigestSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        help_text=_("“Never” sends no digest."),
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"), choices=Weekday.choices, coerce=int, help_text=_("Used for a weekly digest.")
    )
    hour = forms.TypedChoiceField(label=_("Hour"), choices=HOURS, coerce=int)
    notify_referral_received = forms.BooleanField(label=_("A referral is sent to my agency"), required=False)
    notify_consent_revoked = forms.BooleanField(
        label=_("Consent is withdrawn on a referral my agency received"), required=False
    )
    notify_invitations = forms.BooleanField(label=_("I am invited to a meeting or training"), required=False)
    notify_agency_alerts = forms.BooleanField(
        label=_("Something needs my agency's attention (a referral left unanswered, a failing webhook)"),
        required=False,
    )
    notify_announcements = forms.BooleanField(label=_("The task force sends an announcement"), required=False)

    @classmethod
    def initial_from(cls, chosen: DigestSettings) -> dict[str, object]:
        return {field: getattr(chosen, field) for field in cls.base_fields if hasattr(chosen, field)}


class DigestPreferenceForm(DigestSettingsForm):
    time_zone = forms.ChoiceField(label=_("My time zone"), required=False, choices=_time_zones)

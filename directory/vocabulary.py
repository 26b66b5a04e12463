"""The words the directory uses for the referral's codes: in the reasons a match gives and on the pages.

The codes themselves are the referral's (cases/choices.py); this module only says them in plain words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agencies.templatetags.times import format_day
from cases.choices import AgeBand, Citizenship, Gender, Language, Need, TraffickingType

if TYPE_CHECKING:
    from directory.models import ServiceProfile

# What an agency "offers": "Offers shelter or housing and legal help".
NEED_PHRASES: dict[str, Promise] = {
    Need.SHELTER: _("shelter or housing"),
    Need.LEGAL: _("legal help"),
    Need.IMMIGRATION: _("immigration help"),
    Need.MEDICAL: _("medical care"),
    Need.MENTAL_HEALTH: _("mental health care"),
    Need.SUBSTANCE_USE: _("substance use treatment"),
    Need.CASE_MANAGEMENT: _("case management"),
    Need.EMPLOYMENT: _("help finding work"),
    Need.EDUCATION: _("help with education"),
    Need.TRANSPORTATION: _("transportation"),
    Need.INTERPRETER: _("interpreters"),
    Need.CHILDCARE: _("childcare"),
    Need.SAFETY_PLANNING: _("safety planning"),
    Need.OTHER: _("other services"),
}

# Whom an agency "takes": "Takes adults 18-24".
AGE_BAND_PHRASES: dict[str, Promise] = {
    AgeBand.UNDER_12: _("children under 12"),
    AgeBand.AGE_12_17: _("young people 12-17"),
    AgeBand.AGE_18_24: _("adults 18-24"),
    AgeBand.AGE_25_59: _("adults 25-59"),
    AgeBand.AGE_60_PLUS: _("adults 60 or older"),
}

# Whom an agency "takes", by gender: "Takes women".
GENDER_PHRASES: dict[str, Promise] = {
    Gender.WOMAN: _("women"),
    Gender.MAN: _("men"),
    Gender.NON_BINARY: _("non-binary people"),
    Gender.TRANSGENDER_WOMAN: _("transgender women"),
    Gender.TRANSGENDER_MAN: _("transgender men"),
    Gender.TWO_SPIRIT: _("Two-Spirit people"),
    Gender.ANOTHER: _("people of another gender identity"),
}

WEEKDAYS: dict[int, Promise] = {
    1: pgettext_lazy("day of the week, as a choice", "Monday"),
    2: pgettext_lazy("day of the week, as a choice", "Tuesday"),
    3: pgettext_lazy("day of the week, as a choice", "Wednesday"),
    4: pgettext_lazy("day of the week, as a choice", "Thursday"),
    5: pgettext_lazy("day of the week, as a choice", "Friday"),
    6: pgettext_lazy("day of the week, as a choice", "Saturday"),
    7: pgettext_lazy("day of the week, as a choice", "Sunday"),
}

# The codes a profile may hold, per field (validated on every write).
CODES: dict[str, frozenset[str]] = {
    "needs": frozenset(Need.values),
    "languages": frozenset(Language.values) - {Language.UNKNOWN},
    "age_bands": frozenset(AgeBand.values) - {AgeBand.UNKNOWN},
    "genders": frozenset(Gender.values) - {Gender.UNKNOWN, Gender.PREFERS_NOT_TO_SAY},
    "trafficking_types": frozenset(TraffickingType.values) - {TraffickingType.UNKNOWN},
    "citizenship": frozenset(Citizenship.values) - {Citizenship.UNKNOWN},
}

# The labels stay as the choices give them (lazy, once the referral's vocabulary is translated): each is
# said in the language active where it is shown, never frozen in the language of the import.
LABELS: dict[str, dict[str, str | Promise]] = {
    "needs": {str(value): label for value, label in Need.choices},
    "languages": {str(value): label for value, label in Language.choices},
    "age_bands": {str(value): label for value, label in AgeBand.choices},
    "genders": {str(value): label for value, label in Gender.choices},
    "trafficking_types": {str(value): label for value, label in TraffickingType.choices},
    "citizenship": {str(value): label for value, label in Citizenship.choices},
}


def choices_for(field: str) -> list[tuple[str, str | Promise]]:
    """The (code, label) pairs a profile may hold for `field`, in the referral form's order (labels lazy:
    a form declared at import time shows them in each request's language)."""
    return [(code, label) for code, label in LABELS[field].items() if code in CODES[field]]


def label(field: str, code: str) -> str:
    """The code's label in the active language (the code itself if it is not in the vocabulary)."""
    return str(LABELS[field].get(code, code))


def labels(field: str, codes: Iterable[str]) -> list[str]:
    return [label(field, code) for code in codes]


def joined(words: Iterable[str | Promise]) -> str:
    """ "a", "a and b", "a, b and c" (in the active language: "a, b y c")."""
    items = [str(word) for word in words]
    if len(items) <= 1:
        return "".join(items)
    # Translators: the end of a list, "shelter, legal help and medical care".
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def confirmed_on(profile: ServiceProfile) -> str:
    """The day the capacity status was last confirmed, as "Mar 4, 2026" (local time, active language), or ""."""
    if profile.capacity_confirmed_at is None:
        return ""
    return format_day(profile.capacity_confirmed_at)

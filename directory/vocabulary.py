"""The words the directory uses for the referral's codes: in the reasons a match gives and on the pages.

The codes themselves are the referral's (cases/choices.py); this module only says them in plain words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.formats import date_format

from cases.choices import AgeBand, Citizenship, Gender, Language, Need, TraffickingType

if TYPE_CHECKING:
    from directory.models import ServiceProfile

# What an agency "offers": "Offers shelter or housing and legal help".
NEED_PHRASES: dict[str, str] = {
    Need.SHELTER: "shelter or housing",
    Need.LEGAL: "legal help",
    Need.IMMIGRATION: "immigration help",
    Need.MEDICAL: "medical care",
    Need.MENTAL_HEALTH: "mental health care",
    Need.SUBSTANCE_USE: "substance use treatment",
    Need.CASE_MANAGEMENT: "case management",
    Need.EMPLOYMENT: "help finding work",
    Need.EDUCATION: "help with education",
    Need.TRANSPORTATION: "transportation",
    Need.INTERPRETER: "interpreters",
    Need.CHILDCARE: "childcare",
    Need.SAFETY_PLANNING: "safety planning",
    Need.OTHER: "other services",
}

# Whom an agency "takes": "Takes adults 18-24".
AGE_BAND_PHRASES: dict[str, str] = {
    AgeBand.UNDER_12: "children under 12",
    AgeBand.AGE_12_17: "young people 12-17",
    AgeBand.AGE_18_24: "adults 18-24",
    AgeBand.AGE_25_59: "adults 25-59",
    AgeBand.AGE_60_PLUS: "adults 60 or older",
}

WEEKDAYS: dict[int, str] = {
    1: "Monday",
    2: "Tuesday",
    3: "Wednesday",
    4: "Thursday",
    5: "Friday",
    6: "Saturday",
    7: "Sunday",
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

LABELS: dict[str, dict[str, str]] = {
    "needs": {str(value): str(label) for value, label in Need.choices},
    "languages": {str(value): str(label) for value, label in Language.choices},
    "age_bands": {str(value): str(label) for value, label in AgeBand.choices},
    "genders": {str(value): str(label) for value, label in Gender.choices},
    "trafficking_types": {str(value): str(label) for value, label in TraffickingType.choices},
    "citizenship": {str(value): str(label) for value, label in Citizenship.choices},
}


def choices_for(field: str) -> list[tuple[str, str]]:
    """The (code, label) pairs a profile may hold for `field`, in the referral form's order."""
    return [(code, label) for code, label in LABELS[field].items() if code in CODES[field]]


def label(field: str, code: str) -> str:
    return LABELS[field].get(code, code)


def labels(field: str, codes: Iterable[str]) -> list[str]:
    return [label(field, code) for code in codes]


def joined(words: Iterable[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def confirmed_on(profile: ServiceProfile) -> str:
    """The day the capacity status was last confirmed, as "Mar 4, 2026" (local time), or ""."""
    if profile.capacity_confirmed_at is None:
        return ""
    return date_format(timezone.localtime(profile.capacity_confirmed_at), "M j, Y")

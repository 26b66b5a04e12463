"""What the guard reports: the kinds of identifier, where one sits, and the caseworker-facing wording.

Findings and messages carry the kind and the position, never the value, so that nothing refused can
reach a response, a log line or an email. A `Candidate` is a finding before overlaps are resolved
(`positions.py`): the rules (`rules.py`) and the name detector (`names.py`) both produce them, so it
lives here, below both, rather than in either.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple


class IdentifierKind(enum.StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    SSN = "ssn"
    ID_NUMBER = "id_number"
    CARD_OR_ACCOUNT = "card_or_account"
    STREET_ADDRESS = "street_address"
    DATE = "date"
    DATE_OF_BIRTH = "date_of_birth"
    PERSON_NAME = "person_name"
    LICENSE_PLATE = "license_plate"
    SOCIAL_HANDLE = "social_handle"
    URL = "url"
    IP_ADDRESS = "ip_address"
    CASE_NUMBER = "case_number"
    PERSON_CODE = "person_code"

    @property
    def label(self) -> str:
        """In plain words, in the active language ("a phone number")."""
        return gettext(_LABELS[self])


K = IdentifierKind  # short alias for the tables below; not exported


def gettext_noop(text: str) -> str:
    """Marks a string for the translation catalog (makemessages reads this name); translated when read."""
    return text


def gettext(text: str) -> str:
    """Django's gettext in the active language; the text as written where Django is not set up (the guard
    itself must not need Django)."""
    try:
        from django.conf import settings
        from django.utils.translation import gettext as django_gettext
    except ImportError:
        return text
    return django_gettext(text) if settings.configured else text


_LABELS: dict[IdentifierKind, str] = {
    K.PHONE: gettext_noop("a phone number"),
    K.EMAIL: gettext_noop("an email address"),
    K.SSN: gettext_noop("a Social Security number"),
    K.ID_NUMBER: gettext_noop("an ID number"),
    K.CARD_OR_ACCOUNT: gettext_noop("a card or account number"),
    K.STREET_ADDRESS: gettext_noop("a street address"),
    K.DATE: gettext_noop("a full date"),
    K.DATE_OF_BIRTH: gettext_noop("a date of birth"),
    K.PERSON_NAME: gettext_noop("a person's name"),
    K.LICENSE_PLATE: gettext_noop("a license plate"),
    K.SOCIAL_HANDLE: gettext_noop("a social media handle"),
    K.URL: gettext_noop("a web address"),
    K.IP_ADDRESS: gettext_noop("an IP address"),
    K.CASE_NUMBER: gettext_noop("a case or docket number"),
    K.PERSON_CODE: gettext_noop("a person code"),
}

_WHY = gettext_noop("the portal must not hold anything that identifies a survivor.")
# What to write instead, where that is not obvious.
_HINTS: dict[IdentifierKind, str] = {
    K.DATE: gettext_noop("Month and year alone are fine."),
    K.DATE_OF_BIRTH: gettext_noop("An age (or 'a minor') is fine."),
    K.CASE_NUMBER: gettext_noop(
        "A referral's reference code alone is fine, without 'docket' or 'case number' before it."
    ),
    K.PERSON_CODE: gettext_noop(
        "It belongs in the referral's person code field only, where it is seen as the referral is."
    ),
    K.PERSON_NAME: gettext_noop("Refer to people by their role (client, mother, employer) or by the reference code."),
}


def _hint(kind: IdentifierKind) -> str:
    return f" {gettext(_HINTS[kind])}" if kind in _HINTS else ""


@dataclass(frozen=True)
class Finding:
    """Where an identifier sits: `start` is 0-based, `end` exclusive (like a slice)."""

    kind: IdentifierKind
    start: int
    end: int

    def describe(self) -> str:
        """Kind and 1-based inclusive character range; never the value itself."""
        return gettext("%(label)s, characters %(first)d-%(last)d") % {
            "label": self.kind.label,
            "first": self.start + 1,
            "last": self.end,
        }

    def message(self) -> str:
        """One sentence for the caseworker who typed the text."""
        text = gettext(
            "This text looks like it contains %(label)s (characters %(first)d-%(last)d). Remove it: %(why)s"
        ) % {"label": self.kind.label, "first": self.start + 1, "last": self.end, "why": gettext(_WHY)}
        return text + _hint(self.kind)


class DeidentificationError(ValueError):
    """Raised by `ensure_deidentified`; its text lists kinds and positions, never values."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings: list[Finding] = list(findings)
        super().__init__(_summary(self.findings))


def _summary(findings: list[Finding]) -> str:
    if len(findings) == 1:
        return findings[0].message()
    listed = "; ".join(f.describe() for f in findings)
    return gettext("This text looks like it contains identifying details: %(listed)s. Remove them: %(why)s") % {
        "listed": listed,
        "why": gettext(_WHY),
    }


class Candidate(NamedTuple):
    """A possible finding, in the positions of the matched (normalised) text."""

    kind: IdentifierKind
    start: int
    end: int
    tier: int  # 3: confirmed by a cue or checksum, 2: a distinctive shape, 1: a bare long number, 0: a name
    cued: bool = False  # announced by a cue ("docket", "SSN"): no allowed shape ever cancels it

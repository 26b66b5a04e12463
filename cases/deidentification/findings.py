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
        return _LABELS[self]


K = IdentifierKind  # short alias for the tables below; not exported

_LABELS: dict[IdentifierKind, str] = {
    K.PHONE: "a phone number",
    K.EMAIL: "an email address",
    K.SSN: "a Social Security number",
    K.ID_NUMBER: "an ID number",
    K.CARD_OR_ACCOUNT: "a card or account number",
    K.STREET_ADDRESS: "a street address",
    K.DATE: "a full date",
    K.DATE_OF_BIRTH: "a date of birth",
    K.PERSON_NAME: "a person's name",
    K.LICENSE_PLATE: "a license plate",
    K.SOCIAL_HANDLE: "a social media handle",
    K.URL: "a web address",
    K.IP_ADDRESS: "an IP address",
    K.CASE_NUMBER: "a case or docket number",
    K.PERSON_CODE: "a person code",
}

_WHY = "the portal must not hold anything that identifies a survivor."
# What to write instead, where that is not obvious.
_HINTS: dict[IdentifierKind, str] = {
    K.DATE: " Month and year alone are fine.",
    K.DATE_OF_BIRTH: " An age (or 'a minor') is fine.",
    K.CASE_NUMBER: " A referral's reference code alone is fine, without 'docket' or 'case number' before it.",
    K.PERSON_CODE: " It belongs in the referral's person code field only, where it is seen as the referral is.",
    K.PERSON_NAME: " Refer to people by their role (client, mother, employer) or by the reference code.",
}


@dataclass(frozen=True)
class Finding:
    """Where an identifier sits: `start` is 0-based, `end` exclusive (like a slice)."""

    kind: IdentifierKind
    start: int
    end: int

    def describe(self) -> str:
        """Kind and 1-based inclusive character range; never the value itself."""
        return f"{self.kind.label}, characters {self.start + 1}-{self.end}"

    def message(self) -> str:
        """One sentence for the caseworker who typed the text."""
        return (
            f"This text looks like it contains {self.kind.label} "
            f"(characters {self.start + 1}-{self.end}). Remove it: {_WHY}{_HINTS.get(self.kind, '')}"
        )


class DeidentificationError(ValueError):
    """Raised by `ensure_deidentified`; its text lists kinds and positions, never values."""

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings: list[Finding] = list(findings)
        super().__init__(_summary(self.findings))


def _summary(findings: list[Finding]) -> str:
    if len(findings) == 1:
        return findings[0].message()
    listed = "; ".join(f.describe() for f in findings)
    return f"This text looks like it contains identifying details: {listed}. Remove them: {_WHY}"


class Candidate(NamedTuple):
    """A possible finding, in the positions of the matched (normalised) text."""

    kind: IdentifierKind
    start: int
    end: int
    tier: int  # 3: confirmed by a cue or checksum, 2: a distinctive shape, 1: a bare long number, 0: a name
    cued: bool = False  # announced by a cue ("docket", "SSN"): no allowed shape ever cancels it

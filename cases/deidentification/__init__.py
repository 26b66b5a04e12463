"""The de-identification guard: free text that identifies a survivor is refused, never stored.

VAWA/VOCA/FVPSA grantees may not share personally identifying information (34 U.S.C. 12291(b)(2)),
so every free-text field that can hold case information goes through `ensure_deidentified` (or the
Django validator `validate_deidentified`) in forms, the API and imports.

Design notes:
- Detection favours recall: a caseworker can always rephrase, a leaked identifier cannot be unsent.
- Findings and messages carry the kind and the position, never the value, so that nothing refused
  can reach a response, a log line or an email (`findings.py`). The guard logs nothing but the kind
  of a database failure (`allowances.py`).
- Matching runs on a shadow of the text (`normalization.py`): NFKC, invisible characters dropped,
  confusable letters folded (Unicode's confusables data, via `confusable-homoglyphs`), letters
  typed for digits and spelled-out numbers written as digits. Positions map back to the text as typed.
- Structured identifiers are found with regexes compiled once at import (and `phonenumbers` for
  phones: `rules.py`); personal names with the US census name lists bundled in the `names` package,
  the world's names of Faker's locale lists and context cues, loaded lazily once (`names.py`).
- The portal's own vocabulary (reference codes, statute citations, money amounts) and the numbers
  it publishes (settings.DEIDENTIFICATION_PUBLIC_NUMBERS) are allowed by exact match only
  (`allowances.py`). A reference code counts only under a prefix the portal issues codes under
  (asked only when the text holds the shape), so "CR-2024-01234" is a court's number. No allowance
  ever cancels a finding announced by a cue ("docket", "case no.", "SSN", "DOB"). A published number
  glued to more digits is blanked out and the rest read on its own.
- A date after a birth cue is its own kind (`DATE_OF_BIRTH`), so that a field meant for dates
  (a training request's preferred dates) can allow plain dates and still refuse a date of birth.
- Overlapping findings are resolved by confidence tier, then length: a cue such as "SSN" or
  "passport" makes a number more specific than its bare shape (`positions.py`).

The parts import one another in one direction only (tests/cases/test_deidentification_parts.py):
`findings` and `normalization` import no other part; `rules` and `names` build on `findings`,
`allowances` on those two; `positions` on `findings` and `normalization`; `guard` puts them together.
Callers import from this module only.
"""

from cases.deidentification.findings import DeidentificationError, Finding, IdentifierKind
from cases.deidentification.guard import (
    describe_findings,
    ensure_deidentified,
    find_identifiers,
    validate_deidentified,
)

__all__ = [
    "DeidentificationError",
    "Finding",
    "IdentifierKind",
    "describe_findings",
    "ensure_deidentified",
    "find_identifiers",
    "validate_deidentified",
]

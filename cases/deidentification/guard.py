"""The guard's entry points: find the identifiers in a text, refuse a text that holds one.

The steps, each in a part of its own: normalise the text (`normalization.py`), blank out the numbers
the portal publishes and note its allowed shapes (`allowances.py`), match the rules (`rules.py`) and
the names (`names.py`), then resolve overlaps and map positions back (`positions.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cases.deidentification.allowances import allowed_spans, is_public_number, public_numbers, without_public_numbers
from cases.deidentification.findings import Candidate, DeidentificationError, Finding, IdentifierKind
from cases.deidentification.names import name_candidates
from cases.deidentification.normalization import shadow_of
from cases.deidentification.positions import findings_in, within_any
from cases.deidentification.rules import structured_candidates


def find_identifiers(text: str, *, allow: frozenset[IdentifierKind] = frozenset()) -> list[Finding]:
    """All identifiers in `text`, sorted by position, overlaps resolved to the most specific.

    `allow`: kinds the field exists to hold (a meeting's place holds a street address). They are set
    aside before overlaps are resolved, so that an allowed finding never hides another kind under it.
    """
    if not text:
        return []
    view = shadow_of(text)
    public = public_numbers()
    matched = without_public_numbers(view.text, public)
    allowed = allowed_spans(matched)
    candidates = [
        c
        for c in _candidates(matched)
        if c.kind not in allow and (c.cued or not (within_any(c, allowed) or is_public_number(matched, c, public)))
    ]
    return findings_in(view, candidates)


def _candidates(text: str) -> Iterator[Candidate]:
    yield from structured_candidates(text)
    yield from name_candidates(text)


def ensure_deidentified(text: str) -> None:
    findings = find_identifiers(text)
    if findings:
        raise DeidentificationError(findings)


def describe_findings(findings: Iterable[Finding]) -> list[str]:
    """One caseworker-facing sentence per finding (kind and position, never the value)."""
    return [finding.message() for finding in findings]


def validate_deidentified(value: str) -> None:
    """Django validator for model and form fields: one error (code "identifier") per finding."""
    from django.core.exceptions import ValidationError  # lazy: the guard itself must not need Django

    findings = find_identifiers(value)
    if findings:
        raise ValidationError([ValidationError(m, code="identifier") for m in describe_findings(findings)])

"""From candidates to findings: overlaps resolved, positions mapped back to the text as typed.

Overlapping candidates are resolved by confidence tier, then length: a cue such as "SSN" or "passport"
makes a number more specific than its bare shape. Candidates are found in the normalised text
(`normalization.py`); a finding is reported where the caseworker typed it.
"""

from __future__ import annotations

import bisect

from cases.deidentification.findings import Candidate, Finding, IdentifierKind
from cases.deidentification.normalization import Shadow

K = IdentifierKind

# Tie-break between kinds when tier and length are equal: the more specific kind first.
_KIND_ORDER = {
    kind: i
    for i, kind in enumerate(
        [
            K.EMAIL,
            K.URL,
            K.IP_ADDRESS,
            K.SSN,
            K.CARD_OR_ACCOUNT,
            K.PERSON_CODE,
            K.CASE_NUMBER,
            K.ID_NUMBER,
            K.DATE_OF_BIRTH,
            K.DATE,
            K.LICENSE_PLATE,
            K.PHONE,
            K.STREET_ADDRESS,
            K.SOCIAL_HANDLE,
            K.PERSON_NAME,
        ]
    )
}


def findings_in(view: Shadow, candidates: list[Candidate]) -> list[Finding]:
    """The resolved candidates, sorted by position, in the positions of the original text."""
    findings: list[Finding] = []
    for found in _resolve(candidates):
        start, end = view.original(found.start, found.end)
        if not findings or findings[-1].end <= start:  # two findings in one spelled-out number: keep one
            findings.append(Finding(found.kind, start, end))
    return findings


def _resolve(candidates: list[Candidate]) -> list[Finding]:
    """Keep the most confident, then longest, candidate wherever candidates overlap."""
    accepted: list[Candidate] = []  # sorted by start, never overlapping
    for cand in sorted(candidates, key=lambda c: (-c.tier, c.start - c.end, _KIND_ORDER[c.kind])):
        i = bisect.bisect(accepted, cand.start, key=lambda c: c.start)
        if (i == 0 or accepted[i - 1].end <= cand.start) and (i == len(accepted) or cand.end <= accepted[i].start):
            accepted.insert(i, cand)
    return [Finding(c.kind, c.start, c.end) for c in accepted]


def within_any(cand: Candidate, spans: list[tuple[int, int]]) -> bool:
    return any(start <= cand.start and cand.end <= end for start, end in spans)

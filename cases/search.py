"""Search of referral notes and meeting minutes, within what the person may see: one path for the API and
the page.

The words searched for travel in a POST body only. In a URL they would land in access logs, browser
history and Referer headers; a typed name or phone number must not. They go through the
de-identification guard first: a term that looks like an identifier is refused, not searched, and the
refusal is audited by kind only (never the words).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django import forms

from audit.models import AuditEvent, Outcome
from audit.services import audit_record
from cases.deidentification import describe_findings, find_identifiers
from cases.selectors import referrals_matching
from meetings.selectors import minutes_matching

if TYPE_CHECKING:
    from django.http import HttpRequest

    from agencies.models import User

LIMIT = 20
MIN_LENGTH = 2
MAX_LENGTH = 200
REFUSED = "Nothing was searched. Search for words of a note (a need, a service, a place), never for a person."


class SearchResults(TypedDict):
    referrals: list[dict]
    minutes: list[dict]


class SearchForm(forms.Form):
    q = forms.CharField(label="Words to find", min_length=MIN_LENGTH, max_length=MAX_LENGTH, strip=True)


def search_term_refusal(*, actor: User, text: str, request: HttpRequest | None = None) -> list[str]:
    """Why `text` may not be searched for (empty when it may). A refusal is audited with the kinds found."""
    findings = find_identifiers(text)
    if not findings:
        return []
    audit_record(
        actor=actor,
        event=AuditEvent.DEIDENTIFICATION_REFUSED,
        outcome=Outcome.DENIED,
        request=request,
        detail={"field": "search", "kinds": sorted({finding.kind.value for finding in findings})},
    )
    return [*describe_findings(findings), REFUSED]


def search_run(*, user: User, text: str, request: HttpRequest | None = None) -> SearchResults:
    """The newest LIMIT referrals (referral officers) and minutes the person may see that match `text`."""
    referrals = referrals_matching(user=user, text=text, limit=LIMIT)
    rows = minutes_matching(user=user, text=text).values("id", "meeting_id", "meeting__title", "version", "status")
    minutes = [
        {
            "id": row["id"],
            "meeting": row["meeting_id"],
            "meeting_title": row["meeting__title"],
            "version": row["version"],
            "status": row["status"],
        }
        for row in rows[:LIMIT]
    ]
    if referrals:
        # The words searched for are not kept: the trail says a search showed referrals, and how many.
        audit_record(
            actor=user,
            event=AuditEvent.REFERRAL_LISTED,
            request=request,
            detail={"via": "search", "results": len(referrals)},
        )
    return {"referrals": referrals, "minutes": minutes}

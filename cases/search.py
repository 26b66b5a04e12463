"""Search of referral notes and meeting minutes, within what the person may see: one path for the API and
the page.

The words searched for travel in a POST body only. In a URL they would land in access logs, browser
history and Referer headers; a typed name or phone number must not. They go through the
de-identification guard first: a term that looks like an identifier is refused, not searched, and the
refusal is audited by kind only (never the words).

Referral notes are searched here; other apps add their own hits through `search_source_register()`
(meetings adds circulated and approved minutes, from MeetingsConfig.ready): cases sits below
meetings and does not import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from django import forms
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent, Outcome
from audit.services import audit_record
from cases.deidentification import describe_findings, find_identifiers
from cases.selectors import referrals_matching

if TYPE_CHECKING:
    from django.http import HttpRequest

    from agencies.models import User

LIMIT = 20
MIN_LENGTH = 2
MAX_LENGTH = 200
REFUSED = gettext_lazy(
    "Nothing was searched. Search for words of a note (a need, a service, a place), never for a person."
)


# {"referrals": [...], then one list per registered source ("minutes": [...])}, each newest first.
SearchResults = dict[str, list[dict[str, Any]]]


class SearchSource(Protocol):
    def __call__(self, *, user: User, text: str, limit: int) -> list[dict[str, Any]]:
        """The newest `limit` hits for `text` among what `user` may see (the source's own for_user())."""


_SOURCES: dict[str, SearchSource] = {}


def search_source_register(*, key: str, source: SearchSource) -> None:
    """Search `source` too, and return its hits under `key`, after the referrals, in registration order.

    Registering a key again replaces its source (an AppConfig.ready() may run twice in tests).
    """
    _SOURCES[key] = source


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Words to find"), min_length=MIN_LENGTH, max_length=MAX_LENGTH, strip=True)


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
    return [*describe_findings(findings), str(REFUSED)]


def search_run(*, user: User, text: str, request: HttpRequest | None = None) -> SearchResults:
    """The newest LIMIT referrals (referral officers) the person may see that match `text`, and the newest
    LIMIT hits of each registered source (minutes)."""
    referrals = referrals_matching(user=user, text=text, limit=LIMIT)
    results: SearchResults = {"referrals": referrals}
    for key, source in _SOURCES.items():
        results[key] = source(user=user, text=text, limit=LIMIT)
    if referrals:
        # The words searched for are not kept: the trail says a search showed referrals, and how many.
        audit_record(
            actor=user,
            event=AuditEvent.REFERRAL_LISTED,
            request=request,
            detail={"via": "search", "results": len(referrals)},
        )
    return results

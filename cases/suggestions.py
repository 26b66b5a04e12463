"""Suggested receivers for a referral: which member agencies can help, best first, and why.

The directory of services (the `directory` app) sits above `cases`: it reads the referral's coded
vocabulary and the guard. It plugs its matcher in here from `DirectoryConfig.ready()`
(`receiver_suggester_register`), as the minutes plug into the search; the referral form and the
API ask `suggest_receivers` and never import the directory. Without a matcher there is no suggestion
and sending works as before (any active agency may be chosen).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agencies.models import Agency


@dataclass(frozen=True)
class ReferralFacts:
    """The coded facts a match is made on (never free text). Empty values match anything."""

    needs: tuple[str, ...] = ()
    language: str = ""
    interpreter_needed: bool = False
    age_band: str = ""
    gender: str = ""
    trafficking_type: str = ""
    citizenship: str = ""
    county: str = ""
    urgency: str = ""


@dataclass(frozen=True)
class Suggestion:
    agency_id: int
    agency_name: str
    sector: str
    # Plain sentences: what matches ("Offers shelter or housing", "Speaks Spanish") and what does not.
    reasons: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    # A signed, time-limited release must be recorded before sending to this agency.
    release_needed: bool = False
    # accepting, waitlist, not_accepting, or "" when the agency keeps no profile.
    capacity: str = ""
    capacity_label: str = ""
    capacity_stale: bool = False
    # Every need covered and every eligibility rule met: a full match.
    full_match: bool = False
    score: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)


Suggester = Callable[["Agency", ReferralFacts], list[Suggestion]]

_suggesters: list[Suggester] = []


def receiver_suggester_register(suggester: Suggester) -> None:
    if suggester not in _suggesters:
        _suggesters.append(suggester)


def suggest_receivers(*, sender: Agency, facts: ReferralFacts) -> list[Suggestion]:
    """Every registered matcher's suggestions, best first (the sender itself never appears)."""
    found = [s for suggester in _suggesters for s in suggester(sender, facts) if s.agency_id != sender.pk]
    return sorted(found, key=lambda s: (-s.score, s.agency_name))

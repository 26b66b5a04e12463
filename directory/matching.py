"""Matching a referral to the agencies that can help (being written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agencies.models import Agency
    from cases.suggestions import ReferralFacts, Suggestion


def suggest(sender: Agency, facts: ReferralFacts) -> list[Suggestion]:
    return []

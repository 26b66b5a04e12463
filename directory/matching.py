"""Matching a referral's coded facts to the member agencies that can help, best first, and why.

Plugged into `cases.suggestions` from `DirectoryConfig.ready()`. The rules:

- Candidates: active agencies other than the sender that keep a service profile (one query for all).
- Suggested when the agency serves at least one of the referral's needs AND meets every eligibility
  rule of its profile (age band, gender, trafficking type, citizenship, county). An empty rule list
  means anyone; a referral value left empty, "unknown" or "prefers not to say" passes a rule (nobody
  is asked to disclose to be suggested), with a gap telling the officer to check. A referral without
  needs gets no suggestion: a match is made on needs.
- Order (the score, higher first), each step breaking the ties of the one before:
  share of needs covered; language (spoken > interpretation arranged > neither); capacity
  (accepting > waitlist > not accepting); for an emergency, after-hours access (open 24 hours >
  on call > office hours: someone who needs a bed tonight needs an agency that answers tonight,
  so it outranks a fresh confirmation); a fresh capacity status over a stale one.
- `release_needed`: the sender is a confidential provider (VAWA/VOCA/FVPSA) or the receiver asks
  for a signed release from everyone. `full_match`: every need covered and the language spoken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from cases.choices import AgeBand, Citizenship, Gender, Language, TraffickingType, Urgency
from cases.suggestions import ReferralFacts, Suggestion
from directory.models import AfterHours, Capacity, ServiceProfile
from directory.vocabulary import AGE_BAND_PHRASES, GENDER_PHRASES, NEED_PHRASES, confirmed_on, joined, label

if TYPE_CHECKING:
    from agencies.models import Agency

# A value that says nothing: it passes every eligibility rule.
UNDISCLOSED = frozenset(
    {"", AgeBand.UNKNOWN, Gender.UNKNOWN, Gender.PREFERS_NOT_TO_SAY, Citizenship.UNKNOWN, TraffickingType.UNKNOWN}
)
_LANGUAGE_UNSTATED = frozenset({"", Language.UNKNOWN})
_CAPACITY_RANK = {Capacity.ACCEPTING: 2, Capacity.WAITLIST: 1, Capacity.NOT_ACCEPTING: 0}
_AFTER_HOURS_RANK = {AfterHours.ALWAYS_OPEN: 2, AfterHours.ON_CALL: 1, AfterHours.NONE: 0}


@dataclass
class _Verdict:
    eligible: bool
    reasons: list[str]
    gaps: list[str]


def suggest(sender: Agency, facts: ReferralFacts) -> list[Suggestion]:
    """The agencies that can help with `facts`, best first; [] when none (or no need is given)."""
    needs = tuple(dict.fromkeys(facts.needs))
    if not needs:
        return []
    profiles = (
        ServiceProfile.objects.select_related("agency")
        .filter(agency__is_active=True)
        .exclude(agency_id=sender.pk)
        .order_by("agency__name")
    )
    found = [s for profile in profiles if (s := _match(profile, sender=sender, facts=facts, needs=needs))]
    return sorted(found, key=lambda s: (-s.score, s.agency_name))


def _match(
    profile: ServiceProfile, *, sender: Agency, facts: ReferralFacts, needs: tuple[str, ...]
) -> Suggestion | None:
    covered = [need for need in needs if need in profile.needs]
    if not covered:
        return None
    verdict = _eligibility(profile, facts)
    if not verdict.eligible:
        return None
    missing = [need for need in needs if need not in covered]
    reasons = [_("Offers %(services)s") % {"services": _need_phrases(covered)}]
    gaps = [_("Does not offer %(services)s") % {"services": _need_phrases(missing)}] if missing else []
    language_rank = _language(profile, facts, reasons, gaps)
    reasons += verdict.reasons
    gaps += verdict.gaps
    _capacity(profile, reasons, gaps)
    after_hours_rank = _after_hours(profile, facts, reasons, gaps)
    share = len(covered) / len(needs)
    stale = profile.capacity_stale
    score = (
        share * 10_000
        + language_rank * 1_000
        + _CAPACITY_RANK.get(Capacity(profile.capacity), 0) * 100
        + (after_hours_rank * 10 if facts.urgency == Urgency.EMERGENCY else 0)
        + (0 if stale else 1)
    )
    return Suggestion(
        agency_id=profile.agency.pk,
        agency_name=profile.agency.name,
        sector=profile.agency.sector,
        reasons=tuple(reasons),
        gaps=tuple(gaps),
        release_needed=sender.is_confidential_provider or profile.requires_release,
        capacity=profile.capacity,
        capacity_label=str(profile.get_capacity_display()),
        capacity_stale=stale,
        full_match=not missing and language_rank == 2,
        score=score,
        extra={"needs_covered": covered, "needs_missing": missing, "after_hours": profile.after_hours},
    )


def _language(profile: ServiceProfile, facts: ReferralFacts, reasons: list[str], gaps: list[str]) -> int:
    """2: speaks it (or no language given); 1: arranges interpreters; 0: neither."""
    if facts.language in _LANGUAGE_UNSTATED:
        return 2
    name = label("languages", facts.language)
    if facts.language in profile.languages:
        reasons.append(_("Speaks %(language)s") % {"language": name})
        return 2
    gaps.append(_("Does not list %(language)s") % {"language": name})
    if profile.interpretation_available:
        reasons.append(_("Arranges interpreters"))
        return 1
    return 0


def _eligibility(profile: ServiceProfile, facts: ReferralFacts) -> _Verdict:
    verdict = _Verdict(eligible=True, reasons=[], gaps=[])
    _rule(verdict, profile.age_bands, facts.age_band, takes=_age_phrase, what="age")
    _rule(verdict, profile.genders, facts.gender, takes=_gender_phrase, what="gender")
    _trafficking_rule(verdict, profile.trafficking_types, facts.trafficking_type)
    _rule(verdict, profile.citizenship, facts.citizenship, takes=_citizenship_phrase, what="citizenship")
    _county_rule(verdict, profile.counties, facts.county)
    return verdict


# "Takes only …: the age is not given, check first", one whole sentence per rule (its words differ by language).
_NOT_GIVEN = {
    "age": lambda whom: _("Takes only %(whom)s: the age is not given, check first") % {"whom": whom},
    "gender": lambda whom: _("Takes only %(whom)s: the gender is not given, check first") % {"whom": whom},
    "citizenship": lambda whom: _("Takes only %(whom)s: the citizenship is not given, check first") % {"whom": whom},
}


def _rule(verdict: _Verdict, allowed: list[str], value: str, *, takes: Callable[[str], str], what: str) -> None:
    if not allowed:
        return
    if value in UNDISCLOSED:
        if value in allowed:  # the agency says it takes people whose {what} is not known
            return
        known = [code for code in allowed if code not in UNDISCLOSED]
        verdict.gaps.append(_NOT_GIVEN[what](joined(takes(c) for c in known)))
    elif value in allowed:
        verdict.reasons.append(_("Takes %(whom)s") % {"whom": takes(value)})
    else:
        verdict.eligible = False


def _trafficking_rule(verdict: _Verdict, allowed: list[str], value: str) -> None:
    """'Both' is sex and labor trafficking: an agency for either takes someone trafficked for both, and an
    agency that lists 'both' takes either."""
    if not allowed or value in UNDISCLOSED:
        return
    both: set[str] = {TraffickingType.SEX, TraffickingType.LABOR, TraffickingType.BOTH}
    served = set(allowed) | (both if TraffickingType.BOTH in allowed else set())
    if served & (both if value == TraffickingType.BOTH else {value}):
        kind = label("trafficking_types", value).lower()
        verdict.reasons.append(_("Serves survivors of %(kind)s") % {"kind": kind})
    else:
        verdict.eligible = False


def _county_rule(verdict: _Verdict, counties: list[str], county: str) -> None:
    if not counties or not county.strip():
        return
    served = {c.strip().casefold() for c in counties}
    if county.strip().casefold() in served:
        verdict.reasons.append(_("Serves %(county)s") % {"county": county.strip()})
    else:
        verdict.eligible = False


def _need_phrases(codes: list[str]) -> str:
    return joined(NEED_PHRASES.get(code, code) for code in codes)


def _age_phrase(code: str) -> str:
    return str(AGE_BAND_PHRASES.get(code, label("age_bands", code)))


def _gender_phrase(code: str) -> str:
    return str(GENDER_PHRASES.get(code, label("genders", code).lower()))


def _citizenship_phrase(code: str) -> str:
    if code == Citizenship.CITIZEN_OR_LPR:
        return _("U.S. citizens and permanent residents")
    if code == Citizenship.FOREIGN_NATIONAL:
        return _("foreign nationals")
    return label("citizenship", code)


def _capacity(profile: ServiceProfile, reasons: list[str], gaps: list[str]) -> None:
    if profile.capacity == Capacity.ACCEPTING:
        reasons.append(_("Accepting referrals"))
    elif profile.capacity == Capacity.WAITLIST:
        gaps.append(_("Has a waitlist"))
    else:
        gaps.append(_("Not accepting referrals now"))
    if profile.capacity_confirmed_at is None:
        gaps.append(_("Capacity never confirmed"))
    elif profile.capacity_stale:
        gaps.append(_("Capacity last confirmed on %(day)s") % {"day": confirmed_on(profile)})


def _after_hours(profile: ServiceProfile, facts: ReferralFacts, reasons: list[str], gaps: list[str]) -> int:
    if profile.after_hours == AfterHours.ALWAYS_OPEN:
        reasons.append(_("Open 24 hours"))
    elif profile.after_hours == AfterHours.ON_CALL:
        reasons.append(_("On call after hours"))
    elif facts.urgency == Urgency.EMERGENCY:
        gaps.append(_("Office hours only"))
    return _AFTER_HOURS_RANK.get(AfterHours(profile.after_hours), 0)

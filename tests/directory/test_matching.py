"""Matching a referral's coded facts to the agencies that can help (directory.matching.suggest)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies.models import Agency
from cases.suggestions import ReferralFacts, suggest_receivers
from directory.matching import suggest
from directory.models import AfterHours, Capacity
from tests.directory.factories import ServiceProfileFactory
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender() -> Agency:
    return AgencyFactory(name="Sender Sheriff", sector="law_enforcement")


def _profile(name: str, **fields: object) -> object:
    return ServiceProfileFactory(agency=AgencyFactory(name=name), **fields)


def _names(found: list) -> list[str]:
    return [s.agency_name for s in found]


def test_it_orders_by_needs_covered_then_language_then_capacity(sender: Agency) -> None:
    _profile("Shelter Only", needs=["shelter"], languages=["es"])
    _profile("Shelter And Legal English", needs=["shelter", "legal"], languages=["en"])
    _profile("Shelter And Legal Spanish", needs=["shelter", "legal"], languages=["es"])
    _profile("Shelter And Legal Interpreters", needs=["shelter", "legal"], interpretation_available=True)
    _profile("Shelter And Legal Spanish Waitlist", needs=["shelter", "legal"], languages=["es"], capacity="waitlist")
    found = suggest(sender, ReferralFacts(needs=("shelter", "legal"), language="es"))
    assert _names(found) == [
        "Shelter And Legal Spanish",
        "Shelter And Legal Spanish Waitlist",
        "Shelter And Legal Interpreters",
        "Shelter And Legal English",
        "Shelter Only",
    ]


def test_it_explains_each_suggestion_in_plain_sentences(sender: Agency) -> None:
    _profile(
        "Casa Segura",
        needs=["shelter", "legal", "medical"],
        languages=["en", "es"],
        age_bands=["18_24", "25_59"],
        after_hours=AfterHours.ALWAYS_OPEN,
    )
    [match] = suggest(sender, ReferralFacts(needs=("shelter", "legal"), language="es", age_band="18_24"))
    assert match.reasons == (
        "Offers shelter or housing and legal help",
        "Speaks Spanish",
        "Takes adults 18-24",
        "Accepting referrals",
        "Open 24 hours",
    )
    assert match.gaps == ()
    assert match.full_match is True
    assert match.capacity == "accepting" and match.capacity_label == "Accepting referrals"


def test_it_names_the_gaps(sender: Agency) -> None:
    _profile("Legal Aid", needs=["legal"], languages=["en"], capacity=Capacity.NOT_ACCEPTING)
    [match] = suggest(sender, ReferralFacts(needs=("shelter", "legal"), language="es"))
    assert match.gaps == ("Does not offer shelter or housing", "Does not list Spanish", "Not accepting referrals now")
    assert match.full_match is False


@pytest.mark.parametrize(
    ("rule", "facts"),
    [
        ({"age_bands": ["under_12", "12_17"]}, {"age_band": "25_59"}),
        ({"genders": ["woman", "transgender_woman"]}, {"gender": "man"}),
        ({"trafficking_types": ["sex"]}, {"trafficking_type": "labor"}),
        ({"citizenship": ["foreign_national"]}, {"citizenship": "citizen_or_lpr"}),
        ({"counties": ["Juniper County"]}, {"county": "Cedar County"}),
    ],
)
def test_it_leaves_out_agencies_whose_eligibility_the_referral_does_not_meet(
    sender: Agency, rule: dict, facts: dict
) -> None:
    _profile("Open To Anyone", needs=["shelter"])
    _profile("With A Rule", needs=["shelter"], **rule)
    assert _names(suggest(sender, ReferralFacts(needs=("shelter",), **facts))) == ["Open To Anyone"]


@pytest.mark.parametrize(
    ("rule", "facts"),
    [
        ({"age_bands": ["12_17"]}, {"age_band": "unknown"}),
        ({"genders": ["woman"]}, {"gender": "prefers_not_to_say"}),
        ({"trafficking_types": ["sex"]}, {"trafficking_type": "both"}),
        ({"trafficking_types": ["both"]}, {"trafficking_type": "labor"}),
        ({"citizenship": ["foreign_national"]}, {"citizenship": ""}),
        ({"counties": ["Juniper County"]}, {"county": "  juniper county "}),
    ],
)
def test_it_lets_unknown_values_and_overlaps_pass_a_rule(sender: Agency, rule: dict, facts: dict) -> None:
    _profile("With A Rule", needs=["shelter"], **rule)
    assert _names(suggest(sender, ReferralFacts(needs=("shelter",), **facts))) == ["With A Rule"]


def test_it_tells_the_officer_to_check_a_rule_the_referral_does_not_answer(sender: Agency) -> None:
    _profile("Youth Shelter", needs=["shelter"], age_bands=["12_17"])
    [match] = suggest(sender, ReferralFacts(needs=("shelter",), age_band="unknown"))
    assert "Takes only young people 12-17: the age is not given, check first" in match.gaps


def test_an_agency_that_takes_unknown_values_raises_no_check_and_lists_only_known_ones(sender: Agency) -> None:
    _profile("Immigration Help", needs=["legal"], citizenship=["foreign_national", "unknown"])
    [match] = suggest(sender, ReferralFacts(needs=("legal",), citizenship="unknown"))
    assert not [gap for gap in match.gaps if "citizenship" in gap]
    _profile("Strict Immigration Help", needs=["legal"], citizenship=["foreign_national"])
    gaps = {m.agency_name: m.gaps for m in suggest(sender, ReferralFacts(needs=("legal",), citizenship="unknown"))}
    [gap] = [gap for gap in gaps["Strict Immigration Help"] if "citizenship" in gap]
    assert "Unknown" not in gap and gap.endswith("the citizenship is not given, check first")


def test_it_suggests_nothing_when_no_agency_covers_a_need(sender: Agency) -> None:
    _profile("Shelter", needs=["shelter"])
    assert suggest(sender, ReferralFacts(needs=("immigration",), language="es")) == []
    assert suggest(sender, ReferralFacts(needs=())) == []


def test_it_leaves_out_the_sender_inactive_agencies_and_agencies_without_a_profile(sender: Agency) -> None:
    ServiceProfileFactory(agency=sender, needs=["shelter"])
    ServiceProfileFactory(agency=AgencyFactory(name="Closed Down", is_active=False), needs=["shelter"])
    AgencyFactory(name="No Profile")
    _profile("Listed", needs=["shelter"])
    assert _names(suggest(sender, ReferralFacts(needs=("shelter",)))) == ["Listed"]


def test_it_says_when_a_release_is_needed(sender: Agency) -> None:
    _profile("Asks Everyone", needs=["shelter"], requires_release=True)
    _profile("Asks Nobody", needs=["shelter"])
    by_name = {s.agency_name: s for s in suggest(sender, ReferralFacts(needs=("shelter",)))}
    assert by_name["Asks Everyone"].release_needed is True
    assert by_name["Asks Nobody"].release_needed is False
    confidential = AgencyFactory(name="Confidential Sender", is_confidential_provider=True)
    assert all(s.release_needed for s in suggest(confidential, ReferralFacts(needs=("shelter",))))


def test_it_ranks_a_stale_capacity_below_a_fresh_one(sender: Agency) -> None:
    old = timezone.now() - timedelta(days=400)
    _profile("A Stale", needs=["shelter"], capacity_confirmed_at=old)
    _profile("B Fresh", needs=["shelter"])
    _profile("C Never Confirmed", needs=["shelter"], capacity_confirmed_at=None)
    found = suggest(sender, ReferralFacts(needs=("shelter",)))
    assert _names(found) == ["B Fresh", "A Stale", "C Never Confirmed"]
    assert found[1].capacity_stale and found[1].gaps[-1].startswith("Capacity last confirmed on ")
    assert found[2].gaps == ("Capacity never confirmed",)


def test_it_ranks_after_hours_access_higher_for_an_emergency(sender: Agency) -> None:
    _profile("A Office Hours", needs=["shelter"])
    _profile("B On Call", needs=["shelter"], after_hours=AfterHours.ON_CALL)
    _profile("C Always Open", needs=["shelter"], after_hours=AfterHours.ALWAYS_OPEN)
    routine = suggest(sender, ReferralFacts(needs=("shelter",), urgency="routine"))
    assert _names(routine) == ["A Office Hours", "B On Call", "C Always Open"]
    emergency = suggest(sender, ReferralFacts(needs=("shelter",), urgency="emergency"))
    assert _names(emergency) == ["C Always Open", "B On Call", "A Office Hours"]
    assert "Office hours only" in emergency[-1].gaps


def test_it_reads_every_profile_in_one_query(sender: Agency, django_assert_num_queries: object) -> None:
    for n in range(12):
        _profile(f"Agency Number {n}", needs=["shelter"])
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert len(suggest(sender, ReferralFacts(needs=("shelter",)))) == 12


def test_it_is_what_the_referral_form_asks(sender: Agency) -> None:
    _profile("Listed", needs=["shelter"])
    assert _names(suggest_receivers(sender=sender, facts=ReferralFacts(needs=("shelter",)))) == ["Listed"]

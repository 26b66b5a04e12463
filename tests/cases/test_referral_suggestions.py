"""Suggested agencies on the referral form (issue 18): real service profiles through the directory's real
matcher, the fragment the form's script asks for (coded facts only), and the same without JavaScript."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, User
from agencies.roles import Role
from cases.models import Referral
from directory.models import Capacity, ServiceProfile
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

SUGGESTIONS = reverse("cases:referral_suggestions")
FORM = reverse("cases:referral_create")


def _profile(agency: Agency, **fields: object) -> ServiceProfile:
    values: dict[str, object] = {"capacity": Capacity.ACCEPTING, "capacity_confirmed_at": timezone.now()}
    values.update(fields)
    return ServiceProfile.objects.create(agency=agency, **values)


@pytest.fixture
def shelter() -> Agency:
    """Shelter and legal help, in Spanish: the best match for someone who needs both."""
    agency = AgencyFactory(name="Casa Esperanza Shelter")
    _profile(agency, needs=["shelter", "legal"], languages=["en", "es"], counties=["Juniper County"])
    return agency


@pytest.fixture
def clinic() -> Agency:
    """Shelter only, English only, with a waitlist; it asks every sender for a signed release."""
    agency = AgencyFactory(name="Juniper Family Clinic", sector="health")
    _profile(agency, needs=["shelter", "medical"], languages=["en"], capacity=Capacity.WAITLIST, requires_release=True)
    return agency


@pytest.fixture
def elsewhere() -> Agency:
    """Shelter, but only for another county."""
    agency = AgencyFactory(name="Pine County Safe House", county="Pine County")
    _profile(agency, needs=["shelter"], counties=["Pine County"])
    return agency


@pytest.fixture
def no_profile() -> Agency:
    return AgencyFactory(name="Unprofiled Legal Aid")


def _names(page: str) -> list[str]:
    """The suggested agencies' names, in the order shown."""
    return re.findall(r'aria-label="Choose ([^"]+)"', page)


def _fragment(user: User, query: str) -> tuple[int, str]:
    response = client_for(user).get(f"{SUGGESTIONS}?{query}")
    return response.status_code, response.content.decode()


def test_it_suggests_the_matching_agencies_best_first_with_why(officer, shelter, clinic, elsewhere, no_profile):
    status, page = _fragment(officer, "needs=shelter&needs=legal&language=es&county=Juniper+County&urgency=urgent")
    assert status == 200
    assert _names(page) == ["Casa Esperanza Shelter", "Juniper Family Clinic"]
    assert "Speaks Spanish" in page and "Does not list Spanish" in page
    assert "Capacity: Accepting referrals" in page and "Capacity: Waitlist" in page
    assert "Full match" in page
    assert "Unprofiled Legal Aid" not in page and "Pine County Safe House" not in page


def test_it_says_up_front_whether_a_signed_release_is_needed(officer, outsider_officer, shelter, clinic):
    # The officer's agency is a confidential provider: every receiver needs a release.
    _, page = _fragment(officer, "needs=shelter")
    assert page.count("A signed release is needed") == 2
    # The sheriff's office is not: only the clinic asks for one.
    _, page = _fragment(outsider_officer, "needs=shelter")
    releases = re.findall(r"(A signed release is needed|No signed release is needed)", page)
    shown = dict(zip(_names(page), releases, strict=True))
    assert shown == {
        "Casa Esperanza Shelter": "No signed release is needed",
        "Juniper Family Clinic": "A signed release is needed",
    }
    # Up front: the release comes before the reasons.
    first = page.index("Casa Esperanza Shelter")
    assert first < page.index("No signed release is needed", first) < page.index("Why:", first)


def test_it_says_so_when_no_profile_matches(officer, shelter, clinic):
    status, page = _fragment(officer, "needs=childcare&needs=employment")
    assert status == 200
    assert "No agency's service profile matches these facts. You can still choose any agency." in page
    assert _names(page) == []


def test_it_asks_for_a_need_before_suggesting(officer, shelter):
    status, page = _fragment(officer, "language=es")
    assert status == 200 and "Tick at least one need" in page and _names(page) == []


def test_a_county_counts_only_when_it_is_a_member_agencys(officer, shelter, elsewhere):
    assert _names(_fragment(officer, "needs=shelter&county=pine+county")[1]) == ["Pine County Safe House"]
    # Anything else typed as a county is left out of the match (and out of the URL, by the form's script).
    assert _names(_fragment(officer, "needs=shelter&county=Maria+Lopez")[1]) == [
        "Casa Esperanza Shelter",
        "Pine County Safe House",
    ]


@pytest.mark.parametrize(
    "query",
    ["needs=shelter&note=call+me", "needs=shelter&person_code=AB12", "needs=car", "needs=shelter&language=klingon"],
)
def test_the_fragment_takes_coded_facts_only(officer, shelter, query):
    status, page = _fragment(officer, query)
    assert status == 400
    assert "These facts could not be read." in page and _names(page) == []


def test_only_referral_officers_may_ask(member, shelter):
    assert client_for(member).get(f"{SUGGESTIONS}?needs=shelter").status_code == 403


def _form(receiver: str = "", **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "receiving_agency": receiver,
        "urgency": "urgent",
        "trafficking_type": "labor",
        "victim_status": "potential",
        "age_band": "18_24",
        "gender": "non_binary",
        "citizenship": "unknown",
        "county": "Juniper County",
        "language": "es",
        "interpreter_needed": "on",
        "source_type": "hotline",
        "needs": ["shelter", "legal"],
        "note": "Prefers afternoon calls.",
        "consent_method": "written",
        "consent_given_on": timezone.localdate().isoformat(),
        "consent_scope": "facts",
        "consent_expires_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
    }
    data.update(overrides)
    return data


def test_without_javascript_show_suggestions_keeps_the_facts_and_sends_nothing(officer, shelter, clinic):
    response = client_for(officer).post(FORM, {**_form(), "show_suggestions": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert not Referral.objects.exists()
    assert _names(page) == ["Casa Esperanza Shelter", "Juniper Family Clinic"]
    assert '<option value="es" selected>' in page and 'value="Juniper County"' in page
    assert 'value="shelter" id="id_needs_0" checked' in page and "Prefers afternoon calls." in page
    assert "This field is required" not in page  # "Send to" is still empty: no one is told off for it


def test_choose_fills_the_receiver_and_sends_nothing(officer, shelter, clinic):
    response = client_for(officer).post(FORM, {**_form(), "choose_receiver": str(clinic.pk)})
    page = response.content.decode()
    assert response.status_code == 200 and not Referral.objects.exists()
    assert f'<option value="{clinic.pk}" selected>Juniper Family Clinic</option>' in page
    assert "You chose Juniper Family Clinic. Check the facts, then send." in page


def test_choose_cannot_pick_an_agency_the_form_cannot_send_to(officer, shelter):
    inactive = AgencyFactory(name="Closed Shelter", is_active=False)
    for chosen in (str(inactive.pk), str(officer.agency_id), "x", "9" * 30):
        page = client_for(officer).post(FORM, {**_form(), "choose_receiver": chosen}).content.decode()
        said = re.search(r'id="receiver-chosen"[^>]*>(.*?)</p>', page, re.S)
        assert said and said[1] == "" and " selected>Closed Shelter" not in page


def test_a_note_the_guard_would_refuse_is_not_sent_back_when_suggestions_are_shown(officer, shelter):
    response = client_for(officer).post(FORM, {**_form(note="call her at 414-555-0137"), "show_suggestions": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and not Referral.objects.exists()
    assert "555" not in page
    assert "looks like it contains a phone number" in page


def test_any_active_agency_can_still_be_chosen_and_sent_to(officer, shelter, no_profile):
    page = client_for(officer).get(FORM).content.decode()
    assert f'<option value="{no_profile.pk}">Unprofiled Legal Aid</option>' in page
    assert "Suggested agencies" in page and "js/referral_form" in page
    response = client_for(officer).post(FORM, _form(str(no_profile.pk)))
    assert response.status_code == 302
    assert Referral.objects.get().receiving_agency == no_profile


def test_a_refused_send_shows_the_suggestions_for_the_facts_given(officer, shelter):
    response = client_for(officer).post(FORM, _form(""))  # no receiver
    assert response.status_code == 400
    assert _names(response.content.decode()) == ["Casa Esperanza Shelter"]


def test_the_form_offers_the_member_agencies_counties(officer, elsewhere):
    UserFactory(agency=elsewhere, role=Role.REFERRAL_OFFICER)
    page = client_for(officer).get(FORM).content.decode()
    assert '<datalist id="county-options"><option value="Juniper County"></option><option value="Pine County">' in page
    assert 'list="county-options"' in page

"""The directory's API: the same rules as the pages (tests/directory/test_pages.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, User
from audit.models import AuditEntry, AuditEvent
from directory.models import ServiceProfile
from tests.conftest import client_for
from tests.directory.factories import ServiceProfileFactory
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:v1:service-profile-list")
SUGGESTIONS = reverse("api:v1:referral-suggestions")


def _detail(agency: Agency) -> str:
    return reverse("api:v1:service-profile-detail", kwargs={"agency_id": agency.pk})


def _confirm(agency: Agency) -> str:
    return reverse("api:v1:service-profile-confirm-capacity", kwargs={"agency_id": agency.pk})


def test_it_lists_the_directory_with_the_pages_filters(as_member: Client) -> None:
    ServiceProfileFactory(agency=AgencyFactory(name="Shelter In Spanish"), needs=["shelter"], languages=["es"])
    ServiceProfileFactory(agency=AgencyFactory(name="Legal Cedar"), needs=["legal"], counties=["Cedar County"])
    body = as_member.get(LIST).json()
    assert {row["agency"]["name"] for row in body["results"]} == {"Shelter In Spanish", "Legal Cedar"}
    row = next(r for r in body["results"] if r["agency"]["name"] == "Legal Cedar")
    assert row["capacity_label"] == "Accepting referrals" and row["capacity_stale"] is False
    names = lambda **q: [r["agency"]["name"] for r in as_member.get(LIST, q).json()["results"]]  # noqa: E731
    assert names(need="shelter", language="es") == ["Shelter In Spanish"]
    assert names(county="Juniper County") == ["Shelter In Spanish"]
    assert as_member.get(LIST, {"need": "flying"}).status_code == 400


def test_it_lists_in_a_constant_number_of_queries(member: User) -> None:
    client = client_for(member)
    ServiceProfileFactory()
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(15):
        ServiceProfileFactory()
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(LIST).json()["results"]) == 16
    assert len(many) == len(few)


def test_it_shows_one_profile_and_404_without_one(as_member: Client, other_agency: Agency) -> None:
    assert as_member.get(_detail(other_agency)).status_code == 404
    ServiceProfileFactory(agency=other_agency, needs=["legal"])
    assert as_member.get(_detail(other_agency)).json()["needs"] == ["legal"]
    assert as_member.get("/api/v1/service-profiles/abc/").status_code == 404


def test_it_changes_a_profile_with_patch(as_admin: Client, agency: Agency) -> None:
    body = {
        "needs": ["shelter"],
        "hours": [{"weekday": 1, "opens": "09:00", "closes": "17:00"}],
        "capacity": "waitlist",
    }
    response = as_admin.patch(_detail(agency), body, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["capacity"] == "waitlist" and response.json()["capacity_confirmed_at"]
    response = as_admin.patch(_detail(agency), {"languages": ["es"]}, content_type="application/json")
    assert response.json()["needs"] == ["shelter"] and response.json()["languages"] == ["es"]
    assert AuditEntry.objects.filter(event=AuditEvent.SERVICE_PROFILE_CHANGED).count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"hours": [{"weekday": 1, "opens": "17:00", "closes": "09:00"}]}, "hours"),
        ({"hours": [{"weekday": 9, "opens": "09:00", "closes": "17:00"}]}, "hours"),
        ({"needs": ["flying"]}, "needs"),
        ({"intake_role": "Ask for client Maria Lopez at 555-867-5309"}, "intake_role"),
        ({"capacity": "full"}, "capacity"),
    ],
)
def test_it_refuses_bad_input_with_400_and_writes_nothing(
    as_admin: Client, agency: Agency, body: dict, field: str
) -> None:
    response = as_admin.patch(_detail(agency), body, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert "867" not in response.content.decode()
    assert not ServiceProfile.objects.exists()


def test_it_answers_404_to_another_agencys_admin_and_403_to_a_member(
    as_admin: Client, as_member: Client, other_agency: Agency, agency: Agency, coordinator: User
) -> None:
    assert (
        as_admin.patch(_detail(other_agency), {"needs": ["legal"]}, content_type="application/json").status_code == 404
    )
    assert as_admin.post(_confirm(other_agency), {}, content_type="application/json").status_code == 404
    assert as_member.patch(_detail(agency), {"needs": ["legal"]}, content_type="application/json").status_code == 403
    as_coordinator = client_for(coordinator)
    response = as_coordinator.patch(_detail(other_agency), {"needs": ["legal"]}, content_type="application/json")
    assert response.status_code == 200


def test_it_confirms_capacity(as_admin: Client, agency: Agency) -> None:
    ServiceProfileFactory(agency=agency, capacity="waitlist", capacity_confirmed_at=timezone.now() - timedelta(days=99))
    response = as_admin.post(_confirm(agency), {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["capacity_stale"] is False
    response = as_admin.post(_confirm(agency), {"capacity": "not_accepting"}, content_type="application/json")
    assert response.json()["capacity"] == "not_accepting"
    assert as_admin.post(_confirm(agency), {"capacity": "full"}, content_type="application/json").status_code == 400


def test_it_suggests_receivers_for_referral_officers_only(officer: User, member: User) -> None:
    ServiceProfileFactory(agency=AgencyFactory(name="Casa"), needs=["shelter", "legal"], languages=["es"])
    ServiceProfileFactory(agency=AgencyFactory(name="Clinic"), needs=["medical"])
    query = "?needs=shelter&needs=legal&language=es&age_band=18_24&urgency=emergency"
    response = client_for(officer).get(SUGGESTIONS + query)
    assert response.status_code == 200
    [casa] = response.json()
    assert casa["agency_name"] == "Casa" and casa["full_match"] is True
    assert casa["reasons"][:2] == ["Offers shelter or housing and legal help", "Speaks Spanish"]
    assert casa["release_needed"] is True  # the officer's agency is a confidential provider
    assert client_for(officer).get(SUGGESTIONS + "?needs=immigration").json() == []
    assert client_for(officer).get(SUGGESTIONS).status_code == 400
    assert client_for(officer).get(SUGGESTIONS + "?needs=flying").status_code == 400
    assert client_for(member).get(SUGGESTIONS + "?needs=shelter").status_code == 403

"""The service directory's pages: the list and its filters, one profile, the edit form, capacity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, User
from directory.models import ServiceProfile
from tests.conftest import client_for
from tests.directory.factories import ServiceProfileFactory
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def _form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "description": "Shelter for adults.",
        "needs": ["shelter", "legal"],
        "languages": ["es"],
        "counties": "Juniper County, Cedar County",
        "opens_1": "09:00",
        "closes_1": "17:00",
        "after_hours": "on_call",
        "intake_role": "Intake advocate",
        "intake_phone": "555-0100",
        "capacity": "waitlist",
        "contacts_internal": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_it_lists_every_profile_with_its_facts(as_member: Client, other_agency: Agency) -> None:
    ServiceProfileFactory(
        agency=other_agency, needs=["shelter", "legal"], languages=["es"], age_bands=["18_24"], intake_role="Shift lead"
    )
    stale = ServiceProfileFactory(needs=["medical"], capacity_confirmed_at=timezone.now() - timedelta(days=90))
    page = as_member.get(reverse("directory:list")).content.decode()
    assert "Shelter or housing and Legal" in page and "Spanish" in page and "18-24" in page and "Shift lead" in page
    assert "confirmed today" in page
    assert stale.agency.name in page and "stale" in page


def test_it_filters_by_need_language_county_and_capacity(as_member: Client) -> None:
    ServiceProfileFactory(agency=AgencyFactory(name="Shelter In Spanish"), needs=["shelter"], languages=["es"])
    ServiceProfileFactory(agency=AgencyFactory(name="Legal In English"), needs=["legal"], languages=["en"])
    ServiceProfileFactory(
        agency=AgencyFactory(name="Cedar Only"), needs=["shelter"], counties=["Cedar County"], capacity="waitlist"
    )
    url = reverse("directory:list")

    def names(**query: str) -> list[str]:
        response = as_member.get(url, query)
        return [p.agency.name for p in response.context["profiles"]]

    assert names(need="shelter") == ["Cedar Only", "Shelter In Spanish"]
    assert names(language="es") == ["Shelter In Spanish"]
    assert names(county="juniper county") == ["Legal In English", "Shelter In Spanish"]
    assert names(county="Cedar County") == ["Cedar Only", "Legal In English", "Shelter In Spanish"]
    assert names(capacity="waitlist") == ["Cedar Only"]
    assert names(need="mental_health") == []
    assert as_member.get(url, {"need": "flying"}).status_code == 400


def test_it_reads_the_directory_in_a_constant_number_of_queries(as_member: Client) -> None:
    ServiceProfileFactory()
    as_member.get(reverse("directory:list"))  # the session's first read
    with CaptureQueriesContext(connection) as one:
        as_member.get(reverse("directory:list"))
    for _ in range(20):
        ServiceProfileFactory()
    with CaptureQueriesContext(connection) as many:
        as_member.get(reverse("directory:list"))
    assert len(many) == len(one)


def test_it_shows_one_profile_or_says_there_is_none(as_member: Client, other_agency: Agency) -> None:
    url = reverse("directory:detail", args=[other_agency.pk])
    assert "has not filled in its service profile yet" in as_member.get(url).content.decode()
    ServiceProfileFactory(agency=other_agency, description="Legal clinic on Tuesdays.")
    page = as_member.get(url).content.decode()
    assert "Legal clinic on Tuesdays." in page
    assert reverse("directory:edit", args=[other_agency.pk]) not in page


def test_it_saves_the_profile_from_the_form(as_admin: Client, agency: Agency) -> None:
    response = as_admin.post(reverse("directory:edit", args=[agency.pk]), _form())
    assert response.status_code == 302
    profile = ServiceProfile.objects.get(agency=agency)
    assert profile.needs == ["shelter", "legal"] and profile.languages == ["es"]
    assert profile.counties == ["Juniper County", "Cedar County"]
    assert profile.hours == [{"weekday": 1, "opens": "09:00", "closes": "17:00"}]
    assert profile.capacity == "waitlist" and profile.capacity_confirmed_at is not None
    assert profile.contacts_internal and not profile.public
    form = as_admin.get(reverse("directory:edit", args=[agency.pk])).context["form"]
    assert form.initial["opens_1"] == "09:00" and form.initial["counties"] == "Juniper County, Cedar County"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"opens_2": "10:00"}, "Tuesday: give both the opening and the closing time, or neither."),
        ({"opens_3": "18:00", "closes_3": "08:00"}, "Wednesday: the opening time must come before the closing time."),
        ({"intake_role": "Ask for Maria Lopez, DOB 03/04/1990"}, ""),
        ({"needs": ["flying"]}, "Select a valid choice."),
    ],
)
def test_it_shows_errors_on_the_form_and_saves_nothing(
    as_admin: Client, agency: Agency, changes: dict, message: str
) -> None:
    response = as_admin.post(reverse("directory:edit", args=[agency.pk]), _form(**changes))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved." in page and message in page
    assert "1990" not in page and "Maria" not in page  # a refused value is never sent back
    assert not ServiceProfile.objects.exists()


def test_it_hides_another_agencys_edit_pages_from_an_agency_admin(
    as_admin: Client, other_agency: Agency, coordinator: User
) -> None:
    for name in ("directory:edit", "directory:capacity"):
        url = reverse(name, args=[other_agency.pk])
        assert as_admin.get(url).status_code == 404
        assert as_admin.post(url, _form()).status_code == 404
        assert client_for(coordinator).get(url).status_code == 200
    assert not ServiceProfile.objects.exists()


def test_it_confirms_capacity_after_a_confirmation_step(as_admin: Client, agency: Agency) -> None:
    ServiceProfileFactory(agency=agency, capacity="waitlist", capacity_confirmed_at=timezone.now() - timedelta(days=90))
    detail = as_admin.get(reverse("directory:detail", args=[agency.pk])).content.decode()
    assert "Capacity is still accurate" in detail and "stale" in detail
    url = reverse("directory:capacity", args=[agency.pk])
    page = as_admin.get(url)
    assert page.status_code == 200 and "Confirm capacity" in page.content.decode()
    assert ServiceProfile.objects.get(agency=agency).capacity_stale  # a GET changes nothing
    assert as_admin.post(url, {"capacity": "waitlist"}).status_code == 302
    profile = ServiceProfile.objects.get(agency=agency)
    assert not profile.capacity_stale and profile.capacity == "waitlist"
    assert as_admin.post(url, {"capacity": "full"}).status_code == 400

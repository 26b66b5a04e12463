"""The public Open Referral HSDS 3.0 export, validated against the project's own schema of HSDS 3.0."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from jsonschema import Draft202012Validator

from directory.hsds.export import hsds_id
from tests.directory.factories import ServiceProfileFactory
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parents[2] / "directory" / "hsds" / "schema.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
URL = reverse("directory_public:hsds")


def _errors(document: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]


@pytest.fixture
def document(client: Client) -> dict[str, Any]:
    ServiceProfileFactory(
        agency=AgencyFactory(name="Casa Segura", sector="victim_services", county="Juniper County"),
        description="Emergency shelter and advocacy.",
        website="https://casa.example.org",
        needs=["shelter", "legal", "safety_planning"],
        languages=["en", "es", "other"],
        interpretation_available=True,
        age_bands=["18_24", "25_59", "60_plus"],
        genders=["woman", "transgender_woman"],
        counties=["Juniper County", "Cedar County"],
        hours=[
            {"weekday": 1, "opens": "09:00", "closes": "17:00"},
            {"weekday": 5, "opens": "09:00", "closes": "13:00"},
        ],
        after_hours="always_open",
        intake_role="Shelter intake advocate",
        intake_phone="555-0100",
        intake_email="intake@casa.example.org",
        after_hours_phone="555-0199",
        contacts_internal=False,
        capacity="not_accepting",
        public=True,
    )
    ServiceProfileFactory(
        agency=AgencyFactory(name="Quiet Shelter"),
        needs=["shelter"],
        age_bands=["under_12", "60_plus"],
        after_hours="on_call",
        intake_phone="555-0111",
        intake_email="secret-intake@quiet.example.org",
        contacts_internal=True,
        capacity="waitlist",
        public=True,
    )
    ServiceProfileFactory(agency=AgencyFactory(name="Members Only Clinic"), needs=["medical"], public=False)
    ServiceProfileFactory(agency=AgencyFactory(name="Closed Agency", is_active=False), public=True)
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return response.json()


def test_it_validates_against_the_hsds_schema(document: dict[str, Any]) -> None:
    assert _errors(document) == []
    assert document["version"] == "3.0"


def test_it_lists_only_active_agencies_that_opted_in(document: dict[str, Any]) -> None:
    names = [org["name"] for org in document["organizations"]]
    assert sorted(names) == ["Casa Segura", "Quiet Shelter"]
    assert len(document["services"]) == len(document["locations"]) == len(document["service_at_locations"]) == 2
    assert "Members Only Clinic" not in json.dumps(document)


def test_it_never_publishes_capacity_nor_internal_contacts(document: dict[str, Any]) -> None:
    text = json.dumps(document)
    for word in ("capacity", "not_accepting", "waitlist", "Not accepting", "Waitlist"):
        assert word not in text
    assert "555-0111" not in text and "secret-intake" not in text
    quiet = next(s for s in document["services"] if s["name"] == "Quiet Shelter")
    assert "phones" not in quiet and "contacts" not in quiet and "email" not in quiet


def test_it_describes_the_service(document: dict[str, Any]) -> None:
    casa = next(s for s in document["services"] if s["name"] == "Casa Segura")
    org = next(o for o in document["organizations"] if o["name"] == "Casa Segura")
    assert casa["organization_id"] == org["id"]
    assert [a["taxonomy_term"]["code"] for a in casa["attributes"]] == ["shelter", "legal", "safety_planning"]
    assert [(lang["code"], lang["name"]) for lang in casa["languages"]] == [("en", "English"), ("es", "Spanish")]
    assert casa["minimum_age"] == 18 and "maximum_age" not in casa
    assert "Genders: Woman and Transgender woman" in casa["eligibility_description"]
    assert [area["name"] for area in casa["service_areas"]] == ["Juniper County", "Cedar County"]
    weekly = [(s.get("byday"), s.get("opens_at"), s.get("closes_at")) for s in casa["schedules"]]
    assert weekly == [("MO", "09:00", "17:00"), ("FR", "09:00", "13:00"), ("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59")]
    assert [p["number"] for p in casa["phones"]] == ["555-0100", "555-0199"]
    quiet = next(s for s in document["services"] if s["name"] == "Quiet Shelter")
    assert "minimum_age" not in quiet  # under 12 and 60+: not one range, so in words only
    assert quiet["schedules"][-1]["description"] == "On call after hours by phone."
    assert {loc["location_type"] for loc in document["locations"]} == {"virtual"}
    assert all("address" not in key for loc in document["locations"] for key in loc)


def test_it_keeps_ids_stable_between_exports(client: Client, document: dict[str, Any]) -> None:
    again = client.get(URL).json()
    assert [s["id"] for s in again["services"]] == [s["id"] for s in document["services"]]
    casa = next(o for o in document["organizations"] if o["name"] == "Casa Segura")
    assert any(casa["id"] == hsds_id("organization", pk) for pk in range(1, 10_000))


@pytest.mark.parametrize(
    "break_it",
    [
        lambda d: d["services"][0].pop("status"),
        lambda d: d["services"][0].__setitem__("status", "open"),
        lambda d: d["organizations"][0].pop("description"),
        lambda d: d["services"][0].__setitem__("capacity", "accepting"),
        lambda d: d["locations"][0].__setitem__("location_type", "shelter"),
        lambda d: d["services"][0]["schedules"][0].__setitem__("opens_at", "9am"),
        lambda d: d["services"][0]["schedules"][0].__setitem__("byday", "Monday"),
        lambda d: d["services"][0].__setitem__("id", "42"),
        lambda d: d["services"][0]["languages"][0].pop("id"),
        lambda d: d.pop("service_at_locations"),
    ],
)
def test_the_schema_rejects_a_broken_document(document: dict[str, Any], break_it: Any) -> None:
    broken = copy.deepcopy(document)
    break_it(broken)
    assert _errors(broken)


def test_it_is_public_and_reads_in_one_query(client: Client, django_assert_num_queries: Any) -> None:
    for n in range(5):
        ServiceProfileFactory(agency=AgencyFactory(name=f"Listed {n}"), public=True)
    with django_assert_num_queries(1):
        assert len(client.get(URL).json()["services"]) == 5

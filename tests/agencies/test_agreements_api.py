"""Data-sharing agreements over the API (api/v1/agreements.py): the web's rules, coordinators only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agencies.agreements import agreement_today
from agencies.models import DataSharingAgreement
from agencies.roles import Role
from api.services import api_token_create
from audit.models import AuditEntry, AuditEvent
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    _, raw = api_token_create(user=user, name="agreements")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _body(agency, **overrides):
    today = agreement_today()
    body = {
        "agency": agency.pk,
        "kind": "mou",
        "signed_on": (today - timedelta(days=3)).isoformat(),
        "expires_on": (today + timedelta(days=30)).isoformat(),
        "covers_referrals": True,
        "note": "Signed at the May meeting.",
    }
    body.update(overrides)
    return body


def test_it_records_an_agreement_and_shows_it_in_the_list_and_the_gaps(coordinator):
    clinic = AgencyFactory(name="Juniper General Hospital", with_agreement=False)
    client = api(coordinator)
    gaps = client.get("/api/v1/agreements/gaps/").json()
    assert {row["agency"]["name"]: row["standing"] for row in gaps["agencies"]}["Juniper General Hospital"] == "missing"

    created = client.post("/api/v1/agreements/", _body(clinic), content_type="application/json")
    assert created.status_code == 201, created.content
    answer = created.json()
    assert answer["agency"] == {"id": clinic.pk, "name": "Juniper General Hospital"}
    assert (answer["kind_label"], answer["in_force"], answer["covers_reports"]) == (
        "Memorandum of understanding",
        True,
        False,
    )
    assert answer["recorded_by"]["id"] == coordinator.pk and answer["ended_by"] is None
    listed = client.get(f"/api/v1/agreements/?agency={clinic.pk}").json()["results"]
    assert [row["id"] for row in listed] == [answer["id"]]
    gaps = client.get("/api/v1/agreements/gaps/").json()
    row = next(row for row in gaps["agencies"] if row["agency"]["id"] == clinic.pk)
    assert (row["standing"], row["may_refer"], row["agreement"]["id"]) == ("lapsing", True, answer["id"])
    assert gaps["lapsing_days"] == 60 and gaps["on"] == agreement_today().isoformat()


def test_it_refuses_bad_input_with_a_400_per_field_and_stores_nothing(coordinator):
    clinic = AgencyFactory(with_agreement=False)
    client = api(coordinator)
    today = agreement_today()
    refused = client.post(
        "/api/v1/agreements/",
        _body(clinic, covers_referrals=False, signed_on=(today + timedelta(days=2)).isoformat()),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert set(refused.json()) == {"scope", "signed_on"}
    phone = client.post(
        "/api/v1/agreements/", _body(clinic, note="Ask for 414-555-0137."), content_type="application/json"
    )
    assert phone.status_code == 400 and "phone number" in phone.json()["note"][0]
    assert "555" not in phone.content.decode()
    unknown = client.post("/api/v1/agreements/", _body(clinic, kind="treaty"), content_type="application/json")
    assert unknown.status_code == 400 and "kind" in unknown.json()
    assert not DataSharingAgreement.objects.filter(agency=clinic).exists()


def test_it_ends_an_agreement_recorded_in_error(coordinator):
    clinic = AgencyFactory()
    agreement = DataSharingAgreement.objects.get(agency=clinic)
    client = api(coordinator)
    ended = client.post(f"/api/v1/agreements/{agreement.pk}/end/")
    assert ended.status_code == 200
    assert ended.json()["ended_by"]["id"] == coordinator.pk and ended.json()["in_force"] is False
    assert client.post(f"/api/v1/agreements/{agreement.pk}/end/").status_code == 200  # again: nothing changes
    assert AuditEntry.objects.filter(event=AuditEvent.AGREEMENT_ENDED).count() == 1
    assert client.get(f"/api/v1/agreements/{agreement.pk}/").json()["ended_at"] is not None
    assert client.get("/api/v1/agreements/?ended=true").json()["results"][0]["id"] == agreement.pk
    assert client.post("/api/v1/agreements/999999/end/").status_code == 404


@pytest.mark.parametrize("role", [Role.MEMBER, Role.REFERRAL_OFFICER, Role.AGENCY_ADMIN, Role.GRANT_MANAGER])
def test_it_refuses_every_other_role_403_for_lists_and_404_for_one_agreement(agency, role):
    person = UserFactory(agency=agency, role=role)
    agreement = DataSharingAgreement.objects.get(agency=agency)
    client = api(person)
    assert client.get("/api/v1/agreements/").status_code == 403
    assert client.get("/api/v1/agreements/gaps/").status_code == 403
    assert client.post("/api/v1/agreements/", _body(agency), content_type="application/json").status_code == 403
    assert client.get(f"/api/v1/agreements/{agreement.pk}/").status_code == 404
    assert client.post(f"/api/v1/agreements/{agreement.pk}/end/").status_code == 404
    agreement.refresh_from_db()
    assert agreement.ended_at is None


def test_it_lists_agreements_in_a_constant_number_of_queries(coordinator):
    client = api(coordinator)
    client.get("/api/v1/agreements/")  # the token's first use is recorded once
    counts = []
    for extra in (1, 20):
        for _ in range(extra):
            AgencyFactory()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/agreements/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]

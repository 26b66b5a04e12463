"""/api/v1/reports/: compute a report, list and fetch approved snapshots; aggregates only."""

from __future__ import annotations

import pytest
from django.db import connection

from agencies.roles import Role
from api.services import api_token_create
from audit.models import AuditEntry, AuditEvent
from reports.selectors import snapshot_content
from tests.reports.conftest import approve, draft

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='reports')[1]}"}


def test_it_computes_a_report_for_a_period_and_measures_with_small_counts_suppressed(client, grant_manager, quarter):
    query = "kind=quarter&year=2025&part=1&measures=trafficking_type&measures=active_agencies"
    response = client.get(f"/api/v1/reports/compute/?{query}", **_bearer(grant_manager))
    assert response.status_code == 200
    body = response.json()
    assert body["period"]["start"] == "2025-01-01" and body["threshold"] == 11
    types = {row["key"]: row["cells"][0] for row in body["measures"][0]["rows"]}
    assert types["sex"] == {"value": None, "display": "<11", "status": "small"}
    assert body["measures"][1]["rows"][-1]["cells"][0]["value"] == 3  # active agencies: not people
    for referral in quarter:
        assert referral.reference_code not in response.content.decode()
    row = AuditEntry.objects.get(event=AuditEvent.EXPORTED)
    assert row.actor == grant_manager and row.detail["format"] == "json" and row.detail["status"] == "unsaved"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=quarter&year=2025&part=9&measures=gender", "part"),
        ("kind=quarter&year=2025&measures=gender", "part"),
        ("kind=custom&start=2025-02-01&end=2025-01-01&measures=gender", "end"),
        ("kind=fiscal_year&year=2025&measures=names", "measures"),
        ("kind=fiscal_year&year=2025", "measures"),
        ("kind=weekly&measures=gender", "kind"),
    ],
)
def test_it_answers_bad_input_with_a_400_naming_the_field(client, grant_manager, query, field):
    response = client.get(f"/api/v1/reports/compute/?{query}", **_bearer(grant_manager))
    assert response.status_code == 400 and field in response.json()
    assert not AuditEntry.objects.filter(event=AuditEvent.EXPORTED).exists()


def test_it_lists_and_returns_approved_snapshots_exactly_as_frozen(client, grant_manager, coordinator, quarter):
    approved = approve(draft(grant_manager, ["gender", "median_days"]), coordinator)
    unapproved = draft(grant_manager, ["gender"])
    listed = client.get("/api/v1/reports/", **_bearer(grant_manager)).json()["results"]
    assert [item["id"] for item in listed] == [approved.pk]
    assert listed[0]["content_hash"] == approved.content_hash and listed[0]["period"]["label"].startswith("2025 Q1")
    one = client.get(f"/api/v1/reports/{approved.pk}/", **_bearer(grant_manager)).json()
    assert one["content"] == snapshot_content(report=approved) and one["content_hash"] == approved.content_hash
    assert client.get(f"/api/v1/reports/{unapproved.pk}/", **_bearer(grant_manager)).status_code == 404
    assert client.get("/api/v1/reports/nope/", **_bearer(grant_manager)).status_code == 404
    assert AuditEntry.objects.filter(event=AuditEvent.EXPORTED, target_id=str(approved.pk)).count() == 1


def test_it_refuses_a_tampered_snapshot_with_a_409(client, grant_manager, coordinator, quarter):
    approved = approve(draft(grant_manager, ["gender"]), coordinator)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE reports_report SET content_hash = %s WHERE id = %s", ["0" * 64, approved.pk])
    response = client.get(f"/api/v1/reports/{approved.pk}/", **_bearer(grant_manager))
    assert response.status_code == 409 and "integrity" in response.json()["detail"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.REFERRAL_OFFICER, Role.AGENCY_ADMIN])
def test_it_refuses_the_reports_to_roles_without_the_right(client, agency, role, quarter):
    from tests.factories import UserFactory

    person = UserFactory(agency=agency, role=role)
    for url in ("/api/v1/reports/", "/api/v1/reports/compute/?kind=fiscal_year&year=2025&measures=gender"):
        assert client.get(url, **_bearer(person)).status_code == 403


def test_it_lists_the_measures_a_report_can_hold(client, grant_manager):
    measures = client.get("/api/v1/reports/measures/", **_bearer(grant_manager)).json()
    assert measures[0]["key"] == "referrals_by_month"
    assert {m["group"] for m in measures} == {"Referrals", "Meetings", "Trainings", "Task-force activity"}

"""Attacks on published figures through the API, as one grant manager could mount them (issue 15, item 2).

Each test collects what a person can obtain (custom periods, nested periods, snapshots and live
figures, several measure selections) and checks that no count from 1 to 10 can be worked out.
"""

from __future__ import annotations

from datetime import datetime
from itertools import combinations
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from api.services import api_token_create
from audit.models import AuditEntry, AuditEvent, Outcome
from cases import choices
from cases.services import referral_transition
from cases.transitions import Move
from tests.cases.referral_helpers import send
from tests.reports.conftest import local

pytestmark = pytest.mark.django_db

LATER = local(2027, 3, 1, 12)  # well after December 2026 has ended


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user, name='attack')[1]}"}


def _send_many(sender, receiver, at: datetime, count: int, **facts: Any) -> list:
    sent = []
    for minute in range(count):
        with time_machine.travel(at.replace(minute=minute), tick=False):
            sent.append(send(sender, receiver.agency, **facts))
    return sent


def _cells(body: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(m["key"], row["key"]): row["cells"][0] for m in body["measures"] for row in m["rows"]}


def test_it_does_not_expose_a_day_by_differencing_two_custom_periods(client, grant_manager, officer, outsider_officer):
    labor = {"trafficking_type": choices.TraffickingType.LABOR}
    _send_many(officer, outsider_officer, local(2026, 11, 30, 10), 3, **labor)
    _send_many(officer, outsider_officer, local(2026, 12, 10, 10), 42, **labor)
    queries = [
        "kind=custom&start=2026-12-01&end=2026-12-31",
        "kind=custom&start=2026-11-30&end=2026-12-31",
        "kind=custom&start=2026-11-30&end=2026-11-30",
        "kind=quarter&year=2026&part=4",
        "kind=custom&start=2026-10-01&end=2026-12-31",
    ]
    labor_counts = []
    with time_machine.travel(LATER, tick=False):
        headers = _bearer(grant_manager)
        for query in queries:
            response = client.get(f"/api/v1/reports/compute/?{query}&measures=trafficking_type", **headers)
            assert response.status_code in (200, 400), response.content
            if response.status_code == 200:
                labor_counts.append(_cells(response.json())[("trafficking_type", "labor")]["value"])
            else:
                assert {"start", "end"} & set(response.json()), response.json()
    shown = [value for value in labor_counts if value is not None]
    for first, second in combinations(shown, 2):
        assert not 1 <= abs(first - second) <= 10, f"{first} and {second} expose {abs(first - second)} referrals"


def test_it_refuses_a_custom_range_that_is_not_made_of_whole_quarters_with_a_400(client, grant_manager):
    with time_machine.travel(LATER, tick=False):
        url = "/api/v1/reports/compute/?kind=custom&start=2026-12-01&end=2026-12-31&measures=gender"
        response = client.get(url, **_bearer(grant_manager))
    assert response.status_code == 400 and "start" in response.json()
    assert "quarter" in response.json()["start"][0]


def test_it_refuses_a_quarter_whose_figures_are_not_published_yet(client, grant_manager):
    # 4 December 2026: the fourth quarter is not over, so its figures would change day by day.
    with time_machine.travel(local(2026, 12, 4, 12), tick=False):
        url = "/api/v1/reports/compute/?kind=quarter&year=2026&part=4&measures=gender"
        response = client.get(url, **_bearer(grant_manager))
    assert response.status_code == 400 and "published from" in str(response.json())


def test_it_gives_the_same_figures_live_as_the_approved_snapshot_after_late_changes(
    client, grant_manager, coordinator, officer, outsider_officer
):
    from tests.reports.conftest import approve, draft

    referrals = _send_many(officer, outsider_officer, local(2025, 2, 3, 9), 30)
    with time_machine.travel(local(2025, 4, 16, 12), tick=False):
        snapshot = approve(draft(grant_manager, ["outcomes"]), coordinator)
    # Late entries: twelve referrals of the quarter are declined after it was approved.
    with time_machine.travel(local(2025, 4, 20, 12), tick=False):
        for referral in referrals[:12]:
            referral_transition(referral=referral, actor=outsider_officer, move=Move.DECLINE, reason="no_capacity")
        headers = _bearer(grant_manager)
        live = client.get("/api/v1/reports/compute/?kind=quarter&year=2025&part=1&measures=outcomes", **headers)
        frozen = client.get(f"/api/v1/reports/{snapshot.pk}/", **headers).json()["content"]
    assert live.status_code == 200
    assert live.json()["measures"] == frozen["measures"]


def test_it_publishes_a_quarter_the_same_whichever_measures_are_asked_for(
    client, grant_manager, officer, outsider_officer, settings
):
    """The pattern of suppression is the quarter's, not the request's: no two requests disagree."""
    settings.REPORT_SUPPRESSION_THRESHOLD = 3
    # Two referrals of unknown type, one potential and one confirmed victim: alone, the type table shows
    # its zeros and "<3"; beside the victim status table, whose two "<3" would pin the total, it is withheld.
    unknown = {"trafficking_type": "unknown"}
    _send_many(officer, outsider_officer, local(2025, 2, 3, 9), 1, victim_status="potential", **unknown)
    _send_many(officer, outsider_officer, local(2025, 2, 4, 9), 1, victim_status="confirmed", **unknown)
    with time_machine.travel(local(2025, 6, 1, 12), tick=False):
        headers = _bearer(grant_manager)
        base = "/api/v1/reports/compute/?kind=quarter&year=2025&part=1&measures="
        alone = client.get(base + "trafficking_type", **headers).json()
        together = client.get(base + "trafficking_type&measures=victim_status&measures=needs", **headers).json()
    assert alone["measures"][0] == together["measures"][0]


def test_it_audits_and_rate_limits_computing(client, grant_manager, settings):
    settings.REPORT_COMPUTE_RATE = "2/h"
    cache.clear()
    url = "/api/v1/reports/compute/?kind=quarter&year=2025&part=1&measures=gender"
    with time_machine.travel(local(2026, 6, 1, 12), tick=False):
        headers = _bearer(grant_manager)
        answers = [client.get(url, **headers).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    rows = AuditEntry.objects.filter(event=AuditEvent.EXPORTED, actor=grant_manager)
    assert rows.filter(outcome=Outcome.SUCCESS).count() == 2
    refused = rows.get(outcome=Outcome.FAILURE)
    assert refused.detail["reason"] == "rate_limited" and refused.detail["period"] == "2025-01-01/2025-03-31"

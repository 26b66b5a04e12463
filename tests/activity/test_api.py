"""/api/v1/activity-figures/: the same rules as the web page, through the same service."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activity import services
from activity.choices import HOLDERS, MAX_VALUE, ActivityMeasure, Holder
from activity.models import ActivityFigure
from audit.models import AuditEntry, AuditEvent
from reports.periods import PeriodKind, period_build
from tests.activity.conftest import Q1
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
M = ActivityMeasure
LIST = reverse("api:v1:activity-figure-list")
TODAY = date(2025, 5, 10)


def post(client, body):
    return client.post(LIST, body, content_type="application/json")


@time_machine.travel(TODAY, tick=False)
def test_it_enters_and_corrects_figures_and_answers_the_quarters_figures(as_detective_admin, sheriff, detective_admin):
    created = post(as_detective_admin, {"year": 2025, "quarter": 1, "arrests_sex": 3, "arrests_labor": 0})
    assert created.status_code == 200, created.content
    assert created.json()["quarter"] == "2025-q1"
    body = created.json()["figures"]
    assert [(f["measure"], f["value"], f["quarter"]) for f in body] == [
        ("arrests_sex", 3, "2025-q1"),
        ("arrests_labor", 0, "2025-q1"),
    ]
    assert body[0]["agency"] == {"id": sheriff.pk, "name": sheriff.name}
    assert body[0]["entered_by"]["id"] == detective_admin.pk and body[0]["corrected_by"] is None
    assert body[0]["measure_label"] == "Arrests: sex trafficking"

    corrected = post(as_detective_admin, {"year": 2025, "quarter": 1, "arrests_sex": 5}).json()["figures"]
    assert corrected[0]["value"] == 5 and corrected[0]["corrected_by"]["id"] == detective_admin.pk
    row = AuditEntry.objects.get(event=AuditEvent.ACTIVITY_FIGURE_CORRECTED)
    assert row.detail == {"measure": "arrests_sex", "quarter": "2025-q1", "old": 3, "new": 5}


@time_machine.travel(TODAY, tick=False)
def test_it_never_lets_a_client_name_the_agency(as_detective_admin, sheriff, agency):
    post(as_detective_admin, {"year": 2025, "quarter": 1, "arrests_sex": 1, "agency": agency.pk})
    assert list(ActivityFigure.objects.values_list("agency", flat=True)) == [sheriff.pk]


@time_machine.travel(TODAY, tick=False)
def test_it_lists_an_agencys_own_figures_only(sheriff, detective_admin, deputy, agency, coordinator):
    ours = services.activity_figures_enter(agency=sheriff, period=Q1, values={M.ARRESTS_SEX: 2}, actor=detective_admin)
    theirs = services.activity_figures_enter(agency=agency, period=Q1, values={M.TA_RECEIVED: 4}, actor=coordinator)
    as_deputy = client_for(deputy)
    assert [f["id"] for f in as_deputy.get(LIST).json()["results"]] == [ours[0].pk]
    assert as_deputy.get(LIST, {"agency": agency.pk}).json()["results"] == []
    # There is no route to one figure: another agency's is reached by no URL at all.
    assert as_deputy.get(f"{LIST}{theirs[0].pk}/").status_code == 404
    every = client_for(coordinator).get(LIST, {"measure": "ta_received"}).json()["results"]
    assert [f["id"] for f in every] == [theirs[0].pk]


@time_machine.travel(TODAY, tick=False)
def test_it_shows_grant_managers_every_agencys_figures_but_lets_them_enter_none(
    sheriff, detective_admin, agency, grant_manager
):
    services.activity_figures_enter(agency=sheriff, period=Q1, values={M.ARRESTS_SEX: 2}, actor=detective_admin)
    as_grants = client_for(grant_manager)
    assert [f["agency"]["id"] for f in as_grants.get(LIST, {"agency": sheriff.pk}).json()["results"]] == [sheriff.pk]
    assert post(as_grants, {"year": 2025, "quarter": 1, "ta_received": 1}).status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_it_refuses_a_member_and_an_agency_of_the_wrong_kind(deputy, clinic_admin, as_detective_admin):
    assert post(client_for(deputy), {"year": 2025, "quarter": 1, "arrests_sex": 1}).status_code == 403
    refused = post(client_for(clinic_admin), {"year": 2025, "quarter": 1, "arrests_sex": 1})
    assert refused.status_code == 403 and "does not enter activity figures" in refused.json()["detail"]
    wrong = post(as_detective_admin, {"year": 2025, "quarter": 1, "convictions_sex": 1})
    assert wrong.status_code == 400
    assert wrong.json() == {
        "convictions_sex": ["Convictions: sex trafficking: entered by the prosecutor's office, not by your agency."]
    }
    assert not ActivityFigure.objects.exists()


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"year": 2025, "quarter": 3, "arrests_sex": 1}, "quarter"),  # not begun
        ({"year": 2025, "quarter": 5, "arrests_sex": 1}, "quarter"),
        ({"year": 2027, "quarter": 1, "arrests_sex": 1}, "year"),
        ({"quarter": 1, "arrests_sex": 1}, "year"),
        ({"year": 2025, "quarter": 1, "arrests_sex": -1}, "arrests_sex"),
        ({"year": 2025, "quarter": 1, "arrests_sex": MAX_VALUE + 1}, "arrests_sex"),
        ({"year": 2025, "quarter": 1, "arrests_sex": "three"}, "arrests_sex"),
        ({"year": 2025, "quarter": 1}, "detail"),
    ],
)
def test_it_refuses_bad_input_by_field_and_writes_nothing(as_detective_admin, body, field):
    response = post(as_detective_admin, body)
    assert response.status_code == 400
    assert field in response.json()
    assert not ActivityFigure.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_it_leaves_the_same_figures_and_trail_as_the_web_page(sheriff, detective_admin):
    """Parity: the same entries and correction, on the page for 2025 Q1 and through the API for 2024 Q4."""
    first = {measure.value: 2 for measure in HOLDERS[Holder.LAW_ENFORCEMENT]}
    second = first | {M.ARRESTS_SEX: 5}
    as_admin = client_for(detective_admin)
    for values in (first, second):
        page = f"{reverse('activity:figures')}?quarter=2025-q1"
        assert as_admin.post(page, {k: str(v) for k, v in values.items()}).status_code == 302
        assert post(as_admin, {"year": 2024, "quarter": 4, **values}).status_code == 200
    assert _state("2025-q1") == _state("2024-q4")
    assert len(_state("2025-q1")[1]) == len(first) + 1  # entered, then one correction


def _state(quarter: str) -> tuple[list, list]:
    """The quarter's figures and audit rows, without the quarter itself."""
    start = {"2025-q1": date(2025, 1, 1), "2024-q4": date(2024, 10, 1)}[quarter]
    figures = ActivityFigure.objects.filter(period_start=start)
    values = sorted(figures.values_list("agency", "measure", "value", "entered_by", "corrected_by"))
    rows = AuditEntry.objects.filter(event__startswith="activity.", detail__quarter=quarter)
    trail = sorted(
        (row.event, row.actor_id, sorted((k, v) for k, v in row.detail.items() if k != "quarter")) for row in rows
    )
    return values, trail


@time_machine.travel(TODAY, tick=False)
def test_it_lists_with_a_constant_number_of_queries(sheriff, detective_admin, agency, coordinator, grant_manager):
    as_grants = client_for(grant_manager)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_grants.get(LIST).status_code == 200
        return len(queries)

    services.activity_figures_enter(agency=sheriff, period=Q1, values={M.ARRESTS_SEX: 1}, actor=detective_admin)
    count()  # the session's first request reads what later ones find cached
    one = count()
    for part in (1, 2):
        quarter = period_build(kind=PeriodKind.QUARTER, year=2025, part=part)
        values = {measure.value: part + 1 for measure in HOLDERS[Holder.LAW_ENFORCEMENT]}
        services.activity_figures_enter(agency=sheriff, period=quarter, values=values, actor=detective_admin)
        values = {measure.value: part for measure in HOLDERS[Holder.COCHAIR]}
        services.activity_figures_enter(agency=agency, period=quarter, values=values, actor=coordinator)
    assert ActivityFigure.objects.filter(corrected_by__isnull=False).exists()
    assert ActivityFigure.objects.count() == 16
    assert count() == one

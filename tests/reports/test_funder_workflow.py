"""The grant manager's workflow (issue 17): pick the award's form and period, see the missing figures, remind the
agencies that owe them, build the report; the same over the API."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from activity import services as activity_services
from activity.choices import ActivityMeasure, measures_for
from agencies.models import Agency
from agencies.roles import Role
from audit.models import AuditEntry, AuditEvent
from reports.completeness import completeness_gaps
from reports.funder import funder_measure_keys
from reports.models import Report
from reports.periods import PeriodKind, period_build
from tests.conftest import client_for
from tests.factories import AgencyFactory, UserFactory
from tests.reports.conftest import local

pytestmark = pytest.mark.django_db

Q1 = period_build(kind=PeriodKind.QUARTER, year=2025, part=1)
PICK = {"template": "bja_taskforce_pmt", "period": "2025-q1"}


@pytest.fixture
def sheriff(db) -> Agency:
    return AgencyFactory(name="Juniper County Sheriff", sector="law_enforcement")


@pytest.fixture
def sheriff_admin(sheriff):
    return UserFactory(agency=sheriff, role=Role.AGENCY_ADMIN, email="admin@sheriff.example.org")


@pytest.fixture
def partly_entered(sheriff, sheriff_admin, agency, coordinator, other_agency):
    """The sheriff entered two of its four figures; the co-chair all of its own; Elsewhere County none."""
    Agency.objects.update(created_at=local(2024, 6, 1))  # members well before the quarter
    values = {ActivityMeasure.ARRESTS_SEX: 2, ActivityMeasure.ARRESTS_LABOR: 0}
    activity_services.activity_figures_enter(agency=sheriff, period=Q1, values=values, actor=sheriff_admin)
    agency.refresh_from_db()
    own = {measure: 0 for measure in measures_for(agency)}
    activity_services.activity_figures_enter(agency=agency, period=Q1, values=own, actor=coordinator)


def test_it_lists_the_agencies_that_owe_activity_figures(partly_entered, sheriff, other_agency):
    gaps = {gap.agency_name: gap for gap in completeness_gaps(Q1)["activity"]}
    assert set(gaps) == {"Juniper County Sheriff", "Elsewhere County Sheriff"}
    assert gaps["Juniper County Sheriff"].count == 2 and gaps["Juniper County Sheriff"].agency_id == sheriff.pk
    assert gaps["Juniper County Sheriff"].what == "has not entered 2 activity figures for 2025 Q1 (January-March 2025)"
    assert gaps["Elsewhere County Sheriff"].count == 4


def test_the_page_shows_the_missing_figures_with_a_remind_button(partly_entered, grant_manager):
    response = client_for(grant_manager).get(reverse("reports:funder_workflow"), PICK)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Juniper County Sheriff" in page and "has not entered 2 activity figures" in page
    assert 'aria-label="Remind Juniper County Sheriff"' in page
    assert "Build the report for this form" in page


def test_the_page_says_which_periods_a_form_is_filed_for(grant_manager):
    response = client_for(grant_manager).get(reverse("reports:funder_workflow"), {**PICK, "template": "ovc_tims"})
    assert response.status_code == 400
    assert "is filed per half-year" in response.content.decode()


def test_it_asks_to_confirm_then_reminds_the_agency_by_email_and_audits_it(
    partly_entered, grant_manager, sheriff, sheriff_admin, django_capture_on_commit_callbacks
):
    client = client_for(grant_manager)
    data = {"check": "activity", "agency": sheriff.pk, **PICK}
    confirm = client.get(reverse("reports:funder_remind"), data)
    assert confirm.status_code == 200 and "Send the reminder" in confirm.content.decode()
    assert not mail.outbox and not AuditEntry.objects.filter(event=AuditEvent.FIGURES_REMINDER_SENT).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:funder_remind"), data, follow=True)
    assert "Reminder sent by email to 1 person" in response.content.decode()
    assert [message.to for message in mail.outbox] == [[sheriff_admin.email]]
    body = mail.outbox[0].body
    assert "/activity/?quarter=2025-q1" in body and "rrest" not in body and " 2 " not in body  # a link, no figure
    row = AuditEntry.objects.get(event=AuditEvent.FIGURES_REMINDER_SENT)
    assert row.actor == grant_manager and row.target_id == str(sheriff.pk)
    assert row.detail == {"check": "activity", "period": "2025-01-01/2025-03-31", "people": 1}


def test_it_reminds_nobody_who_has_caught_up(partly_entered, grant_manager, agency):
    data = {"check": "activity", "agency": agency.pk, **PICK}  # the co-chair entered everything
    response = client_for(grant_manager).post(reverse("reports:funder_remind"), data, follow=True)
    assert "Nothing is missing there any more" in response.content.decode()
    assert not mail.outbox and not AuditEntry.objects.filter(event=AuditEvent.FIGURES_REMINDER_SENT).exists()


def test_it_builds_the_report_with_the_forms_measures(partly_entered, grant_manager):
    response = client_for(grant_manager).post(reverse("reports:funder_create"), PICK)
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:funder_copy", args=[report.pk])
    assert report.template == "bja_taskforce_pmt" and set(report.measures) == set(funder_measure_keys(PICK["template"]))
    assert {"activity_enforcement", "activity_outreach"} <= set(report.measures)
    page = client_for(grant_manager).get(reverse("reports:funder_workflow"), PICK).content.decode()
    assert reverse("reports:funder_copy", args=[report.pk]) in page


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MEMBER, Role.AGENCY_ADMIN])
def test_the_workflow_is_the_grant_managers_alone(partly_entered, agency, sheriff, role):
    client = client_for(UserFactory(agency=agency, role=role))
    assert client.get(reverse("reports:funder_workflow"), PICK).status_code in {403, 404}
    data = {"check": "activity", "agency": sheriff.pk, **PICK}
    assert client.post(reverse("reports:funder_remind"), data).status_code in {403, 404}
    assert client.get(reverse("api:v1:report-gaps"), {"period": "2025-q1"}).status_code == 403
    assert client.post(reverse("api:v1:report-gaps-remind"), data).status_code == 403
    assert not mail.outbox


def test_the_api_lists_the_same_gaps_and_reminds_as_the_page(
    partly_entered, grant_manager, sheriff, django_capture_on_commit_callbacks
):
    client = client_for(grant_manager)
    body = client.get(reverse("api:v1:report-gaps"), {"period": "2025-q1"}).json()
    sheriff_gap = next(gap for gap in body if gap["agency_id"] == sheriff.pk)
    assert sheriff_gap == {
        "check": "activity",
        "agency_id": sheriff.pk,
        "agency_name": "Juniper County Sheriff",
        "what": "has not entered 2 activity figures for 2025 Q1 (January-March 2025)",
        "count": 2,
        "can_remind": True,
    }
    assert client.get(reverse("api:v1:report-gaps"), {"period": "2025-q5"}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("api:v1:report-gaps-remind"),
            {"period": "2025-q1", "check": "activity", "agency": sheriff.pk},
            content_type="application/json",
        )
    assert response.status_code == 200 and response.json() == {"reminded": 1}
    assert len(mail.outbox) == 1 and AuditEntry.objects.filter(event=AuditEvent.FIGURES_REMINDER_SENT).count() == 1
    refused = client.post(
        reverse("api:v1:report-gaps-remind"),
        {"period": "2025-q1", "check": "activity", "agency": 999999},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "Nothing is missing there" in refused.json()["detail"]


def test_the_build_form_takes_the_awards_form(partly_entered, grant_manager):
    data = {"kind": "quarter", "year": "2025", "quarter": "1", "template": "ovc_pmt", "measures": ["trafficking_type"]}
    response = client_for(grant_manager).post(reverse("reports:new"), data)
    report = Report.objects.get()
    assert response.status_code == 302 and report.template == "ovc_pmt"
    assert {"trafficking_type", "activity_outreach"} <= set(report.measures)  # and the form's other measures
    assert set(report.measures) == {"trafficking_type", *funder_measure_keys("ovc_pmt")}
    wrong = client_for(grant_manager).post(reverse("reports:new"), {**data, "template": "ovc_tims"})
    assert wrong.status_code == 400 and "is filed per half-year" in wrong.content.decode()
